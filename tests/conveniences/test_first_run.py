"""An empty workspace's dashboard says what to do first, each step a link, ticked when done."""

from __future__ import annotations

from planner.models import Feed
from planner.services import channels as channel_service
from planner.services.pieces import service as piece_service


def steps(page: str) -> dict[str, str]:
    """Each step of the "Get started" list: its key and its HTML."""
    start = page.index('id="first-run-heading"')
    section = page[start : page.index("</section>", start)]
    found = {}
    for chunk in section.split('<li class="setup-step ')[1:]:
        key = chunk.split('data-step="')[1].split('"')[0]
        found[key] = chunk
    return found


def test_a_new_workspace_is_shown_its_first_steps_as_links(client, login, make_user):
    make_user("new@example.com", "Fresh", "owner")
    login("new@example.com")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Get started" in page and "(0 of 4 done)" in page
    found = steps(page)
    assert list(found) == ["personas", "channel", "feed", "piece"]
    assert 'href="/personas/new"' in found["personas"] and 'href="/personas/"' in found["personas"]
    assert 'href="/channels/"' in found["channel"]
    assert 'href="/feeds/new"' in found["feed"]
    assert 'href="/pieces/new"' in found["piece"]
    assert all(chunk.startswith("setup-step-todo") for chunk in found.values())


def test_steps_are_ticked_as_they_are_done_and_the_list_goes_when_all_are(
    client, login, make_user, actor_for, make_persona, session
):
    owner = make_user("new@example.com", "Fresh", "owner")
    actor = actor_for(owner, "Fresh")
    make_persona(actor)
    channel_service.create_channel(session, actor, {"name": "Blog", "kind": "blog"})
    session.commit()
    login(owner)
    found = steps(client.get("/dashboard").get_data(as_text=True))
    for key in ("personas", "channel"):
        assert found[key].startswith("setup-step-done") and "✓" in found[key]
        assert "href=" not in found[key]  # nothing left to do there
    assert found["feed"].startswith("setup-step-todo") and 'href="/feeds/new"' in found["feed"]

    session.add(Feed(workspace_id=actor.workspace_id, url="https://example.com/feed.xml"))
    piece_service.create_piece(session, actor, {"title": "First"})
    session.commit()
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Get started" not in page
    assert 'id="mix-heading"' in page  # the usual dashboard


def test_viewers_see_the_steps_without_links(client, login, make_user):
    make_user("boss@example.com", "Fresh", "owner")
    make_user("look@example.com", "Fresh", "viewer")
    login("look@example.com")
    page = client.get("/dashboard").get_data(as_text=True)
    assert all("href=" not in chunk for chunk in steps(page).values())
    assert "An editor or owner of Fresh takes these steps." in page
