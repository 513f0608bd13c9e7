"""Mix advice asks only for what the plan can hold: cadence caps and channel gaps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from planner.services.mix import service as mix_service

from .fixtures import NOW  # Monday 23 November 2026, noon in London


@pytest.fixture
def capped(acme, session):
    """Olivia takes at most 5 pieces a week; 2 own pieces for her are planned this week."""
    acme["olivia"].cadence_max = 5
    session.commit()
    return acme


def test_advice_is_capped_by_the_personas_cadence(session, capped, make_piece):
    actor = capped["actor"]
    for hours in (2, 26):
        make_piece(
            actor, at=NOW + timedelta(hours=hours), channel="LinkedIn", personas=("Owner Olivia",)
        )
    result = mix_service.workspace_mix(session, actor, window_days=7, now=NOW)
    # 80% of the week needs 8 curated pieces; Olivia's cap leaves room for 3.
    assert result.advice == (
        "Schedule 3 more curated pieces by Sunday: 3 of 8 fit before Sunday, short of 80% "
        "curated; widen Owner Olivia's cadence (now 0 of 2, 0%)."
    )


def test_advice_is_capped_by_the_channels_gap(session, acme, make_piece):
    actor = acme["actor"]
    for days in (3, 4, 5, 6):  # last week: they count in the mix, not in this week's plan
        make_piece(actor, at=NOW - timedelta(days=days), channel="Blog", status="published")
    result = mix_service.workspace_mix(session, actor, window_days=30, channel="Blog", now=NOW)
    # Olivia reads Mon-Fri 08:00-17:00 and the Blog wants 4 hours between posts: from
    # Monday noon that is 12:00 and 16:00 today, then 08:00, 12:00, 16:00 each day: 14.
    assert result.advice == (
        "Schedule 14 more curated pieces by Sunday: 14 of 16 fit before Sunday, short of 80% "
        "curated; shorten Blog's minimum gap (now 0 of 4, 0%)."
    )
    # Over every channel, LinkedIn (no gap) holds them all.
    overall = mix_service.workspace_mix(session, actor, window_days=30, now=NOW)
    assert overall.advice.startswith("Schedule 16 more curated pieces by Sunday to reach 80%")


def test_the_api_and_the_dashboard_say_what_fits(client, login, capped, make_piece, make_token):
    # The API and the page read the clock: two pieces in the next minutes, this week.
    now = datetime.now(UTC)
    for minutes in (1, 2):
        make_piece(
            capped["actor"],
            at=now + timedelta(minutes=minutes),
            channel="LinkedIn",
            personas=("Owner Olivia",),
        )
    token = make_token(capped["viewer"])
    body = client.get(
        "/api/v1/mix", query_string={"window": 7}, headers={"Authorization": f"Bearer {token}"}
    ).json
    assert " of 8 fit before Sunday, short of 80% curated; " in body["advice"]
    login(capped["viewer"])
    page = client.get("/dashboard?window=7").get_data(as_text=True)
    assert body["advice"].replace("'", "&#39;") in page
