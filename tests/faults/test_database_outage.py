"""A database outage: a 503 with a message and one log line, and recovery without a restart.

It used to be a 500 with a full traceback per request (37 MB of log in 15 s).
"""

from __future__ import annotations

import logging

from planner.errors import DATABASE_UNAVAILABLE
from tests.helpers import PASSWORD


def _outage_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "planner.outage"]


def test_an_outage_is_a_503_logged_once_and_the_app_recovers(
    outage_app, breakable_database, make_user, make_token, caplog
):
    user = make_user()
    token = make_token(user)
    client = outage_app.test_client()
    api = {"Authorization": f"Bearer {token}"}
    assert client.get("/healthz").status_code == 200
    signed_in = outage_app.test_client()
    signed_in.post("/login", data={"email": user.email, "password": PASSWORD})
    assert signed_in.get("/feeds/").status_code == 200
    assert client.get("/api/v1/personas", headers=api).status_code == 200

    caplog.set_level(logging.INFO)
    breakable_database.down()
    for _ in range(20):
        page = client.get("/healthz", headers={"Accept": "text/html"})
        assert page.status_code == 503
        assert DATABASE_UNAVAILABLE in page.get_data(as_text=True)
        assert page.headers["Retry-After"]
    feeds_page = signed_in.get("/feeds/")
    assert feeds_page.status_code == 503
    assert DATABASE_UNAVAILABLE in feeds_page.get_data(as_text=True)
    answer = client.get("/api/v1/personas", headers=api)
    assert answer.status_code == 503
    assert answer.get_json()["error"]["code"] == "unavailable"
    assert answer.get_json()["error"]["message"] == DATABASE_UNAVAILABLE

    lines = _outage_lines(caplog)
    assert len(lines) == 1 and lines[0].startswith("database unavailable: "), lines
    assert not [r for r in caplog.records if r.exc_info], "no traceback per request"

    breakable_database.up()
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/personas", headers=api).status_code == 200
    assert signed_in.get("/feeds/").status_code == 200
    assert _outage_lines(caplog)[1:] == ["database is back"]
