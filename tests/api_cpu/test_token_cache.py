"""A token verified a moment ago is not looked up again, yet every change to who may act
(revoking, a new role, leaving the workspace) applies to the very next request."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from planner.models import ApiToken, utcnow
from planner.services import accounts, accounts_members
from planner.services.access import VERIFIED_TOKENS, Actor, TokenActors


def test_a_token_verified_a_moment_ago_is_not_queried_again(api, counted_token_queries):
    assert api("GET", "/personas").status_code == 200
    assert len(counted_token_queries) == 1
    for _ in range(3):
        assert api("GET", "/personas").status_code == 200
    assert len(counted_token_queries) == 1


def test_revoking_applies_to_the_next_request(api, session, acme, counted_token_queries):
    assert api("GET", "/personas", role="owner").status_code == 200
    tokens = accounts.list_tokens(session, acme["owner_actor"])
    owner_token = next(t for t in tokens if t.user_id == acme["owner"].id)
    accounts.revoke_token(session, acme["owner_actor"], owner_token.id)
    session.commit()
    response = api("GET", "/personas", role="owner")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_a_new_role_applies_to_the_next_request(api, session, acme, counted_token_queries):
    assert api("POST", "/channels", json={"name": "first"}).status_code == 201
    accounts_members.change_role(session, acme["owner_actor"], acme["editor"].id, "viewer")
    session.commit()
    assert api("POST", "/channels", json={"name": "second"}).status_code == 403
    assert api("GET", "/channels").status_code == 200


def test_a_removed_member_is_refused_at_once(api, session, acme, counted_token_queries):
    assert api("GET", "/personas").status_code == 200
    accounts_members.remove_member(session, acme["owner_actor"], acme["editor"].id)
    session.commit()
    assert api("GET", "/personas").status_code == 401


def test_a_bulk_revocation_applies_to_the_next_request(api, session, counted_token_queries):
    assert api("GET", "/personas").status_code == 200
    session.execute(sa.update(ApiToken).values(revoked_at=utcnow()))
    session.commit()
    assert api("GET", "/personas").status_code == 401


def test_a_revocation_by_another_process_holds_within_seconds(
    api, session, app_ctx, counted_token_queries, monkeypatch
):
    """Another process's revocation is unseen here until the cached answer expires."""
    assert api("GET", "/personas").status_code == 200
    with app_ctx.extensions["sqlalchemy"].engine.begin() as elsewhere:  # not this session
        elsewhere.execute(sa.update(ApiToken).values(revoked_at=utcnow()))
    assert api("GET", "/personas").status_code == 200  # within the cache's few seconds
    later = VERIFIED_TOKENS.clock() + VERIFIED_TOKENS.seconds + 0.1
    monkeypatch.setattr(VERIFIED_TOKENS, "clock", lambda: later)
    assert api("GET", "/personas").status_code == 401


def test_last_used_is_still_marked_once_a_minute(
    api, session, acme, counted_token_queries, monkeypatch
):
    def last_used():
        session.expire_all()
        mine = ApiToken.user_id == acme["editor"].id
        return session.scalar(sa.select(ApiToken.last_used_at).where(mine))

    assert api("GET", "/personas").status_code == 200
    first = last_used()
    assert first is not None
    assert api("GET", "/personas").status_code == 200
    assert last_used() == first
    later = utcnow() + timedelta(seconds=accounts.TOKEN_TOUCH_SECONDS + 1)
    monkeypatch.setattr(accounts, "utcnow", lambda: later)
    assert api("GET", "/personas").status_code == 200
    assert last_used() == later


def test_a_lookup_older_than_a_change_is_not_kept():
    cache = TokenActors(seconds=60)
    actor = Actor(user_id=1, workspace_id=1, role="owner")
    before = cache.generation
    cache.forget_all()  # a revocation committed while the lookup ran
    cache.put("hash", actor, 1, None, before)
    assert cache.get("hash") is None
    cache.put("hash", actor, 1, None, cache.generation)
    assert cache.get("hash").actor == actor


def test_the_cache_stays_bounded():
    cache = TokenActors(seconds=60, size=3)
    actor = Actor(user_id=1, workspace_id=1, role="owner")
    for n in range(10):
        cache.put(f"hash-{n}", actor, n, None, cache.generation)
    assert len(cache._entries) <= 3 and cache.get("hash-9") is not None
