"""In Chromium: a negative title is marked in the title input, blocks scheduling, and an owner
approves it in the same save; "Apply suggestion" shows the sentence first and can be undone."""

from __future__ import annotations

import pytest

from planner.models import Piece
from tests.helpers import sign_in_browser
from tests.pieces.helpers import procurement_pete

pytestmark = pytest.mark.browser

TITLE = "On-premise RFP help: a dedicated account manager"
BODY = "Our help desk lets a small business answer customers faster."


def test_a_negative_title_is_marked_in_its_input_and_an_owner_approves_it_in_one_save(
    page, acme, session
):
    procurement_pete(session, acme)
    sign_in_browser(page, acme["owner"].email)
    page.goto("/pieces/new")
    page.get_by_label("Text", exact=True).fill(BODY)
    title = page.get_by_label("Title")
    title.click()
    title.press_sequentially(TITLE, delay=2)
    marks = page.locator("#title-marks mark.hl-negative")
    marks.last.wait_for()
    assert marks.all_inner_texts() == ["On-premise", "RFP", "dedicated account manager"]
    mark = marks.first
    assert mark.get_attribute("data-persona") == acme["pete"].name
    # The mark sits under the words it marks, inside the input's box.
    box, input_box = mark.bounding_box(), title.bounding_box()
    assert input_box["x"] <= box["x"] < input_box["x"] + input_box["width"]
    assert input_box["y"] <= box["y"] < input_box["y"] + input_box["height"]
    finding = page.locator("#audit-panel .audit-finding", has_text="in the title").first
    finding.wait_for()

    page.get_by_label("Status").select_option("scheduled")
    page.get_by_label("Scheduled for").fill("2031-03-03T09:00")
    page.get_by_role("button", name="Create and audit").click()
    page.wait_for_selector(".flash-error")
    assert "blocked" in page.locator("#status-error").inner_text()
    assert session.query(Piece).count() == 0
    # The form kept what was typed and opened the owner's approval.
    assert page.get_by_label("Title").input_value() == TITLE
    page.get_by_label("Why may it go out as it is?").fill("Sales asked for this wording.")
    page.get_by_role("button", name="Create and audit").click()
    page.wait_for_selector(".flash-success")
    session.expire_all()
    piece = session.query(Piece).one()
    assert (piece.status, piece.verdict) == ("scheduled", "block")
    assert piece.override_reason == "Sales asked for this wording."
    assert page.locator(".override-note").inner_text().startswith("Overridden")
    assert page.locator(".history-override").count() == 1


def test_apply_suggestion_shows_the_sentence_and_undo_restores_it(page, acme, make_piece):
    piece = make_piece(title="Install", body="Our help desk supports on-premise deployment.")
    sign_in_browser(page, acme["editor"].email)
    page.goto(f"/pieces/{piece.id}")
    preview = page.locator("#audit-panel .suggestion-preview").first
    assert "Our help desk supports hosted for you deployment." in preview.inner_text()
    text = page.get_by_label("Text", exact=True)
    original = text.input_value()

    page.get_by_role("button", name="Apply suggestion: “hosted for you”").click()
    assert text.input_value() == "Our help desk supports hosted for you deployment."
    page.get_by_role("button", name="Undo").click()
    assert text.input_value() == original
    page.wait_for_selector("#audit-panel [data-verdict='warn']")

    page.get_by_role("button", name="Apply suggestion: “hosted for you”").click()
    assert text.input_value() != original
    text.press("Control+z")
    assert text.input_value() == original
