"""An API call is authenticated by its token alone: a browser's session cookie sent along
(a page's script calling the API) neither signs it in nor costs the session's queries."""

from __future__ import annotations

from sqlalchemy import event

from planner.extensions import db


def test_an_api_call_with_a_session_cookie_loads_no_session_user(api, login, acme, app_ctx):
    login(acme["owner"])  # this client now carries the owner's session cookie
    assert api("GET", "/personas").status_code == 200  # verifies (and caches) the token
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert api("GET", "/personas").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert statements  # the personas themselves
    assert not [s for s in statements if "FROM user_account" in s or "FROM membership" in s]


def test_a_session_cookie_alone_does_not_open_the_api(client, login, acme):
    login(acme["owner"])
    response = client.get("/api/v1/personas")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_the_token_decides_who_acts_not_the_cookie(api, login, acme):
    login(acme["owner"])  # the owner's browser session, the viewer's token
    response = api("POST", "/channels", role="viewer", json={"name": "Blog"})
    assert response.status_code == 403
