"""Starter personas: three persona files a new workspace can copy instead of a blank page.

The files live in `planner/starters/` as ordinary persona YAML (plus a `title` and a
`description`), so what a starter holds is exactly what `flask personas import` reads,
and copying one is an import: upsert by name, all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from planner.errors import NotFound
from planner.services.access import Actor
from planner.services.personas.file import read_persona_file
from planner.services.personas.schema import PersonaSpec
from planner.services.personas.service import ImportSummary, import_specs

STARTER_DIR = Path(__file__).resolve().parents[2] / "starters"


@dataclass(frozen=True)
class Starter:
    key: str
    title: str
    description: str
    specs: tuple[PersonaSpec, ...]


def list_starters() -> list[Starter]:
    """Every starter, in a fixed order (by file name)."""
    starters = []
    for path in sorted(STARTER_DIR.glob("*.yaml")):
        specs = read_persona_file(path)
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
        starters.append(
            Starter(path.stem, str(meta["title"]), str(meta["description"]), tuple(specs))
        )
    return starters


def get_starter(key: str) -> Starter:
    for starter in list_starters():
        if starter.key == key:
            return starter
    raise NotFound(f"No starter named {key!r}.")


def copy_starter(session: Session, actor: Actor, key: str) -> ImportSummary:
    """Import the starter's personas into the actor's workspace (flushes, never commits)."""
    return import_specs(session, actor, list(get_starter(key).specs))
