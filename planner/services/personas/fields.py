"""The checks every persona field is made of: text, lists, numbers, mappings, time zones.

Each adds its problem to `FieldErrors` under the field's path and returns a usable value,
so one pass over a document reports every problem at once (`schema.validate_persona`).
"""

from __future__ import annotations

import functools
import importlib.resources
import math
from typing import Any, Literal, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

MAX_LIST_ITEMS = 200


class FieldErrors(dict):
    """Problems by field path; the first problem found for a path is the one kept."""

    def add(self, path: str, message: str) -> None:
        self.setdefault(path, message)


def storable_text_problem(text: str) -> str | None:
    """Why a string cannot be stored (PostgreSQL refuses NUL; UTF-8 has no lone surrogates)."""
    if "\x00" in text:
        return "must not contain NUL characters"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text (no lone surrogates)"
    return None


def text_field(
    value: Any, path: str, errors: FieldErrors, *, required: bool = False, limit: int = 500
) -> str:
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        errors.add(path, "must be text")
        return ""
    if isinstance(value, int) and abs(value) >= 10**limit:
        errors.add(path, f"is longer than {limit} characters")
        return ""
    text = str(value).strip()
    problem = storable_text_problem(text)
    if problem:
        errors.add(path, problem)
        return ""
    if required and not text:
        errors.add(path, "is required")
    if len(text) > limit:
        errors.add(path, f"is longer than {limit} characters")
    return text


def scalar_field(value: Any, path: str, errors: FieldErrors, default: str = "") -> str:
    """A one-word field (kind, timezone, a day, a time): text or a number, never a list."""
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        errors.add(path, "must be text, not a list or mapping")
        return ""
    return text_field(value, path, errors, limit=100)


def text_list(value: Any, path: str, errors: FieldErrors) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if not isinstance(value, list):
        errors.add(path, "must be a list of text")
        return ()
    if len(value) > MAX_LIST_ITEMS:
        errors.add(path, f"at most {MAX_LIST_ITEMS} items")
        return ()
    items = [text_field(item, f"{path}[{i}]", errors) for i, item in enumerate(value)]
    return tuple(item for item in items if item)


@overload
def number_field(
    value: Any, path: str, errors: FieldErrors, *, integer: Literal[True]
) -> int | None: ...


@overload
def number_field(
    value: Any, path: str, errors: FieldErrors, *, integer: Literal[False] = False
) -> float | None: ...


def number_field(
    value: Any, path: str, errors: FieldErrors, *, integer: bool = False
) -> float | int | None:
    if value is None or value == "":
        return None
    try:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError
        if isinstance(value, str) and len(value) > 100:
            raise ValueError
        number = float(value)
        if not math.isfinite(number):
            errors.add(path, "must be a finite number")
            return None
        if integer:
            if not number.is_integer():
                raise ValueError
            number = int(value) if isinstance(value, int) else int(number)
    except (TypeError, ValueError, OverflowError):
        errors.add(path, "must be a whole number" if integer else "must be a number")
        return None
    if number < 0:
        errors.add(path, "must not be negative")
    return number


def mapping_field(value: Any, path: str, errors: FieldErrors, allowed: set[str]) -> dict:
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        errors.add(path, "must be a mapping")
        return {}
    for key in value:
        if key not in allowed:
            errors.add(
                f"{path}.{key}", f"unknown field {key!r} (expected {', '.join(sorted(allowed))})"
            )
    return value


def valid_timezone(name: str) -> bool:
    # The tzdata package's list is one small file; `available_timezones()` (its names plus
    # a walk of the system's zoneinfo folders) is only asked about names not on it: it
    # cost `flask audit --personas` a sixth of its start-up, once per persona.
    if not name or (name not in _tzdata_zones() and name not in available_timezones()):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@functools.lru_cache(maxsize=1)
def _tzdata_zones() -> frozenset[str]:
    """Return the zone names the tzdata package lists (all in `available_timezones()`)."""
    try:
        text = importlib.resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    except (ImportError, OSError):
        return frozenset()
    return frozenset(line.strip() for line in text.splitlines() if line.strip())
