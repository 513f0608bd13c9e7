"""Draft texts with a known verdict against the acme personas: pass, warn and block."""

from __future__ import annotations

CLEAN = "Our help desk lets a small business answer customers faster."


WARNING = "Our help desk also runs on-premise for small business teams."


BLOCKING = "Send a request for proposal for an on-premise install, on-premise only, small business."
