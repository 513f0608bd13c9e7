"""An owner's override of a blocked audit: what it approves, and when it lapses.

An override approves the *blocking matches* of the audit it was given on: each counted
match of a negative persona at `block` level, keyed like a dismissal (persona, keyword,
words casefolded). It holds across edits and re-audits that add no new blocking match
(a typo fixed, a clean sentence added, a flagged word removed) and lapses, naming the new
words, when an audit finds one it did not approve. Giving and losing an override are
recorded as `PieceEvent`s, so the piece's history shows both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from planner.errors import ValidationError
from planner.models import Piece, PieceEvent, User, utcnow
from planner.services.access import Actor

MAX_REASON = 2000
Key = tuple[Any, str, str]


def clean_reason(value: Any, field: str = "reason") -> str:
    """The written reason an override needs: required, at most `MAX_REASON` characters."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("Say why.", {field: "is required"})
    if len(value) > MAX_REASON:
        raise ValidationError("Shorten the reason.", {field: f"at most {MAX_REASON} characters"})
    return value.strip()


def blocking_matches(result: dict | None) -> dict[Key, tuple[str, str]]:
    """`{key: (words as matched, persona name)}` of the counted matches that block."""
    found: dict[Key, tuple[str, str]] = {}
    for persona in (result or {}).get("personas", []):
        if persona.get("kind") != "negative" or persona.get("level") != "block":
            continue
        for match in persona.get("matches", []):
            if match.get("dismissed"):
                continue
            key = (persona["id"], match["term"], match["text"].casefold())
            found.setdefault(key, (match["text"], persona["name"]))
    return found


def approved(piece: Piece) -> set[Key]:
    return {(key[0], key[1], key[2]) for key in piece.override_matches or []}


def in_force(piece: Piece) -> bool:
    return piece.override_at is not None


def who(user: User | None) -> str:
    if user is None:
        return "a former member"
    return user.display_name or user.email


def words_list(found: dict[Key, tuple[str, str]], keys: set[Key]) -> str:
    """“on-premise” (Enterprise Procurement Pete), … in text order of discovery."""
    parts = [f"“{found[k][0]}” ({found[k][1]})" for k in found if k in keys]
    return ", ".join(parts)


def give(session: Session, actor: Actor, piece: Piece, result: dict, reason: str) -> PieceEvent:
    """Approve the blocking matches of `result` (the piece's latest audit) for publishing."""
    actor.require("owner", "override a blocked audit")
    found = blocking_matches(result)
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    piece.override_reason = reason
    piece.overrider = user
    piece.override_at = utcnow()
    piece.override_matches = [list(key) for key in found]
    event = PieceEvent(
        kind="override",
        user_id=actor.user_id,
        message=f"{who(user)} approved {words_list(found, set(found))}: {reason}",
    )
    piece.events.append(event)
    session.flush()
    return event


def reconcile(piece: Piece, result: dict) -> PieceEvent | None:
    """Let the override lapse if `result` (a new audit) blocks on words it did not approve."""
    if not in_force(piece):
        return None
    found = blocking_matches(result)
    new = set(found) - approved(piece)
    if not new:
        return None
    event = PieceEvent(
        kind="override_lapsed",
        message=(
            f"The override by {who(piece.overrider)} lapsed: the text now also has "
            f"{words_list(found, new)}, which it did not approve."
        ),
    )
    piece.events.append(event)
    piece.override_at = None
    piece.overrider = None
    piece.override_reason = None
    piece.override_matches = None
    return event
