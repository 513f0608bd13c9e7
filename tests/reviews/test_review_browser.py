"""In Chromium: a persona due for review, from the dashboard to "Mark reviewed" and back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from planner.models import utcnow
from tests.a11y.helpers import describe, run_axe
from tests.helpers import sign_in_browser
from tests.pieces.helpers import BLOCKING
from tests.reviews.fixtures import DEAD_WORD

pytestmark = [pytest.mark.browser, pytest.mark.once]


def test_review_a_due_persona_from_the_dashboard(
    page, session, acme, make_piece, pete_with_dead_word
):
    pete = pete_with_dead_word
    make_piece(title="Procurement pitch", body=BLOCKING)
    pete.created_at = utcnow() - timedelta(days=95)
    session.commit()

    sign_in_browser(page, "ed@example.com")
    page.goto("/dashboard")
    panel = page.locator("section", has=page.get_by_role("heading", name="Personas due for review"))
    assert "5 days overdue" in panel.inner_text()
    panel.get_by_role("link", name=pete.name).click()

    page.get_by_role("heading", name=f"Review {pete.name}").wait_for()
    assert DEAD_WORD in page.locator(".dead-keywords").inner_text()
    assert page.get_by_role("link", name="Procurement pitch").count() == 1
    violations = run_axe(page)
    assert not violations, describe(violations)
    page.get_by_label("Note").fill("Dropped nothing; sales still hears RFPs.")
    page.get_by_role("button", name="Mark reviewed").click()

    page.wait_for_selector("text=Marked reviewed.")
    reviews = page.locator("#reviews")
    assert "Dropped nothing; sales still hears RFPs." in reviews.inner_text()
    assert "Up to date" in reviews.inner_text()
    page.goto("/dashboard")
    page.get_by_text("No persona is due for review").wait_for()
