"""In Chromium: sign in, read the gauge, curate a suggested item, see the gauge move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers import PASSWORD
from tests.mix_app.fixtures import SUGGESTED

pytestmark = pytest.mark.browser


def test_curating_from_the_dashboard_moves_the_gauge(page, acme, make_piece, make_items):
    actor = acme["actor"]
    make_piece(actor, at=datetime.now(UTC) + timedelta(hours=2), origin="own", title="Our own post")
    (item,) = make_items(actor, [SUGGESTED], channel="LinkedIn", personas=["Owner Olivia"])

    page.goto("/login")
    page.get_by_label("Email").fill("ed@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")
    gauge = page.locator("svg.mix-gauge")
    assert gauge.get_attribute("data-share") == "0%"
    assert page.locator("#gauge-title").text_content() == "Curated share: 0%"

    suggested = page.locator("#suggested-" + str(item.id))
    suggested.get_by_role("button", name="Curate").click()
    page.wait_for_selector(".flash-success")
    flash = page.locator(".flash-success").inner_text()
    assert flash.startswith("Curated “Help desk habits”: scheduled for ")
    assert flash.endswith("(Europe/London) on LinkedIn.")

    assert page.url.endswith("/dashboard?window=30")
    assert gauge.get_attribute("data-share") == "50%"
    assert page.locator("#suggested-" + str(item.id)).count() == 0
    upcoming = page.locator("section[aria-labelledby=upcoming-heading]")
    assert upcoming.get_by_text("Help desk habits").count() == 1
