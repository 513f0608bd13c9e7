"""The calendar API: the contract's check shape, the range view, slot suggestion, isolation."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.calendar_app.helpers import london

FINDING_KEYS = {"rule", "severity", "piece_id", "persona", "message", "suggested_slot"}


@pytest.fixture
def api(client, make_token, acme):
    tokens = {role: make_token(acme[role]) for role in ("owner", "editor", "viewer")}

    def call(method: str, path: str, role: str = "viewer", **kwargs):
        headers = {"Authorization": f"Bearer {tokens[role]}"}
        return client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    return call


def week_query(monday) -> str:
    return f"from={monday.isoformat()}&to={(monday + timedelta(days=6)).isoformat()}"


def test_check_has_exactly_the_design_shape(api, monday, make_piece, acme):
    late = make_piece(london(monday, "14:00"), title="Late post")
    pete = make_piece(
        london(monday, "08:00", 2), title="For Pete", target_personas=[acme["pete"].name]
    )
    response = api("GET", f"/calendar/check?{week_query(monday)}")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"findings"}
    assert all(set(f) == FINDING_KEYS for f in body["findings"])
    window = next(f for f in body["findings"] if f["rule"] == "posting_window")
    assert window["piece_id"] == late.id and window["severity"] == "warn"
    assert window["persona"] == "Owner Olivia"
    assert datetime.fromisoformat(window["suggested_slot"]) == london(monday, "07:00", 1)
    negative = next(f for f in body["findings"] if f["rule"] == "negative_target")
    assert (negative["piece_id"], negative["severity"]) == (pete.id, "error")


def test_calendar_lists_pieces_in_range_with_their_findings(api, monday, make_piece):
    inside = make_piece(london(monday, "07:30"), title="Inside")
    late = make_piece(london(monday, "14:00", 1), title="Late")
    make_piece(london(monday, "07:30", 7), title="Next week")
    body = api("GET", f"/calendar?{week_query(monday)}").get_json()
    assert body["timezone"] == "Europe/London"
    assert datetime.fromisoformat(body["from"]) == london(monday, "00:00")
    assert datetime.fromisoformat(body["to"]) == london(monday, "00:00", 7)
    assert [p["title"] for p in body["pieces"]] == ["Inside", "Late"]
    by_id = {p["id"]: p for p in body["pieces"]}
    assert by_id[inside.id]["findings"] == []
    assert [f["rule"] for f in by_id[late.id]["findings"]] == ["posting_window"]
    assert by_id[late.id]["target_personas"] == ["Owner Olivia"]
    assert by_id[late.id]["channel"] == "blog" and by_id[late.id]["verdict"] == "pass"
    assert {f["rule"] for f in body["findings"]} >= {"posting_window"}


@pytest.mark.parametrize(
    "query, field",
    [
        ("from=2026-13-01", "from"),
        ("from=tomorrow", "from"),
        ("from=2026-05-02&to=2026-05-01", "to"),
    ],
)
def test_bad_dates_are_clear_errors(api, query, field):
    response = api("GET", f"/calendar/check?{query}")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and field in error["details"]


def test_suggest_slot(api, monday, make_piece):
    late = make_piece(london(monday, "14:00"))
    response = api("POST", f"/pieces/{late.id}/suggest-slot")
    assert response.status_code == 200
    assert response.get_json() == {"suggested_slot": london(monday, "07:00", 1).isoformat()}


def test_other_workspaces_are_invisible(api, globex, monday):
    response = api("POST", f"/pieces/{globex['piece'].id}/suggest-slot")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert api("POST", "/pieces/nope/suggest-slot").status_code == 404
    body = api("GET", f"/calendar?{week_query(monday)}").get_json()
    assert body["pieces"] == []
    findings = api("GET", f"/calendar/check?{week_query(monday)}").get_json()["findings"]
    assert all(f["piece_id"] != globex["piece"].id for f in findings)


def test_token_is_required(client):
    response = client.get("/api/v1/calendar/check")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_openapi_describes_the_calendar(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "get" in paths["/calendar"] and "get" in paths["/calendar/check"]
    assert "post" in paths["/pieces/{id}/suggest-slot"]
