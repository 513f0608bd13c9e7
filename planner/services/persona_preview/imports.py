"""A dry run of a persona file: which personas it adds, updates or leaves, and their impact.

The same comparison `personas.service.import_specs` makes (by name, archived personas
included), without writing; the CLI's `--dry-run` and the web import show it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.orm import Session, selectinload

from planner.models import Persona
from planner.services.access import Actor, scoped
from planner.services.persona_preview import texts as stored_texts
from planner.services.persona_preview.impact import Impact, preview_persona
from planner.services.personas.schema import PersonaSpec
from planner.services.personas.service import spec_of


@dataclass
class PersonaPlan:
    name: str
    outcome: str  # "added" | "updated" | "unchanged"
    impact: Impact | None


def preview_import(session: Session, actor: Actor, specs: list[PersonaSpec]) -> list[PersonaPlan]:
    """Each persona of the file with what importing it would do; writes nothing."""
    actor.require("editor", "import personas")
    existing = {
        p.name: p
        for p in session.scalars(
            scoped(Persona, actor.workspace_id).options(selectinload(Persona.keywords))
        )
    }
    texts = stored_texts.load_texts(session, actor.workspace_id)
    plans = []
    for spec in specs:
        persona = existing.get(spec.name)
        if persona is not None and spec_of(persona) == spec and persona.archived_at is None:
            plans.append(PersonaPlan(spec.name, "unchanged", None))
            continue
        restoring = persona is not None and persona.archived_at is not None
        impact = preview_persona(session, actor, persona, spec, texts=texts, restoring=restoring)
        plans.append(PersonaPlan(spec.name, "added" if persona is None else "updated", impact))
    return plans


def plans_fingerprint(plans: list[PersonaPlan]) -> str:
    """One fingerprint for a whole file's preview (the web import's hidden field)."""
    joined = "-".join(f"{p.outcome[0]}{p.impact.fingerprint if p.impact else ''}" for p in plans)
    return hashlib.sha256(joined.encode()).hexdigest()[:32]
