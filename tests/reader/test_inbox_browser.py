"""In Chromium: the inbox's keyboard shortcuts, the ? help overlay, and Undo after a dismiss."""

from __future__ import annotations

import pytest

from tests.helpers import sign_in_browser
from tests.mix_app.fixtures import SUGGESTED
from tests.reader.test_inbox_pages import HIRING, PRICING

pytestmark = [pytest.mark.browser, pytest.mark.once]


def test_shortcuts_move_select_dismiss_and_show_help(page, acme, make_items):
    first, second, third = make_items(acme["actor"], [SUGGESTED, PRICING, HIRING])
    sign_in_browser(page, "ed@example.com")
    page.goto("/feeds/inbox?filter=all")
    cards = page.locator("[data-inbox] .feed-item")
    assert cards.count() == 3
    order = [card.get_attribute("id") for card in cards.all()]

    page.keyboard.press("j")
    assert page.locator(".feed-item.is-current").get_attribute("id") == order[0]
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")  # stays on the last item
    assert page.locator(".feed-item.is-current").get_attribute("id") == order[2]
    page.keyboard.press("k")
    current = page.locator(".feed-item.is-current")
    assert current.get_attribute("id") == order[1]
    assert page.evaluate("document.activeElement.id") == order[1]

    # x selects the current item for "Dismiss selected".
    page.keyboard.press("x")
    assert current.locator(".feed-item-select").is_checked()

    # ? opens the help overlay as a modal dialog; keys other than ? do nothing meanwhile.
    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    assert help_dialog.is_visible()
    assert "Dismiss the item" in help_dialog.inner_text()
    page.keyboard.press("j")
    assert page.locator(".feed-item.is-current").get_attribute("id") == order[1]
    page.keyboard.press("Escape")
    assert not help_dialog.is_visible()
    assert page.evaluate("document.activeElement.id") == order[1]  # focus came back

    # The toolbar's button opens the same help, for those without a keyboard.
    page.get_by_role("button", name="Keyboard shortcuts").click()
    assert help_dialog.is_visible()
    help_dialog.get_by_role("button", name="Close").click()
    assert not help_dialog.is_visible()

    # Typing in the search box is not a shortcut.
    page.keyboard.press("/")
    page.keyboard.type("dj")
    assert page.get_by_label("Search titles and summaries").input_value() == "dj"
    page.get_by_label("Search titles and summaries").fill("")
    page.locator(f"#{order[1]}").focus()

    # d dismisses the current item; the flash offers Undo, which brings it back.
    dismissed_title = page.locator(f"#{order[1]} h3").inner_text()
    page.keyboard.press("d")
    page.wait_for_selector(".flash-undo")
    assert page.locator(".flash-undo").inner_text().startswith("Dismissed 1 item.")
    assert dismissed_title not in page.locator("[data-inbox]").inner_text()
    page.locator(".flash-undo").get_by_role("button", name="Undo").click()
    page.wait_for_selector(".flash-success")
    assert dismissed_title in page.locator("[data-inbox]").inner_text()

    # c curates the current item (the Curate button's own flow).
    page.keyboard.press("j")
    curated_title = page.locator(".feed-item.is-current h3").inner_text()
    page.keyboard.press("c")
    page.wait_for_selector(".flash-success, .flash-info")
    assert f"Curated “{curated_title}”" in page.locator("main").inner_text()
