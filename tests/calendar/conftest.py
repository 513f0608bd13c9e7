"""Factories for the calendar's plain inputs: fixtures returning callables."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from planner.services.calendar import PersonaPlan, PiecePlan, Window


@pytest.fixture
def make_persona() -> Callable[..., PersonaPlan]:
    """Build a buyer persona in UTC without windows or cadence unless told otherwise.

    `windows` may be given as (days, start, end) tuples, e.g. (["mon", "fri"], "08:00", "10:30").
    """
    ids = itertools.count(1)

    def make(**overrides: Any) -> PersonaPlan:
        values: dict[str, Any] = {"id": next(ids), "name": "Sam Startup", "kind": "buyer"}
        values.update(overrides)
        values["windows"] = tuple(
            w if isinstance(w, Window) else Window.parse(*w) for w in values.get("windows", ())
        )
        return PersonaPlan(**values)

    return make


@pytest.fixture
def make_piece() -> Callable[..., PiecePlan]:
    """Build an own article with no channel, persona or time unless told otherwise."""
    ids = itertools.count(100)

    def make(**overrides: Any) -> PiecePlan:
        piece_id = overrides.pop("id", next(ids))
        values: dict[str, Any] = {
            "id": piece_id,
            "title": f"Piece {piece_id}",
            "channel": None,
            "content_type": "article",
            "origin": "own",
        }
        values.update(overrides)
        return PiecePlan(**values)

    return make
