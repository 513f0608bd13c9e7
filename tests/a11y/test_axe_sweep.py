"""Every page passes axe-core's WCAG 2.2 A/AA rules, in the light and the dark theme, and
none scrolls sideways at 390×844 (a phone).

One browser context, signed in once as the demo owner (badges, findings, highlighted drafts,
feed items), visits every page; the calendar is checked with a piece's dialog open and the
Quick audit with highlighted text. The dark pass follows `prefers-color-scheme: dark` and runs
the colour rules only (a theme changes nothing else).
"""

from __future__ import annotations

import pytest

from tests.a11y.helpers import describe, load_demo_owner, run_axe
from tests.helpers import sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.once]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
AUDIT_TEXT = "Our on-premise suite ships with a lifetime deal and a coupon for every request."


def pages(ids: dict[str, int]) -> list[str]:
    return [
        "/dashboard",
        "/pieces/",
        "/pieces/new",
        f"/pieces/{ids['piece']}",
        "/calendar/",
        "/calendar/week",
        "/calendar/agenda",
        "/calendar/subscriptions",
        "/feeds/",
        "/feeds/new",
        f"/feeds/{ids['feed']}",
        f"/feeds/{ids['feed']}/edit",
        "/feeds/inbox",
        "/feeds/opml",
        f"/curation/items/{ids['item']}",
        "/personas/",
        "/personas/new",
        f"/personas/{ids['persona']}",
        f"/personas/{ids['persona']}/edit",
        f"/personas/{ids['persona']}/best-times",
        f"/personas/{ids['persona']}/review",
        "/personas/import",
        "/audit",
        "/leads/",
        "/leads/kept",
        "/engagement/import",
        "/engagement/unmatched",
        "/channels/",
        "/channels/1/edit",
        "/settings/members",
        "/settings/tokens",
        "/account/password",
    ]


def _open_calendar_dialog(page) -> None:
    page.locator(".fc-event:not(.fc-bg-event)").first.click()
    page.locator("#cal-piece-dialog[open] #piece-dialog-body *").first.wait_for()


def _highlight_quick_audit(page) -> None:
    page.locator("#audit-text").fill(AUDIT_TEXT)
    page.locator("#audit-highlight mark").first.wait_for()


def _upload_csv(page, field: str, name: str, content: bytes, button: str, heading: str) -> None:
    page.locator(field).set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_role("button", name=button, exact=True).click()
    page.locator(heading).wait_for()


def _screen_leads(page) -> None:
    """Upload a small CSV, so the sweep checks the results table, not just the form."""
    content = (
        b"name,email,company,job_title,company_size,industry,country,message\n"
        b"Pat,pat@big.example,BigCorp,Procurement manager,8000,Banking,US,We need an RFP\n"
        b"Sam,sam@shop.example,Shop,Owner,12,Retail,GB,A help desk for my small business\n"
    )
    _upload_csv(page, "#leads-file", "leads.csv", content, "Screen", "#results-heading")


def _preview_results(page) -> None:
    """Upload an export with unfamiliar headers, so the sweep checks the mapping and preview."""
    content = (
        b"Date,Network,Post,Views,Likes\n"
        b"03/04/2026 9:15 AM,LinkedIn,Launch post,1200,30\n"
        b"someday,LinkedIn,Broken row,5,1\n"
    )
    _upload_csv(page, "#engagement-file", "export.csv", content, "Preview", "#preview-heading")


ACTIONS = {
    "/calendar/": _open_calendar_dialog,
    "/audit": _highlight_quick_audit,
    "/leads/": _screen_leads,
    "/engagement/import": _preview_results,
}


def _page_width(page) -> int:
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
    )


def _sweep(page, paths: list[str]) -> tuple[dict[str, list[dict]], dict[str, int]]:
    """Load each page once; check it in the light theme (every rule), then switch the emulated
    colour scheme on the loaded page and check the dark theme's colours; then narrow the window
    to a phone's and measure whether the page scrolls sideways."""
    found, wide = {}, {}
    for path in paths:
        page.set_viewport_size(DESKTOP)
        page.emulate_media(color_scheme="light", reduced_motion="reduce")
        response = page.goto(path, wait_until="load")
        assert response is not None and response.status < 400, path
        calendar = page.locator("#calendar").count() > 0
        if calendar:
            page.locator("#calendar .fc-view-harness").wait_for()
            page.wait_for_load_state("networkidle")
        if path in ACTIONS:
            ACTIONS[path](page)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
            violations = run_axe(page, colour_only=scheme == "dark")
            if violations:
                found[f"{scheme} {path}"] = violations
        page.keyboard.press("Escape")  # an open dialog would hide the page behind it
        page.set_viewport_size(PHONE)
        if calendar:
            page.locator("#calendar .fc-list").wait_for()
        if _page_width(page) > PHONE["width"]:
            wide[path] = _page_width(page)
    return found, wide


def test_every_page_passes_axe_in_both_themes_and_fits_a_phone(browser, live_server, session):
    ids = load_demo_owner(session)
    # Reduced motion turns off colour transitions, so the dark pass sees the settled colours.
    context = browser.new_context(base_url=live_server, reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        report, wide = _sweep(page, ["/login"])
        sign_in_browser(page, "demo@example.com")
        signed_in = _sweep(page, pages(ids))
        report.update(signed_in[0])
        wide.update(signed_in[1])
    finally:
        context.close()
    counts = {key: sum(len(v["nodes"]) for v in vs) for key, vs in report.items()}
    print("axe violations per page:", counts, "total:", sum(counts.values()))
    assert not report, "\n".join(f"== {key}\n{describe(vs)}" for key, vs in report.items())
    assert wide == {}, "pages wider than a 390 px phone"
