"""Helpers tests import: the shared password and a persona document to edit."""

from __future__ import annotations

PASSWORD = "correct horse battery"


def persona_doc(**overrides) -> dict:
    doc = {
        "name": "Enterprise Procurement Pete",
        "kind": "negative",
        "summary": "IT procurement lead",
        "timezone": "America/New_York",
        "posting_windows": [{"days": ["mon", "tue"], "start": "08:00", "end": "10:30"}],
        "thresholds": {"warn": 2, "block": 5},
        "keywords": [
            {"term": "on-premise", "weight": 3, "suggest": "hosted for you"},
            {"term": "request for proposal"},
        ],
    }
    doc.update(overrides)
    return doc
