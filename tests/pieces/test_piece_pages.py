"""The Drafts list, the editor and the channels page, through the test client."""

from __future__ import annotations

from datetime import UTC, datetime

from planner.models import Piece, Workspace
from planner.services.personas import service as persona_service
from planner.services.personas.schema import validate_persona
from planner.services.pieces import audits as piece_audits
from tests.helpers import persona_doc
from tests.pieces.helpers import BLOCKING, CLEAN, WARNING


def form_for(**fields) -> dict:
    data = {
        "title": "From the form",
        "body": CLEAN,
        "format": "plain",
        "content_type": "article",
        "origin": "own",
        "source_url": "",
        "channel": "",
        "status": "draft",
        "scheduled_at": "",
    }
    data.update(fields)
    return data


def test_list_shows_verdicts_and_filters_without_js(client, login, acme, make_piece, blog):
    make_piece(title="Clean one", body=CLEAN, channel="Blog", target_personas=["Owner Olivia"])
    make_piece(title="Warned one", body=WARNING, content_type="video")
    make_piece(title="Blocked one", body=BLOCKING, status="idea")
    login(acme["viewer"])
    page = client.get("/pieces/").get_data(as_text=True)
    assert "<h1>Drafts</h1>" in page
    for title in ("Clean one", "Warned one", "Blocked one"):
        assert title in page
    assert 'class="badge level-block"' in page and 'class="badge level-warn"' in page
    assert "New piece" not in page  # viewers read only

    def titles(query: str) -> set[str]:
        html = client.get(f"/pieces/?{query}").get_data(as_text=True)
        return {t for t in ("Clean one", "Warned one", "Blocked one") if f">{t}</a>" in html}

    assert titles("verdict=warn") == {"Warned one"}
    assert titles("status=idea") == {"Blocked one"}
    assert titles("channel=Blog") == {"Clean one"}
    assert titles("persona=Owner+Olivia") == {"Clean one"}
    assert titles("content_type=video") == {"Warned one"}
    assert titles("verdict=block&content_type=video") == set()
    response = client.get("/pieces/?verdict=awful")
    assert response.status_code == 422
    assert 'id="verdict-error"' in response.get_data(as_text=True)


def test_stale_marker_and_reaudit_button(client, login, session, acme, make_piece):
    piece = make_piece(title="Lifetime", body="Grab our lifetime deal today.")
    persona_service.create_persona(
        session,
        acme["owner_actor"],
        validate_persona(
            persona_doc(name="Bargain Bea", keywords=[{"term": "lifetime deal", "weight": 5}])
        ),
    )
    session.commit()
    login(acme["editor"])
    page = client.get("/pieces/").get_data(as_text=True)
    assert "re-audit pending" in page and "Re-audit now" in page
    response = client.post("/pieces/reaudit")
    assert response.status_code == 302
    page = client.get("/pieces/").get_data(as_text=True)
    assert "re-audit pending" not in page
    session.expire_all()
    assert piece_audits.latest_audit(session, piece.id).verdict == "block"


def test_editor_renders_with_live_audit_contract(client, login, acme, make_piece):
    piece = make_piece(title="Install options", body=WARNING, target_personas=["Owner Olivia"])
    login(acme["editor"])
    page = client.get(f"/pieces/{piece.id}").get_data(as_text=True)
    assert "<title>Install options · Persona Planner</title>" in page
    assert "data-audit-source" in page and f'data-audit-url="/pieces/{piece.id}/preview"' in page
    assert 'id="audit-panel"' in page and 'id="audit-highlight"' in page
    assert 'data-verdict="warn"' in page
    assert '<mark class="hl hl-negative"' in page
    assert f'name="target_personas" value="{acme["olivia"].id}" checked' in page
    assert "Audit history" in page and "Dismiss…" in page
    assert "js/audit.js" in page
    new = client.get("/pieces/new").get_data(as_text=True)
    assert 'data-audit-url="/audit/preview"' in new and "<h1>New piece</h1>" in new


def test_create_through_the_form_converts_local_time(client, login, session, acme, blog):
    session.get(Workspace, acme["actor"].workspace_id).timezone = "Europe/London"
    session.commit()
    login(acme["editor"])
    response = client.post(
        "/pieces/new",
        data=form_for(
            body="Line one\r\nOur help desk runs on-premise.",
            channel="Blog",
            status="scheduled",
            scheduled_at="2026-07-01T09:30",
            target_personas=[str(acme["olivia"].id)],
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved “From the form”. Verdict: warn." in page
    assert 'value="2026-07-01T09:30"' in page
    piece = session.query(Piece).one()
    assert piece.scheduled_at == datetime(2026, 7, 1, 8, 30, tzinfo=UTC)  # BST is UTC+1
    assert piece.body == "Line one\nOur help desk runs on-premise."
    assert piece.channel.name == "Blog"


def test_form_errors_show_next_to_fields_and_keep_the_text(client, login, acme):
    login(acme["editor"])
    response = client.post(
        "/pieces/new",
        data=form_for(title="", body=WARNING, status="scheduled", scheduled_at="", channel="Fax"),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="title-error"' in page and 'id="channel-error"' in page
    assert 'id="scheduled_at-error"' in page
    assert WARNING in page  # nothing typed is lost
    assert 'data-verdict="warn"' in page  # and it is audited as it stands


def test_blocked_piece_cannot_be_scheduled_from_the_editor(client, login, acme, make_piece):
    piece = make_piece(title="RFP", body=BLOCKING)
    login(acme["editor"])
    response = client.post(
        f"/pieces/{piece.id}",
        data=form_for(
            title="RFP", body=BLOCKING, status="scheduled", scheduled_at="2026-12-01T10:00"
        ),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="status-error"' in page and "blocked by the audit" in page
    assert "Override the block" not in page  # editors cannot override
    assert "ask an owner" in page


def test_owner_override_and_dismissal_forms(client, login, session, acme, make_piece):
    piece = make_piece(title="RFP", body=BLOCKING)
    login(acme["owner"])
    page = client.get(f"/pieces/{piece.id}").get_data(as_text=True)
    assert "Override the block" in page
    response = client.post(f"/pieces/{piece.id}/override", data={"reason": " "})
    assert response.status_code == 422
    assert 'id="override-error"' in response.get_data(as_text=True)
    client.post(f"/pieces/{piece.id}/override", data={"reason": "Customer quote."})
    page = client.get(f"/pieces/{piece.id}").get_data(as_text=True)
    assert "Overridden" in page and "Customer quote." in page

    response = client.post(
        f"/pieces/{piece.id}/dismissals",
        data={
            "persona": acme["pete"].id,
            "term": "on-premise",
            "text": "on-premise",
            "reason": "",
        },
    )
    assert response.status_code == 302
    assert "Not dismissed" in client.get(response.headers["Location"]).get_data(as_text=True)
    client.post(
        f"/pieces/{piece.id}/dismissals",
        data={
            "persona": acme["pete"].id,
            "term": "on-premise",
            "text": "on-premise",
            "reason": "We say hosted right after.",
        },
    )
    session.expire_all()
    assert piece_audits.latest_audit(session, piece.id).verdict == "pass"
    page = client.get(f"/pieces/{piece.id}").get_data(as_text=True)
    assert "We say hosted right after." in page and "Count it again" in page


def test_viewer_sees_the_editor_read_only(client, login, acme, make_piece):
    piece = make_piece()
    login(acme["viewer"])
    page = client.get(f"/pieces/{piece.id}").get_data(as_text=True)
    assert '<fieldset class="editor-fields" disabled>' in page
    assert "Save and audit" not in page
    assert client.post(f"/pieces/{piece.id}", data=form_for()).status_code == 403
    assert client.get("/pieces/new").status_code == 403
    assert client.post(f"/pieces/{piece.id}/delete").status_code == 403


def test_preview_applies_the_pieces_dismissals(client, login, session, acme, make_piece):
    from planner.services.pieces import review as piece_review

    piece = make_piece(body=WARNING)
    piece_review.dismiss(
        session,
        acme["actor"],
        piece,
        {"persona": acme["pete"].id, "term": "on-premise", "text": "on-premise", "reason": "ok"},
    )
    session.commit()
    login(acme["viewer"])
    response = client.post(
        f"/pieces/{piece.id}/preview", data={"text": WARNING + " More.", "format": "plain"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-verdict="pass"' in html and "hl-dismissed" in html
    response = client.post(f"/pieces/{piece.id}/preview", data={"text": "x", "format": "rtf"})
    assert response.status_code == 422 and "audit-error" in response.get_data(as_text=True)


def test_other_workspaces_piece_is_404(client, login, acme, globex):
    login(acme["owner"])
    assert client.get(f"/pieces/{globex['piece'].id}").status_code == 404
    assert client.post(f"/pieces/{globex['piece'].id}/delete").status_code == 404


def test_channels_page(client, login, acme, make_piece, blog):
    make_piece(channel="Blog")
    login(acme["editor"])
    page = client.get("/channels/").get_data(as_text=True)
    assert "<h1>Channels</h1>" in page and "Blog" in page and "4 h" in page
    response = client.post("/channels/", data={"name": "", "kind": "blog", "min_gap_minutes": "x"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="name-error"' in html and 'id="min_gap_minutes-error"' in html
    response = client.post("/channels/", data={"name": "blog", "kind": "blog"})
    assert response.status_code == 409 and "already taken" in response.get_data(as_text=True)
    assert (
        client.post(
            "/channels/", data={"name": "X", "kind": "x", "min_gap_minutes": "60"}
        ).status_code
        == 302
    )
    response = client.post(f"/channels/{blog.id}/delete")
    assert "was not deleted" in client.get(response.headers["Location"]).get_data(as_text=True)
    response = client.post(
        f"/channels/{blog.id}/edit",
        data={"name": "Company blog", "kind": "blog", "min_gap_minutes": "90"},
    )
    assert response.status_code == 302
    assert "Company blog" in client.get("/channels/").get_data(as_text=True)


def test_a_published_piece_shows_as_history_and_refuses_a_new_time(
    client, login, session, acme, make_piece
):
    piece = make_piece(title="Out", status="published", scheduled_at="2024-03-02T09:00:00+01:00")
    login(acme["editor"])
    page = client.get(f"/pieces/{piece.id}").get_data(as_text=True)
    assert "its time and text are history" in page
    assert '<fieldset class="history-fields" disabled>' in page
    response = client.post(
        f"/pieces/{piece.id}",
        data=form_for(title="Out", status="published", scheduled_at="2031-01-01T09:00"),
    )
    assert response.status_code == 409
    assert "cannot change" in response.get_data(as_text=True)
    session.refresh(piece)
    assert piece.scheduled_at.year == 2024


def test_an_owner_approves_a_blocked_save_from_the_editor(client, login, session, acme):
    login(acme["owner"])
    document = form_for(
        title="Quote", body=BLOCKING, status="scheduled", scheduled_at="2031-01-01T09:00"
    )
    refused = client.post("/pieces/new", data=document)
    assert refused.status_code == 422
    assert "Approve a block in this save" in refused.get_data(as_text=True)
    response = client.post("/pieces/new", data={**document, "override_reason": "Quoted."})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Overridden" in page and "Quoted." in page and "history-override" in page
