"""Helpers the accounts tests share."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.helpers import PASSWORD


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD, **extra) -> int:
    response = client.post("/login", data={"email": email, "password": password, **extra})
    return response.status_code


def invite_link(html: str) -> str:
    """The one-time link the members page shows after an invitation."""
    return html.split('<code id="invite-link">')[1].split("</code>")[0]


def invite_path(html: str) -> str:
    return "/invitations/" + invite_link(html).rsplit("/invitations/", 1)[1]
