"""Reading what the list pages show: CSV downloads and the drafts table's row order."""

from __future__ import annotations

import csv
import io
import re


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV download, after checking it is UTF-8 CSV with a byte-order mark."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def drafts_titles(html: str) -> list[str]:
    """The titles of the drafts table, top to bottom."""
    return re.findall(r'class="piece-title">([^<]*)</a>', html)
