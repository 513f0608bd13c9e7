"""Who is acting, in which workspace, with which role, and the one workspace-scoped query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Mapped, Session

from planner.errors import NotFound, PermissionDenied
from planner.models import ROLES


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
