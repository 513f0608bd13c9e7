"""Roles are enforced by the services, and workspaces never see each other's rows."""

import pytest

from planner.errors import PermissionDenied
from planner.services import accounts
from planner.services.personas import service as persona_service
from planner.services.personas.schema import validate_persona
from tests.helpers import persona_doc


@pytest.fixture
def two_workspaces(make_user, actor_for, make_persona):
    owner_a = make_user("owner-a@example.com", "Acme", "owner")
    owner_b = make_user("owner-b@example.com", "Globex", "owner")
    persona_a = make_persona(actor_for(owner_a, "Acme"), name="Alpha Buyer", kind="buyer")
    persona_b = make_persona(actor_for(owner_b, "Globex"), name="Beta Negative")
    return owner_a, owner_b, persona_a, persona_b


def test_viewer_cannot_edit_personas(session, make_user, actor_for, make_persona, client, login):
    owner = make_user("owner@example.com", "Acme", "owner")
    persona = make_persona(actor_for(owner))
    viewer = make_user("viewer@example.com", "Acme", "viewer")
    with pytest.raises(PermissionDenied):
        persona_service.create_persona(
            session, actor_for(viewer), validate_persona(persona_doc(name="X"))
        )
    login(viewer)
    assert client.get(f"/personas/{persona.id}").status_code == 200
    page = client.get("/personas/")
    assert "New persona" not in page.get_data(as_text=True)
    assert client.get("/personas/new").status_code == 403
    response = client.post(f"/personas/{persona.id}/edit", data={"name": "Hacked", "kind": "buyer"})
    assert response.status_code == 403
    assert client.post(f"/personas/{persona.id}/remove").status_code == 403
    session.expire_all()
    assert persona_service.get_persona(session, actor_for(owner), persona.id).name == persona.name


def test_editor_cannot_manage_tokens_or_members(session, make_user, actor_for, client, login):
    editor = make_user("ed@example.com", "Acme", "editor")
    with pytest.raises(PermissionDenied):
        accounts.create_token(session, actor_for(editor), "sneaky")
    login(editor)
    assert client.get("/settings/tokens").status_code == 403
    assert client.post("/settings/tokens", data={"name": "x"}).status_code == 403
    assert client.post("/settings/members", data={"email": "x@example.com"}).status_code == 403


def test_editor_can_create_persona_through_form(client, login, make_user):
    login(make_user("ed@example.com", "Acme", "editor"))
    response = client.post(
        "/personas/new",
        data={
            "name": "Owner Olivia",
            "kind": "buyer",
            "timezone": "Europe/London",
            "keywords-0-term": "small business",
            "keywords-0-weight": "2",
            "keywords-1-term": "",
            "windows-0-days": ["mon", "wed"],
            "windows-0-start": "07:00",
            "windows-0-end": "09:00",
            "action": "save",
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Owner Olivia" in page and "small business" in page and "07:00" in page


def test_form_errors_are_shown_next_to_their_field(client, login, make_user):
    login(make_user("ed@example.com", "Acme", "editor"))
    response = client.post(
        "/personas/new",
        data={
            "name": "",
            "kind": "negative",
            "timezone": "Mars/Olympus",
            "keywords-0-term": "rfp",
            "keywords-0-weight": "-1",
            "action": "save",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="name-error"' in html and "is required" in html
    assert 'id="timezone-error"' in html and "Mars/Olympus" in html
    assert 'id="keywords-0-weight-error"' in html


def test_add_row_without_javascript_keeps_what_was_typed(client, login, make_user):
    login(make_user("ed@example.com", "Acme", "editor"))
    response = client.post(
        "/personas/new",
        data={
            "name": "Draft",
            "kind": "buyer",
            "keywords-0-term": "first",
            "action": "add_keyword",
        },
    )
    html = response.get_data(as_text=True)
    assert 'value="first"' in html and 'name="keywords-1-term"' in html


def test_workspace_b_persona_pages_are_404_for_workspace_a(two_workspaces, client, login):
    owner_a, _, persona_a, persona_b = two_workspaces
    login(owner_a)
    for url in (
        f"/personas/{persona_b.id}",
        f"/personas/{persona_b.id}/edit",
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"/personas/{persona_b.id}/edit", f"/personas/{persona_b.id}/remove"):
        assert client.post(url, data={"name": "x", "kind": "buyer"}).status_code == 404, url
    listing = client.get("/personas/").get_data(as_text=True)
    assert "Alpha Buyer" in listing and "Beta Negative" not in listing
    export = client.get("/personas/export.yaml").get_data(as_text=True)
    assert "Alpha Buyer" in export and "Beta Negative" not in export


def test_switching_workspace_needs_membership(two_workspaces, client, login, session):
    owner_a, owner_b, _, persona_b = two_workspaces
    login(owner_a)
    globex = accounts.find_workspace(session, "Globex")
    client.post("/workspace", data={"workspace_id": globex.id})
    assert client.get(f"/personas/{persona_b.id}").status_code == 404
    accounts.create_user(
        session, email=owner_a.email, password="", workspace="Globex", role="viewer"
    )
    session.commit()
    client.post("/workspace", data={"workspace_id": globex.id})
    assert client.get(f"/personas/{persona_b.id}").status_code == 200


def test_pages_need_login(client):
    response = client.get("/personas/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_wrong_password_is_refused(client, make_user):
    make_user("ed@example.com")
    response = client.post("/login", data={"email": "ed@example.com", "password": "nope"})
    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)


def test_csrf_rejects_forms_without_token(csrf_app, make_user):
    make_user("ed@example.com")
    client = csrf_app.test_client()
    response = client.post(
        "/login", data={"email": "ed@example.com", "password": "correct horse battery"}
    )
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"email": "ed@example.com", "password": "correct horse battery", "csrf_token": token},
    )
    assert response.status_code == 302
