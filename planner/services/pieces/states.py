"""A piece's publishing states and the moves between them: one table for every surface.

The editor, the calendar (drag, dialog, agenda form), the API, the CLI and curation all
save through `pieces.service`, which asks `check_change` before anything is written, so
a move refused in one place is refused everywhere, in the same words.

- idea, draft, review and scheduled move freely among themselves (editors);
- any of them can be published (the piece went out) or archived (shelved);
- an archived piece is restored to draft;
- a published piece is history: its time and text never change, and only an owner can
  unpublish it (back to draft) before it can be edited again.

A piece can also be *created* published, to record one that went out elsewhere, as long
as its time is not in the future.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from planner.errors import Conflict, ValidationError
from planner.services.access import Actor
from planner.services.pieces.input import WRITABLE

OPEN = ("idea", "draft", "review", "scheduled")
STATES = (*OPEN, "published", "archived")


@dataclass(frozen=True)
class Move:
    """One allowed change of state: who may make it and what to call it on a button."""

    source: str
    target: str
    role: str
    label: str


def _moves() -> dict[tuple[str, str], Move]:
    moves = [Move(a, b, "editor", f"Move to {b}") for a in OPEN for b in OPEN if a != b]
    moves += [Move(a, "published", "editor", "Mark published") for a in OPEN]
    moves += [Move(a, "archived", "editor", "Archive") for a in OPEN]
    moves += [
        Move("archived", "draft", "editor", "Restore to draft"),
        Move("published", "draft", "owner", "Unpublish"),
    ]
    return {(m.source, m.target): m for m in moves}


MOVES = _moves()

# Every writable field but the status, the assignee (who follows it up) and the published
# `url` (known only once it went out): changing one on a published piece rewrites what went out.
HISTORY_FIELDS = frozenset(WRITABLE) - {"status", "assignee", "url"}


_FIELD_WORDS = {"scheduled_at": "time", "target_personas": "target personas"}


def _fields(changed: Collection[str]) -> str:
    names = sorted(_FIELD_WORDS.get(f, f.replace("_", " ")) for f in HISTORY_FIELDS & set(changed))
    return ", ".join(names)


def moves_from(status: str, actor: Actor) -> list[Move]:
    """The moves `actor` may make from `status`, for the editor's buttons and the API."""
    return [m for (source, _), m in MOVES.items() if source == status and actor.can(m.role)]


def check_change(
    actor: Actor,
    title: str,
    before: str | None,
    after: str,
    changed: Collection[str],
) -> None:
    """Refuse a change the state table does not allow, before it is written.

    `before` is None for a new piece; `changed` names the fields whose values differ.
    A published piece refuses any change to what went out (409) unless the same save
    unpublishes it, which only an owner may do.
    """
    if before is None or before == after:
        if before == "published" and HISTORY_FIELDS & set(changed):
            fields = _fields(changed)
            raise Conflict(
                f"“{title}” is published: its time and text are history, so its {fields} "
                "cannot change. An owner can unpublish it first.",
                {"status": "published pieces cannot be edited or moved"},
            )
        return
    move = MOVES.get((before, after))
    if move is None:
        if before == "published":
            raise Conflict(
                f"“{title}” is published; it can only be unpublished (back to draft), by an owner.",
                {"status": f"cannot go from published to {after}"},
            )
        allowed = ", ".join(m.target for (source, _), m in MOVES.items() if source == before)
        raise ValidationError(
            f"A {before} piece cannot become {after}; it can become {allowed}.",
            {"status": f"cannot go from {before} to {after}"},
        )
    actor.require(move.role, f"{move.label.lower()} a piece")
    if before == "published" and HISTORY_FIELDS & set(changed):
        raise Conflict(
            f"Unpublish “{title}” first, then edit it: one save cannot do both.",
            {"status": "unpublish before editing"},
        )


def check_published_time(status: str, when: datetime | None, now: datetime) -> None:
    """A published piece's time says when it went out, so it cannot lie in the future."""
    if status == "published" and when is not None and when > now:
        raise ValidationError(
            "A published piece's time is when it went out, so it cannot be in the future; "
            "schedule it instead.",
            {"scheduled_at": "is in the future; a published piece went out already"},
        )
