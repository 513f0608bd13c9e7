"""Acme (from the piece tests) in New York time, and a CSV writer for engagement exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from planner.models import Workspace
from tests.pieces.fixtures import acme, api, make_piece  # noqa: F401

CANONICAL = ["published_at", "channel", "url", "title", "impressions", "clicks", "engagements"]


@pytest.fixture
def zoned(session, acme):  # noqa: F811
    """Acme's workspace set to America/New_York, so naive times and days are New York's."""
    workspace = session.scalar(sa.select(Workspace).where(Workspace.name == "Acme"))
    workspace.timezone = "America/New_York"
    session.commit()
    return acme


@pytest.fixture
def engagement_csv() -> Callable[..., str]:
    """Write rows (lists or dicts) under `headers` as CSV text, the way exports quote."""

    def write(rows: list, headers: list[str] | None = None) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(headers or CANONICAL)
        for row in rows:
            writer.writerow(row)
        return out.getvalue()

    return write
