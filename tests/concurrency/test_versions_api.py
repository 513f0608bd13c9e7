"""Optimistic locking in the API: ETags, If-Match (412), `version`/`revision` in a body (409)."""

from __future__ import annotations

from tests.concurrency.helpers import error_of
from tests.helpers import persona_doc


def _piece(api) -> dict:
    response = api("POST", "/pieces", json={"title": "Launch post", "summary": "", "body": "Hi."})
    assert response.status_code == 201, response.get_json()
    assert response.headers["ETag"] == f'"{response.get_json()["id"]}-1"'
    return response.get_json()


def test_piece_carries_a_version_and_an_etag_that_move_with_each_edit(api):
    piece = _piece(api)
    assert piece["version"] == 1
    got = api("GET", f"/pieces/{piece['id']}")
    assert got.headers["ETag"] == f'"{piece["id"]}-1"' and got.get_json()["version"] == 1

    edited = api("PATCH", f"/pieces/{piece['id']}", json={"title": "Launch day"})
    assert edited.status_code == 200
    assert edited.get_json()["version"] == 2
    assert edited.headers["ETag"] == f'"{piece["id"]}-2"'

    same = api("PATCH", f"/pieces/{piece['id']}", json={"title": "Launch day"})
    assert same.get_json()["version"] == 2  # sending a value back changes nothing


def test_stale_if_match_is_412_and_changes_nothing(api, acme):
    piece = _piece(api)
    url = f"/pieces/{piece['id']}"
    opened = api("GET", url).headers["ETag"]
    first = api(
        "PATCH", url, as_owner=True, json={"title": "Owner's title"}, headers={"If-Match": opened}
    )
    assert first.status_code == 200

    second = api("PATCH", url, json={"title": "Editor's title"}, headers={"If-Match": opened})
    assert second.status_code == 412
    error = error_of(second.get_json())
    assert error["code"] == "precondition_failed"
    assert error["details"]["version"] == 2
    assert error["details"]["changed_by"] == "owner@example.com"
    assert "owner@example.com" in error["message"]
    assert api("GET", url).get_json()["title"] == "Owner's title"

    fresh = api("GET", url).headers["ETag"]
    third = api("PATCH", url, json={"title": "Editor's title"}, headers={"If-Match": fresh})
    assert third.status_code == 200 and third.get_json()["title"] == "Editor's title"


def test_stale_version_in_the_body_is_409_and_without_either_the_last_writer_wins(api):
    piece = _piece(api)
    url = f"/pieces/{piece['id']}"
    assert api("PATCH", url, json={"title": "One", "version": 1}).status_code == 200

    stale = api("PATCH", url, json={"title": "Two", "version": 1})
    assert stale.status_code == 409
    error = error_of(stale.get_json())
    assert error["code"] == "stale" and error["details"]["version"] == 2
    assert api("GET", url).get_json()["title"] == "One"

    blind = api("PATCH", url, json={"title": "Three"})
    assert blind.status_code == 200 and blind.get_json()["title"] == "Three"
    assert blind.get_json()["version"] == 3


def test_bad_preconditions_get_clear_errors(api):
    piece = _piece(api)
    url = f"/pieces/{piece['id']}"
    bad_header = api("PATCH", url, json={"title": "x"}, headers={"If-Match": "three"})
    assert bad_header.status_code == 400
    assert "If-Match" in error_of(bad_header.get_json())["details"]

    other = api("PATCH", url, json={"title": "x"}, headers={"If-Match": f'"{piece["id"] + 1}-1"'})
    assert other.status_code == 412

    weak = api("PATCH", url, json={"title": "x"}, headers={"If-Match": f'W/"{piece["id"]}-1"'})
    assert weak.status_code == 412

    bad_body = api("PATCH", url, json={"title": "x", "version": "one"})
    assert bad_body.status_code == 422
    assert "version" in error_of(bad_body.get_json())["details"]

    anything = api("PATCH", url, json={"title": "Star"}, headers={"If-Match": "*"})
    assert anything.status_code == 200
    assert api("GET", url).get_json()["title"] == "Star"


def test_persona_revision_counts_every_change_while_version_counts_the_lexicon(api):
    created = api("POST", "/personas", json=persona_doc())
    assert created.status_code == 201
    persona = created.get_json()
    assert (persona["version"], persona["revision"]) == (1, 1)
    url = f"/personas/{persona['id']}"
    assert created.headers["ETag"] == f'"{persona["id"]}-1"'

    summary = api("PATCH", url, json={"summary": "changed"})
    assert (summary.get_json()["version"], summary.get_json()["revision"]) == (1, 2)
    assert summary.headers["ETag"] == f'"{persona["id"]}-2"'

    stale = api(
        "PATCH", url, json={"summary": "again"}, headers={"If-Match": f'"{persona["id"]}-1"'}
    )
    assert stale.status_code == 412
    assert error_of(stale.get_json())["details"]["revision"] == 2

    stale_body = api("PATCH", url, json={"summary": "again", "revision": 1})
    assert stale_body.status_code == 409
    assert error_of(stale_body.get_json())["code"] == "stale"
    assert api("GET", url).get_json()["summary"] == "changed"

    keywords = [{"term": "base"}, {"term": "on-premise", "weight": 3}]
    rekeyed = api("PATCH", url, json={"keywords": keywords, "revision": 2})
    assert rekeyed.status_code == 200, rekeyed.get_json()
    assert (rekeyed.get_json()["version"], rekeyed.get_json()["revision"]) == (2, 3)


def test_a_kept_keyword_survives_a_keyword_change(api):
    """Replacing the keywords deletes the old rows before inserting: `base` stays unique."""
    persona = api("POST", "/personas", json=persona_doc(keywords=[{"term": "base"}])).get_json()
    url = f"/personas/{persona['id']}"
    for keywords in ([{"term": "base"}, {"term": "extra"}], [{"term": "base", "weight": 2}]):
        response = api("PATCH", url, json={"keywords": keywords})
        assert response.status_code == 200, response.get_json()
    assert [k["term"] for k in api("GET", url).get_json()["keywords"]] == ["base"]


def test_openapi_documents_etags_and_412(api):
    document = api("GET", "/openapi.json").get_json()
    for path, field in (("/pieces/{id}", "version"), ("/personas/{id}", "revision")):
        patch = document["paths"][path]["patch"]
        assert field in str(patch["description"])
        assert "412" in patch["responses"]
        assert any(p["name"] == "If-Match" for p in patch["parameters"])
        assert "ETag" in patch["responses"]["200"]["headers"]
    assert document["components"]["schemas"]["Persona"]["allOf"][1]["properties"]["revision"]
