"""A keyword's own forms: `forms:` adds what the rules miss, `not:` takes out what they get
wrong, and the persona editor shows what a keyword will match before it is saved."""

from __future__ import annotations

import pytest

from planner.errors import ValidationError
from planner.services import audit
from planner.services.personas import service as persona_service
from planner.services.personas.file import dump_persona_yaml
from planner.services.personas.schema import validate_persona
from tests.helpers import persona_doc


@pytest.fixture
def editor(make_user, actor_for):
    user = make_user("ed@example.com", "Acme", "editor")
    return user, actor_for(user, "Acme")


def _terms(result) -> list[str]:
    return [m.text for p in result.personas for m in sorted(p.matches, key=lambda m: m.start)]


def test_forms_and_not_are_kept_and_written_back(session, editor, make_persona):
    _, actor = editor
    persona = make_persona(
        actor,
        keywords=[
            {"term": "on-premise", "forms": ["on-prem", "onprem"]},
            {"term": "cloud", "not": ["clouds"]},
        ],
    )
    doc = persona_service.spec_of(persona).to_document()
    assert doc["keywords"][0]["forms"] == ["on-prem", "onprem"]
    assert doc["keywords"][1]["not"] == ["clouds"]
    assert "forms:" in dump_persona_yaml([persona_service.spec_of(persona)])


def test_an_extra_form_matches_and_an_excluded_one_does_not(session, editor, make_persona):
    _, actor = editor
    make_persona(
        actor,
        keywords=[
            {"term": "on-premise", "forms": ["on-prem"]},
            {"term": "cloud", "not": ["clouds"]},
        ],
    )
    result = audit.audit_text(session, actor, "We run on-prem. The cloud, not the clouds.")
    assert _terms(result) == ["on-prem", "cloud"]


def test_editing_forms_moves_the_persona_version(session, editor, make_persona):
    _, actor = editor
    persona = make_persona(actor, keywords=[{"term": "cloud"}])
    before = persona.version
    spec = validate_persona(persona_doc(keywords=[{"term": "cloud", "not": ["clouds"]}]))
    persona_service.update_persona(session, actor, persona, spec)
    session.commit()
    assert persona.version == before + 1


@pytest.mark.parametrize(
    ("forms", "path", "message"),
    [
        ("on-prem", "keywords[0].forms", "must be a list of words or phrases"),
        (["!!"], "keywords[0].forms[0]", "needs at least one letter or digit"),
        ([f"form{i}" for i in range(21)], "keywords[0].forms", "at most 20 forms per keyword"),
    ],
)
def test_bad_forms_are_refused_by_field(forms, path, message):
    with pytest.raises(ValidationError) as caught:
        validate_persona(persona_doc(keywords=[{"term": "on-premise", "forms": forms}]))
    assert caught.value.details[path] == message


def test_the_api_takes_forms_and_not(client, editor, make_token):
    user, _ = editor
    token = make_token(user)
    body = persona_doc(keywords=[{"term": "cloud", "forms": ["saas"], "not": ["clouds"]}])
    response = client.post(
        "/api/v1/personas", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201, response.get_json()
    keyword = response.get_json()["keywords"][0]
    assert keyword["forms"] == ["saas"] and keyword["not"] == ["clouds"]


def test_the_editor_shows_what_a_keyword_will_match(client, login, editor, make_persona):
    user, actor = editor
    persona = make_persona(actor, keywords=[{"term": "market leader"}])
    login(user)
    page = client.get(f"/personas/{persona.id}/edit").get_data(as_text=True)
    assert "market leaders" in page
    assert "marketing leader" not in page


def test_the_forms_refresh_while_typing_a_new_word(client, login, editor):
    user, _ = editor
    login(user)
    response = client.get("/personas/keyword-forms?keywords-0-term=rebrand")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "rebranded" in text and "rebranding" in text
    nothing = client.get("/personas/keyword-forms?keywords-0-term=!!").get_data(as_text=True)
    assert "Matches nothing yet" in nothing


def test_the_form_saves_forms_and_not_typed_comma_separated(client, login, editor, session):
    user, actor = editor
    login(user)
    form = {
        "name": "Cloud Carl",
        "kind": "negative",
        "timezone": "UTC",
        "keywords-0-term": "cloud",
        "keywords-0-weight": "1",
        "keywords-0-forms": "saas, hosted",
        "keywords-0-not": "clouds",
        "action": "save",
    }
    response = client.post("/personas/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    (persona,) = persona_service.list_personas(session, actor)
    keyword = persona_service.spec_of(persona).keywords[0]
    assert keyword.forms == ("saas", "hosted") and keyword.exclude == ("clouds",)
