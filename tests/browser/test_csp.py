"""The main pages run under the Content-Security-Policy with no violation, and the behaviour
that used to be inline script (workspace switcher, confirm before removing) still works."""

from __future__ import annotations

import pytest

from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

PAGES = (
    "/dashboard",
    "/pieces/",
    "/pieces/new",
    "/calendar/",
    "/calendar/week",
    "/calendar/agenda",
    "/calendar/subscriptions",
    "/feeds/",
    "/feeds/inbox",
    "/personas/",
    "/personas/new",
    "/audit",
    "/channels/",
    "/settings/members",
    "/settings/tokens",
    "/account/password",
)
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def watched(page):
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return page, console


def _sign_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")


def test_main_pages_report_no_csp_violation(watched, make_user, make_persona, actor_for):
    page, console = watched
    owner = make_user("olivia@example.com", "Acme", "owner")
    make_persona(actor_for(owner), name="Bargain Hunter Bea", kind="negative")
    _sign_in(page, "olivia@example.com")
    for path in (*PAGES, "/personas/1"):
        response = page.goto(path)
        assert response.status < 400, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == [], path
    assert console == []


def test_inline_handlers_moved_to_app_js_still_work(watched, make_user, session):
    from planner.services import accounts

    page, console = watched
    make_user("olivia@example.com", "Acme", "owner")
    accounts.create_user(
        session, email="olivia@example.com", password="", workspace="Globex", role="viewer"
    )
    session.commit()
    _sign_in(page, "olivia@example.com")
    page.select_option("#workspace-switch", label="Globex (viewer)")
    page.wait_for_load_state("networkidle")
    assert page.locator("#workspace-switch option:checked").inner_text() == "Globex (viewer)"

    page.goto("/")
    page.select_option("#workspace-switch", label="Acme (owner)")
    page.wait_for_load_state("networkidle")
    page.goto("/settings/members")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Leave").click()
    assert dialogs and "Remove olivia@example.com?" in dialogs[0]
    assert page.url.endswith("/settings/members")  # dismissed: nothing sent
    assert page.evaluate("window.__csp") == [] and console == []
