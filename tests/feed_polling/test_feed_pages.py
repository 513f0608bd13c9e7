"""The feed pages: list with status, add form (SSRF refusal), feed page, inbox, triage."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from planner.models.feed import Feed, FeedItem
from planner.services.feeds import polling

from .helpers import NOW, PETE_ENTRY, SAM_ENTRY, Entry, Page, later

HOSTILE = [
    Entry(
        "x1",
        '<script>alert("title")</script>Sneaky title',
        '<p>Read me<img src=x onerror="alert(1)"><script>alert(2)</script>'
        '<a href="javascript:alert(3)">click</a> <a href="JaVa\tScRiPt:alert(5)">two</a>'
        '<svg onload="alert(6)"></svg><iframe src="javascript:alert(7)"></iframe></p>',
        "javascript:alert(4)",
    ),
    Entry(
        "x2",
        "Plain",
        '<p onmouseover="alert(8)" style="x">small business</p>',
        "https://ok.example/x2",
    ),
]


def poll_all(session, when=NOW):
    for _ in polling.poll_due(session, when, allow_private=True, include_not_due=True):
        session.commit()


def text_of(response) -> str:
    return response.get_data(as_text=True)


def feed_named(session, url) -> Feed:
    return session.scalar(select(Feed).where(Feed.url == url))


@pytest.fixture
def signed_in(client, login, editor):
    login("ed@example.com")
    return client


def test_add_feed_form_refuses_private_addresses_next_to_the_field(signed_in, site):
    url = site.feed("/f", [SAM_ENTRY])
    response = signed_in.post("/feeds/new", data={"url": url, "poll_interval_minutes": "60"})
    assert response.status_code == 422
    html = text_of(response)
    field = re.search(
        r'<input id="url"[^>]*>\s*<small class="field-error" id="url-error">([^<]*)', html
    )
    assert field and "FEED_ALLOW_PRIVATE" in field.group(1)
    assert 'aria-invalid="true"' in html and f'value="{url}"' in html  # input kept
    bad = signed_in.post("/feeds/new", data={"url": "gopher://x", "poll_interval_minutes": "2"})
    assert bad.status_code == 422
    assert "only http and https" in text_of(bad) and "between 5 and" in text_of(bad)


def test_editor_adds_polls_and_sees_items(signed_in, site, allow_private, session, editor):
    url = site.feed("/f", [SAM_ENTRY, PETE_ENTRY], title="Growth notes")
    personas = {
        p.name: p.id
        for p in session.scalars(select(__import__("planner.models", fromlist=["Persona"]).Persona))
    }
    response = signed_in.post(
        "/feeds/new",
        data={
            "url": url,
            "title": "",
            "personas": [str(personas["Small Business Sam"])],
            "poll_interval_minutes": "30",
        },
    )
    assert response.status_code == 302
    feed = feed_named(session, url)
    assert [p.name for p in feed.personas] == ["Small Business Sam"]
    polled = signed_in.post(f"/feeds/{feed.id}/poll", follow_redirects=True)
    html = text_of(polled)
    assert "2 new items" in html and "Growth notes" in html
    assert SAM_ENTRY.title in html and PETE_ENTRY.title in html
    assert 'class="chip chip-buyer"' in html and "Enterprise Procurement Pete · warn" in html
    index = text_of(signed_in.get("/feeds/"))
    assert "Growth notes" in index and "OK" in index and "Poll now" in index
    assert re.search(r"<td>2 <small class=\"muted\">\(2\)</small></td>", index)


def test_hostile_markup_never_reaches_a_page(signed_in, site, allow_private, session, editor):
    url = site.feed("/evil", HOSTILE)
    session.add(Feed(workspace_id=editor.workspace_id, url=url))
    session.commit()
    poll_all(session)
    feed = feed_named(session, url)
    stored = {i.identity: i for i in session.scalars(select(FeedItem))}
    assert stored["x1"].link is None and "onerror" not in stored["x1"].summary_html
    pages = [
        signed_in.get(f"/feeds/{feed.id}"),
        signed_in.get("/feeds/inbox?filter=all"),
        signed_in.get("/feeds/inbox"),
        signed_in.get("/feeds/"),
    ]
    for response in pages:
        html = text_of(response)
        assert response.status_code == 200
        lowered = html.lower()
        for needle in ("onerror", "onload", "onmouseover", "javascript:", "<iframe", "<svg"):
            assert needle not in lowered, (needle, response.request.path)
        for n in range(1, 9):
            assert f"alert({n})" not in html, (n, response.request.path)
        assert "<script>alert" not in html and 'style="x"' not in html
    html = text_of(pages[0])
    # The title is text: shown, escaped, never markup.
    assert "&lt;script&gt;alert(" in html and "Sneaky title" in html and "Read me" in html


def test_inbox_suggested_filter_and_dismiss(signed_in, site, allow_private, session, editor):
    session.add(
        Feed(workspace_id=editor.workspace_id, url=site.feed("/f", [SAM_ENTRY, PETE_ENTRY]))
    )
    session.commit()
    poll_all(session)
    suggested = text_of(signed_in.get("/feeds/inbox"))
    assert SAM_ENTRY.title in suggested and PETE_ENTRY.title not in suggested
    everything = text_of(signed_in.get("/feeds/inbox?filter=all"))
    assert SAM_ENTRY.title in everything and PETE_ENTRY.title in everything
    sam = session.scalar(select(FeedItem).where(FeedItem.identity == "a"))
    response = signed_in.post(
        f"/feeds/items/{sam.id}/dismiss", data={"next": "/feeds/inbox?filter=all"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/feeds/inbox?filter=all"
    )
    assert SAM_ENTRY.title not in text_of(signed_in.get("/feeds/inbox?filter=all"))
    session.expire_all()
    assert session.get(FeedItem, sam.id).state == "dismissed"
    # An off-site "next" is ignored.
    response = signed_in.post(f"/feeds/items/{sam.id}/restore", data={"next": "//evil.example/"})
    assert response.headers["Location"].endswith("/feeds/inbox")
    assert SAM_ENTRY.title in text_of(signed_in.get("/feeds/inbox"))


def test_failing_then_paused_feed_shows_its_error_and_resumes(signed_in, site, session, editor):
    url = site.set("/down", Page(b"nope", 503))
    session.add(Feed(workspace_id=editor.workspace_id, url=url))
    session.commit()
    feed = feed_named(session, url)
    when = NOW
    polling.poll_feed(session, feed.id, now=when, allow_private=True)
    session.commit()
    index = text_of(signed_in.get("/feeds/"))
    assert "Failing" in index and "server is busy (503" in index and "(1 in a row)" in index
    for _ in range(9):
        when = feed.next_poll_at
        polling.poll_feed(session, feed.id, now=when, allow_private=True)
        session.commit()
    page = text_of(signed_in.get(f"/feeds/{feed.id}"))
    assert "Paused: 10 failed polls in a row" in page and "server is busy (503" in page
    assert "Resume polling" in page and "Poll now" not in page
    signed_in.post(f"/feeds/{feed.id}/resume")
    session.expire_all()
    feed = session.get(Feed, feed.id)
    assert feed.paused_until is None and feed.consecutive_failures == 0
    assert feed.id in polling.due_feed_ids(
        session, later(1) if feed.next_poll_at < later(1) else feed.next_poll_at
    )


def test_viewer_reads_but_cannot_change(
    client, login, make_user, editor, site, session, allow_private
):
    url = site.feed("/f", [SAM_ENTRY])
    session.add(Feed(workspace_id=editor.workspace_id, url=url))
    session.commit()
    poll_all(session)
    feed = feed_named(session, url)
    item = session.scalar(select(FeedItem))
    login(make_user("viewer@example.com", "Acme", "viewer"))
    index = text_of(client.get("/feeds/"))
    assert "Poll now" not in index and "Add feed" not in index
    assert ">Dismiss<" not in text_of(client.get(f"/feeds/{feed.id}"))
    assert client.get("/feeds/new").status_code == 403
    assert client.post(f"/feeds/{feed.id}/poll").status_code == 403
    assert client.post(f"/feeds/{feed.id}/delete").status_code == 403
    assert client.post(f"/feeds/items/{item.id}/dismiss").status_code == 403


def test_other_workspaces_feeds_are_404(client, login, make_user, editor, session):
    session.add(Feed(workspace_id=editor.workspace_id, url="https://example.com/feed"))
    session.commit()
    feed = feed_named(session, "https://example.com/feed")
    login(make_user("someone@globex.example", "Globex", "owner"))
    assert client.get(f"/feeds/{feed.id}").status_code == 404
    assert client.post(f"/feeds/{feed.id}/poll").status_code == 404
    assert "example.com/feed" not in text_of(client.get("/feeds/"))
