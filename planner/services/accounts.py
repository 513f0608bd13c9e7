"""Users, workspaces, memberships, API tokens and the sessions a sign-in opens.

Removing members and invitations live in `accounts_members` and `accounts_invitations`;
the password policy and hashing in `accounts_passwords`.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from planner.errors import NotFound, ValidationError
from planner.models import ROLES, ApiToken, Membership, User, Workspace, utcnow
from planner.services.access import VERIFIED_TOKENS, Actor, get_scoped
from planner.services.accounts_passwords import hash_password, password_problem, verify_password

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
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
    """Operator path (`flask users create`, the demo): create the user, or give an existing
    one a role, in the workspace. People join through invitations on the web and the API.
    """
    email = normalise_email(email)
    errors = {}
    if not EMAIL_RE.match(email):
        errors["email"] = "Enter a valid email address."
    if role not in ROLES:
        errors["role"] = f"Role must be one of {', '.join(ROLES)}."
    user = session.scalar(select(User).where(User.email == email))
    if user is None and (problem := password_problem(password, email)):
        errors["password"] = problem
    if errors:
        raise ValidationError("The user could not be created.", errors)
    ws = get_or_create_workspace(session, workspace)
    if user is None:
        user = new_user(session, email=email, password=password)
    membership = session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.workspace_id == ws.id)
    )
    if membership is None:
        session.add(Membership(user_id=user.id, workspace_id=ws.id, role=role))
    else:
        membership.role = role
    session.flush()
    return user


def new_user(session: Session, *, email: str, password: str) -> User:
    """Add an account whose email and password the caller has already checked."""
    user = User(email=normalise_email(email), password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def user_by_email(session: Session, email: str) -> User | None:
    # Annotated: `User` has an untyped base (flask_login's UserMixin), so SQLAlchemy's
    # overloads cannot type the row.
    user: User | None = session.scalar(select(User).where(User.email == normalise_email(email)))
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user if the password matches; an unknown email costs the same hash work."""
    user = user_by_email(session, email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    return user


def change_password(session: Session, user: User, *, current: str, new: str) -> None:
    """Set a new password (policy checked) and end every session the user has open."""
    errors = {}
    if not verify_password(user.password_hash, current):
        errors["current_password"] = "That is not your current password."
    if problem := password_problem(new, user.email):
        errors["new_password"] = problem
    if errors:
        raise ValidationError("The password was not changed.", errors)
    set_password(session, user, new)


def set_password(session: Session, user: User, password: str) -> None:
    """Operator path (`flask users set-password`): policy checked, sessions ended."""
    if problem := password_problem(password, user.email):
        raise ValidationError("The password was not changed.", {"password": problem})
    user.password_hash = hash_password(password)
    end_sessions(session, user.id)


THEMES = ("system", "light", "dark")


def set_theme(session: Session, user_id: int, theme: str) -> None:
    """Store the user's colour theme; "system" follows the browser's prefers-color-scheme."""
    if theme not in THEMES:
        raise ValidationError(
            "The theme was not changed.", {"theme": f"must be one of {', '.join(THEMES)}"}
        )
    session.execute(update(User).where(User.id == user_id).values(theme=theme))


def end_sessions(session: Session, user_id: int) -> None:
    """Bump the user's session generation: every session and remember cookie stops working."""
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_generation=User.session_generation + 1)
        .execution_options(synchronize_session="fetch")
    )
    session.flush()


def session_user(session: Session, session_id: str) -> User | None:
    """The user a session or remember cookie names (`"id:generation"`, `User.get_id`), if
    that generation is still current; an older one was signed out or revoked.
    """
    user_id, _, generation = (session_id or "").partition(":")
    if not (user_id.isdecimal() and generation.isdecimal()):
        return None
    user: User | None = session.get(User, int(user_id))
    if user is None or user.session_generation != int(generation):
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
    token_hash, now = _hash_token(secret), utcnow()
    # Verified by this process in the last few seconds (`access.TokenActors`): no query.
    cached = VERIFIED_TOKENS.get(token_hash)
    if cached is not None and not _touch_due(cached.last_used_at, now):
        return cached.actor
    generation = VERIFIED_TOKENS.generation
    # One query, plain rows: every API call runs it, and two ORM loads cost a third of
    # the CPU of a small audit. No row when the token is unknown or its owner left.
    row = session.execute(_TOKEN_QUERY, {"token_hash": token_hash}).first()
    if row is None or row.revoked_at is not None or row.created_at < row.member_since:
        return None
    # Written at most once a minute: a write per call failed every read on a read-only
    # database and doubled the API's CPU per call. The caller commits it, best effort.
    last = row.last_used_at
    if _touch_due(last, now):
        token = session.get(ApiToken, row.id)
        if token is not None:
            token.last_used_at = last = now
    actor = Actor(user_id=row.user_id, workspace_id=row.workspace_id, role=row.role)
    VERIFIED_TOKENS.put(token_hash, actor, row.id, last, generation)
    return actor


def _touch_due(last_used_at: datetime | None, now: datetime) -> bool:
    return last_used_at is None or (now - last_used_at).total_seconds() >= TOKEN_TOUCH_SECONDS


_TOKEN_QUERY = (
    select(
        ApiToken.id,
        ApiToken.user_id,
        ApiToken.workspace_id,
        ApiToken.created_at,
        ApiToken.last_used_at,
        ApiToken.revoked_at,
        Membership.role,
        Membership.created_at.label("member_since"),
    )
    .join(
        Membership,
        (Membership.user_id == ApiToken.user_id)
        & (Membership.workspace_id == ApiToken.workspace_id),
    )
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


TOKEN_TOUCH_SECONDS = 60


def zone_name(workspace: Workspace) -> str:
    """The zone name the workspace's pages, API answers and commands show times in."""
    return workspace.timezone or "UTC"


def workspace_zone(session: Session, actor: Actor) -> str:
    return zone_name(workspace_of(session, actor.workspace_id))
