"""GET /api/v1/mix: the contract's shape, defaults, filters and 422s that name the argument."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

KEYS = {
    "window_days",
    "curated",
    "own",
    "curated_share",
    "target",
    "tolerance",
    "status",
    "advice",
}


@pytest.fixture
def token(acme, make_token):
    return make_token(acme["viewer"])  # reading the mix needs no more than a viewer


def get(client, token, **params):
    return client.get(
        "/api/v1/mix", query_string=params, headers={"Authorization": f"Bearer {token}"}
    )


def soon(hours: float) -> datetime:
    return datetime.now(UTC) + timedelta(hours=hours)


def test_the_mix_has_the_documented_shape_and_defaults(client, token):
    response = get(client, token)
    assert response.status_code == 200
    body = response.json
    assert set(body) == KEYS
    assert body["window_days"] == 30
    assert (body["target"], body["tolerance"]) == (0.8, 0.05)
    assert (body["curated"], body["own"], body["curated_share"]) == (0, 0, None)
    assert body["status"] == "no_content"


def test_counts_filters_and_windows(client, token, acme, make_piece):
    actor = acme["actor"]
    make_piece(actor, at=soon(-24 * 10), origin="own", status="published", channel="Blog")
    make_piece(actor, at=soon(-2), origin="curated", status="published", channel="LinkedIn")
    make_piece(actor, at=soon(-3), origin="curated", status="published", personas=("Owner Olivia",))
    body = get(client, token, window=30).json
    assert (body["curated"], body["own"], body["curated_share"]) == (2, 1, 0.6667)
    assert body["status"] == "too_much_own" and body["advice"].startswith("Schedule 2 more")
    week = get(client, token, window="7").json
    assert (week["window_days"], week["curated"], week["own"]) == (7, 2, 0)
    assert get(client, token, window=90, channel="blog").json["own"] == 1
    olivia = get(client, token, persona="Owner Olivia").json
    assert (olivia["curated"], olivia["own"]) == (1, 0)
    by_id = get(client, token, persona=str(acme["olivia"].id)).json
    assert by_id == olivia
    assert get(client, token, channel="", persona="").json["curated"] == 2  # empty: no filter


@pytest.mark.parametrize("window", ["14", "0", "abc", "30.0", "-7"])
def test_a_bad_window_is_a_422_naming_window(client, token, window):
    response = get(client, token, window=window)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid" and "window" in error["details"]
    assert "7, 30 or 90" in error["message"]


def test_unknown_channel_or_persona_is_a_422(client, token, globex):
    response = get(client, token, channel="globex-blog")  # another workspace's channel
    assert response.status_code == 422
    assert "channel" in response.json["error"]["details"]
    response = get(client, token, persona="Globex Buyer")
    assert response.status_code == 422
    assert "persona" in response.json["error"]["details"]


def test_without_a_token_it_is_a_json_401(client, acme):
    response = client.get("/api/v1/mix")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_the_openapi_document_describes_mix_and_curation(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "/mix" in paths and "window" in str(paths["/mix"])
    assert "/items/{id}/curate" in paths and "/items/{id}/dismiss" in paths
