"""The demo month: four weeks of planned pieces that show every calendar rule at work.

Weeks count from the workspace-local Monday of the day the demo is loaded, so the month
is always around "now". Pieces go through the pieces service (and so are audited) and are
matched by title: loading again moves them back to their planned slots instead of adding
copies. What each one is there to show is in its `shows`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from planner.models import Piece, utcnow
from planner.services import accounts, channels
from planner.services.access import Actor, scoped
from planner.services.clock import local_monday, wall_to_utc
from planner.services.pieces import service as pieces

OLIVIA = "Owner-Operator Olivia"
SAM = "Support Lead Sam"
PETE = "Enterprise Procurement Pete"
LONDON, NEW_YORK = "Europe/London", "America/New_York"

# name, kind, minimum minutes between two posts
CHANNELS = (
    ("blog", "blog", 240),
    ("newsletter", "newsletter", 1440),
    ("linkedin", "linkedin", 120),
    ("youtube", "youtube", 1440),
)


@dataclass(frozen=True)
class DemoPiece:
    title: str
    body: str
    week: int  # 0 is the current week
    day: int  # 0 Monday .. 6 Sunday
    at: str  # wall-clock time in `zone`
    zone: str
    channel: str
    content_type: str
    personas: tuple[str, ...]
    status: str = "scheduled"
    origin: str = "own"
    shows: str = ""


PLAN = (
    DemoPiece(
        "Why your shared inbox is costing you customers",
        "Every small business starts with a shared inbox. Then a customer email slips "
        "through, two people answer the same question, and nobody knows who promised "
        "what. A help desk gives each conversation an owner and a status, so you answer "
        "customers faster without hiring.",
        0, 1, "07:30", LONDON, "blog", "article", (OLIVIA,),
    ),
    DemoPiece(
        "60-second tour: the Brightdesk mobile app",
        "Reply to customers from the school run. The mobile app puts every customer "
        "email in one dashboard, with templates for the questions you answer daily.",
        0, 3, "08:15", LONDON, "linkedin", "video", (OLIVIA,),
    ),
    DemoPiece(
        "Cutting first reply time in the busy season",
        "When orders double, response time is the first thing to slip. Three changes "
        "that kept our first reply under an hour: triage rules, canned responses for "
        "order status questions, and a knowledge base link in every auto-reply.",
        0, 2, "12:00", NEW_YORK, "blog", "article", (SAM,),
    ),
    DemoPiece(
        "Knowledge base basics for online shops",
        "Half of the tickets an online shop gets are about returns and order status. "
        "This walkthrough shows how to turn them into self-service articles.",
        0, 3, "16:30", NEW_YORK, "youtube", "video", (SAM,),
    ),
    # Week 1: Olivia gets six pieces (cadence: at most 5), five of them articles (variety).
    DemoPiece(
        "Templates that answer customers faster",
        "Ten reply templates every small team should have, from 'where is my order' to "
        "'can I change my booking'. Copy them into your help desk today.",
        1, 0, "07:15", LONDON, "blog", "article", (OLIVIA,), shows="cadence, variety",
    ),
    DemoPiece(
        "A founder's guide to customer email",
        "As a founder you are also the support team. How to keep customer email from "
        "eating your evenings, in four habits that take ten minutes a day.",
        1, 1, "07:45", LONDON, "linkedin", "article", (OLIVIA,), shows="cadence, variety",
    ),
    DemoPiece(
        "Brightdesk Monthly: simple pricing, fewer headaches",
        "This month: simple pricing for small teams, new templates, and how a "
        "12-person studio set up its help desk in minutes.",
        1, 2, "07:15", LONDON, "newsletter", "newsletter", (OLIVIA,), shows="cadence",
    ),
    DemoPiece(
        "Set up a help desk in minutes",
        "No training needed: connect your inbox, invite your small team and answer the "
        "first customer email from one dashboard before your coffee is cold.",
        1, 3, "07:30", LONDON, "blog", "article", (OLIVIA,), shows="cadence, variety",
    ),
    DemoPiece(
        "Small team, big support: three habits",
        "Small business support is a team sport. Three habits that make a small team "
        "look bigger: shared templates, clear owners, and a weekly look at what repeats.",
        1, 4, "08:00", LONDON, "linkedin", "article", (OLIVIA,), shows="cadence, variety",
    ),
    DemoPiece(
        "Sunday reading: grow your business without hiring",
        "The time-saving tools that let a founder grow your business without a support "
        "hire, and the one metric worth checking every Sunday night.",
        1, 6, "19:30", LONDON, "blog", "article", (OLIVIA,), shows="cadence, variety",
    ),
    DemoPiece(
        "CSAT in one chart",
        "Customer satisfaction by channel, week by week: the chart our support lead "
        "shares every Monday, and how to build it from your ticket data.",
        1, 1, "12:15", NEW_YORK, "linkedin", "graphic", (SAM,),
    ),
    DemoPiece(
        "Canned responses that don't sound canned",
        "A canned response should save time, not sound like a robot. Five rewrites "
        "that raised our customer satisfaction score without slowing first reply.",
        1, 3, "16:15", NEW_YORK, "blog", "article", (SAM,),
    ),
    # Week 2: a piece outside Olivia's windows, an audit warning, a LinkedIn clash.
    DemoPiece(
        "Answer customers faster from your phone",
        "Between meetings? The mobile app shows every customer email in one dashboard, "
        "so a founder can answer customers faster from anywhere.",
        2, 2, "14:00", LONDON, "blog", "article", (OLIVIA,), shows="posting_window",
    ),
    DemoPiece(
        "Spring offer for small teams",
        "Use the coupon in this email to get your first three months of Brightdesk for "
        "small teams at half price. Set up in minutes; templates included.",
        2, 1, "07:30", LONDON, "newsletter", "newsletter", (OLIVIA,), shows="verdict warn",
    ),
    DemoPiece(
        "Five CSAT questions worth asking",
        "Short surveys get answers. The five customer satisfaction questions that tell "
        "you why a ticket went well, and the one that tells you why it did not.",
        2, 1, "12:00", NEW_YORK, "linkedin", "video", (SAM,),
    ),
    DemoPiece(
        "Response time benchmarks for online shops",
        "What is a good first reply time for an online shop? Benchmarks from 400 small "
        "support teams, by season, channel and ticket type.",
        2, 1, "13:00", NEW_YORK, "linkedin", "article", (SAM,), shows="channel_clash",
    ),
    # Week 3: Sam gets one piece (cadence: at least 2), a negative target, a blocked draft.
    DemoPiece(
        "Building a knowledge base your customers use",
        "A knowledge base only cuts tickets if customers find it. How we doubled "
        "self-service in one quarter, with the search terms that mattered.",
        3, 2, "12:30", NEW_YORK, "youtube", "video", (SAM,), shows="cadence (too few)",
    ),
    DemoPiece(
        "What a help desk really costs a small business",
        "Simple pricing, honestly compared: what a help desk costs a small business per "
        "month, and the hours of customer email it saves.",
        3, 0, "07:30", LONDON, "blog", "article", (OLIVIA,),
    ),
    DemoPiece(
        "Behind the scenes: how a studio answers 200 emails a week",
        "A look inside a 12-person design studio's shared inbox, and the templates that "
        "keep every customer email answered the same day.",
        3, 3, "08:00", LONDON, "linkedin", "video", (OLIVIA,),
    ),
    DemoPiece(
        "The enterprise buyer's checklist",
        "Running a vendor assessment? Our enterprise checklist covers the security "
        "questionnaire and single sign-on questions your team will ask.",
        3, 1, "09:00", NEW_YORK, "linkedin", "article", (PETE,), status="draft",
        shows="negative_target",
    ),
    DemoPiece(
        "Answering your RFP in a week",
        "Send us your RFP and we answer within a week, including an on-premise install "
        "option for small business teams that need one.",
        3, 4, "07:30", LONDON, "blog", "article", (OLIVIA,), status="review",
        shows="verdict block",
    ),
)  # fmt: skip


def _ensure_channels(session: Session, actor: Actor) -> None:
    for name, kind, gap in CHANNELS:
        if channels.find_channel(session, actor.workspace_id, name) is None:
            channels.create_channel(
                session, actor, {"name": name, "kind": kind, "min_gap_minutes": gap}
            )


def _when(item: DemoPiece, monday: date) -> datetime:
    day = monday + timedelta(days=7 * item.week + item.day)
    wall = datetime.combine(day, time.fromisoformat(item.at))
    return wall_to_utc(ZoneInfo(item.zone), wall)


def load_demo(session: Session, actor: Actor) -> list[Piece]:
    """Create or move back the demo month's pieces (idempotent)."""
    _ensure_channels(session, actor)
    now = utcnow()
    monday = local_monday(now, ZoneInfo(accounts.workspace_zone(session, actor)))
    loaded = []
    for item in PLAN:
        when = _when(item, monday)
        status = "published" if when < now and item.status == "scheduled" else item.status
        document = {
            "title": item.title,
            "body": item.body,
            "format": "plain",
            "content_type": item.content_type,
            "origin": item.origin,
            "channel": item.channel,
            "target_personas": list(item.personas),
            "status": status,
            "scheduled_at": when,
        }
        piece = session.scalar(
            scoped(Piece, actor.workspace_id).where(Piece.title == item.title).limit(1)
        )
        if piece is None:
            piece = pieces.create_piece(session, actor, document)
        else:
            if piece.status == "published":  # history: reloading the demo resets it first
                pieces.update_piece(session, actor, piece, {"status": "draft"})
            pieces.update_piece(session, actor, piece, document)
        loaded.append(piece)
    return loaded
