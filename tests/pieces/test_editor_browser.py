"""An editor opens a piece in Chromium, types, and sees the audit change without a reload."""

from __future__ import annotations

import pytest

from tests.helpers import sign_in_browser

pytestmark = pytest.mark.browser


def test_typing_a_negative_keyword_highlights_it_and_changes_the_verdict(page, acme, make_piece):
    piece = make_piece(
        title="Help desk launch",
        body="Our help desk lets a small business answer customers faster.",
        target_personas=["Owner Olivia"],
    )
    sign_in_browser(page, acme["editor"].email)
    page.goto(f"/pieces/{piece.id}")
    page.evaluate("window.loadedOnce = 'still here'")  # gone if the page reloads
    panel = page.locator("#audit-panel")
    assert panel.locator("[data-verdict]").get_attribute("data-verdict") == "pass"
    assert page.locator("#audit-highlight mark.hl-negative").count() == 0

    text = page.get_by_label("Text", exact=True)
    text.click()
    text.press("End")
    text.press_sequentially(" We also install on-premise.", delay=5)
    mark = page.locator("#audit-highlight mark.hl-negative")
    mark.wait_for()
    assert mark.inner_text() == "on-premise"
    assert mark.get_attribute("data-persona") == acme["pete"].name
    page.wait_for_selector("#audit-panel [data-verdict='warn']")
    pete = panel.locator(f"[data-persona='{acme['pete'].name}']")
    assert pete.get_attribute("data-level") == "warn"

    page.get_by_role("button", name="Apply suggestion: “hosted for you”").click()
    page.wait_for_selector("#audit-panel [data-verdict='pass']")
    assert text.input_value().endswith("We also install hosted for you.")
    assert page.evaluate("window.loadedOnce") == "still here"

    page.get_by_role("button", name="Save and audit").click()
    page.wait_for_selector(".flash-success")
    assert "Verdict: pass" in page.locator(".flash-success").inner_text()
    assert page.locator(".audit-history tbody tr").count() == 2
