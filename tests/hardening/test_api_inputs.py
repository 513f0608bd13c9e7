"""Input the app cannot store gets a 400/422 naming it, never a 500.

Deep JSON, lone surrogates, NUL characters, NaN/Infinity, integers beyond the key range,
out-of-range paging, years the UTC conversion overflows, and long id lists (which used
to cost quadratic time) are refused by the API's one body reader (`planner/api/body.py`),
its query readers (`planner/api/args.py`) and the audit service's id-list check.
"""

from __future__ import annotations

import time

import pytest

from planner.services.lexicons import MAX_IDS
from tests.hardening.helpers import api_call

AUDIT = "/api/v1/audit"


@pytest.fixture
def owner(app_ctx, make_user, actor_for, make_persona, make_token):
    app_ctx.config["FEED_ALLOW_PRIVATE"] = True  # feeds on 127.0.0.1; nothing is fetched
    user = make_user("owner@example.com", "Acme", "owner")
    actor = actor_for(user, "Acme")
    pete = make_persona(actor)
    yield make_token(user), pete
    app_ctx.config["FEED_ALLOW_PRIVATE"] = False


def _raw(client, token, method, url, body: str):
    return api_call(client, token, method, url, data=body, content_type="application/json")


def test_deeply_nested_json_is_a_400(client, owner):
    token, _ = owner
    for depth in (25, 100_000):
        body = '{"text": "x", "format": "plain", "personas": ' + "[" * depth + "]" * depth + "}"
        response = _raw(client, token, "POST", AUDIT, body)
        assert response.status_code in (400, 422), response.status_code
        error = response.json["error"]
        assert "nested more than 20 levels" in str(error["details"])


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ('{"text": "a\\ud800b", "format": "plain"}', "text", "no lone surrogates"),
        ('{"text": "a\\u0000b", "format": "plain"}', "text", "NUL"),
        ('{"text": "x", "format": "plain", "personas": [NaN]}', "personas[0]", "finite"),
        ('{"text": "x", "format": "plain", "\\ud800": 1}', "body", "field name"),
    ],
)
def test_unstorable_strings_and_numbers_are_a_422_naming_the_field(
    client, owner, body, field, message
):
    token, _ = owner
    response = _raw(client, token, "POST", AUDIT, body)
    assert response.status_code == 422, response.json
    assert message in response.json["error"]["details"][field]


def test_nul_and_surrogates_in_a_persona_never_reach_the_database(client, owner):
    token, _ = owner
    for name in ("Nul\\u0000Nick", "Lone\\udfffLou"):
        body = '{"name": "' + name + '", "kind": "buyer", "keywords": ["rfp"]}'
        response = _raw(client, token, "POST", "/api/v1/personas", body)
        assert response.status_code == 422
        assert "name" in response.json["error"]["details"]


@pytest.mark.parametrize(
    ("method", "url", "json"),
    [
        ("GET", "/api/v1/personas/99999999999999999999", None),
        ("GET", "/api/v1/pieces/3000000000", None),
        ("DELETE", "/api/v1/channels/3000000000", None),
        ("PATCH", "/api/v1/feeds/99999999999999999999", {"title": "x"}),
        ("POST", "/api/v1/pieces/3000000000/suggest-slot", None),
    ],
)
def test_ids_beyond_the_key_range_are_not_found(client, owner, method, url, json):
    token, _ = owner
    response = api_call(client, token, method, url, json=json)
    assert response.status_code == 404, response.json


def test_huge_integers_in_a_body_are_a_422(client, owner):
    token, _ = owner
    response = api_call(
        client, token, "POST", AUDIT, json={"text": "x", "format": "plain", "personas": [2**64]}
    )
    assert response.status_code == 422
    assert "personas[0]" in response.json["error"]["details"]
    feed = api_call(
        client,
        token,
        "POST",
        "/api/v1/feeds",
        json={"url": "http://127.0.0.1/feed", "channel": 3_000_000_000},
    )
    assert feed.status_code == 422 and "channel" in feed.json["error"]["details"]
    feed = api_call(
        client,
        token,
        "POST",
        "/api/v1/feeds",
        json={"url": "http://127.0.0.1/feed", "channel": "3000000000"},
    )
    assert feed.status_code == 422 and "channel" in feed.json["error"]["details"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("offset=99999999999999999999999", "offset"),
        ("limit=-5", "limit"),
        ("limit=1000", "limit"),
    ],
)
def test_query_arguments_out_of_range_are_a_422_naming_them(client, owner, query, field):
    token, _ = owner
    feed = api_call(client, token, "POST", "/api/v1/feeds", json={"url": "http://127.0.0.1:9/feed"})
    assert feed.status_code == 201, feed.json
    url = f"/api/v1/feeds/{feed.json['id']}/items?{query}"
    response = api_call(client, token, "GET", url)
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["details"]


@pytest.mark.parametrize(
    ("query", "field"), [("limit=%C2%B2", "limit"), ("offset=%C2%B9", "offset")]
)
def test_piece_paging_with_digits_int_cannot_read_is_a_422(client, owner, query, field):
    token, _ = owner
    response = api_call(client, token, "GET", f"/api/v1/pieces?{query}")
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["details"]


@pytest.mark.parametrize("query", ["channel=%00", "persona=a%00b", "window=%C2%B2"])
def test_mix_query_arguments_that_cannot_be_compared_are_a_422(client, owner, query):
    token, _ = owner
    response = api_call(client, token, "GET", f"/api/v1/mix?{query}")
    assert response.status_code == 422, response.json
    assert query.split("=")[0] in response.json["error"]["details"]


def test_id_lists_are_capped_and_cost_linear_time(client, owner):
    token, pete = owner
    text = {"text": "On-premise.", "format": "plain"}
    full = api_call(client, token, "POST", AUDIT, json={**text, "personas": [pete.id] * MAX_IDS})
    assert full.status_code == 200, full.json
    assert [p["id"] for p in full.json["personas"]] == [pete.id]
    for field in ("personas", "target_personas"):
        over = api_call(client, token, "POST", AUDIT, json={**text, field: [pete.id] * 180_000})
        assert over.status_code == 422
        assert over.json["error"]["details"][field] == f"at most {MAX_IDS:,} items"
    started = time.perf_counter()
    ids = list(range(1, MAX_IDS + 1))
    unknown = api_call(client, token, "POST", AUDIT, json={**text, "personas": ids})
    assert unknown.status_code == 422 and time.perf_counter() - started < 2


def test_id_lists_of_feeds_and_pieces_are_capped_too(client, owner):
    token, pete = owner
    feed = api_call(
        client,
        token,
        "POST",
        "/api/v1/feeds",
        json={"url": "http://127.0.0.1:9/feed", "personas": [pete.id] * (MAX_IDS + 1)},
    )
    assert feed.status_code == 422 and "personas" in feed.json["error"]["details"]
    piece = api_call(
        client,
        token,
        "POST",
        "/api/v1/pieces",
        json={"title": "T", "body": "x", "target_personas": [pete.name] * (MAX_IDS + 1)},
    )
    assert piece.status_code == 422 and "target_personas" in piece.json["error"]["details"]


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:00-05:00"])
def test_times_at_the_ends_of_the_calendar_are_a_422(client, owner, moment):
    token, _ = owner
    response = api_call(
        client,
        token,
        "POST",
        "/api/v1/pieces",
        json={"title": "T", "body": "x", "status": "scheduled", "scheduled_at": moment},
    )
    assert response.status_code == 422, response.json
    assert "scheduled_at" in response.json["error"]["details"]


@pytest.mark.parametrize(
    "query", ["from=0001-01-01&to=0001-01-02", "from=9999-12-30&to=9999-12-31", "from=%00"]
)
def test_calendar_ranges_at_the_ends_of_the_calendar_are_a_422(client, owner, query):
    token, _ = owner
    response = api_call(client, token, "GET", f"/api/v1/calendar?{query}")
    assert response.status_code == 422, response.json


@pytest.mark.parametrize(
    "query", ["from=0001-01-01", "to=9999-12-31", "from=0001-01-01T00:00:00%2B01:00"]
)
def test_piece_list_filters_at_the_ends_of_the_calendar_are_a_422(client, owner, query):
    token, _ = owner
    response = api_call(client, token, "GET", f"/api/v1/pieces?{query}")
    assert response.status_code == 422, response.json
    assert query.split("=")[0] in response.json["error"]["details"]


def test_form_values_and_page_queries_with_nul_are_a_422_naming_them(client, login, owner):
    login("owner@example.com")
    form = {"name": "News\x00letter", "kind": "newsletter", "min_gap_minutes": "0"}
    response = client.post("/channels/", data=form)
    assert response.status_code == 422
    assert "name" in response.get_data(as_text=True)
    page = client.get("/pieces/?status=%00")
    assert page.status_code == 422
