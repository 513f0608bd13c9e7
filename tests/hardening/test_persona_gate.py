"""One validation gate for personas: what one surface refuses, all refuse, naming the field.

A negative persona with `warn: 0` or a non-finite threshold used to be saved by the web
form and the API (201) and then fail every audit of its workspace with a 500, while
`flask audit --personas` refused the same file. Stored rows from before the gate must
not take the workspace's audits down either.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from planner.models import Persona
from tests.hardening.helpers import api_call, store_unchecked_persona
from tests.helpers import persona_doc

BAD_FILE = """\
personas:
  - name: Enterprise Procurement Pete
    kind: negative
    thresholds: {{warn: {warn}, block: 5}}
    keywords: [on-premise]
"""


@pytest.fixture
def editor(make_user, actor_for, make_token):
    user = make_user("ed@example.com", "Acme", "editor")
    return user, actor_for(user, "Acme"), make_token(user)


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        ('{"warn": 0, "block": 5}', "thresholds.warn", "must be greater than 0"),
        ('{"warn": "Infinity", "block": 5}', "thresholds.warn", "must be a finite number"),
        ('{"warn": "NaN"}', "thresholds.warn", "must be a finite number"),
        ('{"warn": Infinity}', "thresholds.warn", "must be a finite number"),
        ('{"warn": 2, "block": 1e999}', "thresholds.block", "must be a finite number"),
        ('{"warn": 2, "block": 1e9}', "thresholds.block", "must be at most 1e+06"),
        ('{"warn": 6, "block": 5}', "thresholds.block", "must be at least the warn threshold"),
    ],
)
def test_api_refuses_thresholds_the_engine_cannot_use(client, session, editor, raw, field, message):
    _, _, token = editor
    body = '{"name": "Pete", "kind": "negative", "keywords": ["rfp"], "thresholds": ' + raw + "}"
    response = api_call(
        client, token, "POST", "/api/v1/personas", data=body, content_type="application/json"
    )
    assert response.status_code == 422, response.json
    assert response.json["error"]["details"][field] == message
    assert session.scalar(select(func.count(Persona.id))) == 0


@pytest.mark.parametrize(
    ("weight", "message"),
    [("NaN", "must be a finite number"), ("1e308", "must be at most 1,000"), ("0", None)],
)
def test_api_refuses_weights_out_of_range(client, editor, weight, message):
    _, _, token = editor
    doc = persona_doc(keywords=[{"term": "rfp", "weight": weight}])
    response = api_call(client, token, "POST", "/api/v1/personas", json=doc)
    assert response.status_code == 422
    details = response.json["error"]["details"]
    assert details["keywords[0].weight"] == (message or "must be greater than 0")


def test_patch_goes_through_the_same_gate(client, editor, make_persona):
    _, actor, token = editor
    pete = make_persona(actor)
    response = api_call(
        client, token, "PATCH", f"/api/v1/personas/{pete.id}", json={"thresholds": {"warn": 0}}
    )
    assert response.status_code == 422
    assert "thresholds.warn" in response.json["error"]["details"]
    audit = api_call(client, token, "POST", "/api/v1/audit", json={"text": "x", "format": "plain"})
    assert audit.status_code == 200


def test_web_form_refuses_warn_zero_next_to_the_field(client, login, session, editor):
    user, _, _ = editor
    login(user)
    response = client.post(
        "/personas/new",
        data={
            "name": "Pete",
            "kind": "negative",
            "warn": "0",
            "block": "5",
            "keywords-0-term": "rfp",
            "action": "save",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="warn-error"' in html and "must be greater than 0" in html
    assert session.scalar(select(func.count(Persona.id))) == 0


@pytest.mark.parametrize("warn", ["0", ".nan", ".inf", "-1"])
def test_import_and_audit_cli_refuse_the_same_file_with_file_and_line(
    runner, session, tmp_path, make_user, warn
):
    make_user("o@example.com", "Acme", "owner")
    path = tmp_path / "personas.yaml"
    path.write_text(BAD_FILE.format(warn=warn), encoding="utf-8")
    draft = tmp_path / "post.md"
    draft.write_text("On-premise hosting.", encoding="utf-8")
    imported = runner.invoke(args=["personas", "import", str(path), "--workspace", "Acme"])
    audited = runner.invoke(args=["audit", "--personas", str(path), str(draft)])
    for result in (imported, audited):
        assert result.exit_code == 2, result.output
        assert f"{path}:4: personas[0].thresholds.warn: must" in result.output
        assert "Traceback" not in result.output
    assert session.scalar(select(func.count(Persona.id))) == 0


def test_a_stored_bad_persona_no_longer_fails_every_audit(client, session, editor, make_persona):
    _, actor, token = editor
    make_persona(actor)  # Pete: on-premise, weight 3, warn 2 / block 5
    broken = store_unchecked_persona(session, actor.workspace_id, warn=0.0)
    text = {"text": "We need an on-premise install and synergy.", "format": "plain"}

    audit = api_call(client, token, "POST", "/api/v1/audit", json=text)
    assert audit.status_code == 200, audit.json
    assert [p["name"] for p in audit.json["personas"]] == ["Enterprise Procurement Pete"]
    piece = api_call(client, token, "POST", "/api/v1/pieces", json={"title": "T", "body": "x"})
    assert piece.status_code == 201, piece.json

    named = api_call(client, token, "POST", "/api/v1/audit", json={**text, "personas": [broken.id]})
    assert named.status_code == 422
    assert "cannot be audited until it is fixed" in named.json["error"]["details"]["personas"]
