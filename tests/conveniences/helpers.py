"""Texts and times the convenience tests share."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.pieces.helpers import CLEAN  # noqa: F401  (one clean draft for every piece test)

# 09:00 UTC on Tue 1 Dec 2026 is 18:00 in Tokyo, as the pages must say it.
FIXED_UTC = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
FIXED_TOKYO_TEXT = "Tue 01 Dec 2026, 18:00"
