"""An editor types into Quick audit in Chromium and sees the audit change live."""

import pytest

from tests.helpers import sign_in_browser

pytestmark = pytest.mark.browser


def test_typing_highlights_negative_words_and_apply_suggestion_fixes_them(page, acme):
    user, _, pete, _ = acme
    sign_in_browser(page, user.email)
    page.get_by_role("link", name="Quick audit").click()
    page.wait_for_url("**/audit")
    page.evaluate("window.loadedOnce = 'still here'")  # gone if the page reloads
    panel = page.locator("#audit-panel")
    assert "Type or paste some text" in panel.inner_text()

    text = page.get_by_label("Text", exact=True)
    text.click()
    text.press_sequentially("Hi 👋 we ship small business tools.", delay=5)
    page.wait_for_selector("#audit-panel [data-verdict='pass']")
    assert page.locator("#audit-highlight mark.hl-buyer").inner_text() == "small business"

    text.press_sequentially(" Or On-premise, if you must.", delay=5)
    mark = page.locator("#audit-highlight mark.hl-negative")
    mark.wait_for()
    assert mark.inner_text() == "On-premise"
    assert mark.get_attribute("data-persona") == pete.name
    assert panel.locator("[data-verdict]").get_attribute("data-verdict") == "warn"
    assert panel.locator(f"[data-persona='{pete.name}']").get_attribute("data-level") == "warn"

    page.get_by_role("button", name="Apply suggestion: “Hosted for you”").click()
    page.wait_for_selector("#audit-panel [data-verdict='pass']")
    # The emoji is two UTF-16 units but one code point: the right words were replaced.
    assert (
        text.input_value() == "Hi 👋 we ship small business tools. Or Hosted for you, if you must."
    )
    assert page.locator("#audit-highlight mark.hl-negative").count() == 0
    assert page.evaluate("window.loadedOnce") == "still here"


def test_changing_the_format_re_audits(page, acme):
    user, _, _, olivia = acme
    sign_in_browser(page, user.email)
    page.goto("/audit")
    page.evaluate("window.loadedOnce = 'still here'")
    page.get_by_label("Text", exact=True).fill("Try `on-premise` here.")
    page.wait_for_selector("#audit-panel [data-verdict='warn']")
    page.get_by_label("Format").select_option("markdown")  # inline code is not prose
    page.wait_for_selector("#audit-panel [data-verdict='pass']")
    page.get_by_label(olivia.name).check()  # a target persona the text never addresses
    page.wait_for_selector("#audit-panel [data-verdict='warn']")
    assert "Nothing in the text speaks to Owner Olivia" in page.locator("#audit-panel").inner_text()
    assert page.evaluate("window.loadedOnce") == "still here"
