"""Everything the review page shows about one persona's period, gathered in one call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from planner.models import Persona
from planner.services.access import Actor
from planner.services.persona_reviews import leads
from planner.services.persona_reviews.due import ReviewStatus
from planner.services.persona_reviews.engagement import (
    Drift,
    EngagementEvidence,
    best_time_drift,
    engagement_evidence,
)
from planner.services.persona_reviews.keywords import KeywordEvidence, keyword_evidence

TOP_KEYWORDS = 10


@dataclass(frozen=True)
class Evidence:
    since: datetime
    until: datetime
    keywords: KeywordEvidence
    engagement: EngagementEvidence
    drift: Drift
    leads_disqualified: int | None  # None: nothing records leads

    def snapshot(self) -> dict[str, Any]:
        """The small summary kept with a review (`PersonaReview.evidence`)."""
        rate = self.engagement.persona.rate
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "pieces_read": self.keywords.pieces_read,
            "items_read": self.keywords.items_read,
            "dead_keywords": self.keywords.dead,
            "top_keywords": [
                {"term": c.term, "matches": c.matches, "pieces": c.pieces, "items": c.items}
                for c in self.keywords.matched[:TOP_KEYWORDS]
            ],
            "flagged_pieces": self.keywords.flagged_total,
            "engagement": {
                "posts": self.engagement.persona.posts,
                "impressions": self.engagement.persona.impressions,
                "engagements": self.engagement.persona.engagements,
                "rate": round(rate, 6) if rate is not None else None,
            },
            "best_times_drifted": self.drift.drifted if self.drift.enough_data else None,
            "leads_disqualified": self.leads_disqualified,
        }


def gather_evidence(
    session: Session, actor: Actor, persona: Persona, status: ReviewStatus
) -> Evidence:
    """The evidence from the start of the persona's review period to `status.now`."""
    since, until = status.since, status.now
    return Evidence(
        since=since,
        until=until,
        keywords=keyword_evidence(session, persona, since, until),
        engagement=engagement_evidence(session, persona, since, until),
        drift=best_time_drift(session, actor, persona),
        leads_disqualified=leads.disqualified_leads(
            session, persona.workspace_id, persona.id, since, until
        ),
    )
