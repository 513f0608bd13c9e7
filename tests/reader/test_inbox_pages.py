"""The inbox as a feed reader: search, select-and-dismiss, mark all seen, undo a dismiss."""

from __future__ import annotations

import re

import pytest

from planner.models.feed import FeedItem
from planner.services.feeds import inbox as feed_inbox
from tests.mix_app.fixtures import BLOCKING, SUGGESTED, WARNING

PRICING = ("Pricing pages", "<p>How a small business prices its help desk plans.</p>")
HIRING = ("Hiring notes", "<p>A help desk team for a small business, hired well.</p>")


@pytest.fixture
def editor_client(client, login, acme):
    login(acme["editor"])
    return client


@pytest.fixture
def items(acme, make_items) -> list[FeedItem]:
    return make_items(acme["actor"], [SUGGESTED, PRICING, HIRING, WARNING, BLOCKING])


def html_of(response) -> str:
    return response.get_data(as_text=True)


def titles(html: str) -> list[str]:
    """The item titles the page lists, in order."""
    return re.findall(r'<h3><a href="[^"]*"[^>]*>([^<]+)</a></h3>', html)


def undo_ids(html: str) -> list[int]:
    form = re.search(r'<form method="post" action="/curation/items/undo".*?</form>', html, re.S)
    assert form, "no Undo button on the page"
    return [int(v) for v in re.findall(r'name="items" value="(\d+)"', form.group(0))]


def test_search_finds_titles_and_summaries_in_any_case(editor_client, items):
    html = html_of(editor_client.get("/feeds/inbox?filter=all&q=PRICES"))
    assert titles(html) == ["Pricing pages"]  # "prices" is in the summary only
    assert "1 item match “PRICES”" in html
    assert titles(html_of(editor_client.get("/feeds/inbox?filter=all&q=hiring"))) == [
        "Hiring notes"
    ]
    nothing = html_of(editor_client.get("/feeds/inbox?filter=all&q=100%25_off"))
    assert titles(nothing) == [] and "No new items match “100%_off”" in nothing
    # The search keeps the filter: suggested items only.
    suggested = titles(html_of(editor_client.get("/feeds/inbox?q=small+business")))
    assert "Hosting choices" not in suggested and "Help desk habits" in suggested


def test_select_and_dismiss_then_undo(editor_client, session, acme, items):
    chosen = [items[0].id, items[2].id]
    response = editor_client.post(
        "/feeds/inbox/dismiss",
        data={"items": [str(i) for i in chosen], "next": "/feeds/inbox?filter=all"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/feeds/inbox?filter=all"
    page = html_of(editor_client.get("/feeds/inbox?filter=all"))
    assert "Dismissed 2 items." in page
    assert "Help desk habits" not in titles(page) and "Hiring notes" not in titles(page)
    assert sorted(undo_ids(page)) == sorted(chosen)
    session.expire_all()
    assert {session.get(FeedItem, i).state for i in chosen} == {"dismissed"}
    assert session.get(FeedItem, chosen[0]).dismissed_at is not None

    undone = editor_client.post(
        "/curation/items/undo",
        data={"items": [str(i) for i in chosen], "next": "/feeds/inbox?filter=all"},
    )
    assert undone.headers["Location"] == "/feeds/inbox?filter=all"
    page = html_of(editor_client.get("/feeds/inbox?filter=all"))
    assert "Restored 2 items to the inbox." in page
    assert {"Help desk habits", "Hiring notes"} <= set(titles(page))
    session.expire_all()
    assert {session.get(FeedItem, i).state for i in chosen} == {"new"}
    assert session.get(FeedItem, chosen[0]).dismissed_at is None


def test_single_dismiss_buttons_offer_undo_too(editor_client, session, items):
    item = items[1]
    editor_client.post(f"/feeds/items/{item.id}/dismiss", data={"next": "/feeds/inbox"})
    assert undo_ids(html_of(editor_client.get("/feeds/inbox"))) == [item.id]
    editor_client.post(f"/curation/items/{items[0].id}/dismiss", data={"next": "/feeds/inbox"})
    page = html_of(editor_client.get("/feeds/inbox"))
    assert "Dismissed 1 item." in page and undo_ids(page) == [items[0].id]


def test_dismissing_nothing_or_curated_items_changes_nothing(editor_client, session, items):
    response = editor_client.post("/feeds/inbox/dismiss", data={"next": "/feeds/inbox"})
    assert "Select the items to dismiss first" in html_of(editor_client.get("/feeds/inbox"))
    assert response.status_code == 302
    items[0].state = "curated"
    session.commit()
    editor_client.post("/feeds/inbox/dismiss", data={"items": [str(items[0].id), "x", "-1"]})
    session.expire_all()
    assert session.get(FeedItem, items[0].id).state == "curated"
    # An undo cannot turn a curated item back into a new one either.
    editor_client.post("/curation/items/undo", data={"items": [str(items[0].id)]})
    session.expire_all()
    assert session.get(FeedItem, items[0].id).state == "curated"


def test_mark_all_seen_covers_what_the_filters_keep(editor_client, session, items):
    page = html_of(editor_client.get("/feeds/inbox?filter=all"))
    assert page.count(">Unseen</span>") == len(items)
    response = editor_client.post("/feeds/inbox/seen", data={"filter": "all", "q": "pricing"})
    assert response.headers["Location"] == "/feeds/inbox?filter=all&q=pricing"
    page = html_of(editor_client.get("/feeds/inbox?filter=all"))
    assert "Marked 1 item seen." in page
    assert page.count(">Unseen</span>") == len(items) - 1
    unseen = titles(html_of(editor_client.get("/feeds/inbox?filter=all&unseen=1")))
    assert "Pricing pages" not in unseen and len(unseen) == len(items) - 1
    editor_client.post("/feeds/inbox/seen", data={"filter": "all"})
    assert titles(html_of(editor_client.get("/feeds/inbox?filter=all&unseen=1"))) == []
    session.expire_all()
    assert all(session.get(FeedItem, item.id).seen_at for item in items)


def test_viewers_can_search_but_not_triage(client, login, session, acme, items):
    login(acme["viewer"])
    html = html_of(client.get("/feeds/inbox?filter=all&q=pricing"))
    assert titles(html) == ["Pricing pages"]
    assert "Dismiss selected" not in html and "Mark all seen" not in html
    assert (
        client.post("/feeds/inbox/dismiss", data={"items": [str(items[0].id)]}).status_code == 403
    )
    assert client.post("/feeds/inbox/seen", data={}).status_code == 403
    assert (
        client.post("/curation/items/undo", data={"items": [str(items[0].id)]}).status_code == 403
    )


def test_other_workspaces_items_are_untouched(client, login, session, acme, globex, make_items):
    (theirs,) = make_items(globex["actor"], [SUGGESTED])
    login(acme["editor"])
    client.post("/feeds/inbox/dismiss", data={"items": [str(theirs.id)]})
    client.post("/feeds/inbox/seen", data={"filter": "all"})
    session.expire_all()
    row = session.get(FeedItem, theirs.id)
    assert row.state == "new" and row.seen_at is None
    assert feed_inbox.list_items(session, globex["actor"], unseen=True).total == 1
