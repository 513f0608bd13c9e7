"""Draft texts with a known verdict against the acme personas: pass, warn and block."""

from __future__ import annotations

from planner.services.personas import service as persona_service
from planner.services.personas.schema import validate_persona
from tests.helpers import persona_doc

CLEAN = "Our help desk lets a small business answer customers faster."


WARNING = "Our help desk also runs on-premise for small business teams."


BLOCKING = "Send a request for proposal for an on-premise install, on-premise only, small business."


def error_of(response) -> dict:
    """The API's error object, after checking the response has exactly that shape."""
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    return body["error"]


def procurement_pete(session, acme) -> None:
    """Give Pete the words of a procurement title: on-premise (3), RFP (2), a dedicated
    account manager (2), so "On-premise RFP help: a dedicated account manager" blocks."""
    spec = persona_doc(
        keywords=[
            {"term": "on-premise", "weight": 3, "suggest": "hosted for you"},
            {"term": "RFP", "weight": 2},
            {"term": "dedicated account manager", "weight": 2},
        ]
    )
    persona_service.update_persona(
        session, acme["owner_actor"], acme["pete"], validate_persona(spec)
    )
    session.commit()
