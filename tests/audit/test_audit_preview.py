"""The live preview fragment and the Quick audit page, through the test client."""

import re

import pytest

TEXT = "🎉 We install On-premise for you."


@pytest.fixture
def signed_in(client, acme, login):
    user, _, _, _ = acme
    login(user)
    return client


def test_preview_returns_the_panel_and_the_highlighted_source(signed_in, acme):
    _, _, pete, olivia = acme
    response = signed_in.post(
        "/audit/preview",
        data={"text": TEXT, "format": "plain", "target_personas": [str(olivia.id)]},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-verdict="warn"' in html
    assert f'data-persona="{pete.name}" data-level="warn"' in html
    start = TEXT.index("On-premise")  # code points: the emoji is one
    assert (
        f'data-start="{start}" data-end="{start + 10}" data-match="On-premise"\n'
        '              data-replacement="Hosted for you"'
    ) in html
    mark = re.search(
        r'<mark class="hl hl-negative" data-persona="([^"]+)" tabindex="0">([^<]+)'
        r'<span class="hl-who"> \(\1 \(negative persona\)',
        html,
    )
    assert mark and mark.groups() == (pete.name, "On-premise")
    assert "Nothing in the text speaks to Owner Olivia" in html
    assert 'id="audit-highlight" hx-swap-oob="innerHTML"' in html


def test_preview_escapes_the_source(signed_in):
    response = signed_in.post(
        "/audit/preview", data={"text": "<script>alert(1)</script> on-premise", "format": "html"}
    )
    html = response.get_data(as_text=True)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_preview_errors_are_fragments_with_the_right_status(signed_in, globex, client):
    _, _, secret = globex
    bad_format = signed_in.post("/audit/preview", data={"text": "x", "format": "docx"})
    assert bad_format.status_code == 422
    assert "must be one of plain, markdown, html" in bad_format.get_data(as_text=True)
    foreign = signed_in.post(
        "/audit/preview",
        data={"text": "x", "format": "plain", "target_personas": [str(secret.id)]},
    )
    assert foreign.status_code == 422 and "Globex" not in foreign.get_data(as_text=True)
    junk = signed_in.post(
        "/audit/preview", data={"text": "x", "format": "plain", "target_personas": ["abc"]}
    )
    assert junk.status_code == 422
    too_long = signed_in.post("/audit/preview", data={"text": "a" * 500_001, "format": "plain"})
    assert too_long.status_code == 413 and 'data-audit-part="panel"' in too_long.get_data(
        as_text=True
    )
    empty = signed_in.post("/audit/preview", data={"text": "  ", "format": "plain"})
    assert empty.status_code == 200 and "Type or paste some text" in empty.get_data(as_text=True)


def test_preview_when_signed_out_is_a_401_fragment(client):
    response = client.post("/audit/preview", data={"text": "x", "format": "plain"})
    assert response.status_code == 401
    assert "Sign in again" in response.get_data(as_text=True)


def test_preview_needs_the_csrf_header(signed_in, csrf_app):
    page = signed_in.get("/audit").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    data = {"text": "on-premise", "format": "plain"}
    assert signed_in.post("/audit/preview", data=data).status_code == 400
    ok = signed_in.post("/audit/preview", data=data, headers={"X-CSRFToken": token})
    assert ok.status_code == 200 and 'data-verdict="warn"' in ok.get_data(as_text=True)


def test_quick_audit_page_is_in_the_nav_with_labelled_fields(signed_in, acme):
    _, _, _, olivia = acme
    html = signed_in.get("/audit").get_data(as_text=True)
    assert "<title>Quick audit · Persona Planner</title>" in html
    assert '<a href="/audit" aria-current="page">Quick audit</a>' in html
    assert "<h1>Quick audit</h1>" in html
    for field_id in ("audit-text", "audit-format", f"target-{olivia.id}"):
        assert f'<label for="{field_id}">' in html
    assert "data-audit-source" in html and 'id="audit-panel"' in html
    assert "js/audit.js" in html


def test_quick_audit_works_without_javascript(signed_in):
    response = signed_in.post("/audit", data={"text": "on-premise on premise", "format": "plain"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-verdict="block"' in html
    assert '<mark class="hl hl-negative"' in html
    bad = signed_in.post("/audit", data={"text": "keep me", "format": "docx"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert '<small class="field-error" id="format-error">' in html
    assert ">keep me</textarea>" in html


def test_quick_audit_needs_a_sign_in(client):
    response = client.get("/audit")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
