"""Who belongs to a workspace: listing, changing roles, removing and leaving.

Removing someone ends their access at once: their API tokens for the workspace are
revoked (re-adding them later does not revive those) and their sessions end; the pieces
assigned to them there are unassigned. A workspace
always keeps an owner.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from planner.errors import Conflict, NotFound, ValidationError
from planner.models import ROLES, ApiToken, Invitation, Membership, Piece, User, utcnow
from planner.services import accounts
from planner.services.access import Actor


def list_members(session: Session, actor: Actor) -> list[Membership]:
    actor.require("owner", "manage members")
    rows = session.scalars(
        select(Membership)
        .join(User)
        .where(Membership.workspace_id == actor.workspace_id)
        .order_by(User.email)
    )
    return list(rows)


def _membership(session: Session, workspace_id: int, user_id: int) -> Membership:
    member = session.scalar(
        select(Membership).where(
            Membership.workspace_id == workspace_id, Membership.user_id == user_id
        )
    )
    if member is None:
        raise NotFound(f"No member with id {user_id} in this workspace.")
    return member


def _owner_count(session: Session, workspace_id: int) -> int:
    count = session.scalar(
        select(func.count(Membership.id)).where(
            Membership.workspace_id == workspace_id, Membership.role == "owner"
        )
    )
    return count or 0


def _keep_an_owner(session: Session, member: Membership, what: str) -> None:
    if member.role == "owner" and _owner_count(session, member.workspace_id) <= 1:
        raise Conflict(
            f"{member.user.email} is the last owner of this workspace and cannot {what}. "
            "Make another member an owner first."
        )


def change_role(session: Session, actor: Actor, user_id: int, role: str) -> Membership:
    actor.require("owner", "manage members")
    if role not in ROLES:
        raise ValidationError(
            "The role was not changed.", {"role": f"Role must be one of {', '.join(ROLES)}."}
        )
    member = _membership(session, actor.workspace_id, user_id)
    if role != "owner":
        _keep_an_owner(session, member, "be demoted")
    member.role = role
    session.flush()
    return member


def remove_member(session: Session, actor: Actor, user_id: int) -> User:
    """An owner removes a member, or any member removes themselves (leaves)."""
    if user_id != actor.user_id:
        actor.require("owner", "remove members")
    member = _membership(session, actor.workspace_id, user_id)
    _keep_an_owner(session, member, "leave" if user_id == actor.user_id else "be removed")
    user = member.user
    return _remove(session, member, user)


def remove_member_by_email(session: Session, *, workspace: str, email: str) -> User:
    """Operator path (`flask users remove-member`)."""
    ws = accounts.find_workspace(session, workspace)
    user = accounts.user_by_email(session, email)
    if user is None:
        raise NotFound(f"{email} is not a member of {workspace!r}.")
    member = _membership(session, ws.id, user.id)
    _keep_an_owner(session, member, "be removed")
    return _remove(session, member, user)


def _remove(session: Session, member: Membership, user: User) -> User:
    now = utcnow()
    tokens = session.scalars(
        select(ApiToken).where(
            ApiToken.workspace_id == member.workspace_id,
            ApiToken.user_id == user.id,
            ApiToken.revoked_at.is_(None),
        )
    )
    for token in tokens:
        token.revoked_at = now
    pending = session.scalars(
        select(Invitation).where(
            Invitation.workspace_id == member.workspace_id,
            Invitation.email == user.email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
    )
    for invitation in pending:
        invitation.revoked_at = now
    # An assignee who left is nobody to ask: their pieces in this workspace are unassigned.
    session.execute(
        update(Piece)
        .where(Piece.workspace_id == member.workspace_id, Piece.assignee_id == user.id)
        .values(assignee_id=None)
        .execution_options(synchronize_session="fetch")
    )
    session.delete(member)
    session.flush()
    accounts.end_sessions(session, user.id)
    return user
