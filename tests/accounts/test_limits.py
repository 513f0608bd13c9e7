"""Guessing passwords or API tokens is slowed down: a 429 that says when to try again."""

from __future__ import annotations

import re

from tests.accounts.helpers import sign_in
from tests.helpers import PASSWORD


def _wait_seconds(response) -> int:
    match = re.search(r"Too many attempts: try again in (\d+) s", response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    return int(match.group(1))


def test_after_five_wrong_passwords_even_the_right_one_waits(limits_on, client, make_user):
    make_user("ed@example.com")
    for _ in range(5):
        assert sign_in(client, "ed@example.com", "wrong password") == 401
    response = client.post("/login", data={"email": "ed@example.com", "password": PASSWORD})
    assert response.status_code == 429
    seconds = _wait_seconds(response)
    assert 1 <= seconds <= 61
    assert int(response.headers["Retry-After"]) == seconds
    assert "text/html" in response.content_type
    assert client.get("/personas/").status_code == 302  # still not signed in


def test_limits_count_failures_per_email_not_successes(limits_on, client, make_user):
    make_user("ed@example.com")
    make_user("ann@example.com")
    for _ in range(8):
        assert sign_in(client, "ed@example.com") == 302
        client.post("/logout")
    for _ in range(5):
        assert sign_in(client, "ann@example.com", "wrong password") == 401
    assert sign_in(client, "ann@example.com") == 429
    assert sign_in(client, "ed@example.com") == 302


def test_login_limit_comes_from_config(limits_on, client, make_user):
    make_user("ed@example.com")
    limits_on.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    for _ in range(2):
        assert sign_in(client, "ed@example.com", "wrong password") == 401
    assert sign_in(client, "ed@example.com") == 429
    limits_on.config["LOGIN_RATE_LIMIT"] = ""  # off
    assert sign_in(client, "ed@example.com") == 302


def test_unknown_api_tokens_are_limited_with_the_json_error(limits_on, client, make_user):
    user = make_user("ed@example.com", role="owner")
    for _ in range(10):
        response = client.get("/api/v1/personas", headers={"Authorization": "Bearer pp_guess"})
        assert response.status_code == 401
    response = client.get("/api/v1/personas", headers={"Authorization": "Bearer pp_guess"})
    assert response.status_code == 429
    error = response.get_json()["error"]
    assert error["code"] == "rate_limited"
    assert re.fullmatch(r"Too many attempts: try again in \d+ s\.", error["message"])
    assert int(response.headers["Retry-After"]) >= 1
    del user


def test_each_api_token_has_a_request_budget(limits_on, client, make_user, make_token):
    user = make_user("ed@example.com", role="owner")
    limits_on.config["API_TOKEN_RATE_LIMIT"] = "3 per minute"
    mine = {"Authorization": f"Bearer {make_token(user, name='one')}"}
    other = {"Authorization": f"Bearer {make_token(user, name='two')}"}
    for _ in range(3):
        assert client.get("/api/v1/personas", headers=mine).status_code == 200
    assert client.get("/api/v1/personas", headers=mine).status_code == 429
    assert client.get("/api/v1/personas", headers=other).status_code == 200


def test_behind_a_trusted_proxy_limits_and_cookies_follow_the_client(database_url, make_user):
    from planner import create_app

    make_user("ed@example.com")
    proxied = create_app(
        {
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "TRUSTED_PROXIES": 1,
            "RATE_LIMITS_ENABLED": True,
        }
    )
    client = proxied.test_client()

    def attempt(address: str, password: str = "wrong password", proto: str = "http"):
        headers = {"X-Forwarded-For": address, "X-Forwarded-Proto": proto}
        form = {"email": "ed@example.com", "password": password}
        return client.post("/login", data=form, headers=headers)

    for _ in range(5):
        assert attempt("203.0.113.7").status_code == 401
    assert attempt("203.0.113.7", PASSWORD).status_code == 429
    signed_in = attempt("198.51.100.2", PASSWORD, proto="https")
    assert signed_in.status_code == 302  # another client is not locked out
    assert "; Secure" in signed_in.headers["Set-Cookie"]
