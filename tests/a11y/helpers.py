"""Helpers for the accessibility and phone tests: demo data, sign-in, running axe-core."""

from __future__ import annotations

import sqlalchemy as sa

from planner.models import FeedItem, Persona, Piece, User
from planner.services import demo
from planner.services.accounts_passwords import hash_password
from tests.helpers import PASSWORD

AXE_URL = "/static/vendor/axe.min.js"
# WCAG 2.0, 2.1 and 2.2 A and AA; "best-practice" rules are advice, not the standard.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def load_demo_owner(session) -> dict[str, int]:
    """The demo workspace (badges, findings, highlighted drafts, feed items) with a known
    password for its owner; returns ids the page list needs."""
    demo.load_demo(session)
    user = session.scalar(sa.select(User).where(User.email == demo.DEMO_EMAIL))
    user.password_hash = hash_password(PASSWORD)
    session.commit()
    blocked = session.scalar(
        sa.select(Piece.id).where(Piece.verdict == "block").order_by(Piece.id).limit(1)
    )
    return {
        "piece": blocked or session.scalar(sa.select(Piece.id).limit(1)),
        "persona": session.scalar(sa.select(Persona.id).order_by(Persona.id).limit(1)),
        "item": session.scalar(sa.select(FeedItem.id).order_by(FeedItem.id).limit(1)),
        "feed": session.scalar(sa.select(FeedItem.feed_id).limit(1)),
    }


# A theme changes colours only: the second theme's pass runs the rules about colour.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
# Two "best-practice" rules the issue names (an empty table header, skipped heading levels).
EXTRA_RULES = ["empty-table-header", "heading-order"]


def run_axe(page, colour_only: bool = False) -> list[dict]:
    """axe-core's WCAG A/AA violations on the page as it is now (loaded from our vendor copy,
    which the Content-Security-Policy allows)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    only = (
        {"type": "rule", "values": COLOUR_RULES}
        if colour_only
        else {"type": "tag", "values": AXE_TAGS}
    )
    extra = {} if colour_only else {rule: {"enabled": True} for rule in EXTRA_RULES}
    return page.evaluate(
        """async ([only, extra]) => {
            const result = await axe.run(document, {runOnly: only, rules: extra});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
            }));
        }""",
        [only, extra],
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({len(v['nodes'])}): {v['help']}")
        for node in v["nodes"][:3]:
            lines.append(f"    {node['target']}: {node['summary'].splitlines()[-1].strip()}")
    return "\n".join(lines)
