"""The API reads on a read-only database: token auth no longer writes on every call."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.engine import make_url

from planner.extensions import db
from planner.models import ApiToken, utcnow
from planner.services.access import VERIFIED_TOKENS

from .conftest import make_app


def _read_only(database_url: str) -> tuple[str, dict]:
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        options = {"connect_args": {"options": "-c default_transaction_read_only=on"}}
        return database_url, options
    return f"sqlite:///file:{url.database}?mode=ro&uri=true", {}


def _personas(client, token: str):
    return client.get("/api/v1/personas", headers={"Authorization": f"Bearer {token}"})


def test_api_reads_work_on_a_read_only_database(
    database_url, make_user, actor_for, make_persona, make_token, session
):
    user = make_user()
    make_persona(actor_for(user))
    token = make_token(user)  # never used: its first call wants to write last_used_at
    url, options = _read_only(database_url)
    app = make_app(url, options)
    try:
        client = app.test_client()
        for _ in range(3):
            answer = _personas(client, token)
            assert answer.status_code == 200, answer.get_data(as_text=True)
            assert [p["name"] for p in answer.get_json()["personas"]] == [
                "Enterprise Procurement Pete"
            ]
    finally:
        with app.app_context():
            db.engine.dispose()
    session.expire_all()
    assert session.scalar(select(ApiToken.last_used_at)) is None


def test_last_used_at_is_written_at_most_once_a_minute(client, make_user, make_token, session):
    token = make_token(make_user())
    assert _personas(client, token).status_code == 200
    first = session.scalar(select(ApiToken.last_used_at))
    assert first is not None
    assert _personas(client, token).status_code == 200
    session.expire_all()
    assert session.scalar(select(ApiToken.last_used_at)) == first

    row = session.scalar(select(ApiToken))
    row.last_used_at = utcnow() - timedelta(minutes=2)
    session.commit()
    VERIFIED_TOKENS.forget_all()  # two minutes on, this process's few-second cache is gone too
    assert _personas(client, token).status_code == 200
    session.expire_all()
    assert session.scalar(select(ApiToken.last_used_at)) > first
