"""Typing a keyword in the persona editor lists the forms it will match, before saving."""

import pytest

from tests.helpers import sign_in_browser

pytestmark = pytest.mark.browser


def test_forms_follow_the_typed_keyword_and_its_exclusions(page, make_user):
    make_user("ed@example.com", "Acme", "editor")
    sign_in_browser(page, "ed@example.com")
    page.goto("/personas/new")
    page.get_by_label("Keyword 1", exact=True).fill("rebrand")
    matches = page.locator("#keywords-0-matches")
    matches.get_by_text("rebranded").wait_for()
    assert "rebranding" in matches.inner_text()

    page.locator("tr.keyword-row").first.get_by_text("Also match / never match").click()
    page.locator("#keywords-0-not").fill("rebranding")
    page.wait_for_function(
        "() => !document.querySelector('#keywords-0-matches').innerText.includes('rebranding')"
    )
    assert "rebranded" in matches.inner_text()
