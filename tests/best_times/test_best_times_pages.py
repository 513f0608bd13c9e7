"""The heat map on the persona page and the Apply flow (current -> new, then saved)."""

from __future__ import annotations

import html
import json
import re

from planner.models import Persona


def test_persona_page_loads_the_best_times_section(client, login, acme, buyer):
    login(acme["viewer"])

    page = client.get(f"/personas/{buyer.id}").get_data(as_text=True)

    assert 'id="best-times"' in page
    assert f'hx-get="/personas/{buyer.id}/best-times"' in page
    assert f'href="/personas/{buyer.id}/best-times"' in page  # without JavaScript


def test_heat_map_with_current_and_suggested_windows(client, login, acme, buyer, plant_history):
    plant_history(buyer)
    login(acme["editor"])

    fragment = client.get(
        f"/personas/{buyer.id}/best-times", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    whole = client.get(f"/personas/{buyer.id}/best-times").get_data(as_text=True)

    assert "<html" not in fragment and "<html" in whole
    assert fragment.count('class="heat-cell') == 168
    assert "Tue 09:00–10:00: " in fragment
    assert fragment.count('class="heat-current"') == 5  # Mon-Fri 08:00-09:00
    assert 'class="heat-suggested"' in fragment
    assert "style=" not in fragment
    assert re.search(r"<td>Tue 09:00–11:00</td>\s*<td>[\d.]+%</td>", fragment)
    assert "From 300 posts" in fragment
    assert f"/personas/{buyer.id}/best-times/apply?window=0&amp;mode=add" in fragment


def test_not_enough_data_says_how_many_more(client, login, acme, buyer, plant_history):
    plant_history(buyer, posts=20)
    login(acme["viewer"])

    page = client.get(f"/personas/{buyer.id}/best-times").get_data(as_text=True)

    assert "Not enough data yet (20 posts; about 30 more needed)" in page
    assert "Suggested windows" not in page and "Apply" not in page


def test_viewer_sees_no_apply_and_cannot_apply(client, login, acme, buyer, plant_history):
    plant_history(buyer)
    login(acme["viewer"])

    page = client.get(f"/personas/{buyer.id}/best-times").get_data(as_text=True)
    refused = client.get(f"/personas/{buyer.id}/best-times/apply?window=0")

    assert "Suggested windows" in page and "Apply…" not in page
    assert refused.status_code == 403


def test_apply_shows_the_change_then_saves_it_with_a_new_revision(
    client, login, session, acme, buyer, plant_history
):
    plant_history(buyer)
    login(acme["editor"])
    revision = buyer.revision

    shown = client.get(f"/personas/{buyer.id}/best-times/apply?window=0&mode=replace")
    page = shown.get_data(as_text=True)
    windows = re.search(r'name="windows" value="([^"]*)"', page).group(1)
    saved = client.post(
        f"/personas/{buyer.id}/best-times/apply",
        data={
            "windows": html.unescape(windows),
            "revision": revision,
            "mode": "replace",
            "window": "0",
        },
    )

    assert shown.status_code == 200
    now, after = page.split('id="windows-now"')[1].split('id="windows-after"')
    assert "Mon Tue Wed Thu Fri 08:00–09:00" in now
    assert "Tue 09:00–11:00" in after and "08:00" not in after
    assert saved.status_code == 302 and saved.location.endswith(f"/personas/{buyer.id}")
    session.expire_all()
    stored = session.get(Persona, buyer.id)
    assert stored.posting_windows == [{"days": ["tue"], "start": "09:00", "end": "11:00"}]
    assert stored.revision == revision + 1


def test_apply_on_a_persona_changed_since_is_not_saved(
    client, login, session, acme, buyer, plant_history
):
    plant_history(buyer)
    login(acme["editor"])
    stale = buyer.revision - 1 if buyer.revision > 1 else buyer.revision + 5
    windows = json.dumps([{"days": ["tue"], "start": "09:00", "end": "11:00"}])

    response = client.post(
        f"/personas/{buyer.id}/best-times/apply",
        data={"windows": windows, "revision": stale, "mode": "add", "window": "0"},
    )

    assert response.status_code == 302 and "/best-times/apply" in response.location
    session.expire_all()
    assert session.get(Persona, buyer.id).posting_windows[0]["start"] == "08:00"
