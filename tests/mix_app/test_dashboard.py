"""The dashboard: the home page after signing in, with and without data, on every panel."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from planner.models import utcnow
from planner.services.feeds import admin as feed_admin
from planner.services.feeds.samples import DEMO_REASON
from tests.mix_app.fixtures import BLOCKING, SUGGESTED


def text(response) -> str:
    return response.get_data(as_text=True)


def section(html: str, heading_id: str) -> str:
    """The HTML of the dashboard panel whose heading has this id."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


@pytest.fixture
def editor_client(client, login, acme):
    login(acme["editor"])
    return client


def test_signing_in_lands_on_the_dashboard(client, acme):
    response = client.post(
        "/login", data={"email": "ed@example.com", "password": "correct horse battery"}
    )
    assert response.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_empty_workspace_shows_what_to_do_on_every_panel(editor_client):
    response = editor_client.get("/dashboard")
    html = text(response)
    assert response.status_code == 200
    assert "<title>Dashboard · Persona Planner</title>" in html and "<h1>Dashboard</h1>" in html
    assert 'data-share="—"' in html and "No content yet" in html
    assert "No scheduled or published pieces in the last 30 days" in html
    assert "No scheduled or published pieces in these ten weeks" in html
    assert "Nothing is scheduled for the next 7 days" in section(html, "upcoming-heading")
    assert "No draft is flagged" in section(html, "flagged-heading")
    suggested = section(html, "suggested-heading")
    assert "You do not follow any feeds yet" in suggested and 'href="/feeds/new"' in suggested
    assert "No feeds to watch yet" in section(html, "feeds-heading")


def test_with_data_every_panel_shows_it(editor_client, acme, make_piece, make_items, session):
    actor = acme["actor"]
    now = utcnow()
    make_piece(
        actor, at=now - timedelta(days=2), origin="curated", status="published", channel="LinkedIn"
    )
    upcoming = make_piece(
        actor,
        at=now + timedelta(days=1),
        origin="own",
        channel="Blog",
        personas=("Owner Olivia",),
        title="Coming soon",
    )
    make_piece(actor, at=None, status="draft", title="Risky draft", body=BLOCKING[1])
    make_items(actor, [SUGGESTED, BLOCKING], personas=["Owner Olivia"])
    broken = make_items(actor, [("Old", "<p>old</p>")])[0].feed
    broken.consecutive_failures, broken.last_status = 3, "error"
    broken.last_error = "HTTP 500 from the server"
    session.commit()

    html = text(editor_client.get("/dashboard"))
    mix = section(html, "mix-heading")
    assert 'data-share="50%"' in mix and "Too much own content" in mix
    assert "Schedule 3 more curated pieces by Sunday to reach 80% curated (now 1 of 2, 50%)." in mix
    linkedin = re.search(r"<th scope=\"row\">LinkedIn</th>(.*?)</tr>", mix, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', linkedin) == ["1", "0", "100%"]
    weeks = section(html, "weeks-heading")
    assert '<svg class="mix-chart"' in weeks and "<table" in weeks
    assert weeks.count('class="bar-curated"') >= 1 and weeks.count('class="bar-own"') >= 1
    coming = section(html, "upcoming-heading")
    assert "Coming soon" in coming and f'href="/pieces/{upcoming.id}"' in coming
    assert 'class="badge level-pass"' in coming and "Owner Olivia" in coming
    flagged = section(html, "flagged-heading")
    assert "Risky draft" in flagged and "level-block" in flagged
    suggested = section(html, "suggested-heading")
    assert "Help desk habits" in suggested and "RFP season" not in suggested
    assert suggested.count(">Curate<") == 1 and ">Dismiss<" in suggested
    feeds = section(html, "feeds-heading")
    assert broken.display_title in feeds and "HTTP 500 from the server" in feeds
    assert "Failing" in feeds


def test_demo_sample_feeds_are_not_alerts_but_a_paused_feed_is(
    editor_client, acme, make_items, session
):
    (item,) = make_items(acme["actor"], [SUGGESTED])
    feed = item.feed
    feed_admin.pause_feed(session, acme["actor"], feed)
    session.commit()
    assert "paused by an editor" in section(text(editor_client.get("/dashboard")), "feeds-heading")
    feed.pause_reason = DEMO_REASON
    session.commit()
    assert "No feed needs attention" in section(
        text(editor_client.get("/dashboard")), "feeds-heading"
    )


def test_the_window_selector(editor_client, acme, make_piece):
    make_piece(
        acme["actor"],
        at=datetime.now(UTC) - timedelta(days=20),
        origin="curated",
        status="published",
    )
    html = text(editor_client.get("/dashboard?window=7"))
    assert re.search(r'href="/dashboard\?window=7"\s+aria-current="true"', html)
    assert 'data-share="—"' in html  # 20 days ago is outside 7 days
    html = text(editor_client.get("/dashboard?window=90"))
    assert 'data-share="100%"' in html
    bad = editor_client.get("/dashboard?window=14")
    assert bad.status_code == 422
    assert 'id="window-error"' in text(bad) and "showing 30 days" in text(bad)


def test_viewers_read_the_dashboard_without_edit_buttons(client, login, acme, make_items):
    make_items(acme["actor"], [SUGGESTED], personas=["Owner Olivia"])
    login(acme["viewer"])
    html = text(client.get("/dashboard"))
    assert "Help desk habits" in html
    assert ">Curate<" not in html and ">Dismiss<" not in html and "New piece" not in html


def test_another_workspace_stays_out_of_the_dashboard(
    editor_client, globex, make_piece, make_items
):
    make_piece(
        globex["actor"],
        at=utcnow() + timedelta(hours=5),
        origin="curated",
        title="Globex secret plan",
    )
    make_items(globex["actor"], [SUGGESTED])
    html = text(editor_client.get("/dashboard"))
    assert "Globex secret plan" not in html and "Help desk habits" not in html
    assert 'data-share="—"' in html
