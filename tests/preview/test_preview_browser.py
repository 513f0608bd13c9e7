"""In Chromium: preview a persona change above Save, watch it follow an edit, then save it."""

from __future__ import annotations

import pytest

from tests.a11y.helpers import describe, run_axe
from tests.helpers import sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.once]


def test_preview_follows_the_edits_and_save_applies_it(page, session, acme):
    sign_in_browser(page, "ed@example.com")
    page.goto(f"/personas/{acme['pete'].id}/edit")
    page.get_by_label("Keyword 3", exact=True).fill("free")
    page.get_by_label("Weight of keyword 3").fill("5")
    page.get_by_role("button", name="Preview changes").click()
    preview = page.locator("#persona-preview")
    preview.get_by_text("would become Block").wait_for()
    assert "Adding `free`: 5 matches in 2 pieces" in preview.inner_text()
    assert preview.get_by_role("link", name="The free plan").count() >= 1
    # Screen readers get the one-line summary from a status outside the refreshed list.
    status = page.locator("#persona-preview-status")
    assert status.get_attribute("role") == "status"
    assert "If you save: Adding `free`: 5 matches in 2 pieces" in status.inner_text()
    assert preview.get_attribute("aria-live") is None
    # A lighter weight: the live preview follows without another click.
    page.get_by_label("Weight of keyword 3").fill("1")
    preview.get_by_text("would become Warn").wait_for()
    assert "would become Block" not in preview.inner_text()
    violations = run_axe(page)
    assert not violations, describe(violations)
    page.get_by_role("button", name="Save persona").click()
    page.wait_for_selector("text=Saved Enterprise Procurement Pete.")
    session.expire_all()
    assert acme["pieces"]["free_scheduled"].verdict == "warn"


def test_import_page_previews_a_starter_then_copies_it_accessibly(page, session, acme):
    sign_in_browser(page, "ed@example.com")
    page.goto("/personas/")
    page.get_by_role("button", name="Import or start from a template").click()
    page.get_by_role("button", name="Preview the Online shop template").click()
    preview = page.locator("section.import-preview")
    preview.wait_for()
    assert preview.locator("td", has_text="Added").count() == 3
    violations = run_axe(page)
    assert not violations, describe(violations)
    page.get_by_role("button", name="Apply import").click()
    page.wait_for_selector("text=Imported Online shop: 3 added, 0 updated, 0 unchanged.")
    assert page.locator("section.column-negative", has_text="Wholesale Buyer").count() == 1
