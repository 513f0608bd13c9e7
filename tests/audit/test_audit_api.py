"""`POST /api/v1/audit`: the audit JSON to the letter, JSON errors, tenant isolation."""

import pytest

from planner.extensions import db
from planner.services import audit as audit_service

RESULT_KEYS = {"verdict", "word_count", "personas", "findings", "warnings"}
PERSONA_KEYS = {"id", "name", "kind", "score", "level", "matches"}
MATCH_KEYS = {"term", "text", "start", "end", "line", "column", "weight", "suggest"}
FINDING_KEYS = {"level", "persona", "message", "start", "end", "line", "column"}
# Fields versions 1 and 2 add to the first published shape; anything else is a contract change.
EXTRA_MATCH_KEYS = {"dismissed", "field"}
EXTRA_FINDING_KEYS = {"suggest", "field"}


@pytest.fixture
def post(client):
    def call(token, body=None, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if body is not None:
            kwargs["json"] = body
        return client.post("/api/v1/audit", headers=headers, **kwargs)

    return call


@pytest.fixture
def token(acme, make_token):
    user, _, _, _ = acme
    return make_token(user)


def test_audit_answers_the_design_shape(post, token, acme):
    _, _, pete, olivia = acme
    text = "# Hello 👋\n\nOur **on-premise** install\nanswers your request for proposals.\n"
    response = post(token, {"text": text, "format": "markdown", "target_personas": [olivia.id]})
    assert response.status_code == 200, response.json
    body = response.json
    assert set(body) == RESULT_KEYS
    assert body["verdict"] == "warn" and body["word_count"] == 9
    assert [p["id"] for p in body["personas"]] == [pete.id, olivia.id]
    for persona in body["personas"]:
        assert set(persona) == PERSONA_KEYS
    pete_json = body["personas"][0]
    assert (pete_json["name"], pete_json["kind"], pete_json["score"], pete_json["level"]) == (
        pete.name,
        "negative",
        4.0,
        "warn",
    )
    for match in pete_json["matches"]:
        assert MATCH_KEYS <= set(match) <= MATCH_KEYS | EXTRA_MATCH_KEYS
        # Code-point offsets into the source as sent: the emoji counts as one.
        assert text[match["start"] : match["end"]] == match["text"]
    first, second = pete_json["matches"]
    assert (first["term"], first["text"], first["line"], first["column"]) == (
        "on-premise",
        "on-premise",
        3,
        7,
    )
    assert (first["weight"], first["suggest"]) == (3.0, "hosted for you")
    assert (second["text"], second["line"]) == ("request for proposals", 4)
    levels = []
    for finding in body["findings"]:
        assert FINDING_KEYS <= set(finding) <= FINDING_KEYS | EXTRA_FINDING_KEYS
        levels.append((finding["level"], finding["persona"], finding["line"]))
    assert levels == [("warn", olivia.name, None), ("warn", pete.name, 3), ("warn", pete.name, 4)]


def test_the_answer_is_the_results_to_dict_byte_for_byte(app, post, token, acme):
    """The API writes the result's dataclasses as they are (`nlp.results`); `to_dict()`, what
    pieces store and the CLI prints, must say exactly the same, in the same order."""
    _, actor, _, olivia = acme
    text = "Our **on-premise** install\n\n![An on-premise rack](rack.png)\n"
    fields = {"title": "On-premise, at last", "summary": "Answers a request for proposal"}
    response = post(
        token, {"text": text, "format": "markdown", **fields, "target_personas": [olivia.id]}
    )
    assert response.status_code == 200, response.json
    result = audit_service.audit_text(
        db.session, actor, text, "markdown", target_ids=[olivia.id], **fields
    )
    assert response.get_data() == app.json.response(result.to_dict()).get_data()
    body = response.json
    assert list(body) == ["verdict", "word_count", "personas", "findings", "warnings"]
    assert {m["field"] for m in body["personas"][0]["matches"]} == {
        "body",
        "alt",
        "title",
        "description",
    }
    assert body["findings"][0]["line"] is None  # Olivia, never spoken to


def test_personas_narrow_the_audit(post, token, acme):
    _, _, pete, olivia = acme
    body = post(token, {"text": "on-premise", "format": "plain", "personas": [olivia.id]}).json
    assert [p["id"] for p in body["personas"]] == [olivia.id] and body["verdict"] == "pass"


def test_a_token_is_required(post, acme):
    for token in (None, "pp_not-a-token"):
        response = post(token, {"text": "x", "format": "plain"})
        assert response.status_code == 401
        assert response.json["error"]["code"] == "unauthorized"


def test_a_body_over_2_mib_is_a_json_413(post, token):
    body = b'{"text": "' + b"a" * (2 * 1024 * 1024) + b'", "format": "plain"}'
    response = post(token, data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.is_json and response.json["error"]["code"] == "too_large"


def test_a_text_over_the_audit_limit_is_a_json_413(post, token):
    response = post(token, {"text": "word " * 120_000, "format": "plain"})
    assert response.status_code == 413
    error = response.json["error"]
    assert error["code"] == "too_large" and "500,000" in error["message"]


@pytest.mark.parametrize(
    "data, content_type",
    [
        ("text=hello", "application/x-www-form-urlencoded"),
        ('{"text": "unclosed', "application/json"),
        ('["text", "format"]', "application/json"),
        ('"just a string"', "application/json"),
    ],
)
def test_malformed_bodies_are_json_400(post, token, data, content_type):
    response = post(token, data=data, content_type=content_type)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"format": "plain"}, "text"),
        ({"text": 12, "format": "plain"}, "text"),
        ({"text": ["a"], "format": "plain"}, "text"),
        ({"text": "x"}, "format"),
        ({"text": "x", "format": "docx"}, "format"),
        ({"text": "x", "format": "plain", "personas": 3}, "personas"),
        ({"text": "x", "format": "plain", "personas": "3"}, "personas"),
        ({"text": "x", "format": "plain", "personas": ["3"]}, "personas"),
        ({"text": "x", "format": "plain", "personas": [1.5]}, "personas"),
        ({"text": "x", "format": "plain", "personas": [True]}, "personas"),
        ({"text": "x", "format": "plain", "personas": [987654]}, "personas"),
        ({"text": "x", "format": "plain", "target_personas": [987654]}, "target_personas"),
        ({"text": "x", "format": "plain", "target_personas": {"id": 1}}, "target_personas"),
    ],
)
def test_invalid_fields_are_422_naming_the_field(post, token, body, field):
    response = post(token, body)
    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert error["code"] == "invalid" and field in error["details"], error


def test_a_token_of_workspace_a_cannot_use_personas_of_workspace_b(post, token, acme, globex):
    _, _, secret = globex
    text = "synergy synergy synergy"
    for key in ("personas", "target_personas"):
        response = post(token, {"text": text, "format": "plain", key: [secret.id]})
        assert response.status_code == 422
        # Worded like an id that does not exist at all, so nothing leaks about workspace B.
        assert response.json["error"]["details"] == {
            key: f"no active persona with id {secret.id} in this workspace"
        }
    body = post(token, {"text": text, "format": "plain"}).json
    assert "Globex Secret" not in [p["name"] for p in body["personas"]]
    assert body["verdict"] == "pass"


def test_a_viewer_token_may_audit(post, acme, make_user, make_token):
    viewer = make_user("vi@example.com", "Acme", "viewer")
    response = post(make_token(viewer), {"text": "on-premise on premise", "format": "plain"})
    assert response.status_code == 200 and response.json["verdict"] == "block"


def test_openapi_describes_the_audit(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/audit"]["post"]
    assert set(operation["responses"]) >= {"200", "400", "401", "413", "422"}
    schemas = document["components"]["schemas"]
    assert schemas["AuditRequest"]["required"] == ["text", "format"]
    assert set(schemas["AuditResult"]["properties"]) == RESULT_KEYS
