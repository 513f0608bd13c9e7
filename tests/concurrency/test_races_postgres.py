"""Real concurrent clients against the live server on PostgreSQL: no 500, no lost update."""

from __future__ import annotations

from collections import Counter
from functools import partial

import sqlalchemy as sa

from tests.concurrency.helpers import error_of, http, postgres_only, race
from tests.helpers import persona_doc

pytestmark = postgres_only

THREADS = 10


def _statuses(replies) -> Counter:
    assert len(replies) == THREADS
    return Counter(reply.status for reply in replies)


def test_concurrent_keyword_patches_leave_one_clean_persona(live_server, acme, session):
    token = acme["editor_token"]
    created = http(
        live_server, "POST", "/api/v1/personas", token, persona_doc(keywords=[{"term": "base"}])
    )
    assert created.status == 201, created.body
    url = f"/api/v1/personas/{created.body['id']}"
    lists = [[{"term": "base"}, {"term": f"extra {i}", "weight": i + 1}] for i in range(THREADS)]

    replies = race(
        [partial(http, live_server, "PATCH", url, token, {"keywords": k}) for k in lists]
    )

    statuses = _statuses(replies)
    assert set(statuses) <= {200, 409, 412}, [r.body for r in replies if r.status >= 500]
    rows = session.execute(
        sa.text("SELECT term, count(*) FROM persona_keyword WHERE persona_id = :p GROUP BY term"),
        {"p": created.body["id"]},
    ).all()
    assert all(count == 1 for _, count in rows), rows
    stored = http(live_server, "GET", url, token).body
    assert [k["term"] for k in stored["keywords"]][0] == "base" and len(stored["keywords"]) == 2
    assert stored["revision"] == 1 + statuses[200]

    again = http(
        live_server, "PATCH", url, token, {"keywords": [{"term": "base"}, {"term": "after"}]}
    )
    assert again.status == 200, again.body


def test_concurrent_patches_with_one_etag_let_exactly_one_through(live_server, acme):
    token = acme["editor_token"]
    created = http(live_server, "POST", "/api/v1/personas", token, persona_doc())
    url = f"/api/v1/personas/{created.body['id']}"
    tag = created.headers["ETag"]

    replies = race(
        [
            partial(
                http, live_server, "PATCH", url, token, {"summary": f"take {i}"}, {"If-Match": tag}
            )
            for i in range(THREADS)
        ]
    )

    assert _statuses(replies) == Counter({200: 1, 412: THREADS - 1})
    winner = next(r for r in replies if r.status == 200)
    assert http(live_server, "GET", url, token).body["summary"] == winner.body["summary"]
    loser = next(r for r in replies if r.status == 412)
    assert error_of(loser.body)["code"] == "precondition_failed"


def test_concurrent_piece_saves_from_one_version_keep_one_and_refuse_the_rest(live_server, acme):
    token = acme["editor_token"]
    piece = http(
        live_server,
        "POST",
        "/api/v1/pieces",
        token,
        {"title": "Draft", "summary": "", "body": "Hi."},
    )
    assert piece.status == 201, piece.body
    url = f"/api/v1/pieces/{piece.body['id']}"

    replies = race(
        [
            partial(http, live_server, "PATCH", url, token, {"title": f"Title {i}", "version": 1})
            for i in range(THREADS)
        ]
    )

    assert _statuses(replies) == Counter({200: 1, 409: THREADS - 1})
    stored = http(live_server, "GET", url, token).body
    assert stored["version"] == 2
    assert stored["title"] == next(r for r in replies if r.status == 200).body["title"]


def test_concurrent_creates_of_one_persona_are_one_201_and_409s(live_server, acme, session):
    token = acme["editor_token"]
    replies = race(
        [
            partial(http, live_server, "POST", "/api/v1/personas", token, persona_doc())
            for _ in range(THREADS)
        ]
    )
    assert _statuses(replies) == Counter({201: 1, 409: THREADS - 1})
    for reply in replies:
        if reply.status == 409:
            assert error_of(reply.body)["details"] == {"name": "already taken"}
    assert session.scalar(sa.text("SELECT count(*) FROM persona")) == 1


def test_concurrent_creates_of_one_channel_in_any_case_are_one_201(live_server, acme, session):
    token = acme["editor_token"]
    names = ["Überblick", "überblick", "ÜBERBLICK", "Überblick "] * 3
    replies = race(
        [
            partial(http, live_server, "POST", "/api/v1/channels", token, {"name": name})
            for name in names[:THREADS]
        ]
    )
    assert _statuses(replies) == Counter({201: 1, 409: THREADS - 1})
    assert session.scalar(sa.text("SELECT count(*) FROM channel")) == 1


def test_concurrent_dismissals_of_one_match_are_one_201_and_409s(live_server, acme, session):
    token = acme["editor_token"]
    pete = http(live_server, "POST", "/api/v1/personas", token, persona_doc())
    piece = http(
        live_server,
        "POST",
        "/api/v1/pieces",
        token,
        {"title": "Install", "summary": "", "body": "We also run on-premise."},
    )
    assert piece.status == 201, piece.body
    dismissal = {
        "persona": pete.body["id"],
        "term": "on-premise",
        "text": "on-premise",
        "reason": "ok here",
    }
    url = f"/api/v1/pieces/{piece.body['id']}/dismissals"

    replies = race(
        [partial(http, live_server, "POST", url, token, dismissal) for _ in range(THREADS)]
    )

    assert _statuses(replies) == Counter({201: 1, 409: THREADS - 1})
    assert session.scalar(sa.text("SELECT count(*) FROM finding_dismissal")) == 1
