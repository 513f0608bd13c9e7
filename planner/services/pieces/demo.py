"""Demo channels and a handful of drafts for the Drafts page and the editor.

The drafts show each verdict: most pass, one warns (a negative persona's word), one
blocks (a bargain hunter's promotion), in plain text, Markdown and HTML. Matched by name
and title, so loading twice changes nothing the second time.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from planner.models import Piece
from planner.services import channels
from planner.services.access import Actor, scoped
from planner.services.pieces import service as pieces

# name, kind, least minutes between two posts
CHANNELS = (
    ("blog", "blog", 240),
    ("newsletter", "newsletter", 1440),
    ("linkedin", "linkedin", 120),
    ("x", "x", 60),
    ("instagram", "instagram", 180),
    ("youtube", "youtube", 1440),
)

DRAFTS = (
    {
        "title": "Onboarding checklist for your first support hire",
        "format": "markdown",
        "content_type": "article",
        "channel": "blog",
        "target_personas": ["Support Lead Sam"],
        "body": "# Your first support hire\n\n"
        "A good first week gives your new hire a **knowledge base** to read, a set of "
        "canned response examples, and a clear target for first reply time.\n\n"
        "- Day 1: read the top 20 tickets\n"
        "- Day 2: answer order status questions\n"
        "- Day 3: review customer satisfaction scores with the support team\n",
    },
    {
        "title": "Five reply templates every small team needs",
        "format": "plain",
        "content_type": "graphic",
        "channel": "instagram",
        "target_personas": ["Owner-Operator Olivia"],
        "body": "Five templates that help a small team answer customers faster: where is "
        "my order, can I change my booking, refund received, we are on holiday, and "
        "thanks for your patience.",
    },
    {
        "title": "Announcing our enterprise plan",
        "format": "plain",
        "content_type": "article",
        "channel": "linkedin",
        "target_personas": ["Owner-Operator Olivia"],
        "body": "Brightdesk now has an enterprise plan. It is the same help desk your small "
        "business loves, with more seats and simple pricing.",
    },
    {
        "title": "Black Friday: 90% off, this weekend only",
        "format": "html",
        "content_type": "social",
        "channel": "x",
        "target_personas": [],
        "body": "<p>Our <strong>flash sale</strong> starts Friday: use the coupon "
        "<code>BF90</code> for 90% off your first year.</p>",
    },
    {
        "title": "Customer story: a 12-person studio's shared inbox",
        "format": "plain",
        "content_type": "video",
        "channel": "youtube",
        "status": "idea",
        "target_personas": ["Owner-Operator Olivia"],
        "body": "Interview the studio's founder about moving customer email out of a shared "
        "inbox and into one dashboard.",
    },
)


def load_demo(session: Session, actor: Actor) -> list[Piece]:
    """Add missing demo channels and drafts (existing ones are kept)."""
    for name, kind, gap in CHANNELS:
        if channels.find_channel(session, actor.workspace_id, name) is None:
            channels.create_channel(
                session, actor, {"name": name, "kind": kind, "min_gap_minutes": gap}
            )
    existing = set(
        session.scalars(scoped(Piece, actor.workspace_id).with_only_columns(Piece.title))
    )
    created = []
    for draft in DRAFTS:
        if draft["title"] not in existing:
            created.append(pieces.create_piece(session, actor, {"status": "draft", **draft}))
    return created
