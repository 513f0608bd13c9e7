"""CSV downloads of a list (the drafts list, a calendar range): one writer for both.

Cells are quoted by `csv` (commas, quotes and newlines survive a round trip) and the file
is UTF-8 with a byte-order mark, so spreadsheet programs read accents and emoji right. A
cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage return) would run as a
formula in a spreadsheet (OWASP "CSV injection"): it gets a leading `'`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell's text, defused if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Response:
    """A download named `filename` (ASCII, chosen by the view)."""
    body = "\ufeff" + csv_text(header, rows)
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Type": "text/csv; charset=utf-8",
        },
    )
