"""Users, workspaces, memberships and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from planner.errors import NotFound, ValidationError
from planner.models import ROLES, ApiToken, Membership, User, Workspace, utcnow
from planner.services.access import Actor, get_scoped

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8
TOKEN_PREFIX = "pp_"


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def get_or_create_workspace(session: Session, name: str) -> Workspace:
    name = (name or "").strip()
    if not name:
        raise ValidationError("A workspace needs a name.", {"workspace": "required"})
    workspace = session.scalar(select(Workspace).where(Workspace.name == name))
    if workspace is None:
        workspace = Workspace(name=name)
        session.add(workspace)
        session.flush()
    return workspace


def workspace_of(session: Session, workspace_id: int) -> Workspace:
    """The workspace row by id (an actor's or a row's own), or NotFound if it is gone."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound(f"No workspace with id {workspace_id}.")
    return workspace


def find_workspace(session: Session, name: str) -> Workspace:
    workspace = session.scalar(select(Workspace).where(Workspace.name == (name or "").strip()))
    if workspace is None:
        raise NotFound(f"No workspace named {name!r}.")
    return workspace


def create_user(
    session: Session, *, email: str, password: str, workspace: str, role: str = "editor"
) -> User:
    """Create the user (or add an existing one) as a member of the workspace with a role."""
    email = normalise_email(email)
    errors = {}
    if not EMAIL_RE.match(email):
        errors["email"] = "Enter a valid email address."
    if role not in ROLES:
        errors["role"] = f"Role must be one of {', '.join(ROLES)}."
    user = session.scalar(select(User).where(User.email == email))
    if user is None and len(password or "") < MIN_PASSWORD:
        errors["password"] = f"Use at least {MIN_PASSWORD} characters."
    if errors:
        raise ValidationError("The user could not be created.", errors)
    ws = get_or_create_workspace(session, workspace)
    if user is None:
        user = User(email=email, password_hash=generate_password_hash(password))
        session.add(user)
        session.flush()
    membership = session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.workspace_id == ws.id)
    )
    if membership is None:
        session.add(Membership(user_id=user.id, workspace_id=ws.id, role=role))
    else:
        membership.role = role
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    # Annotated: `User` has an untyped base (flask_login's UserMixin), so SQLAlchemy's
    # overloads cannot type the row.
    user: User | None = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not check_password_hash(user.password_hash, password or ""):
        return None
    return user


def memberships(session: Session, user_id: int) -> list[Membership]:
    rows = session.scalars(
        select(Membership)
        .join(Workspace)
        .where(Membership.user_id == user_id)
        .order_by(Workspace.name)
    )
    return list(rows)


def actor_for(session: Session, user_id: int, workspace_id: int | None) -> Actor | None:
    """The user's role in the workspace (or their first one); None if they belong nowhere."""
    return choose_actor(memberships(session, user_id), user_id, workspace_id)


def choose_actor(rows: list[Membership], user_id: int, workspace_id: int | None) -> Actor | None:
    """Pick the membership for the workspace, else the first one, from rows already loaded."""
    chosen = next((m for m in rows if m.workspace_id == workspace_id), None)
    chosen = chosen or (rows[0] if rows else None)
    if chosen is None:
        return None
    return Actor(user_id=user_id, workspace_id=chosen.workspace_id, role=chosen.role)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


def _hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    session: Session, actor: Actor, name: str, *, user_id: int | None = None
) -> IssuedToken:
    """Issue a token that acts as a member (the owner by default); only its hash is kept."""
    actor.require("owner", "manage API tokens")
    name = (name or "").strip()
    if not name:
        raise ValidationError("Give the token a name.", {"name": "required"})
    user_id = user_id or actor.user_id
    member = session.scalar(
        select(Membership).where(
            Membership.user_id == user_id, Membership.workspace_id == actor.workspace_id
        )
    )
    if member is None:
        raise ValidationError("Tokens act as a member of this workspace.", {"user": "not a member"})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user_id,
        workspace_id=actor.workspace_id,
        name=name[:120],
        token_hash=_hash_token(secret),
        prefix=secret[:10],
        created_at=utcnow(),
    )
    session.add(token)
    session.flush()
    return IssuedToken(token=token, secret=secret)


def create_token_for(session: Session, *, email: str, workspace: str, name: str) -> IssuedToken:
    """CLI path: issue a token for a member by email and workspace name."""
    ws = find_workspace(session, workspace)
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFound(f"No user with email {email!r}.")
    member = actor_for(session, user.id, ws.id)
    if member is None or member.workspace_id != ws.id:
        raise NotFound(f"{email} is not a member of {workspace!r}.")
    operator = Actor(user_id=None, workspace_id=ws.id, role="owner")
    return create_token(session, operator, name, user_id=user.id)


def list_tokens(session: Session, actor: Actor) -> list[ApiToken]:
    actor.require("owner", "manage API tokens")
    rows = session.scalars(
        select(ApiToken)
        .where(ApiToken.workspace_id == actor.workspace_id)
        .order_by(ApiToken.created_at.desc())
    )
    return list(rows)


def revoke_token(session: Session, actor: Actor, token_id: int) -> ApiToken:
    actor.require("owner", "manage API tokens")
    token = get_scoped(session, ApiToken, actor.workspace_id, token_id, "token")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    session.flush()
    return token


def actor_for_token(session: Session, secret: str) -> Actor | None:
    """Resolve a bearer token to the acting user; None if unknown, revoked or no longer a member."""
    if not secret:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(secret)))
    if token is None or token.revoked_at is not None:
        return None
    membership = session.scalar(
        select(Membership).where(
            Membership.user_id == token.user_id, Membership.workspace_id == token.workspace_id
        )
    )
    if membership is None:
        return None
    token.last_used_at = utcnow()
    return Actor(user_id=token.user_id, workspace_id=token.workspace_id, role=membership.role)


def list_members(session: Session, actor: Actor) -> list[Membership]:
    rows = session.scalars(
        select(Membership)
        .join(User)
        .where(Membership.workspace_id == actor.workspace_id)
        .order_by(User.email)
    )
    return list(rows)


def add_member(session: Session, actor: Actor, *, email: str, password: str, role: str) -> User:
    actor.require("owner", "manage members")
    workspace = workspace_of(session, actor.workspace_id)
    return create_user(session, email=email, password=password, workspace=workspace.name, role=role)


def zone_name(workspace: Workspace) -> str:
    """The zone name the workspace's pages, API answers and commands show times in."""
    return workspace.timezone or "UTC"


def workspace_zone(session: Session, actor: Actor) -> str:
    return zone_name(workspace_of(session, actor.workspace_id))
