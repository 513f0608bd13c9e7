"""GET /api/v1/personas/{id}/best-times over stored results, and the slot finder using them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from planner.services.calendar import service as calendar_service
from planner.services.engagement import best_times_service


def test_planted_peak_is_the_first_window_in_the_personas_zone(api, buyer, plant_history):
    plant_history(buyer)

    response = api("GET", f"/personas/{buyer.id}/best-times", role="viewer")

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"persona", "timezone", "enough_data", "posts", "windows"}
    assert body["persona"] == "Buyer Bea" and body["timezone"] == "America/New_York"
    assert body["enough_data"] is True and body["posts"] == 300
    best = body["windows"][0]
    assert {k: best[k] for k in ("days", "start", "end")} == {
        "days": ["tue"],
        "start": "09:00",
        "end": "11:00",
    }
    assert 0 < best["lower"] < best["rate"] and best["posts"] >= 3


def test_twenty_posts_say_not_enough_data(api, buyer, plant_history):
    plant_history(buyer, posts=20)

    body = api("GET", f"/personas/{buyer.id}/best-times").get_json()

    assert (body["enough_data"], body["posts"], body["windows"]) == (False, 20, [])


def test_only_results_of_pieces_targeting_the_persona_count(api, acme, buyer, plant_history):
    plant_history(acme["olivia"])

    body = api("GET", f"/personas/{buyer.id}/best-times").get_json()

    assert body["posts"] == 0


def test_channel_filter_and_unknown_channel(api, buyer, plant_history, blog):
    plant_history(buyer, channel="LinkedIn")
    plant_history(buyer, posts=30, channel="blog", seed=3)

    linked = api("GET", f"/personas/{buyer.id}/best-times?channel=linkedin").get_json()
    on_blog = api("GET", f"/personas/{buyer.id}/best-times?channel=Blog").get_json()
    unknown = api("GET", f"/personas/{buyer.id}/best-times?channel=tiktok")

    assert (linked["posts"], linked["enough_data"]) == (300, True)
    assert (on_blog["posts"], on_blog["enough_data"]) == (30, False)
    assert unknown.status_code == 422
    assert unknown.get_json()["error"]["details"] == {"channel": "unknown channel"}


def test_another_workspaces_persona_is_not_found(api, globex, plant_history):
    plant_history(globex["persona"], posts=60)

    response = api("GET", f"/personas/{globex['persona'].id}/best-times")

    assert response.status_code == 404
    assert response.get_json()["error"]["code"]


def test_suggested_slot_prefers_the_best_ranked_hour_inside_the_windows(
    session, acme, buyer, plant_history
):
    # Bea reads Mon-Fri 08:00-09:00 and Tue 09:00-11:00; her results say Tuesday 09:00 is best.
    buyer.posting_windows = [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "09:00"},
        {"days": ["tue"], "start": "09:00", "end": "11:00"},
    ]
    session.commit()
    plant_history(buyer)
    ranks = best_times_service.hour_ranks(session, acme["actor"].workspace_id, [buyer.id])
    monday = datetime(2026, 12, 7, 7, 0, tzinfo=ZoneInfo("America/New_York"))

    slot = calendar_service.suggest_slot_for_new_piece(
        session,
        acme["actor"],
        channel=None,
        persona_ids=[buyer.id],
        content_type="article",
        now=monday.astimezone(UTC),
    )

    assert ranks[buyer.id][:2] == ((1, 9), (1, 10))
    local = slot.astimezone(ZoneInfo("America/New_York"))
    assert (local.strftime("%a"), local.hour) == ("Tue", 9)  # not Monday 08:00
