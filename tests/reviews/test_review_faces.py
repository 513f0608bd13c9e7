"""The review page, the persona page's history, the dashboard panel and `flask personas due`."""

from __future__ import annotations

import json
from datetime import timedelta

from planner.extensions import db
from planner.models import Persona, utcnow
from tests.pieces.helpers import BLOCKING
from tests.reviews.fixtures import DEAD_WORD


def _age(session, persona: Persona, days: int) -> None:
    """Make the persona `days` old, never reviewed."""
    persona.created_at = utcnow() - timedelta(days=days)
    session.commit()


def test_review_page_shows_the_evidence_and_mark_reviewed_records_the_note(
    client, login, session, acme, make_piece, pete_with_dead_word
):
    pete = pete_with_dead_word
    blocked = make_piece(title="Procurement pitch", body=BLOCKING)
    login(acme["editor"])

    page = client.get(f"/personas/{pete.id}/review").get_data(as_text=True)
    assert "Dead keywords" in page and DEAD_WORD in page
    assert f"/pieces/{blocked.id}" in page and "Procurement pitch" in page
    assert "None recorded" in page  # no lead screening wired in
    assert "Mark reviewed" in page

    response = client.post(f"/personas/{pete.id}/review", data={"note": "Checked with sales."})
    assert response.status_code == 302
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Checked with sales." in detail and acme["editor"].email in detail
    assert "Up to date" in detail and "1 dead keyword" in detail
    db.session.refresh(pete)
    assert pete.reviewed_at is not None


def test_a_long_note_is_refused_next_to_its_field_and_viewers_cannot_review(client, login, acme):
    pete = acme["pete"]
    login(acme["editor"])
    response = client.post(f"/personas/{pete.id}/review", data={"note": "x" * 4001})
    assert response.status_code == 422
    assert 'id="note-error"' in response.get_data(as_text=True)

    client.post("/logout")
    login(acme["viewer"])
    page = client.get(f"/personas/{pete.id}/review").get_data(as_text=True)
    assert "Mark reviewed" not in page
    assert client.post(f"/personas/{pete.id}/review", data={"note": ""}).status_code == 403


def test_dashboard_lists_personas_due_for_review(client, login, session, acme):
    login(acme["editor"])
    assert "No persona is due for review" in client.get("/dashboard").get_data(as_text=True)
    _age(session, acme["pete"], 100)
    page = client.get("/dashboard").get_data(as_text=True)
    assert f"/personas/{acme['pete'].id}/review" in page
    assert "10 days overdue" in page and "never reviewed" in page


def test_cli_due_exits_1_when_any_persona_is_due_0_when_none_2_on_errors(runner, session, acme):
    result = runner.invoke(args=["personas", "due", "--workspace", "Acme"])
    assert result.exit_code == 0, result.output
    assert "No persona is due" in result.output

    _age(session, acme["pete"], 91)
    result = runner.invoke(args=["personas", "due", "--workspace", "Acme"])
    assert result.exit_code == 1
    assert f"{acme['pete'].name}: last reviewed never, 1 day overdue" in result.output
    result = runner.invoke(args=["personas", "due", "--workspace", "Acme", "--format", "json"])
    assert result.exit_code == 1
    rows = json.loads(result.output)["due"]
    assert [(r["persona"], r["days_overdue"], r["last_reviewed"]) for r in rows] == [
        (acme["pete"].name, 1, None)
    ]

    result = runner.invoke(args=["personas", "due", "--workspace", "Nowhere"])
    assert result.exit_code == 2
