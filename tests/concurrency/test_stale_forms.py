"""The editor and the persona form refuse a save from a stale form and show both versions."""

from __future__ import annotations

import re

from planner.models import Persona, Piece
from planner.services.personas import service as persona_service
from planner.services.personas.schema import validate_persona
from planner.services.pieces import service as piece_service
from tests.helpers import persona_doc

STALE = re.compile(r"Changed by owner@example\.com at \d\d:\d\d since you opened it\.")


def _editor_form(page: str) -> dict:
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version, "the editor sends the version it was opened with"
    return {
        "version": version.group(1),
        "title": "Editor's title",
        "summary": "",
        "body": "Hi.",
        "format": "plain",
        "content_type": "article",
        "origin": "own",
        "source_url": "",
        "channel": "",
        "status": "draft",
        "scheduled_at": "",
    }


def test_piece_editor_keeps_a_stale_save_and_shows_both_versions(client, login, session, acme):
    piece = piece_service.create_piece(
        session, acme["actor"], {"title": "First", "summary": "", "body": "Hi."}
    )
    session.commit()
    login(acme["editor"])
    form = _editor_form(client.get(f"/pieces/{piece.id}").get_data(as_text=True))
    assert form["version"] == "1"

    piece_service.update_piece(session, acme["owner_actor"], piece, {"title": "Owner's title"})
    session.commit()

    response = client.post(f"/pieces/{piece.id}", data=form)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert STALE.search(page), page[:2000]
    assert "Owner&#39;s title" in page and "Editor&#39;s title" in page
    assert 'name="version" value="2"' in page  # saving again applies, knowingly
    session.expire_all()
    assert session.get(Piece, piece.id).title == "Owner's title"

    again = client.post(f"/pieces/{piece.id}", data={**form, "version": "2"})
    assert again.status_code == 302
    session.expire_all()
    assert session.get(Piece, piece.id).title == "Editor's title"
    assert session.get(Piece, piece.id).version == 3


def test_a_validation_error_keeps_the_version_the_form_was_opened_with(
    client, login, session, acme
):
    piece = piece_service.create_piece(
        session, acme["actor"], {"title": "First", "summary": "", "body": "Hi."}
    )
    session.commit()
    login(acme["editor"])
    form = _editor_form(client.get(f"/pieces/{piece.id}").get_data(as_text=True))
    invalid = client.post(f"/pieces/{piece.id}", data={**form, "format": "pdf"})
    assert invalid.status_code == 422
    form = _editor_form(invalid.get_data(as_text=True))
    assert form["version"] == "1"

    piece_service.update_piece(session, acme["owner_actor"], piece, {"title": "Owner's title"})
    session.commit()
    assert client.post(f"/pieces/{piece.id}", data=form).status_code == 409


def _persona_form(page: str) -> dict:
    revision = re.search(r'name="revision" value="(\d+)"', page)
    assert revision, "the persona form sends the revision it was opened with"
    return {
        "revision": revision.group(1),
        "name": "Enterprise Procurement Pete",
        "kind": "negative",
        "summary": "Editor's summary",
        "timezone": "America/New_York",
        "warn": "2",
        "block": "5",
        "keywords-0-term": "on-premise",
        "keywords-0-weight": "3",
        "action": "save",
    }


def test_persona_form_keeps_a_stale_save_and_shows_both_versions(client, login, session, acme):
    persona = persona_service.create_persona(
        session, acme["actor"], validate_persona(persona_doc())
    )
    session.commit()
    login(acme["editor"])
    form = _persona_form(client.get(f"/personas/{persona.id}/edit").get_data(as_text=True))
    assert form["revision"] == "1"

    persona_service.patch_persona(
        session, acme["owner_actor"], persona, {"summary": "Owner's summary"}
    )
    session.commit()

    response = client.post(f"/personas/{persona.id}/edit", data=form)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert STALE.search(page)
    assert "Owner&#39;s summary" in page and "Editor&#39;s summary" in page
    assert 'name="revision" value="2"' in page
    session.expire_all()
    assert session.get(Persona, persona.id).summary == "Owner's summary"

    again = client.post(f"/personas/{persona.id}/edit", data={**form, "revision": "2"})
    assert again.status_code == 302
    session.expire_all()
    stored = session.get(Persona, persona.id)
    assert stored.summary == "Editor's summary" and stored.revision == 3
