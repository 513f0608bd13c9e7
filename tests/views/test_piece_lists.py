"""The drafts list and the pieces API list: audit summaries, the stale count, sorting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from planner.models import Persona
from tests.views.helpers import drafts_titles

WARNS = "Our help desk runs on-premise for a small business."


def test_api_list_sends_summaries_and_the_full_audit_on_request(api, make_piece):
    piece = make_piece(title="Install guide", body=WARNS)
    listed = api("GET", "/pieces").get_json()["pieces"]
    assert len(listed) == 1 and "audit" not in listed[0]
    summary = listed[0]["audit_summary"]
    assert summary["verdict"] == "warn" and summary["findings"]["warn"] >= 1
    pete = next(p for p in summary["personas"] if p["kind"] == "negative")
    assert pete["score"] == 3 and pete["level"] == "warn" and "matches" not in pete

    full = api("GET", "/pieces?include=audit").get_json()["pieces"][0]
    one = api("GET", f"/pieces/{piece.id}").get_json()
    assert full["audit"] == one["audit"] and full["audit"]["findings"]
    assert one["audit_summary"] == summary

    refused = api("GET", "/pieces?include=bodies")
    assert refused.status_code == 422
    assert "include" in refused.get_json()["error"]["details"]


def test_stale_count_counts_unpublished_pieces_audited_with_old_persona_versions(
    client, login, session, shop, make_piece
):
    for n in range(3):
        make_piece(title=f"Draft {n}")
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    make_piece(title="Out already", status="published", scheduled_at=past)
    login(shop["editor"])
    assert "re-audit pending" not in client.get("/pieces/").get_data(as_text=True)

    # A persona changed and its re-audit has not run yet (a queued job, say).
    session.execute(
        sa.update(Persona).where(Persona.id == shop["pete"].id).values(version=Persona.version + 1)
    )
    session.commit()
    html = client.get("/pieces/").get_data(as_text=True)
    assert "3 pieces</strong> were audited before a persona changed" in html
    assert html.count("marker-stale") == 3  # the rows agree with the count

    client.post("/pieces/reaudit")
    html = client.get("/pieces/").get_data(as_text=True)
    assert "audited before a persona changed" not in html


def test_drafts_sort_by_a_column_that_shows_its_time(client, login, shop, make_piece):
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    make_piece(title="Bravo", scheduled_at=(soon + timedelta(days=2)).isoformat())
    make_piece(title="Alpha")
    make_piece(title="Charlie", scheduled_at=soon.isoformat())
    login(shop["editor"])

    default = client.get("/pieces/").get_data(as_text=True)
    assert drafts_titles(default) == ["Charlie", "Alpha", "Bravo"]  # last changed first
    assert 'aria-sort="descending"' in default and ">Updated" in default
    assert default.count('class="piece-updated"') == 3

    by_title = client.get("/pieces/?sort=title").get_data(as_text=True)
    assert drafts_titles(by_title) == ["Alpha", "Bravo", "Charlie"]
    assert 'href="/pieces/?sort=-title"' in by_title  # clicking again reverses
    assert drafts_titles(client.get("/pieces/?sort=-title").get_data(as_text=True)) == [
        "Charlie",
        "Bravo",
        "Alpha",
    ]
    by_time = client.get("/pieces/?sort=scheduled").get_data(as_text=True)
    assert drafts_titles(by_time) == ["Charlie", "Bravo", "Alpha"]  # unscheduled last
    assert soon.strftime("%a %d %b %Y, %H:%M") in by_time

    bad = client.get("/pieces/?sort=body")
    assert bad.status_code == 422 and "Check the sort" in bad.get_data(as_text=True)
    assert drafts_titles(bad.get_data(as_text=True)) == ["Charlie", "Alpha", "Bravo"]


def test_api_sorts_and_refuses_an_unknown_sort(api, make_piece):
    for title in ("b", "c", "a"):
        make_piece(title=title)
    titles = [p["title"] for p in api("GET", "/pieces?sort=title").get_json()["pieces"]]
    assert titles == ["a", "b", "c"]
    refused = api("GET", "/pieces?sort=body")
    assert refused.status_code == 422 and "sort" in refused.get_json()["error"]["details"]
