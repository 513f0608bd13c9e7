"""What a keyboard or screen-reader user needs: skip links, focus back on the event after the
calendar dialog, highlights that say whose words they are, and a live panel that announces only
a change of verdict."""

from __future__ import annotations

import pytest

from tests.a11y.helpers import load_demo_owner
from tests.helpers import sign_in_browser

pytestmark = pytest.mark.browser


def _focused(page, script: str = "e => e.outerHTML"):
    return page.evaluate(f"({script})(document.activeElement)")


def test_skip_to_first_event_and_focus_returns_after_the_dialog(page, session):
    load_demo_owner(session)
    sign_in_browser(page, "demo@example.com")
    page.goto("/calendar/")
    page.locator("#calendar .fc-event").first.wait_for()
    page.keyboard.press("Tab")
    assert _focused(page, "e => e.textContent") == "Skip to main content"
    page.keyboard.press("Tab")
    assert _focused(page, "e => e.textContent") == "Skip to the first event"
    page.keyboard.press("Enter")
    piece_id = _focused(page, "e => e.dataset.pieceId")
    assert piece_id and _focused(page, "e => e.classList.contains('fc-event')")

    page.keyboard.press("Enter")  # opens the piece
    dialog = page.locator("#cal-piece-dialog[open]")
    dialog.locator("[data-close-dialog]").wait_for()
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert _focused(page, "e => e.dataset.pieceId") == piece_id

    page.keyboard.press("Enter")  # and again, closed with its button
    dialog.locator("[data-close-dialog]").click()
    assert _focused(page, "e => e.dataset.pieceId") == piece_id


def test_event_names_start_with_what_is_on_screen(page, session):
    load_demo_owner(session)
    sign_in_browser(page, "demo@example.com")
    page.goto("/calendar/")
    event = page.locator("#calendar a.fc-event:not(.fc-bg-event)").first
    event.wait_for()
    assert event.get_attribute("aria-label") is None
    visible = event.locator(".pp-event-title").inner_text()
    details = event.locator(".visually-hidden").text_content()
    assert visible in event.text_content() and "finding" in details and "audit" in details


def test_highlights_carry_persona_name_and_verdict_is_announced_once(
    page, make_user, make_persona, actor_for
):
    owner = make_user("ed@example.com", "Acme", "owner")
    make_persona(actor_for(owner))  # Enterprise Procurement Pete: "on-premise" weighs 3, warn 2
    sign_in_browser(page, "ed@example.com")
    page.goto("/audit")
    assert page.locator("#audit-panel").get_attribute("aria-live") is None
    page.evaluate(
        """() => { window.__said = [];
        new MutationObserver(() => window.__said.push(
            document.getElementById('audit-announce').textContent))
          .observe(document.getElementById('audit-announce'), {childList: true, subtree: true,
                                                               characterData: true}); }"""
    )
    text = page.locator("#audit-text")
    text.fill("We install on-premise.")
    mark = page.locator("#audit-highlight mark.hl-negative")
    mark.wait_for()
    assert page.locator("#audit-announce").text_content().startswith("Audit verdict: Warn")

    # Reachable by keyboard, and the persona's name is text inside the mark.
    page.locator("#audit-highlight").evaluate("e => e.scrollIntoView()")
    mark.focus()
    assert _focused(page, "e => e.tagName") == "MARK"
    who = mark.locator(".hl-who")
    assert who.is_visible() and "Enterprise Procurement Pete (negative persona)" in who.inner_text()
    style = mark.evaluate("e => getComputedStyle(e).textDecorationStyle")
    assert style == "solid"  # buyer marks are dashed: not colour alone

    # More typing with the same verdict: the panel changes, nothing new is announced.
    text.fill("We install on-premise, quickly.")
    page.locator("#audit-highlight pre", has_text="quickly").wait_for()
    assert page.evaluate("window.__said.length") == 1
    text.fill("We install it for you.")
    page.locator("#audit-panel [data-verdict=pass]").wait_for()
    assert page.locator("#audit-announce").text_content().startswith("Audit verdict: Pass")
