"""The notice a stale form shows: who saved since it was opened, and both versions.

A save from a form opened before someone else's save is not applied (`versions.check`);
the form comes back with what was typed in its fields and, next to it, what is stored now,
so nothing is lost and the user can re-apply their change and save again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import request

from planner.errors import ValidationError
from planner.services.versions import StaleVersion


@dataclass(frozen=True)
class StaleNotice:
    message: str
    rows: list[tuple[str, str, str]]  # label, theirs (stored now), yours (typed)


def form_version(field: str = "version") -> int | None:
    """The counter the form was opened with (a hidden field); None from an older form."""
    raw = request.form.get(field, "").strip()
    if not raw:
        return None
    if not raw.isdecimal() or len(raw) > 18:
        raise ValidationError("The form is damaged; reload the page.", {field: "not a number"})
    return int(raw)


def when(moment: datetime | None, zone: str) -> str:
    if moment is None:
        return "an unknown time"
    local = moment.astimezone(ZoneInfo(zone))
    today = datetime.now(ZoneInfo(zone)).date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%H:%M on %d %b")


def notice(
    error: StaleVersion,
    zone: str,
    labels: Mapping[str, str],
    theirs: Mapping[str, Any],
    yours: Mapping[str, Any],
) -> StaleNotice:
    """The message and the fields whose stored value differs from the typed one."""
    who = error.changed_by or "someone else"
    message = f"Changed by {who} at {when(error.changed_at, zone)} since you opened it."
    rows = [
        (label, _text(theirs.get(key)), _text(yours.get(key)))
        for key, label in labels.items()
        if _text(theirs.get(key)) != _text(yours.get(key))
    ]
    return StaleNotice(message, rows)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, set | list | tuple):
        return ", ".join(sorted(_text(v) for v in value))
    return str(value)
