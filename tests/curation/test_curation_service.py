"""Curating feed items: a scheduled, audited curated piece; the item marked; roles; conflicts."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from planner.errors import Conflict, NotFound, PermissionDenied, ValidationError
from planner.models import FeedItem, Piece
from planner.services import channels as channel_service
from planner.services import curation
from planner.services.calendar import service as calendar_service
from planner.services.feeds import inbox as feed_inbox
from planner.services.mix import service as mix_service
from planner.services.mix.rules import end_of_week
from planner.services.pieces import audits as piece_audits
from tests.mix_app.fixtures import BLOCKING, NOW, SUGGESTED, WARNING

LONDON = ZoneInfo("Europe/London")


def in_olivias_window(moment) -> bool:
    local = moment.astimezone(LONDON)
    return local.weekday() < 5 and 8 <= local.hour < 17


def test_curating_creates_a_scheduled_audited_curated_piece(session, acme, make_items):
    actor = acme["actor"]
    (item,) = make_items(actor, [SUGGESTED], channel="LinkedIn", personas=["Owner Olivia"])
    assert item.suggested
    expected = calendar_service.suggest_slot_for_new_piece(
        session,
        actor,
        channel="LinkedIn",
        persona_ids=[acme["olivia"].id],
        content_type="article",
        now=NOW,
    )
    piece = curation.curate_item(session, actor, item.id, now=NOW)
    session.commit()

    assert piece.origin == "curated" and piece.status == "scheduled"
    assert piece.scheduled_at == expected and piece.scheduled_at >= NOW
    assert in_olivias_window(piece.scheduled_at)
    assert piece.title == "Help desk habits"
    assert (piece.format, piece.body) == ("html", item.summary_html)
    assert piece.source_url == item.link == "https://news.example/0"
    assert piece.channel.name == "LinkedIn"
    assert [p.name for p in piece.target_personas] == ["Owner Olivia"]
    audit = piece_audits.latest_audit(session, piece.id)
    assert audit is not None and audit.verdict == piece.verdict == "pass"
    session.refresh(item)
    assert (item.state, item.curated_piece_id) == ("curated", piece.id)
    assert curation.describe_outcome(piece, "Europe/London").startswith(
        "Curated “Help desk habits”: scheduled for "
    )


def test_the_curated_piece_counts_in_the_mix(session, acme, make_items, make_piece):
    actor = acme["actor"]
    make_piece(actor, at=NOW + timedelta(hours=1), origin="own")
    (item,) = make_items(actor, [SUGGESTED], personas=["Owner Olivia"])
    before = mix_service.workspace_mix(session, actor, window_days=7, now=NOW)
    curation.curate_item(session, actor, item.id, now=NOW)
    after = mix_service.workspace_mix(session, actor, window_days=7, now=NOW)
    assert (before.curated, before.own) == (0, 1)
    assert (after.curated, after.own) == (1, 1)


def test_two_items_take_two_slots_apart_on_a_channel_with_a_gap(session, acme, make_items):
    actor = acme["actor"]
    first, second = make_items(
        actor, [SUGGESTED, ("Second", "<p>More help desk notes.</p>")], channel="Blog"
    )
    a = curation.curate_item(session, actor, first.id, now=NOW)
    b = curation.curate_item(session, actor, second.id, now=NOW)
    assert a.status == b.status == "scheduled"
    assert abs(b.scheduled_at - a.scheduled_at) >= timedelta(minutes=240)  # Blog's gap


def test_given_channel_and_personas_override_the_defaults(session, acme, make_items):
    actor = acme["actor"]
    (item,) = make_items(actor, [SUGGESTED], channel="Blog")
    piece = curation.curate_item(
        session, actor, item.id, channel="linkedin", persona_ids=[], now=NOW
    )
    assert piece.channel.name == "LinkedIn" and piece.target_personas == []
    (other,) = make_items(actor, [("Other", "<p>Plain words.</p>")], channel="Blog")
    unset = curation.curate_item(
        session, actor, other.id, channel="", persona_ids=["Owner Olivia"], now=NOW
    )
    assert unset.channel is None and [p.name for p in unset.target_personas] == ["Owner Olivia"]


def test_bad_choices_are_422s_and_leave_the_item_alone(session, acme, make_items):
    actor = acme["actor"]
    (item,) = make_items(actor, [SUGGESTED])
    with pytest.raises(ValidationError) as caught:
        curation.curate_item(session, actor, item.id, channel="Myspace", now=NOW)
    assert "channel" in caught.value.details
    session.rollback()
    with pytest.raises(ValidationError) as caught:
        curation.curate_item(session, actor, item.id, persona_ids=["Nobody"], now=NOW)
    assert "target_personas" in caught.value.details
    session.rollback()
    assert feed_inbox.get_item(session, actor, item.id).state == "new"
    assert session.scalar(select(Piece.id)) is None


def test_curating_twice_is_a_conflict(session, acme, make_items):
    actor = acme["actor"]
    (item,) = make_items(actor, [SUGGESTED])
    piece = curation.curate_item(session, actor, item.id, now=NOW)
    session.commit()
    with pytest.raises(Conflict) as caught:
        curation.curate_item(session, actor, item.id, now=NOW)
    assert caught.value.details == {"curated_piece_id": piece.id}
    session.rollback()
    assert session.scalars(select(Piece)).all() == [piece]


def test_a_concurrent_second_curation_loses_the_claim(session, acme, make_items):
    """Another request curated the item after this one loaded it: the update claims nothing."""
    actor = acme["actor"]
    (item,) = make_items(actor, [SUGGESTED])
    # A Core update leaves the loaded row as it was: this request still sees a new item.
    session.execute(
        update(FeedItem.__table__).where(FeedItem.id == item.id).values(state="curated")
    )
    assert item.state == "new"
    with pytest.raises(Conflict):
        curation.curate_item(session, actor, item.id, now=NOW)
    session.rollback()
    assert session.scalar(select(Piece.id)) is None


def test_a_viewer_cannot_curate_or_dismiss(session, acme, make_items):
    (item,) = make_items(acme["actor"], [SUGGESTED])
    with pytest.raises(PermissionDenied):
        curation.curate_item(session, acme["viewer_actor"], item.id, now=NOW)
    with pytest.raises(PermissionDenied):
        curation.dismiss_item(session, acme["viewer_actor"], item.id)


def test_another_workspaces_item_is_not_found(session, acme, globex, make_items):
    (theirs,) = make_items(globex["actor"], [SUGGESTED])
    with pytest.raises(NotFound):
        curation.curate_item(session, acme["actor"], theirs.id, now=NOW)
    with pytest.raises(NotFound):
        curation.dismiss_item(session, acme["actor"], theirs.id)
    with pytest.raises(NotFound):
        curation.curate_item(session, acme["actor"], "not-a-number", now=NOW)


def test_an_item_attracting_a_negative_persona_is_flagged_like_own_content(
    session, acme, make_items
):
    actor = acme["actor"]
    warn_item, block_item = make_items(actor, [WARNING, BLOCKING], personas=["Owner Olivia"])
    assert not warn_item.suggested and warn_item.verdict == "warn"

    warned = curation.curate_item(session, actor, warn_item.id, now=NOW)
    assert warned.verdict == "warn" and warned.status == "scheduled"
    audit = piece_audits.latest_audit(session, warned.id)
    pete = next(p for p in audit.result["personas"] if p["name"] == acme["pete"].name)
    assert pete["level"] == "warn" and pete["matches"][0]["term"] == "on-premise"

    blocked = curation.curate_item(session, actor, block_item.id, now=NOW)
    assert blocked.verdict == "block"
    assert (blocked.status, blocked.scheduled_at) == ("draft", None)  # the gate holds
    assert "audit blocks it" in curation.describe_outcome(blocked, "Europe/London")
    assert feed_inbox.get_item(session, actor, block_item.id).state == "curated"


def test_without_a_free_slot_the_piece_stays_a_draft(session, acme, make_items, make_piece):
    """Blog keeps pieces 30 days apart; two posts block it for the whole horizon."""
    actor = acme["actor"]
    channel_service.update_channel(session, actor, acme["blog"], {"min_gap_minutes": 30 * 24 * 60})
    make_piece(actor, at=NOW + timedelta(days=10), channel="Blog")
    make_piece(actor, at=NOW + timedelta(days=40), channel="Blog")
    (item,) = make_items(actor, [SUGGESTED], channel="Blog")
    piece = curation.curate_item(session, actor, item.id, now=NOW)
    assert (piece.status, piece.scheduled_at, piece.origin) == ("draft", None, "curated")
    assert "no free slot" in curation.describe_outcome(piece, "Europe/London")


def test_dismissing_hides_the_item_and_a_curated_one_cannot_be(session, acme, make_items):
    actor = acme["actor"]
    first, second = make_items(actor, [SUGGESTED, WARNING])
    assert curation.dismiss_item(session, actor, first.id).state == "dismissed"
    assert feed_inbox.list_items(session, actor, state="new").total == 1
    curation.curate_item(session, actor, second.id, now=NOW)
    with pytest.raises(Conflict):
        curation.dismiss_item(session, actor, second.id)


def test_a_dismissed_item_can_still_be_curated(session, acme, make_items):
    actor = acme["actor"]
    (item,) = make_items(actor, [SUGGESTED])
    curation.dismiss_item(session, actor, item.id)
    piece = curation.curate_item(session, actor, item.id, now=NOW)
    assert piece.origin == "curated" and item.state == "curated"


def test_with_room_this_week_the_curated_piece_lands_this_week(
    session, acme, make_items, make_persona
):
    """Olivia reads Mon-Fri 08-17, Mo only on Monday 09-10: their windows meet next Monday.

    It is Monday noon and this week has room in Olivia's windows, so the piece goes there,
    and the week's gauge counts it.
    """
    actor = acme["actor"]
    mo = make_persona(
        actor,
        name="Monday Mo",
        kind="buyer",
        timezone="Europe/London",
        thresholds=None,
        posting_windows=[{"days": ["mon"], "start": "09:00", "end": "10:00"}],
        keywords=[{"term": "help desk"}],
    )
    (item,) = make_items(actor, [SUGGESTED])
    before = mix_service.workspace_mix(session, actor, window_days=7, now=NOW)
    piece = curation.curate_item(
        session, actor, item.id, persona_ids=[acme["olivia"].id, mo.id], now=NOW
    )
    week_end = end_of_week(NOW, "Europe/London")
    assert piece.status == "scheduled"
    assert NOW <= piece.scheduled_at < week_end
    assert in_olivias_window(piece.scheduled_at)
    after = mix_service.workspace_mix(session, actor, window_days=7, now=NOW)
    assert after.curated == before.curated + 1
