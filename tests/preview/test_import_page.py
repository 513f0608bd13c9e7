"""Importing a persona file and copying a starter from the personas page."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from planner.models import Persona
from planner.services.persona_preview.imports import preview_import
from planner.services.personas import service as persona_service
from planner.services.personas import starters
from planner.services.personas.file import dump_persona_yaml
from planner.services.personas.schema import validate_persona
from tests.helpers import persona_doc
from tests.preview.helpers import snapshot


def good_file(acme) -> bytes:
    """Pete gains `free`, Olivia as stored, a new Freeloader."""
    olivia = persona_service.spec_of(acme["olivia"])
    pete = validate_persona(
        persona_doc(keywords=[{"term": "on-premise", "weight": 3}, {"term": "free", "weight": 5}])
    )
    freeloader = validate_persona(persona_doc(name="Freeloader", keywords=["forever"]))
    return dump_persona_yaml([pete, olivia, freeloader]).encode()


BAD = b"""\
personas:
  - name: Pete
    kind: negative
    keywords:
      - {term: on-premise, weight: 0}
  - name: Nobody
    kind: martian
"""


def _upload(client, content: bytes, name: str = "team.yaml"):
    return client.post(
        "/personas/import",
        data={"action": "preview", "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_a_good_file_is_previewed_then_applied(session, client, login, acme):
    login(acme["editor"])
    before = snapshot(session)
    shown = _upload(client, good_file(acme))
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td>(\w+)</td>', html)
    assert rows == [
        ("Enterprise Procurement Pete", "Updated"),
        ("Owner Olivia", "Unchanged"),
        ("Freeloader", "Added"),
    ]
    assert "Adding `free`: 5 matches in 2 pieces" in html
    assert snapshot(session) == before
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', html).group(1)
    applied = client.post(
        "/personas/import",
        data={
            "action": "apply",
            "fingerprint": fingerprint,
            "filename": "team.yaml",
            "content": good_file(acme).decode(),
        },
    )
    assert applied.status_code == 302
    assert "Freeloader" in session.scalars(select(Persona.name)).all()
    session.expire_all()
    assert acme["pieces"]["free_scheduled"].verdict == "block"


def test_a_bad_file_shows_its_lines_and_imports_nothing(session, client, login, acme):
    login(acme["editor"])
    before = snapshot(session)
    shown = _upload(client, BAD, "bad.yaml")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 422
    assert "bad.yaml:5: personas[0].keywords[0].weight: must be greater than 0" in html
    assert "bad.yaml:7: personas[1].kind: must be buyer or negative" in html
    assert "Apply import" not in html
    assert snapshot(session) == before


def test_an_outdated_import_preview_is_shown_again_not_applied(session, client, login, acme):
    login(acme["editor"])
    html = _upload(client, good_file(acme)).get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', html).group(1)
    acme["pieces"]["clean"].body += " Free."
    session.commit()
    again = client.post(
        "/personas/import",
        data={"action": "apply", "fingerprint": fingerprint, "content": good_file(acme).decode()},
    )
    assert again.status_code == 409 and "changed since the preview" in again.get_data(as_text=True)
    assert "Freeloader" not in session.scalars(select(Persona.name)).all()


@pytest.mark.parametrize("starter", starters.list_starters(), ids=lambda s: s.key)
def test_each_starter_is_valid_with_a_buyer_and_negatives(starter):
    kinds = [spec.kind for spec in starter.specs]
    assert kinds.count("buyer") >= 1 and kinds.count("negative") >= 2
    for spec in starter.specs:  # the schema accepts each persona as written back
        assert validate_persona(spec.to_document()) == spec


def test_three_starters_and_one_copied_into_the_workspace(session, client, login, acme):
    assert [s.key for s in starters.list_starters()] == ["online_shop", "saas", "services_firm"]
    login(acme["editor"])
    page = client.get("/personas/import").get_data(as_text=True)
    assert page.count('name="starter"') == 3
    shown = client.post("/personas/import", data={"action": "preview", "starter": "saas"})
    html = shown.get_data(as_text=True)
    assert html.count("<td>Added</td>") == 3
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', html).group(1)
    client.post(
        "/personas/import",
        data={"action": "apply", "starter": "saas", "fingerprint": fingerprint},
    )
    names = set(session.scalars(select(Persona.name)))
    assert {"Small-Team Founder", "Enterprise Procurement", "Developer Tinkerer"} <= names


def test_importing_an_archived_persona_previews_its_return(session, acme):
    acme["pete"].archived_at = acme["pete"].created_at
    session.commit()
    spec = validate_persona(persona_doc(keywords=[{"term": "free", "weight": 5}]))
    [plan] = preview_import(session, acme["actor"], [spec])
    assert plan.outcome == "updated"
    assert acme["pieces"]["free_scheduled"].id in {
        row["id"] for row in plan.impact.changes["newly_blocked"]
    }
