"""`review_every_days` in the persona file, the form and the API: 1 to 3650, default 90."""

from __future__ import annotations

import pytest

from planner.services.personas import service as persona_service
from planner.services.personas.file import (
    PersonaFileError,
    dump_persona_yaml,
    parse_persona_yaml,
)

FILE = """\
personas:
  - name: Quarterly Quinn
    kind: buyer
    review_every_days: 30
    keywords: [small business]
  - name: Default Dana
    kind: buyer
    keywords: [help desk]
"""


def test_yaml_round_trip_keeps_the_interval_and_leaves_the_default_out(session, acme):
    specs = parse_persona_yaml(FILE, "personas.yaml")
    assert [s.review_every_days for s in specs] == [30, 90]
    persona_service.import_specs(session, acme["actor"], specs)
    session.commit()

    exported = dump_persona_yaml(persona_service.export_specs(session, acme["actor"]))
    assert "review_every_days: 30" in exported
    assert exported.count("review_every_days") == 1  # 90 is the default: not written
    again = {s.name: s for s in parse_persona_yaml(exported, "again.yaml")}
    assert again["Quarterly Quinn"].review_every_days == 30
    assert again["Default Dana"].review_every_days == 90
    summary = persona_service.import_specs(session, acme["actor"], list(again.values()))
    assert "Quarterly Quinn" in summary.unchanged


@pytest.mark.parametrize(
    ("value", "message"),
    [("0", "must be from 1 to 3,650 days"), ("3651", "must be from 1 to 3,650 days"),
     ("soon", "must be a whole number"), ("1.5", "must be a whole number"),
     ("-3", "must not be negative")],
)  # fmt: skip
def test_a_bad_interval_names_its_file_and_line(value, message):
    text = FILE.replace("review_every_days: 30", f"review_every_days: {value}")
    with pytest.raises(PersonaFileError) as error:
        parse_persona_yaml(text, "personas.yaml")
    assert error.value.lines() == [f"personas.yaml:4: personas[0].review_every_days: {message}"]


def test_api_patch_changes_the_interval_without_a_lexicon_change(api, acme):
    pete = acme["pete"]
    response = api("PATCH", f"/personas/{pete.id}", json={"review_every_days": 45})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["review_every_days"] == 45 and body["reviewed_at"] is None
    assert body["version"] == 1 and body["revision"] == 2

    response = api("PATCH", f"/personas/{pete.id}", json={"review_every_days": 0})
    assert response.status_code == 422
    assert "review_every_days" in response.get_json()["error"]["details"]


def test_form_saves_the_interval_and_shows_errors_next_to_the_field(client, login, acme):
    pete = acme["pete"]
    login(acme["editor"])
    form = client.get(f"/personas/{pete.id}/edit").get_data(as_text=True)
    assert 'name="review_every_days" inputmode="numeric" value="90"' in form

    data = {
        "name": pete.name, "kind": "negative", "timezone": "UTC", "warn": "2", "block": "5",
        "keywords-0-term": "on-premise", "keywords-0-weight": "3",
        "revision": str(pete.revision), "action": "save",
    }  # fmt: skip
    response = client.post(f"/personas/{pete.id}/edit", data={**data, "review_every_days": "x"})
    assert response.status_code == 422
    assert 'id="review_every_days-error"' in response.get_data(as_text=True)

    response = client.post(f"/personas/{pete.id}/edit", data={**data, "review_every_days": "14"})
    assert response.status_code == 302
    assert "Reviewed every 14 days" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
