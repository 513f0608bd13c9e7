"""Unique keys hold under races, and a key the database refuses is a 409, never a 500.

The races themselves run on PostgreSQL (test_races_postgres.py); here the services' own
name checks are switched off, which is what a request that lost a race looks like.
"""

from __future__ import annotations

import pytest

from planner.models import Channel
from planner.models.channel import channel_key
from planner.services import channels as channel_service
from planner.services.personas import service as persona_service
from tests.concurrency.helpers import error_of
from tests.helpers import persona_doc


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Überblick", "überblick"),
        ("Straße", "STRASSE"),
        ("Ｂｌｏｇ", "blog"),
        ("Blog  Post", "blog post"),
    ],
)
def test_channel_names_are_one_channel_in_any_case_or_width(api, first, second):
    assert api("POST", "/channels", json={"name": first}).status_code == 201
    clash = api("POST", "/channels", json={"name": second})
    assert clash.status_code == 409
    assert error_of(clash.get_json())["details"] == {"name": "already taken"}

    piece = api(
        "POST", "/pieces", json={"title": "Post", "summary": "", "body": "Hi.", "channel": second}
    )
    assert piece.status_code == 201, piece.get_json()
    assert piece.get_json()["channel"] == " ".join(first.split())


def test_find_channel_uses_the_normalised_key(session, acme):
    channel_service.create_channel(session, acme["actor"], {"name": "Überblick"})
    session.commit()
    found = channel_service.find_channel(session, acme["actor"].workspace_id, "ÜBERBLICK")
    assert found is not None and found.name == "Überblick"
    assert found.name_key == channel_key("überblick") == "überblick"


def test_renaming_a_channel_moves_its_key(session, acme):
    channel = channel_service.create_channel(session, acme["actor"], {"name": "News"})
    channel_service.update_channel(session, acme["actor"], channel, {"name": "Überblick"})
    session.commit()
    assert session.get(Channel, channel.id).name_key == "überblick"


def test_a_persona_that_lost_the_name_race_is_409_in_the_api(api, monkeypatch):
    monkeypatch.setattr(persona_service, "_check_name_free", lambda *args: None)
    assert api("POST", "/personas", json=persona_doc()).status_code == 201
    second = api("POST", "/personas", json=persona_doc())
    assert second.status_code == 409
    error = error_of(second.get_json())
    assert error["code"] == "conflict"
    assert "persona with this name already exists" in error["message"]
    assert error["details"] == {"name": "already taken"}
    assert len(api("GET", "/personas").get_json()["personas"]) == 1


def test_a_channel_that_lost_the_name_race_is_409(api, monkeypatch):
    monkeypatch.setattr(channel_service, "find_channel", lambda *args: None)
    assert api("POST", "/channels", json={"name": "Überblick"}).status_code == 201
    second = api("POST", "/channels", json={"name": "überblick"})
    assert second.status_code == 409
    assert "channel with this name already exists" in error_of(second.get_json())["message"]


def test_the_persona_form_shows_a_lost_name_race_next_to_the_name(
    client, session, login, acme, monkeypatch
):
    persona_service.create_persona(
        session,
        acme["actor"],
        persona_service.validate_persona(persona_doc(name="Bargain Bea")),
    )
    session.commit()
    monkeypatch.setattr(persona_service, "_check_name_free", lambda *args: None)
    login(acme["editor"])
    response = client.post(
        "/personas/new",
        data={"name": "Bargain Bea", "kind": "buyer", "timezone": "UTC", "action": "save"},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "already exists" in page and 'id="name-error"' in page
    assert 'value="Bargain Bea"' in page  # what was typed is still in the form
