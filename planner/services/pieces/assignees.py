"""Who a piece may be assigned to: the members of its workspace, by email or id.

The assignee is one field of the piece (`Piece.assignee`), set through the pieces
service like any other; this module only answers "is this a member here?". Removing a
member clears their assignments (`accounts_members._remove`), so none is left dangling.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.models import Membership, User
from planner.services.accounts import normalise_email


def members(session: Session, workspace_id: int) -> list[User]:
    """Every member of the workspace, by email: the editor's assignee choices."""
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace_id)
        .order_by(User.email)
    )
    return list(session.scalars(query))


def find_member(session: Session, workspace_id: int, value: Any) -> User | None:
    """The member named by `value` (an email, any case, or a user id), else None."""
    query = select(User).join(Membership, Membership.user_id == User.id)
    query = query.where(Membership.workspace_id == workspace_id)
    if isinstance(value, int) and not isinstance(value, bool):
        member: User | None = session.scalar(query.where(User.id == value))
        return member
    if isinstance(value, str) and value.strip():
        user: User | None = session.scalar(query.where(User.email == normalise_email(value)))
        return user
    return None
