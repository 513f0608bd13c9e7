"""Member and invitation endpoints (owners; any member may remove themselves)."""

from __future__ import annotations

from flask import g, jsonify, url_for

from planner.api import bp, json_body
from planner.api.openapi import errors, json_response, ref, register
from planner.extensions import db
from planner.models import ROLES, Invitation, Membership
from planner.services import accounts_invitations as invitations
from planner.services import accounts_members


def member_json(member: Membership) -> dict:
    return {
        "user_id": member.user_id,
        "email": member.user.email,
        "role": member.role,
        "since": member.created_at.isoformat(),
    }


def invitation_json(invitation: Invitation) -> dict:
    return {
        "id": invitation.id,
        "email": invitation.email,
        "role": invitation.role,
        "created_at": invitation.created_at.isoformat(),
        "expires_at": invitation.expires_at.isoformat(),
    }


@bp.get("/members")
def list_members():
    rows = accounts_members.list_members(db.session, g.actor)
    return jsonify({"members": [member_json(m) for m in rows]})


@bp.patch("/members/<int:user_id>")
def patch_member(user_id: int):
    data = json_body()
    member = accounts_members.change_role(db.session, g.actor, user_id, data.get("role"))
    db.session.commit()
    return jsonify(member_json(member))


@bp.delete("/members/<int:user_id>")
def delete_member(user_id: int):
    accounts_members.remove_member(db.session, g.actor, user_id)
    db.session.commit()
    return jsonify({"user_id": user_id, "removed": True})


@bp.get("/invitations")
def list_invitations():
    rows = invitations.list_invitations(db.session, g.actor)
    return jsonify({"invitations": [invitation_json(i) for i in rows]})


@bp.post("/invitations")
def create_invitation():
    """Answers the same whether or not the email has an account."""
    data = json_body()
    issued = invitations.invite(
        db.session, g.actor, email=data.get("email") or "", role=data.get("role") or "viewer"
    )
    db.session.commit()
    body = invitation_json(issued.invitation)
    body["accept_url"] = url_for("auth.invitation", token=issued.secret, _external=True)
    return jsonify(body), 201


@bp.delete("/invitations/<int:invitation_id>")
def delete_invitation(invitation_id: int):
    invitations.revoke_invitation(db.session, g.actor, invitation_id)
    db.session.commit()
    return jsonify({"id": invitation_id, "deleted": True})


_MEMBER = {
    "type": "object",
    "properties": {
        "user_id": {"type": "integer"},
        "email": {"type": "string"},
        "role": {"enum": list(ROLES)},
        "since": {"type": "string", "format": "date-time"},
    },
}
_INVITATION = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "email": {"type": "string"},
        "role": {"enum": list(ROLES)},
        "created_at": {"type": "string", "format": "date-time"},
        "expires_at": {"type": "string", "format": "date-time"},
        "accept_url": {
            "type": "string",
            "description": "Only in the answer to POST: the one-time link to send",
        },
    },
}
_USER_PARAM = {"name": "user_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_INVITATION_PARAM = {
    "name": "invitation_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
}

register(
    {
        "/members": {
            "get": {
                "summary": "List the workspace's members (owner)",
                "responses": {
                    "200": json_response(
                        {
                            "type": "object",
                            "properties": {"members": {"type": "array", "items": ref("Member")}},
                        }
                    ),
                    **errors(401, 403, 429),
                },
            }
        },
        "/members/{user_id}": {
            "parameters": [_USER_PARAM],
            "patch": {
                "summary": "Change a member's role (owner); the last owner cannot be demoted",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["role"],
                                "properties": {"role": {"enum": list(ROLES)}},
                            }
                        }
                    },
                },
                "responses": {
                    "200": json_response(ref("Member")),
                    **errors(400, 401, 403, 404, 409, 422, 429),
                },
            },
            "delete": {
                "summary": "Remove a member (owner), or leave (yourself): revokes their API "
                "tokens here and ends their sessions; the last owner cannot leave",
                "responses": {
                    "200": json_response(
                        {
                            "type": "object",
                            "properties": {
                                "user_id": {"type": "integer"},
                                "removed": {"type": "boolean"},
                            },
                        }
                    ),
                    **errors(401, 403, 404, 409, 429),
                },
            },
        },
        "/invitations": {
            "get": {
                "summary": "Pending invitations (owner)",
                "responses": {
                    "200": json_response(
                        {
                            "type": "object",
                            "properties": {
                                "invitations": {"type": "array", "items": ref("Invitation")}
                            },
                        }
                    ),
                    **errors(401, 403, 429),
                },
            },
            "post": {
                "summary": "Invite an email with a role (owner): a one-time link, valid 7 days, "
                "whether or not the email has an account",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["email"],
                                "properties": {
                                    "email": {"type": "string"},
                                    "role": {"enum": list(ROLES), "default": "viewer"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": json_response(ref("Invitation"), "Created"),
                    **errors(400, 401, 403, 422, 429),
                },
            },
        },
        "/invitations/{invitation_id}": {
            "parameters": [_INVITATION_PARAM],
            "delete": {
                "summary": "Withdraw an invitation (owner)",
                "responses": {
                    "200": json_response(
                        {
                            "type": "object",
                            "properties": {
                                "id": {"type": "integer"},
                                "deleted": {"type": "boolean"},
                            },
                        }
                    ),
                    **errors(401, 403, 404, 429),
                },
            },
        },
    },
    {"Member": _MEMBER, "Invitation": _INVITATION},
)
