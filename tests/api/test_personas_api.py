"""The persona API: token auth, JSON errors, tenant isolation, roles, OpenAPI."""

import re

import pytest

from tests.helpers import persona_doc


@pytest.fixture
def api(client):
    def call(method, url, token=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return client.open(url, method=method, headers=headers, **kwargs)

    return call


@pytest.fixture
def editor_token(make_user, make_token, make_persona, actor_for):
    owner = make_user("owner@example.com", "Acme", "owner")
    editor = make_user("ed@example.com", "Acme", "editor")
    return make_token(editor), owner


def test_requests_without_a_valid_token_get_json_401(api):
    for token in (None, "pp_wrong"):
        response = api("GET", "/api/v1/personas", token)
        assert response.status_code == 401
        assert response.json["error"]["code"] == "unauthorized"


def test_create_read_patch_delete(api, editor_token):
    token, _ = editor_token
    created = api("POST", "/api/v1/personas", token, json=persona_doc())
    assert created.status_code == 201, created.json
    body = created.json
    assert body["version"] == 1 and body["keywords"][0]["term"] == "on-premise"
    assert body["posting_windows"] == [{"days": ["mon", "tue"], "start": "08:00", "end": "10:30"}]
    pid = body["id"]
    assert api("GET", f"/api/v1/personas/{pid}", token).json["name"] == body["name"]
    renamed = api("PATCH", f"/api/v1/personas/{pid}", token, json={"summary": "changed"})
    assert renamed.json["summary"] == "changed" and renamed.json["version"] == 1
    rekeyed = api("PATCH", f"/api/v1/personas/{pid}", token, json={"keywords": ["RFP"]})
    assert rekeyed.json["version"] == 2
    listed = api("GET", "/api/v1/personas", token).json["personas"]
    assert [p["id"] for p in listed] == [pid]
    deleted = api("DELETE", f"/api/v1/personas/{pid}", token)
    assert deleted.json == {"id": pid, "outcome": "deleted"}
    assert api("GET", f"/api/v1/personas/{pid}", token).status_code == 404


def test_validation_errors_name_the_field(api, editor_token):
    token, _ = editor_token
    doc = persona_doc(timezone="Nowhere/Town", keywords=[{"term": ""}, {"term": "x", "weight": 0}])
    response = api("POST", "/api/v1/personas", token, json=doc)
    assert response.status_code == 422
    details = response.json["error"]["details"]
    assert "timezone" in details and "keywords[0].term" in details
    assert "keywords[1].weight" in details


def test_malformed_bodies_are_json_400(api, editor_token):
    token, _ = editor_token
    not_json = api("POST", "/api/v1/personas", token, data="{nope", content_type="application/json")
    assert not_json.status_code == 400 and not_json.json["error"]["code"] == "bad_request"
    a_list = api("POST", "/api/v1/personas", token, json=[1, 2])
    assert a_list.status_code == 400


def test_duplicate_name_is_409(api, editor_token):
    token, _ = editor_token
    assert api("POST", "/api/v1/personas", token, json=persona_doc()).status_code == 201
    again = api("POST", "/api/v1/personas", token, json=persona_doc())
    assert again.status_code == 409 and again.json["error"]["details"] == {"name": "already taken"}


def test_viewer_token_cannot_write(api, make_user, make_token):
    make_user("owner@example.com", "Acme", "owner")
    viewer = make_user("v@example.com", "Acme", "viewer")
    token = make_token(viewer)
    assert api("GET", "/api/v1/personas", token).status_code == 200
    response = api("POST", "/api/v1/personas", token, json=persona_doc())
    assert response.status_code == 403 and response.json["error"]["code"] == "forbidden"


def test_token_of_workspace_a_gets_404_for_workspace_b(
    api, make_user, make_token, make_persona, actor_for
):
    user_a = make_user("a@example.com", "Acme", "owner")
    user_b = make_user("b@example.com", "Globex", "owner")
    theirs = make_persona(actor_for(user_b, "Globex"), name="Secret Persona")
    token = make_token(user_a)
    for method in ("GET", "PATCH", "DELETE"):
        response = api(method, f"/api/v1/personas/{theirs.id}", token, json={"summary": "x"})
        assert response.status_code == 404, method
        assert response.json["error"]["code"] == "not_found"
    assert api("GET", "/api/v1/personas", token).json["personas"] == []


def test_revoked_token_stops_working(api, session, make_user, make_token, actor_for):
    from planner.services import accounts

    owner = make_user("owner@example.com", "Acme", "owner")
    token = make_token(owner)
    assert api("GET", "/api/v1/personas", token).status_code == 200
    [row] = accounts.list_tokens(session, actor_for(owner))
    assert row.last_used_at is not None and token not in (row.token_hash, row.prefix)
    accounts.revoke_token(session, actor_for(owner), row.id)
    session.commit()
    assert api("GET", "/api/v1/personas", token).status_code == 401


def test_unknown_api_route_is_json_404(api, editor_token):
    token, _ = editor_token
    response = api("GET", "/api/v1/nothing-here", token)
    assert response.status_code == 404 and response.is_json


def test_openapi_lists_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")

    def shape(path: str) -> str:
        return re.sub(r"\{[^}]*\}|<[^>]*>", "{}", path)

    documented = {
        (shape(path), method) for path, item in document["paths"].items() for method in item
    }
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi":
            continue
        path = shape(rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, f"{method} {path} missing from OpenAPI"


def test_keyword_without_letters_is_refused(api, editor_token):
    token, _ = editor_token
    response = api("POST", "/api/v1/personas", token, json=persona_doc(keywords=["!!!"]))
    assert response.status_code == 422
    assert (
        response.json["error"]["details"]["keywords[0].term"]
        == "needs at least one letter or digit"
    )
