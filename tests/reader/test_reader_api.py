"""The same reader conveniences through the API: search, bulk dismiss, undo, mark seen."""

from __future__ import annotations

from tests.mix_app.fixtures import SUGGESTED, WARNING

PRICING = ("Pricing pages", "<p>How a small business prices its help desk plans.</p>")


def test_bulk_dismiss_restore_seen_and_search(client, make_token, session, acme, make_items):
    first, second, third = make_items(acme["actor"], [SUGGESTED, PRICING, WARNING])
    headers = {"Authorization": f"Bearer {make_token(acme['editor'])}"}
    found = client.get(f"/api/v1/feeds/{first.feed_id}/items?q=PRICES", headers=headers).json
    assert [i["title"] for i in found["items"]] == ["Pricing pages"] and found["total"] == 1

    dismissed = client.post(
        "/api/v1/items/dismiss", json={"items": [first.id, second.id, 999_999]}, headers=headers
    )
    assert dismissed.status_code == 200 and dismissed.json == {"dismissed": [first.id, second.id]}
    items = client.get(f"/api/v1/feeds/{first.feed_id}/items?state=dismissed", headers=headers)
    assert all(i["dismissed_at"] for i in items.json["items"]) and items.json["total"] == 2
    restored = client.post("/api/v1/items/restore", json={"items": [first.id]}, headers=headers)
    assert restored.json == {"restored": [first.id]}

    seen = client.post("/api/v1/items/seen", json={"q": "small business"}, headers=headers)
    assert seen.json == {"marked_seen": 2}  # Help desk habits and Hosting choices (new ones)
    unseen = client.get(f"/api/v1/feeds/{first.feed_id}/items?unseen=true", headers=headers)
    assert [i["id"] for i in unseen.json["items"]] == [second.id]  # dismissed, so not marked

    # Bad bodies are 422s, viewers 403s.
    item = first
    for body in ({"items": "1"}, {"items": [True]}, {"items": [1], "x": 1}, {}):
        response = client.post("/api/v1/items/dismiss", json=body, headers=headers)
        assert response.status_code == 422, body
    assert client.post("/api/v1/items/seen", json={"q": 3}, headers=headers).status_code == 422
    viewer = {"Authorization": f"Bearer {make_token(acme['viewer'])}"}
    response = client.post("/api/v1/items/dismiss", json={"items": [item.id]}, headers=viewer)
    assert response.status_code == 403
