"""The session cookie is written only when the session changes.

A cookie rewritten on every response lets a background request (the editor's htmx
previews) that was sent before a save overwrite the cookie carrying the save's flash
message: "Saved ..." then never shows.
"""

from __future__ import annotations


def test_reading_pages_does_not_rewrite_the_session_cookie(client, login, make_user):
    login(make_user("ed@example.com", "Acme", "editor"))
    client.get("/dashboard")  # the first page records the workspace in the session
    for url in ("/dashboard", "/personas/", "/personas/keyword-forms?keywords-0-term=coupon"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers.getlist("Set-Cookie") == [], url


def test_a_flash_survives_a_background_request_sent_before_the_save(client, login, make_user):
    login(make_user("ed@example.com", "Acme", "editor"))
    client.get("/personas/new")
    before = client.get_cookie("session").value
    saved = client.post(
        "/personas/new",
        data={"name": "Bargain Hunter Bea", "kind": "negative", "timezone": "UTC"},
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    after = client.get_cookie("session").value
    # The preview request the page sent while the save was on its way, with the old cookie.
    client.set_cookie("session", before)
    preview = client.get("/personas/keyword-forms?keywords-0-term=coupon")
    assert preview.headers.getlist("Set-Cookie") == []
    client.set_cookie("session", after)
    assert "Saved Bargain Hunter Bea." in client.get(saved.location).get_data(as_text=True)
