"""Re-audits after a persona change: inline for small workspaces, a queued job for big ones."""

from __future__ import annotations

import os
import uuid

import pytest

from planner.services.personas import service as persona_service
from planner.services.personas.schema import validate_persona
from planner.services.pieces import audits as piece_audits
from planner.services.pieces import review as piece_review
from tests.helpers import persona_doc

ENTERPRISE = "We are proud of our enterprise customers."
STRICTER = persona_doc(
    keywords=[{"term": "on-premise", "weight": 3}, {"term": "enterprise", "weight": 6}]
)


def make_stricter(session, acme, monkeypatch) -> piece_audits.ReauditOutcome:
    """Change Pete's lexicon so every ENTERPRISE piece blocks; return what the hook did."""
    outcomes = []
    original = piece_audits.reaudit_for_persona

    def recording(session, persona):
        outcomes.append(original(session, persona))
        return outcomes[-1]

    with monkeypatch.context() as patch:
        patch.setattr(piece_audits, "reaudit_for_persona", recording)
        persona_service.update_persona(
            session, acme["owner_actor"], acme["pete"], validate_persona(STRICTER)
        )
    return outcomes[0]


def test_over_the_limit_without_a_queue_still_re_audits_inline(
    session, acme, make_piece, monkeypatch
):
    monkeypatch.setattr(piece_audits, "INLINE_REAUDIT_LIMIT", 1)
    pieces = [make_piece(title=f"P{i}", body=ENTERPRISE) for i in range(3)]
    outcome = make_stricter(session, acme, monkeypatch)
    session.commit()
    assert outcome == piece_audits.ReauditOutcome(audited=3, queued=0)
    assert {p.verdict for p in pieces} == {"block"}


@pytest.fixture
def redis_queue(app_ctx):
    """The app pointed at a local Redis, on a queue of its own that is emptied afterwards."""
    redis = pytest.importorskip("redis")
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    connection = redis.Redis.from_url(url)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis at {url} is unreachable: {error}")
        pytest.skip(f"Redis at {url} is unreachable: {error}")
    from rq import Queue

    name = f"test-reaudit-{uuid.uuid4().hex[:8]}"
    app_ctx.config.update(REDIS_URL=url, RQ_QUEUE=name)
    queue = Queue(name, connection=connection)
    yield queue
    queue.empty()
    queue.delete(delete_jobs=True)
    app_ctx.config.update(REDIS_URL=None, RQ_QUEUE=None)


@pytest.mark.redis
def test_big_workspace_queues_one_job_after_commit(
    session, acme, make_piece, monkeypatch, redis_queue
):
    monkeypatch.setattr(piece_audits, "INLINE_REAUDIT_LIMIT", 1)
    pieces = [make_piece(title=f"P{i}", body=ENTERPRISE) for i in range(3)]
    published = make_piece(title="Out", body=ENTERPRISE, status="published")

    make_stricter(session, acme, monkeypatch)
    session.rollback()  # a rolled-back change queues nothing
    assert redis_queue.count == 0

    outcome = make_stricter(session, acme, monkeypatch)
    assert outcome == piece_audits.ReauditOutcome(audited=0, queued=3)
    assert redis_queue.count == 0  # not before the new version is committed
    session.commit()
    assert redis_queue.count == 1
    job = redis_queue.jobs[0]
    assert job.func_name == "planner.tasks.reaudit_pieces"
    assert job.args == (acme["actor"].workspace_id, acme["pete"].id)

    states = piece_review.review_states(session, acme["actor"].workspace_id, pieces)
    assert all(state.stale for state in states.values())  # "re-audit pending" meanwhile
    assert {p.verdict for p in pieces} == {"pass"}

    from rq import SimpleWorker

    SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)
    assert job.get_status(refresh=True) == "finished", job.latest_result()
    assert job.return_value()["audited"] == 3
    session.expire_all()
    assert {p.verdict for p in pieces} == {"block"}
    assert published.verdict == "pass"
    states = piece_review.review_states(session, acme["actor"].workspace_id, pieces)
    assert not any(state.stale for state in states.values())
