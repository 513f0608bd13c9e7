"""The persona lead fields (company size, industries, regions) in the file, API, form and page."""

from __future__ import annotations

import pytest

from planner.services.leads.screen import Lead
from planner.services.leads.service import screener_for_workspace
from planner.services.personas import service as persona_service
from planner.services.personas.file import (
    PersonaFileError,
    dump_persona_yaml,
    parse_persona_yaml,
)
from planner.services.personas.schema import validate_persona
from tests.helpers import persona_doc

FILE = """personas:
  - name: Good
    kind: buyer
    company_size: {max: 50}
  - name: Bad
    kind: negative
    company_size:
      min: 500
      max: 10
    industries: [Banking, "!!"]
    regions: [US, EU]
"""


@pytest.mark.once
def test_file_errors_name_their_line_and_nothing_is_kept():
    with pytest.raises(PersonaFileError) as caught:
        parse_persona_yaml(FILE, "p.yaml")
    assert caught.value.lines() == [
        "p.yaml:9: personas[1].company_size.max: must be at least the minimum",
        "p.yaml:10: personas[1].industries[1]: must be a short name (up to 100 characters)",
        "p.yaml:11: personas[1].regions[1]: 'EU' is not a country we know "
        "(use a code like US or a name like Germany)",
    ]
    with pytest.raises(PersonaFileError, match="give min, max or both"):
        parse_persona_yaml("personas:\n  - {name: X, kind: buyer, company_size: {}}\n", "q")


@pytest.mark.once
def test_the_file_round_trips_the_lead_fields():
    text = FILE.replace("min: 500", "min: 5").replace(", EU]", ", Germany]").replace(', "!!"', "")
    specs = parse_persona_yaml(text)
    assert (specs[1].company_size_min, specs[1].company_size_max) == (5, 10)
    assert (specs[1].industries, specs[1].regions) == (("Banking",), ("US", "Germany"))
    dumped = dump_persona_yaml(specs)
    assert "company_size:\n    max: 50\n" in dumped
    assert parse_persona_yaml(dumped) == specs


def test_api_creates_patches_and_refuses_bad_lead_fields(client, make_user, make_token):
    token = make_token(make_user("ed@example.com", "Acme", "editor"))
    headers = {"Authorization": f"Bearer {token}"}
    doc = persona_doc(company_size={"min": 1000}, industries=["Banking"], regions=["us"])
    created = client.post("/api/v1/personas", json=doc, headers=headers)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["company_size"], body["industries"], body["regions"]) == (
        {"min": 1000}, ["Banking"], ["us"]
    )  # fmt: skip
    url = f"/api/v1/personas/{body['id']}"
    bad = client.patch(url, json={"company_size": {"min": 9, "max": 2}}, headers=headers)
    assert bad.status_code == 422
    assert bad.get_json()["error"]["details"] == {
        "company_size.max": "must be at least the minimum"
    }
    cleared = client.patch(url, json={"company_size": None, "regions": []}, headers=headers)
    assert cleared.status_code == 200
    assert "company_size" not in cleared.get_json() and "regions" not in cleared.get_json()
    assert cleared.get_json()["industries"] == ["Banking"]


def test_form_saves_lead_fields_and_shows_errors_next_to_them(client, login, make_user):
    login(make_user("ed@example.com", "Acme", "editor"))
    form = {
        "name": "Pete",
        "kind": "negative",
        "company_size_min": "5000",
        "industries": "Government, Banking",
        "regions": "US, Atlantis",
        "action": "save",
    }
    refused = client.post("/personas/new", data=form)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="regions-error"' in html and "Atlantis" in html
    assert 'value="Government, Banking"' in html and 'value="5000"' in html
    saved = client.post("/personas/new", data={**form, "regions": "US, Germany"})
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert (
        "5,000 to – employees" in page and "Government, Banking" in page and "US, Germany" in page
    )


def test_the_workspace_screener_is_cached_until_a_persona_changes(
    session, make_user, actor_for, make_persona
):
    owner = make_user("owner@example.com", "Acme", "owner")
    actor = actor_for(owner)
    pete = make_persona(actor, job_titles=["Procurement manager"], industries=["Banking"])
    other = make_user("other@example.com", "Globex", "owner")
    make_persona(actor_for(other, "Globex"), name="Globex Gina", industries=["Retail"])
    first = screener_for_workspace(session, actor.workspace_id)
    assert screener_for_workspace(session, actor.workspace_id) is first
    assert first.persona_names == ("Enterprise Procurement Pete",)
    lead = Lead(industry="Retail", job_title="Procurement Manager")
    assert [r.field for r in first.screen(lead, 1).negatives[0].reasons] == ["job_title"]
    spec = validate_persona(persona_doc(job_titles=["Procurement manager"], industries=["Retail"]))
    persona_service.update_persona(session, actor, pete, spec)
    session.commit()
    second = screener_for_workspace(session, actor.workspace_id)
    assert second is not first
    assert [r.field for r in second.screen(lead, 1).negatives[0].reasons] == [
        "job_title",
        "industry",
    ]


def test_flask_leads_screen_uses_the_workspace_personas(
    runner, make_user, actor_for, make_persona, tmp_path
):
    actor = actor_for(make_user("owner@example.com", "Acme", "owner"))
    make_persona(actor, company_size={"min": 1000}, regions=["DE"])
    path = tmp_path / "leads.csv"
    path.write_text("name,company_size,country\nAnn,2000,Germany\nBob,12,FR\n", encoding="utf-8")
    result = runner.invoke(args=["leads", "screen", str(path), "--workspace", "Acme"])
    assert result.exit_code == 0, result.output  # 2 + 1 is a review, below --fail-on
    lines = result.stdout.splitlines()
    assert lines[1].startswith("Ann,2000,Germany,review,,Enterprise Procurement Pete,")
    assert lines[2] == "Bob,12,FR,qualify,,,"
    unknown = runner.invoke(args=["leads", "screen", str(path), "--workspace", "Nope"])
    assert unknown.exit_code == 2
