"""Invitations: how a person joins a workspace, by their own consent.

An owner invites an email with a role and gets a one-time link to send; only its hash is
stored, and it expires after `INVITATION_DAYS`. Inviting answers the same whether or not
the email has an account, so the form tells nobody who is registered. The person opens
the link, signs in (or creates an account) with the invited email, and accepts.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import NotFound, PermissionDenied, ValidationError
from planner.models import ROLES, Invitation, Membership, User, utcnow
from planner.services import accounts
from planner.services.access import Actor, get_scoped
from planner.services.accounts_passwords import password_problem

INVITATION_DAYS = 7
INVITATION_PREFIX = "inv_"
GONE = "This invitation link is not valid: it was used, withdrawn or has expired."


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    secret: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def invite(session: Session, actor: Actor, *, email: str, role: str) -> IssuedInvitation:
    """A new one-time link for the email; an earlier pending one for it is withdrawn."""
    actor.require("owner", "invite members")
    email = accounts.normalise_email(email) if isinstance(email, str) else ""
    errors = {}
    if not accounts.EMAIL_RE.match(email):
        errors["email"] = "Enter a valid email address."
    if role not in ROLES:
        errors["role"] = f"Role must be one of {', '.join(ROLES)}."
    if errors:
        raise ValidationError("The invitation was not created.", errors)
    for earlier in _pending(session, actor.workspace_id, email):
        earlier.revoked_at = utcnow()
    secret = INVITATION_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    invitation = Invitation(
        workspace_id=actor.workspace_id,
        email=email,
        role=role,
        token_hash=_hash(secret),
        invited_by_id=actor.user_id,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    session.flush()
    return IssuedInvitation(invitation, secret)


def invite_by_name(session: Session, *, workspace: str, email: str, role: str) -> IssuedInvitation:
    """Operator path (`flask users invite`): invite as the workspace itself."""
    ws = accounts.find_workspace(session, workspace)
    return invite(
        session, Actor(user_id=None, workspace_id=ws.id, role="owner"), email=email, role=role
    )


def _pending(session: Session, workspace_id: int, email: str | None = None) -> list[Invitation]:
    query = select(Invitation).where(
        Invitation.workspace_id == workspace_id,
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > utcnow(),
    )
    if email is not None:
        query = query.where(Invitation.email == email)
    return list(session.scalars(query.order_by(Invitation.created_at.desc())))


def list_invitations(session: Session, actor: Actor) -> list[Invitation]:
    """Pending invitations (not used, withdrawn or expired), newest first."""
    actor.require("owner", "manage members")
    return _pending(session, actor.workspace_id)


def revoke_invitation(session: Session, actor: Actor, invitation_id: int) -> Invitation:
    actor.require("owner", "manage members")
    invitation = get_scoped(session, Invitation, actor.workspace_id, invitation_id, "invitation")
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = utcnow()
    session.flush()
    return invitation


def open_invitation(session: Session, secret: str) -> Invitation:
    """The pending invitation a link carries, or NotFound (used, withdrawn, expired, unknown)."""
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == _hash(secret or ""))
    )
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= utcnow()
    ):
        raise NotFound(GONE)
    return invitation


def accept(session: Session, secret: str, user: User) -> Membership:
    """The signed-in user takes the invited role; the link works once."""
    invitation = open_invitation(session, secret)
    if accounts.normalise_email(user.email) != invitation.email:
        raise PermissionDenied(
            f"This invitation is for {invitation.email}; you are signed in as {user.email}. "
            "Sign out and sign in (or create an account) with the invited email."
        )
    member = session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.workspace_id == invitation.workspace_id
        )
    )
    if member is None:
        member = Membership(
            user_id=user.id, workspace_id=invitation.workspace_id, role=invitation.role
        )
        session.add(member)
    else:
        member.role = invitation.role
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    session.flush()
    return member


def sign_up_and_accept(
    session: Session, secret: str, *, password: str, confirm: str
) -> tuple[User, Membership]:
    """Create the account for the invited email (password policy applies), then accept."""
    invitation = open_invitation(session, secret)
    if accounts.user_by_email(session, invitation.email) is not None:
        raise ValidationError(
            "An account with this email already exists: sign in to accept.",
            {"email": "already has an account; sign in instead"},
        )
    errors = {}
    if problem := password_problem(password, invitation.email):
        errors["password"] = problem
    elif password != confirm:
        errors["confirm"] = "The two passwords differ."
    if errors:
        raise ValidationError("The account was not created.", errors)
    user = accounts.new_user(session, email=invitation.email, password=password)
    return user, accept(session, secret, user)
