"""All models, imported here so Alembic and the app see one metadata."""

from planner.models.base import Base, utcnow
from planner.models.persona import PERSONA_KINDS, Persona, PersonaKeyword
from planner.models.workspace import ROLES, ApiToken, Membership, User, Workspace

__all__ = [
    "PERSONA_KINDS",
    "ROLES",
    "ApiToken",
    "Base",
    "Membership",
    "Persona",
    "PersonaKeyword",
    "User",
    "Workspace",
    "utcnow",
]
