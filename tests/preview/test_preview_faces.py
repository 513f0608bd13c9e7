"""The preview through the API, `flask personas import --dry-run` and the persona form."""

from __future__ import annotations

import re

from tests.helpers import persona_doc
from tests.preview.helpers import snapshot

FREE_PETE = [*persona_doc()["keywords"], {"term": "free", "weight": 5}]


def test_api_previews_a_change_and_a_new_persona_without_saving(session, client, acme, make_token):
    headers = {"Authorization": f"Bearer {make_token(acme['editor'])}"}
    before = snapshot(session)
    pete = acme["pete"]
    changed = client.post(
        f"/api/v1/personas/{pete.id}/preview", headers=headers, json={"keywords": FREE_PETE}
    )
    assert changed.status_code == 200, changed.json
    body = changed.json
    assert {r["id"] for r in body["newly_blocked"] if r["kind"] == "piece"} == {
        acme["pieces"]["free_scheduled"].id,
        acme["pieces"]["free_draft"].id,
    }
    assert body["keywords"][0]["change"] == "added"
    assert body["keywords"][0]["items"]["texts"] == 1
    assert len(body["keywords"][0]["pieces"]["examples"]) <= 5
    new = client.post(
        "/api/v1/personas/preview",
        headers=headers,
        json=persona_doc(name="Freeloader", keywords=[{"term": "free", "weight": 2}]),
    )
    assert new.status_code == 200 and new.json["persona"]["id"] is None
    assert new.json["newly_warned"]
    assert snapshot(session) == before


def test_api_preview_gives_validation_errors_like_the_update(client, acme, make_token):
    headers = {"Authorization": f"Bearer {make_token(acme['editor'])}"}
    pete = acme["pete"]
    bad = {"keywords": [{"term": "x", "weight": 0}]}
    preview = client.post(f"/api/v1/personas/{pete.id}/preview", headers=headers, json=bad)
    update = client.patch(f"/api/v1/personas/{pete.id}", headers=headers, json=bad)
    assert preview.status_code == update.status_code == 422
    assert preview.json["error"]["details"] == update.json["error"]["details"]
    document = client.get("/api/v1/openapi.json", headers=headers).json
    assert "post" in document["paths"]["/personas/{id}/preview"]
    assert "PersonaPreview" in document["components"]["schemas"]


def test_dry_run_import_prints_the_impact_and_writes_nothing(session, runner, acme, tmp_path):
    path = tmp_path / "personas.yaml"
    path.write_text(
        "personas:\n"
        "  - name: Enterprise Procurement Pete\n"
        "    kind: negative\n"
        "    thresholds: {warn: 2, block: 5}\n"
        "    keywords: [{term: on-premise, weight: 3}, {term: free, weight: 5}]\n"
        "  - name: Freeloader\n"
        "    kind: negative\n"
        "    keywords: [{term: forever, weight: 2}]\n",
        encoding="utf-8",
    )
    before = snapshot(session)
    result = runner.invoke(
        args=["personas", "import", str(path), "--workspace", "Acme", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Enterprise Procurement Pete: updated" in lines
    assert "  Adding `free`: 5 matches in 2 pieces, 2 matches in 1 feed item" in lines
    assert "  Removing `request for proposal`: no matches" in lines
    assert any(line.startswith("  1 scheduled piece, ") for line in lines)
    assert "Freeloader: added" in lines
    assert lines[-1] == "Dry run: 1 would be created, 1 updated, 0 unchanged; nothing was written."
    assert snapshot(session) == before


def _form(pete, **changes) -> dict:
    data = {
        "name": pete.name,
        "kind": "negative",
        "timezone": "America/New_York",
        "warn": "2",
        "block": "5",
        "keywords-0-term": "on-premise",
        "keywords-0-weight": "3",
        "keywords-1-term": "request for proposal",
        "keywords-1-weight": "1",
        "revision": str(pete.revision),
    }
    data.update(changes)
    return data


def test_form_preview_then_save_applies_what_was_previewed(session, client, login, acme):
    login(acme["editor"])
    pete = acme["pete"]
    url = f"/personas/{pete.id}/edit"
    adding = {"keywords-2-term": "free", "keywords-2-weight": "5"}
    before = snapshot(session)
    shown = client.post(url, data=_form(pete, action="preview", **adding))
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "Adding `free`: 5 matches in 2 pieces" in html
    assert "1 scheduled piece, 1 other piece and 1 feed item would become Block" in html
    assert f'href="/pieces/{acme["pieces"]["free_scheduled"].id}"' in html
    assert snapshot(session) == before
    fingerprint = re.search(r'name="preview_fingerprint" value="([0-9a-f]+)"', html).group(1)
    live = client.post(f"/personas/{pete.id}/preview", data=_form(pete, **adding))
    assert f'value="{fingerprint}"' in live.get_data(as_text=True)
    saved = client.post(url, data=_form(pete, preview_fingerprint=fingerprint, **adding))
    assert saved.status_code == 302
    session.expire_all()
    assert acme["pieces"]["free_scheduled"].verdict == "block"


def test_form_save_recomputes_a_preview_the_content_outran(session, client, login, acme):
    login(acme["editor"])
    pete = acme["pete"]
    adding = {"keywords-2-term": "free", "keywords-2-weight": "5"}
    html = client.post(
        f"/personas/{pete.id}/edit", data=_form(pete, action="preview", **adding)
    ).get_data(as_text=True)
    fingerprint = re.search(r'name="preview_fingerprint" value="([0-9a-f]+)"', html).group(1)
    acme["pieces"]["clean"].body += " Free."  # someone edits a draft meanwhile
    session.commit()
    refused = client.post(
        f"/personas/{pete.id}/edit", data=_form(pete, preview_fingerprint=fingerprint, **adding)
    )
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "changed since your preview" in text
    assert "3 pieces" in text or "2 other pieces" in text
    session.expire_all()
    assert pete.version == 1 and acme["pieces"]["free_scheduled"].verdict == "pass"


def test_new_persona_form_previews_live_and_on_the_button(client, login, acme):
    login(acme["editor"])
    form = {
        "name": "Freeloader",
        "kind": "negative",
        "timezone": "UTC",
        "keywords-0-term": "free",
        "keywords-0-weight": "2",
    }
    live = client.post("/personas/preview", data=form).get_data(as_text=True)
    assert "Adding `free`" in live and "would become Warn" in live
    half_typed = client.post("/personas/preview", data={**form, "name": ""})
    assert "Fix the form's problems" in half_typed.get_data(as_text=True)
    page = client.post("/personas/new", data={**form, "action": "preview"})
    assert page.status_code == 200 and "would become Warn" in page.get_data(as_text=True)
