"""All models, imported here so Alembic and the app see one metadata."""

from planner.models.base import Base, utcnow
from planner.models.calendar_subscription import CalendarSubscription
from planner.models.channel import CHANNEL_KINDS, Channel
from planner.models.comment import PieceComment
from planner.models.engagement import ENGAGEMENT_FIELDS, EngagementRow, EngagementSource
from planner.models.feed import Feed, FeedItem, feed_persona
from planner.models.lead import LeadMapping, ScreenedLead
from planner.models.persona import PERSONA_KINDS, Persona, PersonaKeyword
from planner.models.persona_review import PersonaReview
from planner.models.piece import (
    PIECE_FORMATS,
    PIECE_ORIGINS,
    PIECE_STATUSES,
    VERDICTS,
    FindingDismissal,
    Piece,
    PieceAudit,
    PieceEvent,
    piece_persona,
)
from planner.models.workspace import ROLES, ApiToken, Invitation, Membership, User, Workspace

__all__ = [
    "CHANNEL_KINDS",
    "ENGAGEMENT_FIELDS",
    "PERSONA_KINDS",
    "PIECE_FORMATS",
    "PIECE_ORIGINS",
    "PIECE_STATUSES",
    "ROLES",
    "VERDICTS",
    "ApiToken",
    "Base",
    "CalendarSubscription",
    "Channel",
    "EngagementRow",
    "EngagementSource",
    "Feed",
    "FeedItem",
    "FindingDismissal",
    "Invitation",
    "LeadMapping",
    "Membership",
    "Persona",
    "PersonaKeyword",
    "PersonaReview",
    "Piece",
    "PieceAudit",
    "PieceComment",
    "PieceEvent",
    "ScreenedLead",
    "User",
    "Workspace",
    "feed_persona",
    "piece_persona",
    "utcnow",
]
