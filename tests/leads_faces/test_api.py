"""POST /api/v1/leads/screen and the kept leads under /api/v1/leads."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from planner.models import ScreenedLead, utcnow
from tests.leads_faces.fixtures import keep_on

PLANTED = {
    "name": "Pat Buyer",
    "email": "pat@bigcorp.example",
    "company": "BigCorp",
    "job_title": "Procurement Manager",
    "company_size": 8000,
    "industry": "Banking",
    "country": "US",
    "message": "We need an RFP answered by Friday",
}
CLEAN = {
    "name": "Sam Small",
    "email": "sam@shop.example",
    "job_title": "Owner",
    "company_size": 12,
    "message": "A help desk for my small business",
}


def _kept(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(ScreenedLead))


def test_one_lead_answers_a_list_of_one_result_with_reasons(api, leads_acme, session):
    response = api("POST", "/leads/screen", json=PLANTED)
    assert response.status_code == 200, response.get_json()
    (result,) = response.get_json()["results"]
    assert result["row"] == 1 and result["verdict"] == "disqualify"
    pat = next(n for n in result["negatives"] if n["persona"] == "Procurement Pat")
    fields = {reason["field"]: reason for reason in pat["reasons"]}
    assert fields["job_title"]["matched"] == "Procurement manager"
    assert fields["company_size"]["value"] == "8000"
    assert fields["message"]["matched"] == "RFP"
    assert _kept(session) == 0  # stateless by default


def test_a_batch_keeps_its_order_and_finds_the_buyer(api, leads_acme, session):
    response = api("POST", "/leads/screen", json={"leads": [CLEAN, PLANTED, {}]})
    assert response.status_code == 200, response.get_json()
    results = response.get_json()["results"]
    assert [r["row"] for r in results] == [1, 2, 3]
    assert [r["verdict"] for r in results] == ["qualify", "disqualify", "qualify"]
    assert results[0]["buyer"]["persona"] == "Owner Olivia"
    assert results[0]["negatives"] == [] and results[2]["buyer"] is None
    assert _kept(session) == 0


def test_more_than_1000_leads_are_refused_whole(api, leads_acme, session):
    response = api("POST", "/leads/screen", json={"leads": [CLEAN] * 1001})
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert api("POST", "/leads/screen", json={"leads": [CLEAN] * 1000}).status_code == 200


def test_bad_lead_fields_are_a_422_naming_each(api, leads_acme):
    response = api(
        "POST",
        "/leads/screen",
        json={"leads": [CLEAN, {"company_size": "lots", "email": 5}, {"message": "x" * 20_001}]},
    )
    assert response.status_code == 422
    details = response.get_json()["error"]["details"]
    assert set(details) == {"leads[1].company_size", "leads[1].email", "leads[2].message"}
    assert api("POST", "/leads/screen", json={"leads": []}).status_code == 422
    assert api("POST", "/leads/screen", json={"leads": "Pat"}).status_code == 422
    assert api("POST", "/leads/screen", json={"company_size": -1}).status_code == 422


def test_viewers_may_not_screen_or_read_kept_leads(api, leads_acme):
    assert api("POST", "/leads/screen", role="viewer", json=CLEAN).status_code == 403
    assert api("GET", "/leads", role="viewer").status_code == 403
    assert api("DELETE", "/leads", role="viewer").status_code == 403


def test_kept_leads_are_listed_and_deleted_one_or_all(api, leads_acme, session):
    keep_on(session, leads_acme["owner_actor"].workspace_id)
    response = api("POST", "/leads/screen", json={"leads": [CLEAN, PLANTED]})
    assert response.status_code == 200
    assert _kept(session) == 2
    listed = api("GET", "/leads").get_json()
    assert listed["total"] == 2 and listed["keep_screened_leads"] is True
    assert listed["lead_retention_days"] == 30
    by_name = {lead["lead"]["name"]: lead for lead in listed["leads"]}
    assert by_name["Pat Buyer"]["verdict"] == "disqualify"
    assert by_name["Pat Buyer"]["result"]["negatives"][0]["persona"] == "Procurement Pat"
    assert by_name["Pat Buyer"]["lead"]["company_size"] == 8000
    only = api("GET", "/leads?verdict=disqualify").get_json()
    assert [lead["lead"]["name"] for lead in only["leads"]] == ["Pat Buyer"]
    assert api("GET", "/leads?verdict=maybe").status_code == 422

    pat_id = by_name["Pat Buyer"]["id"]
    assert api("DELETE", f"/leads/{pat_id}").get_json() == {"id": pat_id, "deleted": True}
    assert api("DELETE", f"/leads/{pat_id}").status_code == 404
    assert api("GET", "/leads").get_json()["total"] == 1
    assert api("DELETE", "/leads").get_json() == {"deleted": 1}
    assert _kept(session) == 0


def test_another_workspace_never_sees_or_deletes_kept_leads(
    api, leads_acme, globex, make_token, client, session
):
    keep_on(session, leads_acme["owner_actor"].workspace_id)
    api("POST", "/leads/screen", json=PLANTED)
    lead_id = session.scalar(sa.select(ScreenedLead.id))
    other = {"Authorization": f"Bearer {make_token(globex['owner'], 'Globex')}"}
    listed = client.get("/api/v1/leads", headers=other).get_json()
    assert listed == {
        "keep_screened_leads": False,
        "lead_retention_days": 30,
        "total": 0,
        "leads": [],
    }
    assert client.delete(f"/api/v1/leads/{lead_id}", headers=other).status_code == 404
    assert client.delete("/api/v1/leads", headers=other).get_json() == {"deleted": 0}
    assert _kept(session) == 1
    # Globex keeps nothing: its setting is off, whatever Acme's is.
    client.post("/api/v1/leads/screen", headers=other, json=PLANTED)
    assert _kept(session) == 1


def test_kept_leads_count_as_evidence_for_the_persona_that_disqualified_them(
    api, leads_acme, session
):
    from planner.services.leads import store

    workspace_id = leads_acme["owner_actor"].workspace_id
    keep_on(session, workspace_id)
    api("POST", "/leads/screen", json={"leads": [PLANTED, PLANTED, CLEAN]})
    since = utcnow() - timedelta(days=1)
    assert store.disqualified_counts(session, workspace_id, since) == {leads_acme["pat"].id: 2}
    assert store.disqualified_counts(session, workspace_id, utcnow() + timedelta(days=1)) == {}
    assert store.disqualified_counts(session, workspace_id, since, since) == {}
