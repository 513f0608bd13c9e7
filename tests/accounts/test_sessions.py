"""Signing out ends every copy of a session; cookies and headers follow browser safety rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.accounts.helpers import sign_in
from tests.helpers import PASSWORD


def _copy(app, name: str, value: str):
    thief = app.test_client()
    thief.set_cookie(name, value)
    return thief


def test_copied_session_cookie_stops_working_after_logout(app_ctx, client, make_user):
    make_user("ed@example.com")
    assert sign_in(client, "ed@example.com") == 302
    stolen = client.get_cookie("session").value
    assert _copy(app_ctx, "session", stolen).get("/personas/").status_code == 200
    client.post("/logout")
    response = _copy(app_ctx, "session", stolen).get("/personas/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_copied_remember_cookie_stops_working_after_logout(app_ctx, client, make_user):
    make_user("ed@example.com")
    assert sign_in(client, "ed@example.com", remember="on") == 302
    remember = client.get_cookie("remember_token").value
    assert _copy(app_ctx, "remember_token", remember).get("/personas/").status_code == 200
    client.post("/logout")
    assert _copy(app_ctx, "remember_token", remember).get("/personas/").status_code == 302


def test_password_change_signs_out_other_sessions(app_ctx, client, make_user):
    make_user("ed@example.com")
    other = app_ctx.test_client()
    assert sign_in(other, "ed@example.com", remember="on") == 302
    assert sign_in(client, "ed@example.com") == 302
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
    )
    assert response.status_code == 302
    assert client.get("/personas/").status_code == 200
    assert other.get("/personas/").status_code == 302


def _set_cookie_header(response, name: str) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "="))


def test_remember_cookie_is_lax_httponly_and_lives_two_weeks(client, make_user):
    make_user("ed@example.com")
    response = client.post(
        "/login", data={"email": "ed@example.com", "password": PASSWORD, "remember": "on"}
    )
    header = _set_cookie_header(response, "remember_token")
    assert "SameSite=Lax" in header and "HttpOnly" in header and "Secure" not in header
    expires = datetime.strptime(
        header.split("Expires=")[1].split(";")[0], "%a, %d %b %Y %H:%M:%S GMT"
    ).replace(tzinfo=UTC)
    assert abs(expires - (datetime.now(UTC) + timedelta(days=14))) < timedelta(minutes=5)


def test_cookies_are_secure_over_https(client, make_user):
    make_user("ed@example.com")
    response = client.post(
        "/login",
        data={"email": "ed@example.com", "password": PASSWORD, "remember": "on"},
        base_url="https://planner.example",
    )
    for name in ("remember_token", "session"):
        assert "; Secure" in _set_cookie_header(response, name), name


@pytest.mark.parametrize("path", ["/login", "/api/v1/openapi.json", "/no-such-page"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
