"""Who is acting, in which workspace, with which role, and the one workspace-scoped query.

Also `VERIFIED_TOKENS`: the bearer tokens this process verified in the last few seconds
(see `TokenActors`), so an API request does not query its token again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Protocol, TypeVar

from sqlalchemy import Select, event, inspect, select
from sqlalchemy.orm import Mapped, ORMExecuteState, Session

from planner.errors import NotFound, PermissionDenied
from planner.models import ROLES, ApiToken, Membership, User, Workspace


class WorkspaceRow(Protocol):
    """A model whose rows belong to one workspace (its mapped `id` and `workspace_id`)."""

    id: ClassVar[Mapped[int]]
    workspace_id: ClassVar[Mapped[int]]


T = TypeVar("T", bound=WorkspaceRow)

# Row ids are INTEGER keys (32-bit on PostgreSQL): a larger id names no row, and sending
# it to the database is an out-of-range error rather than "not found".
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Actor:
    """A user acting in one workspace; services check roles on it, not the views."""

    user_id: int | None
    workspace_id: int
    role: str

    def can(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)

    def require(self, role: str, action: str = "do that") -> None:
        if not self.can(role):
            raise PermissionDenied(
                f"You need the {role} role in this workspace to {action}; you are a {self.role}."
            )


def scoped(model: type[T], workspace_id: int) -> Select[T]:
    """Select rows of `model` that belong to the workspace; every user-data read starts here."""
    return select(model).where(model.workspace_id == workspace_id)


def get_scoped(session: Session, model: type[T], workspace_id: int, obj_id: int, what: str) -> T:
    """Load one row of the workspace, or NotFound (also for other workspaces' rows)."""
    try:
        obj_id = int(obj_id)
    except (TypeError, ValueError):
        raise NotFound(f"No {what} with id {str(obj_id)[:40]!r}.") from None
    if not 0 < obj_id <= MAX_ID:
        raise NotFound(f"No {what} with id {obj_id}.")
    row = session.scalar(scoped(model, workspace_id).where(model.id == obj_id))
    if row is None:
        raise NotFound(f"No {what} with id {obj_id} in this workspace.")
    return row


@dataclass(frozen=True)
class VerifiedToken:
    """What a token lookup found: who acts, and when the token was last marked used."""

    actor: Actor
    token_id: int
    last_used_at: datetime | None
    expires: float  # time.monotonic()


class TokenActors:
    """Bearer tokens verified in the last `seconds`, by token hash (never the secret).

    An API request asks for its token first and queries only on a miss (~0.35 ms of a
    request's CPU). Only tokens that were valid are kept. Any change to a token (other
    than its `last_used_at`), a membership, a user or a workspace, flushed or bulk, empties
    the cache in this process at once and again when it commits; other processes see it
    within `seconds`. A lookup that began before such a change is not stored
    (`generation`), so it cannot bring a revoked token back.
    """

    def __init__(
        self, seconds: float, size: int = 4096, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self.size = size
        self.clock = clock
        self.generation = 0
        self._entries: dict[str, VerifiedToken] = {}
        self._lock = threading.Lock()

    def get(self, token_hash: str) -> VerifiedToken | None:
        entry = self._entries.get(token_hash)
        if entry is None or entry.expires <= self.clock():
            return None
        return entry

    def put(
        self,
        token_hash: str,
        actor: Actor,
        token_id: int,
        last_used_at: datetime | None,
        generation: int,
    ) -> None:
        """Keep a lookup's answer, unless a change came since `generation` was read."""
        if self.seconds <= 0:
            return
        entry = VerifiedToken(actor, token_id, last_used_at, self.clock() + self.seconds)
        with self._lock:
            if generation != self.generation:
                return
            if len(self._entries) >= self.size:
                self._entries.clear()
            self._entries[token_hash] = entry

    def forget_all(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()


TOKEN_CACHE_SECONDS = 5.0
VERIFIED_TOKENS = TokenActors(TOKEN_CACHE_SECONDS)
_WHO_MAY_ACT = (ApiToken, Membership, User, Workspace)
_WHO_MAY_ACT_TABLES = frozenset(model.__table__ for model in _WHO_MAY_ACT)
_CHANGED = "verified_tokens_changed"


def _changes_who_may_act(obj: object) -> bool:
    if not isinstance(obj, _WHO_MAY_ACT):
        return False
    if not isinstance(obj, ApiToken):
        return True
    state = inspect(obj)
    return state.deleted or any(
        attr.history.has_changes() for attr in state.attrs if attr.key != "last_used_at"
    )


@event.listens_for(Session, "after_flush")
def _forget_flushed_changes(session: Session, _flush_context: object) -> None:
    changed = [*session.dirty, *session.deleted]  # a new row turns no valid token invalid
    if any(_changes_who_may_act(obj) for obj in changed):
        session.info[_CHANGED] = True
        VERIFIED_TOKENS.forget_all()


@event.listens_for(Session, "do_orm_execute")
def _forget_bulk_changes(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and (
        getattr(state.statement, "table", None) in _WHO_MAY_ACT_TABLES
    ):
        state.session.info[_CHANGED] = True
        VERIFIED_TOKENS.forget_all()


@event.listens_for(Session, "after_commit")
def _forget_committed_changes(session: Session) -> None:
    # Again: a request that read the old rows between the flush and the commit stored them.
    if session.info.pop(_CHANGED, False):
        VERIFIED_TOKENS.forget_all()


@event.listens_for(Session, "after_rollback")
def _drop_rolled_back_mark(session: Session) -> None:
    session.info.pop(_CHANGED, None)
