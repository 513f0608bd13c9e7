"""`POST /api/v1/audit` with a title and a summary beside the text, and fields in the body."""

import pytest


@pytest.fixture
def post(client, acme, make_token):
    user, _, _, _ = acme
    token = make_token(user)

    def call(body):
        return client.post("/api/v1/audit", headers={"Authorization": f"Bearer {token}"}, json=body)

    return call


def _pete(body: dict) -> dict:
    return next(p for p in body["personas"] if p["kind"] == "negative")


def test_a_title_and_a_summary_are_audited_with_offsets_into_them(post):
    title = "On-premise, on premise"
    summary = "Small business?\nWe answer on-premise."
    response = post(
        {"text": "A clean body.", "format": "markdown", "title": title, "summary": summary}
    )
    assert response.status_code == 200, response.json
    body = response.json
    # Pete weighs 3 per on-premise, blocks at 5: the clean body blocks for its title.
    assert body["verdict"] == "block" and body["word_count"] == 3
    matches = _pete(body)["matches"]
    assert [(m["field"], m["start"], m["end"], m["line"]) for m in matches] == [
        ("title", 0, 10, 1),
        ("title", 12, 22, 1),
        ("description", 26, 36, 2),
    ]
    for m in matches:
        assert (title if m["field"] == "title" else summary)[m["start"] : m["end"]] == m["text"]
    assert [f["field"] for f in body["findings"]] == ["title", "title", "description"]


def test_front_matter_in_the_text_is_audited_in_its_field(post):
    text = "---\ntitle: On-premise help\nlayout: on-premise\n---\nA clean body.\n"
    body = post({"text": text, "format": "markdown"}).json
    (match,) = _pete(body)["matches"]
    assert (match["field"], text[match["start"] : match["end"]]) == ("title", "On-premise")
    assert body["warnings"] == []


def test_malformed_front_matter_is_a_warning_not_an_error(post):
    body = post({"text": "---\ntitle: [x\n---\nBody.\n", "format": "markdown"}).json
    assert body["warnings"] == ["front matter is not valid YAML (line 3): read as body text"]


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"title": 12}, "title"),
        ({"title": ["On-premise"]}, "title"),
        ({"summary": {"text": "x"}}, "summary"),
        ({"summary": False}, "summary"),
    ],
)
def test_a_title_or_summary_that_is_not_a_string_is_a_422_naming_it(post, extra, field):
    response = post({"text": "x", "format": "plain", **extra})
    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert error["code"] == "invalid" and set(error["details"]) == {field}


@pytest.mark.parametrize("field", ["title", "summary"])
def test_a_title_or_summary_over_the_audit_limit_is_a_413_naming_it(post, field):
    response = post({"text": "x", "format": "plain", field: "word " * 120_000})
    assert response.status_code == 413
    error = response.json["error"]
    assert error["code"] == "too_large" and set(error["details"]) == {field}


def test_openapi_describes_title_summary_fields_and_warnings(client):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    request = schemas["AuditRequest"]["properties"]
    assert request["title"]["type"] == request["summary"]["type"] == "string"
    assert "field" in schemas["AuditMatch"]["properties"]
    assert "field" in schemas["AuditFinding"]["properties"]
    assert "warnings" in schemas["AuditResult"]["required"]
