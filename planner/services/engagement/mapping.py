"""Column mappings: which CSV header holds which field, suggested from common export names.

Pure Python: takes headers and plain dicts, returns plain data, so it is tested without a
database. A mapping is stored on `EngagementSource.mapping` as `{field: header}` plus
`timezone` (IANA zone of times without an offset) and `date_order` (`mdy` or `dmy`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from planner.errors import ValidationError
from planner.models import ENGAGEMENT_FIELDS
from planner.services.personas.fields import valid_timezone

# Headers that need no mapping step: a file whose headers are these names is read as is.
CANONICAL = ("published_at", "channel", "url", "title", "impressions", "clicks", "engagements")
# Fields whose values are counts; the last four are summed into `engagements`.
COUNT_FIELDS = ("impressions", "reach", "clicks", "engagements", "reactions", "comments", "shares")
ENGAGEMENT_PARTS = ("engagements", "reactions", "comments", "shares")
DATE_ORDERS = ("mdy", "dmy")
SETTINGS = ("timezone", "date_order")

LABELS = {
    "published_at": "Published time",
    "channel": "Channel",
    "url": "Post URL",
    "title": "Title",
    "piece_id": "Piece id",
    "id": "The export's own post id",
    "impressions": "Impressions",
    "reach": "Reach (used when there are no impressions)",
    "clicks": "Clicks",
    "engagements": "Engagements (total)",
    "reactions": "Reactions / likes",
    "comments": "Comments / replies",
    "shares": "Shares / reposts",
}

# Header names exports use, already folded by `header_key`; first match wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "published_at": (
        "published at",
        "published",
        "publish time",
        "published time",
        "published date",
        "publish date",
        "post time",
        "posted at",
        "posted",
        "post date",
        "date",
        "time",
        "date time",
        "datetime",
        "created at",
        "created time",
        "sent at",
        "timestamp",
    ),
    "channel": ("channel", "network", "platform", "profile", "account", "social network"),
    "url": ("url", "post url", "link", "permalink", "post link", "post permalink", "article url"),
    "title": ("title", "post title", "headline", "subject", "post", "text", "message", "content"),
    "piece_id": ("piece id", "piece"),
    "id": ("id", "post id", "tweet id", "message id", "external id"),
    "impressions": ("impressions", "views", "impression count", "post impressions", "opens"),
    "reach": ("reach", "post reach", "unique impressions", "recipients"),
    "clicks": ("clicks", "link clicks", "url clicks", "click count", "post link clicks"),
    "engagements": ("engagements", "engagement", "total engagements", "interactions"),
    "reactions": ("reactions", "likes", "like count", "favorites", "hearts"),
    "comments": ("comments", "replies", "reply count", "comment count"),
    "shares": ("shares", "reposts", "retweets", "share count", "repost count", "shared"),
}


def header_key(header: str) -> str:
    """A header as exports vary it: NFKC, casefolded, `_`/`-`/`.` as spaces, squeezed."""
    text = unicodedata.normalize("NFKC", header).casefold()
    return " ".join(re.sub(r"[_\-.:/()]+", " ", text).split())


def is_canonical(headers: Iterable[str]) -> bool:
    """True when the file names `published_at` (and any other field) by its canonical name."""
    return "published_at" in {h.strip() for h in headers}


def canonical_mapping(headers: Iterable[str], timezone: str) -> dict[str, str]:
    """Map every canonical (or other field-named) header to itself."""
    present = {h.strip(): h for h in headers}
    mapping = {field: present[field] for field in ENGAGEMENT_FIELDS if field in present}
    return {**mapping, "timezone": timezone, "date_order": "mdy"}


def suggest_mapping(headers: Iterable[str], timezone: str) -> dict[str, str]:
    """Guess a mapping from header names; each header is used once, canonical names first.

    A total engagements column is preferred alone: its parts (likes, comments, shares)
    are suggested only when the file has no total, so nothing is counted twice.
    """
    headers = list(headers)
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(header_key(header), header)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for field in ENGAGEMENT_FIELDS:
        for alias in (header_key(field), *ALIASES.get(field, ())):
            found = by_key.get(alias)
            if found is not None and found not in used:
                mapping[field] = found
                used.add(found)
                break
    if "engagements" in mapping:
        for part in ENGAGEMENT_PARTS[1:]:
            mapping.pop(part, None)
    return {**mapping, "timezone": timezone, "date_order": "mdy"}


def check_mapping(raw: Mapping[str, Any], headers: Iterable[str]) -> dict[str, str]:
    """Return a clean mapping for a file with `headers`, or a ValidationError per field.

    Unknown fields are refused; an empty value means "not in this file"; a header must be
    one the file has; `published_at` is required; the zone must be an IANA name.
    """
    if not isinstance(raw, Mapping):
        raise ValidationError("The mapping must be an object.", {"mapping": "must be an object"})
    header_list = list(headers)
    present = set(header_list)
    errors: dict[str, str] = {}
    mapping: dict[str, str] = {}
    for field, value in raw.items():
        if field in SETTINGS:
            continue
        if field not in ENGAGEMENT_FIELDS:
            errors[str(field)[:60]] = f"unknown field; mappings name {', '.join(ENGAGEMENT_FIELDS)}"
            continue
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            errors[field] = "must be a column name"
        elif value not in present:
            errors[field] = f"the file has no column {value[:120]!r}"
        elif header_list.count(value) > 1:
            errors[field] = f"the file has more than one column {value[:120]!r}"
        else:
            mapping[field] = value
    if "published_at" not in mapping and "published_at" not in errors:
        errors["published_at"] = "choose the column that holds the published time"
    timezone = raw.get("timezone")
    if not isinstance(timezone, str) or not valid_timezone(timezone):
        errors["timezone"] = "must be a time zone name like Europe/Berlin"
    date_order = raw.get("date_order") or "mdy"
    if date_order not in DATE_ORDERS:
        errors["date_order"] = "must be mdy (month/day) or dmy (day/month)"
    if errors:
        raise ValidationError(f"Check the column mapping: {', '.join(errors)}.", errors)
    return {**mapping, "timezone": str(timezone), "date_order": str(date_order)}


def usable_saved(saved: Mapping[str, Any] | None, headers: Iterable[str]) -> bool:
    """True when a saved mapping still fits this file (every column it names is there)."""
    if not saved:
        return False
    try:
        check_mapping(saved, headers)
    except ValidationError:
        return False
    return True
