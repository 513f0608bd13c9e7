"""At 390×844 (a phone): a menu button reaches every main-menu entry, the calendar lists,
tables stack. (That no page scrolls sideways is checked by the sweep in test_axe_sweep.py.)"""

from __future__ import annotations

import pytest

from tests.helpers import sign_in_browser

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MENU = (
    "Dashboard",
    "Drafts",
    "Calendar",
    "Feeds",
    "Personas",
    "Results",
    "Screen leads",
    "Quick audit",
)


def _page_width(page) -> int:
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
    )


def test_calendar_and_tables_change_shape_on_a_phone(page, make_user, make_persona, actor_for):
    owner = make_user("ed@example.com", "Acme", "owner")
    make_persona(actor_for(owner))
    page.set_viewport_size(PHONE)
    sign_in_browser(page, "ed@example.com")
    page.goto("/calendar/")
    page.locator("#calendar .fc-list").wait_for()  # the list view, not the month grid
    page.goto("/personas/new")  # the keyword table becomes stacked cards
    cells = page.locator("main table.stack tbody tr").first.locator("td")
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"] - 1  # one under the other
    assert cells.nth(1).get_attribute("data-label") == "Weight"  # labelled by its column
    assert _page_width(page) <= PHONE["width"]


def test_every_menu_entry_is_reachable_through_the_menu_button(page, make_user):
    make_user("ed@example.com", "Acme", "owner")
    page.set_viewport_size(PHONE)
    sign_in_browser(page, "ed@example.com")
    header_height = page.locator("header.topbar").bounding_box()["height"]
    assert header_height < 100  # compact: brand and a menu button
    menu = page.get_by_role("button", name="Menu")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not page.locator("#main-menu").get_by_role("link", name="Personas").is_visible()
    for label in MENU:
        menu.click()
        assert menu.get_attribute("aria-expanded") == "true"
        link = page.locator("#main-menu").get_by_role("link", name=label, exact=True)
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], label
        link.click()
        page.wait_for_load_state("load")
        menu = page.get_by_role("button", name="Menu")
    # Esc folds the menu again and puts focus back on its button.
    menu.click()
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('menu-button')")


def test_wide_persona_form_does_not_scroll_sideways(page, make_user):
    make_user("ed@example.com", "Acme", "owner")
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in_browser(page, "ed@example.com")
    page.goto("/personas/new")
    assert _page_width(page) <= 1366


def test_time_zone_names_do_not_wrap_mid_word(page, make_user, make_persona, actor_for):
    owner = make_user("ed@example.com", "Acme", "owner")
    make_persona(actor_for(owner), timezone="America/New_York")
    page.set_viewport_size(PHONE)
    sign_in_browser(page, "ed@example.com")
    page.goto("/personas/")
    zone = page.locator(".zone-name", has_text="America/New_York").first
    line_height = zone.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert zone.bounding_box()["height"] < 1.5 * line_height
