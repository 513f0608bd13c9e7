"""Hardening test helpers: an API call with a token; a persona row as old code stored it."""

from __future__ import annotations

from flask.testing import FlaskClient

from planner.models import Persona, PersonaKeyword


def api_call(client: FlaskClient, token: str, method: str, url: str, **kwargs):
    headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
    return client.open(url, method=method, headers=headers, **kwargs)


def store_unchecked_persona(session, workspace_id: int, **fields) -> Persona:
    """A persona written straight to the table, as a build before the one gate could save it."""
    persona = Persona(
        workspace_id=workspace_id,
        version=1,
        name=fields.pop("name", "Broken Bob"),
        kind=fields.pop("kind", "negative"),
        timezone="UTC",
        warn_threshold=fields.pop("warn", 0.0),
        block_threshold=fields.pop("block", 5.0),
        keywords=[PersonaKeyword(position=0, term="synergy", weight=1.0, case_sensitive=False)],
        **fields,
    )
    session.add(persona)
    session.commit()
    return persona
