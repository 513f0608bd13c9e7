"""A person signs in with Chromium, creates a persona and finds it on the overview."""

import pytest

from tests.helpers import sign_in_browser

pytestmark = pytest.mark.browser


def test_create_persona_with_keywords_and_window(page, make_user):
    make_user("ed@example.com", "Acme", "editor")
    sign_in_browser(page, "ed@example.com")
    page.goto("/personas/")
    page.get_by_role("button", name="New persona").click()
    page.get_by_label("Name").fill("Bargain Hunter Bea")
    page.get_by_label("Negative (who we do not want)").check()
    page.get_by_label("Time zone").fill("Europe/Berlin")
    page.get_by_label("Keyword 1", exact=True).fill("lifetime deal")
    page.get_by_label("Suggestion for keyword 1").fill("annual plan")
    page.get_by_label("Keyword 2", exact=True).fill("coupon")
    page.get_by_label("Weight of keyword 2").fill("2")
    page.locator("#windows-0-days-sat").check()
    page.locator("#windows-0-start").fill("10:00")
    page.locator("#windows-0-end").fill("14:00")
    page.get_by_role("button", name="Save persona").click()

    page.wait_for_selector("text=Saved Bargain Hunter Bea.")
    assert "lifetime deal" in page.content() and "annual plan" in page.content()

    page.get_by_role("link", name="Personas").first.click()
    negatives = page.locator("section.column-negative")
    card = negatives.locator("article", has_text="Bargain Hunter Bea")
    assert card.count() == 1
    assert "2" in card.locator("dl.facts dd").first.inner_text()
    assert "10:00–14:00" in card.inner_text()
    assert page.locator("section.column-buyer", has_text="Bargain Hunter Bea").count() == 0


def test_bad_input_shows_errors_next_to_fields(page, make_user):
    make_user("ed@example.com", "Acme", "editor")
    sign_in_browser(page, "ed@example.com")
    page.goto("/personas/new")
    page.get_by_label("Time zone").fill("Mars/Base")
    page.get_by_role("button", name="Save persona").click()
    assert page.locator("#name-error").inner_text() == "is required"
    assert "Mars/Base" in page.locator("#timezone-error").inner_text()
    assert page.get_by_label("Time zone").input_value() == "Mars/Base"
