"""The "Screen leads" page: upload, map once, results, annotated CSV, settings, kept leads."""

from __future__ import annotations

import csv
import io
import re

import sqlalchemy as sa

from planner.models import LeadMapping, ScreenedLead, Workspace
from tests.leads_faces.fixtures import CANONICAL, CLEAN, PLANTED, keep_on

OTHER_HEADERS = "Full Name;E-mail;Title;Employees;Notes;Phone\n"
OTHER_ROW = "Pat Buyer;pat@bigcorp.example;Procurement Manager;8000;Send the RFP;555\n"


def _upload(client, content: bytes, filename: str = "leads.csv", **form):
    data = {"file": (io.BytesIO(content), filename), **form}
    return client.post("/leads/", data=data, content_type="multipart/form-data")


def _kept(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(ScreenedLead))


def _carried(html: str) -> str:
    return re.search(r'name="upload" value="([^"]+)"', html).group(1)


def test_a_canonical_csv_shows_results_with_reasons_and_keeps_nothing(
    client, login, leads_acme, session
):
    login(leads_acme["editor"])
    page = client.get("/leads/")
    assert page.status_code == 200
    assert "Nothing about a lead is kept." in page.get_data(as_text=True)
    response = _upload(client, (CANONICAL + PLANTED + CLEAN).encode())
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "2 leads screened: 1 qualify, 0 to review, 1 disqualified." in html
    assert "Procurement Pat" in html and "“Procurement Manager” matched" in html
    assert "Owner Olivia" in html
    assert _kept(session) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(LeadMapping)) == 0


def test_other_headers_are_mapped_once_and_the_mapping_is_reused(
    client, login, leads_acme, session
):
    login(leads_acme["editor"])
    first = _upload(client, (OTHER_HEADERS + OTHER_ROW).encode())
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and "Map the file's columns" in html
    assert 'id="results-heading"' not in html
    mapped = client.post(
        "/leads/",
        data={
            "mapping": "1",
            "upload": _carried(html),
            "map-name": "Full Name",
            "map-email": "E-mail",
            "map-job_title": "Title",
            "map-company_size": "Employees",
            "map-message": "Notes",
        },
        content_type="multipart/form-data",
    )
    html = mapped.get_data(as_text=True)
    assert mapped.status_code == 200, html
    assert "1 lead screened: 0 qualify, 0 to review, 1 disqualified." in html

    again = _upload(client, (OTHER_HEADERS + OTHER_ROW + OTHER_ROW).encode())
    html = again.get_data(as_text=True)
    assert "Map the file" not in html
    assert "2 leads screened: 0 qualify, 0 to review, 2 disqualified." in html
    # The other workspace has no mapping for these headers.
    assert session.scalar(sa.select(sa.func.count()).select_from(LeadMapping)) == 1


def test_a_mapping_without_any_screened_column_is_asked_again(client, login, leads_acme):
    login(leads_acme["editor"])
    html = _upload(client, (OTHER_HEADERS + OTHER_ROW).encode()).get_data(as_text=True)
    response = client.post(
        "/leads/",
        data={"mapping": "1", "upload": _carried(html), "map-name": "Full Name"},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Map the file's columns" in html and "Missing columns" in html
    duplicate = client.post(
        "/leads/",
        data={
            "mapping": "1",
            "upload": _carried(html),
            "map-name": "Title",
            "map-job_title": "Title",
        },
        content_type="multipart/form-data",
    )
    assert duplicate.status_code == 422
    assert "uses the column name already uses" in duplicate.get_data(as_text=True)


def test_bad_files_get_a_clear_error_on_the_page_and_nothing_is_stored(
    app_ctx, client, login, leads_acme, session
):
    keep_on(session, leads_acme["owner_actor"].workspace_id)
    login(leads_acme["editor"])
    latin1 = (CANONICAL + "Zoë,z@x.example,Café,Owner,3,Retail,FR,Bonjour\n").encode("latin-1")
    response = _upload(client, latin1)
    assert response.status_code == 422
    assert "is not UTF-8 text" in response.get_data(as_text=True)

    response = _upload(client, b"PK\x03\x04binary")
    assert response.status_code == 422
    assert "binary file" in response.get_data(as_text=True)

    big = CANONICAL.encode() + (CLEAN.encode() * (10 * 1024 * 1024 // len(CLEAN) + 10))
    response = _upload(client, big)
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "The file is larger than the 2 MB an upload may be" in html
    assert 'id="file-error"' in html
    app_ctx.config["WTF_CSRF_ENABLED"] = True  # CSRF reads the body first: still no 500
    try:
        response = _upload(client, big)
    finally:
        app_ctx.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 413
    assert "The file is larger than the 2 MB" in response.get_data(as_text=True)

    app_ctx.config["MAX_CONTENT_LENGTH"] = 12 * 1024 * 1024
    try:
        response = _upload(client, big)
    finally:
        app_ctx.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    assert response.status_code == 422
    assert "at most 10 MB" in response.get_data(as_text=True)
    assert _kept(session) == 0


def test_the_annotated_csv_escapes_formulas_and_filters_keep_nothing_again(
    client, login, leads_acme, session
):
    keep_on(session, leads_acme["owner_actor"].workspace_id)
    login(leads_acme["editor"])
    evil = '=HYPERLINK("http://evil.example"),x@y.example,@Corp,Owner,5,Retail,GB,-hi\n'
    html = _upload(client, (CANONICAL + PLANTED + evil).encode()).get_data(as_text=True)
    assert _kept(session) == 2
    carried = _carried(html)

    filtered = client.post(
        "/leads/results",
        data={"upload": carried, "verdict": "disqualify"},
        content_type="multipart/form-data",
    )
    page = filtered.get_data(as_text=True)
    assert filtered.status_code == 200
    assert "1 of 2 shown" in page and "Pat Buyer" in page and "evil.example" not in page

    download = client.post(
        "/leads/annotated.csv", data={"upload": carried}, content_type="multipart/form-data"
    )
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert "attachment" in download.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert rows[0][-4:] == ["verdict", "buyer_persona", "negative_personas", "reasons"]
    assert rows[1][-4] == "disqualify" and rows[1][-2] == "Procurement Pat"
    assert rows[2][0] == '\'=HYPERLINK("http://evil.example")'
    assert rows[2][2] == "'@Corp" and rows[2][7] == "'-hi"
    assert _kept(session) == 2  # filters and downloads store nothing more

    direct = client.post(
        "/leads/annotated.csv",
        data={"file": (io.BytesIO((CANONICAL + PLANTED).encode()), "l.csv")},
        content_type="multipart/form-data",
    )
    assert direct.status_code == 200 and "disqualify" in direct.get_data(as_text=True)
    assert _kept(session) == 2

    remap = client.post(
        "/leads/", data={"upload": carried, "remap": "1"}, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "Map the file's columns" in remap and 'name="keep" value="0"' in remap
    remapped = client.post(
        "/leads/",
        data={"upload": carried, "mapping": "1", "keep": "0", "map-job_title": "job_title"},
        content_type="multipart/form-data",
    )
    assert remapped.status_code == 200 and "0 disqualified" in remapped.get_data(as_text=True)
    assert _kept(session) == 2  # a re-mapped file is not kept twice


def test_owners_set_what_is_kept_and_editors_delete_kept_leads(client, login, leads_acme, session):
    workspace_id = leads_acme["owner_actor"].workspace_id
    login(leads_acme["editor"])
    refused = client.post(
        "/leads/settings", data={"keep_screened_leads": "on", "lead_retention_days": "7"}
    )
    assert refused.status_code == 403
    client.post("/logout")

    login(leads_acme["owner"])
    bad = client.post(
        "/leads/settings", data={"keep_screened_leads": "on", "lead_retention_days": "0"}
    )
    assert bad.status_code == 422 and "a whole number of days" in bad.get_data(as_text=True)
    ok = client.post(
        "/leads/settings", data={"keep_screened_leads": "on", "lead_retention_days": "7"}
    )
    assert ok.status_code == 302
    workspace = session.get(Workspace, workspace_id)
    session.refresh(workspace)
    assert workspace.keep_screened_leads is True and workspace.lead_retention_days == 7
    assert "Screened leads are kept for 7 days" in client.get("/leads/").get_data(as_text=True)

    html = _upload(client, (CANONICAL + PLANTED + CLEAN).encode()).get_data(as_text=True)
    assert "2 kept for 7 days." in html
    kept = client.get("/leads/kept").get_data(as_text=True)
    assert "2 kept leads" in kept and "Pat Buyer" in kept and "Sam Small" in kept
    pat = session.scalar(sa.select(ScreenedLead).where(ScreenedLead.name == "Pat Buyer"))
    assert client.post(f"/leads/kept/{pat.id}/delete").status_code == 302
    assert "1 kept lead" in client.get("/leads/kept").get_data(as_text=True)
    assert client.post("/leads/kept/delete").status_code == 302
    assert _kept(session) == 0


def test_viewers_read_the_page_but_cannot_screen(client, login, leads_acme):
    login(leads_acme["viewer"])
    page = client.get("/leads/").get_data(as_text=True)
    assert "You need the editor role" in page and 'name="file"' not in page
    response = _upload(client, (CANONICAL + PLANTED).encode())
    assert response.status_code == 403
