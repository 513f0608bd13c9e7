"""Fixtures for the lead screening tests: the known-answer personas and leads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.services.leads.screen import Screener
from planner.services.personas.file import read_persona_file
from planner.services.personas.schema import PersonaSpec

DATA = Path(__file__).parents[1] / "data" / "leads"
PERSONAS_FILE = DATA / "personas.yaml"
LEADS_FILE = DATA / "leads.csv"


@pytest.fixture(scope="session")
def lead_personas() -> list[PersonaSpec]:
    return read_persona_file(PERSONAS_FILE)


@pytest.fixture(scope="session")
def screener(lead_personas) -> Screener:
    return Screener(lead_personas)


@pytest.fixture(scope="session")
def expected_answers() -> dict[int, dict]:
    return {entry["row"]: entry for entry in json.loads((DATA / "expected.json").read_text())}
