"""People join by accepting an invitation; removing a member ends their access for good."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlalchemy as sa

from planner.models import ApiToken, Invitation, Membership, Workspace
from planner.services import accounts
from tests.accounts.helpers import invite_link, invite_path, sign_in
from tests.helpers import PASSWORD


def _workspace_id(session, name: str = "Acme") -> int:
    return session.scalar(sa.select(Workspace.id).where(Workspace.name == name))


def _is_member(session, user, workspace: str = "Acme") -> bool:
    session.expire_all()
    return (
        session.scalar(
            sa.select(Membership).where(
                Membership.user_id == user.id,
                Membership.workspace_id == _workspace_id(session, workspace),
            )
        )
        is not None
    )


def test_inviting_answers_the_same_for_registered_and_unknown_emails(
    client, login, make_user, session
):
    make_user("olivia@example.com", role="owner")
    stranger = make_user("sam@example.com", workspace="Globex", role="owner")
    login("olivia@example.com")
    client.get("/settings/members")  # shows the "Signed in." message
    pages = []
    for email in ("sam@example.com", "nobody@example.com"):
        response = client.post("/settings/members", data={"email": email, "role": "editor"})
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        pages.append(html.replace(invite_link(html), "LINK").replace(email, "EMAIL"))
    first_pending = pages[0].split("<h2>Pending invitations</h2>")[0]
    assert first_pending == pages[1].split("<h2>Pending invitations</h2>")[0]
    assert not _is_member(session, stranger)  # nobody is attached without consent


def test_invitation_token_is_hashed_at_rest_and_works_once(client, login, make_user, session):
    make_user("olivia@example.com", role="owner")
    login("olivia@example.com")
    html = client.post("/settings/members", data={"email": "new@example.com", "role": "viewer"})
    path = invite_path(html.get_data(as_text=True))
    secret = path.rsplit("/", 1)[1]
    stored = session.scalar(sa.select(Invitation))
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.token_hash, stored.email}
    assert stored.expires_at - stored.created_at == timedelta(days=7)

    client.post("/logout")
    page = client.get(path)
    assert page.status_code == 200 and "as <strong>viewer</strong>" in page.get_data(True)
    weak = client.post(path, data={"password": "12345678", "confirm": "12345678"})
    assert weak.status_code == 422 and "at least 10 characters" in weak.get_data(True)
    joined = client.post(path, data={"password": PASSWORD, "confirm": PASSWORD})
    assert joined.status_code == 302
    assert client.get("/personas/").status_code == 200  # signed in, in Acme
    new = accounts.user_by_email(session, "new@example.com")
    assert _is_member(session, new)
    client.post("/logout")
    again = client.get(path)
    assert again.status_code == 404 and "not valid" in again.get_data(True)


def test_expired_invitation_is_refused(client, login, make_user, session):
    make_user("olivia@example.com", role="owner")
    login("olivia@example.com")
    html = client.post("/settings/members", data={"email": "new@example.com", "role": "viewer"})
    path = invite_path(html.get_data(as_text=True))
    invitation = session.scalar(sa.select(Invitation))
    invitation.expires_at = invitation.created_at - timedelta(seconds=1)
    session.commit()
    client.post("/logout")
    assert client.get(path).status_code == 404
    assert client.post(path, data={"password": PASSWORD, "confirm": PASSWORD}).status_code == 404


def test_existing_account_signs_in_then_accepts(client, login, make_user, session):
    make_user("olivia@example.com", role="owner")
    sam = make_user("sam@example.com", workspace="Globex", role="owner")
    wrong = make_user("eve@example.com", workspace="Globex", role="owner")
    login("olivia@example.com")
    html = client.post("/settings/members", data={"email": "sam@example.com", "role": "editor"})
    path = invite_path(html.get_data(as_text=True))
    client.post("/logout")

    login(wrong)
    refused = client.post(path)
    assert refused.status_code == 403 and "sam@example.com" in refused.get_data(True)
    client.post("/logout")

    response = client.post(f"/login?next={path}", data={"email": sam.email, "password": PASSWORD})
    assert response.headers["Location"] == path
    assert not _is_member(session, sam)  # signing in alone does not join
    assert client.post(path).status_code == 302
    assert _is_member(session, sam)
    role = session.scalar(
        sa.select(Membership.role).where(
            Membership.user_id == sam.id, Membership.workspace_id == _workspace_id(session)
        )
    )
    assert role == "editor"


def test_removed_member_loses_tokens_and_sessions_for_good(
    app_ctx, client, login, make_user, make_token, session
):
    make_user("olivia@example.com", role="owner")
    ed = make_user("ed@example.com", role="editor")
    token = make_token(ed)
    bearer = {"Authorization": f"Bearer {token}"}
    ed_client = app_ctx.test_client()
    assert sign_in(ed_client, "ed@example.com") == 302
    assert client.get("/api/v1/personas", headers=bearer).status_code == 200

    login("olivia@example.com")
    response = client.post(f"/settings/members/{ed.id}/remove")
    assert response.status_code == 302
    page = client.get("/settings/members")
    assert "Removed ed@example.com" in page.get_data(True), page.get_data(True)
    assert ed_client.get("/personas/").status_code == 302  # signed out
    assert client.get("/api/v1/personas", headers=bearer).status_code == 401
    assert session.scalar(sa.select(ApiToken)).revoked_at is not None

    html = client.post("/settings/members", data={"email": "ed@example.com", "role": "editor"})
    path = invite_path(html.get_data(as_text=True))
    assert sign_in(ed_client, "ed@example.com") == 302
    assert ed_client.post(path).status_code == 302
    assert _is_member(session, ed)
    assert client.get("/api/v1/personas", headers=bearer).status_code == 401  # not revived


def test_last_owner_can_neither_be_demoted_nor_leave(client, login, make_user, session):
    olivia = make_user("olivia@example.com", role="owner")
    login(olivia)
    response = client.post(f"/settings/members/{olivia.id}/role", data={"role": "editor"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "last owner" in page
    response = client.post(f"/settings/members/{olivia.id}/remove")
    assert "last owner" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _is_member(session, olivia)

    ann = make_user("ann@example.com", role="editor")
    client.post(f"/settings/members/{ann.id}/role", data={"role": "owner"})
    response = client.post(f"/settings/members/{olivia.id}/role", data={"role": "viewer"})
    assert "is now viewer" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_members_api(client, make_user, make_token, session):
    olivia = make_user("olivia@example.com", role="owner")
    ed = make_user("ed@example.com", role="editor")
    bearer = {"Authorization": f"Bearer {make_token(olivia)}"}
    ed_bearer = {"Authorization": f"Bearer {make_token(ed, name='ed')}"}

    listed = client.get("/api/v1/members", headers=bearer).get_json()["members"]
    assert [(m["email"], m["role"]) for m in listed] == [
        ("ed@example.com", "editor"),
        ("olivia@example.com", "owner"),
    ]
    assert client.get("/api/v1/members", headers=ed_bearer).status_code == 403

    created = client.post(
        "/api/v1/invitations", headers=bearer, json={"email": "Sam@Example.com", "role": "viewer"}
    )
    assert created.status_code == 201
    body = created.get_json()
    assert body["email"] == "sam@example.com" and "/invitations/inv_" in body["accept_url"]
    bad = client.post("/api/v1/invitations", headers=bearer, json={"email": "x", "role": "boss"})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["details"]) == {"email", "role"}
    pending = client.get("/api/v1/invitations", headers=bearer).get_json()["invitations"]
    assert [i["email"] for i in pending] == ["sam@example.com"]
    withdrawn = client.delete(f"/api/v1/invitations/{body['id']}", headers=bearer)
    assert withdrawn.status_code == 200
    assert client.get("/api/v1/invitations", headers=bearer).get_json()["invitations"] == []

    demote = client.patch(f"/api/v1/members/{olivia.id}", headers=bearer, json={"role": "editor"})
    assert demote.status_code == 409 and "last owner" in demote.get_json()["error"]["message"]
    promote = client.patch(f"/api/v1/members/{ed.id}", headers=bearer, json={"role": "owner"})
    assert promote.get_json()["role"] == "owner"
    removed = client.delete(f"/api/v1/members/{ed.id}", headers=bearer)
    assert removed.get_json() == {"user_id": ed.id, "removed": True}
    assert client.get("/api/v1/members", headers=ed_bearer).status_code == 401
    assert client.delete("/api/v1/members/999999", headers=bearer).status_code == 404


def test_members_paths_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {
        "/members",
        "/members/{user_id}",
        "/invitations",
        "/invitations/{invitation_id}",
    } <= set(paths)


def test_cli_invite_and_remove_member(runner, make_user, make_token, session):
    make_user("olivia@example.com", role="owner")
    ed = make_user("ed@example.com", role="editor")
    token = make_token(ed)
    result = runner.invoke(
        args=["users", "invite", "--workspace", "Acme", "--email", "new@example.com"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("http://127.0.0.1:5000/invitations/inv_")
    result = runner.invoke(
        args=["users", "remove-member", "--workspace", "Acme", "--email", "ed@example.com"]
    )
    assert result.exit_code == 0, result.output
    assert not _is_member(session, ed)
    assert accounts.actor_for_token(session, token) is None
    result = runner.invoke(
        args=["users", "remove-member", "--workspace", "Acme", "--email", "olivia@example.com"]
    )
    assert result.exit_code == 2 and "last owner" in result.output
    result = runner.invoke(
        args=["users", "remove-member", "--workspace", "Acme", "--email", "x@example.com"]
    )
    assert result.exit_code == 2 and "not a member" in result.output
