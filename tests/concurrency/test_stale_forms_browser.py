"""In Chromium: a save from a form someone saved meanwhile is held back; both versions shown."""

from __future__ import annotations

import re

import pytest

from planner.services.personas import service as persona_service
from planner.services.personas.schema import validate_persona
from planner.services.pieces import service as piece_service
from tests.helpers import persona_doc, sign_in_browser

pytestmark = pytest.mark.browser

STALE = re.compile(r"Changed by owner@example\.com at \d\d:\d\d since you opened it\.")


def test_editor_shows_who_changed_the_piece_and_both_versions(page, session, acme):
    piece = piece_service.create_piece(
        session, acme["actor"], {"title": "Launch post", "summary": "", "body": "Hello there."}
    )
    session.commit()
    sign_in_browser(page, acme["editor"].email)
    page.goto(f"/pieces/{piece.id}")
    page.get_by_label("Title").fill("Launch post, my take")

    piece_service.update_piece(session, acme["owner_actor"], piece, {"title": "Launch post v2"})
    session.commit()
    page.get_by_role("button", name="Save and audit").click()

    notice = page.locator("#stale-notice")
    notice.wait_for()
    assert STALE.search(notice.inner_text())
    row = notice.locator("tr", has_text="Title")
    assert row.locator(".stale-theirs").inner_text() == "Launch post v2"
    assert row.locator(".stale-yours").inner_text() == "Launch post, my take"
    assert page.get_by_label("Title").input_value() == "Launch post, my take"

    page.get_by_role("button", name="Save and audit").click()  # re-applied on purpose
    page.wait_for_selector(".flash-success")
    assert page.get_by_label("Title").input_value() == "Launch post, my take"


def test_persona_form_shows_who_changed_the_persona_and_both_versions(page, session, acme):
    persona = persona_service.create_persona(
        session, acme["actor"], validate_persona(persona_doc())
    )
    session.commit()
    sign_in_browser(page, acme["editor"].email)
    page.goto(f"/personas/{persona.id}/edit")
    page.get_by_label("Summary").fill("Buys through a reseller")

    persona_service.patch_persona(
        session, acme["owner_actor"], persona, {"keywords": [{"term": "tender", "weight": 2}]}
    )
    session.commit()
    page.get_by_role("button", name="Save persona").click()

    notice = page.locator("#stale-notice")
    notice.wait_for()
    assert STALE.search(notice.inner_text())
    keywords = notice.locator("tr", has_text="Keywords")
    assert keywords.locator(".stale-theirs").inner_text() == "tender ×2"
    assert "on-premise ×3 → hosted for you" in keywords.locator(".stale-yours").inner_text()
    summary = notice.locator("tr", has_text="Summary")
    assert summary.locator(".stale-yours").inner_text() == "Buys through a reseller"
    assert page.get_by_label("Summary").input_value() == "Buys through a reseller"
