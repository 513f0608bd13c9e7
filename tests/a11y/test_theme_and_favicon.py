"""The colour theme follows the browser until a user picks one, which is stored on the user;
`/favicon.ico` answers with the icon."""

from __future__ import annotations

import pytest

from planner.models import User
from tests.helpers import sign_in_browser


@pytest.mark.browser
def test_theme_follows_the_browser_until_the_user_picks_one(page, make_user, session):
    user = make_user("ed@example.com", "Acme", "editor")
    page.emulate_media(color_scheme="dark")
    sign_in_browser(page, "ed@example.com")
    page.goto("/pieces/")
    background = "getComputedStyle(document.documentElement).backgroundColor"
    assert page.locator("html").get_attribute("data-theme") is None
    dark = page.evaluate(background)

    page.locator("details.dropdown summary").click()
    page.get_by_role("button", name="Light").click()
    page.wait_for_url("**/pieces/")  # back on the same page
    assert page.locator("html").get_attribute("data-theme") == "light"
    assert page.evaluate(background) != dark  # light although the browser prefers dark
    page.locator("details.dropdown summary").click()
    assert page.get_by_role("button", name="Light").get_attribute("aria-pressed") == "true"
    session.expire_all()
    assert session.get(User, user.id).theme == "light"

    page.get_by_role("button", name="Dark").click()
    page.emulate_media(color_scheme="light")
    page.goto("/dashboard")
    assert page.evaluate(background) == dark  # dark although the browser prefers light

    page.locator("details.dropdown summary").click()
    page.get_by_role("button", name="System").click()
    assert page.locator("html").get_attribute("data-theme") is None


@pytest.mark.parametrize("theme", ["purple", ""])
def test_an_unknown_theme_is_refused_with_a_message(client, login, make_user, theme):
    login(make_user("ed@example.com", "Acme", "editor"))
    response = client.post("/account/theme", data={"theme": theme, "next": "/pieces/"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/pieces/")
    page = client.get("/pieces/").get_data(as_text=True)
    assert "The theme must be one of system, light, dark." in page


def test_theme_form_goes_back_only_to_this_site(client, login, make_user):
    login(make_user("ed@example.com", "Acme", "editor"))
    response = client.post("/account/theme", data={"theme": "dark", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302)
    assert response.headers["Location"].endswith("/static/favicon.svg")
    icon = client.get(response.headers["Location"])
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert b"<svg" in icon.get_data()
