"""Personas: reading, writing, archiving and importing them, scoped to a workspace."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.errors import Conflict, ValidationError
from planner.models import Persona, PersonaKeyword, utcnow
from planner.services import versions
from planner.services.access import Actor, get_scoped, scoped
from planner.services.personas import refs
from planner.services.personas.schema import (
    REVIEW_EVERY_DAYS,
    KeywordSpec,
    PersonaSpec,
    WindowSpec,
    validate_persona,
)


def list_personas(session: Session, actor: Actor, *, archived: bool = False) -> list[Persona]:
    query = (
        scoped(Persona, actor.workspace_id)
        .options(selectinload(Persona.keywords))
        .order_by(Persona.kind, Persona.name)
    )
    query = query.where(
        Persona.archived_at.is_not(None) if archived else Persona.archived_at.is_(None)
    )
    return list(session.scalars(query))


def get_persona(session: Session, actor: Actor, persona_id: int) -> Persona:
    return get_scoped(session, Persona, actor.workspace_id, persona_id, "persona")


def spec_of(persona: Persona) -> PersonaSpec:
    return PersonaSpec(
        name=persona.name,
        kind=persona.kind,
        summary=persona.summary or "",
        job_titles=tuple(persona.job_titles or ()),
        pain_points=tuple(persona.pain_points or ()),
        red_flags=tuple(persona.red_flags or ()),
        channels=tuple(persona.channels or ()),
        content_types=tuple(persona.content_types or ()),
        timezone=persona.timezone,
        posting_windows=tuple(
            WindowSpec(tuple(w["days"]), w["start"], w["end"])
            for w in persona.posting_windows or ()
        ),
        cadence_min=persona.cadence_min,
        cadence_max=persona.cadence_max,
        warn_threshold=persona.warn_threshold,
        block_threshold=persona.block_threshold,
        company_size_min=persona.company_size_min,
        company_size_max=persona.company_size_max,
        industries=tuple(persona.industries or ()),
        regions=tuple(persona.regions or ()),
        review_every_days=persona.review_every_days or REVIEW_EVERY_DAYS,
        keywords=tuple(
            KeywordSpec(
                k.term,
                k.weight,
                k.suggest,
                k.case_sensitive,
                forms=tuple(k.forms or ()),
                exclude=tuple(k.exclude or ()),
            )
            for k in persona.keywords
        ),
    )


def _lexicon_key(spec: PersonaSpec) -> tuple:
    return (spec.kind, spec.keywords, spec.warn_threshold, spec.block_threshold)


def _apply(session: Session, persona: Persona, spec: PersonaSpec) -> bool:
    """Write the spec onto the row; bump the version when what the audit uses changed."""
    changed_lexicon = persona.id is None or _lexicon_key(spec_of(persona)) != _lexicon_key(spec)
    persona.name = spec.name
    persona.kind = spec.kind
    persona.summary = spec.summary
    persona.job_titles = list(spec.job_titles)
    persona.pain_points = list(spec.pain_points)
    persona.red_flags = list(spec.red_flags)
    persona.channels = list(spec.channels)
    persona.content_types = list(spec.content_types)
    persona.timezone = spec.timezone
    persona.posting_windows = [
        {"days": list(w.days), "start": w.start, "end": w.end} for w in spec.posting_windows
    ]
    persona.cadence_min = spec.cadence_min
    persona.cadence_max = spec.cadence_max
    persona.warn_threshold = spec.warn_threshold
    persona.block_threshold = spec.block_threshold
    persona.company_size_min = spec.company_size_min  # lead screening: not the lexicon
    persona.company_size_max = spec.company_size_max
    persona.industries = list(spec.industries)
    persona.regions = list(spec.regions)
    persona.review_every_days = spec.review_every_days  # not the lexicon: no version bump
    if changed_lexicon:
        if persona.id is not None:
            # The unit of work inserts before it deletes: drop the old rows first, or a
            # kept keyword would meet itself in the unique key.
            persona.keywords = []
            session.flush()
        persona.keywords = [
            PersonaKeyword(
                position=i,
                term=k.term,
                weight=k.weight,
                suggest=k.suggest,
                case_sensitive=k.case_sensitive,
                forms=list(k.forms) or None,
                exclude=list(k.exclude) or None,
            )
            for i, k in enumerate(spec.keywords)
        ]
        if persona.id is not None:
            persona.version = (persona.version or 1) + 1
    return changed_lexicon


def _check_name_free(session: Session, actor: Actor, name: str, own_id: int | None) -> None:
    clash = session.scalar(
        scoped(Persona, actor.workspace_id).where(Persona.name == name, Persona.id != (own_id or 0))
    )
    if clash is not None:
        raise Conflict(
            f"A persona named {name!r} already exists in this workspace.",
            {"name": "already taken"},
        )


def create_persona(session: Session, actor: Actor, spec: PersonaSpec) -> Persona:
    actor.require("editor", "create personas")
    _check_name_free(session, actor, spec.name, None)
    persona = Persona(
        workspace_id=actor.workspace_id, version=1, revision=1, updated_by_id=actor.user_id
    )
    _apply(session, persona, spec)
    session.add(persona)
    session.flush()
    return persona


def update_persona(
    session: Session,
    actor: Actor,
    persona: Persona,
    spec: PersonaSpec,
    *,
    expected_revision: int | None = None,
) -> bool:
    """Replace the persona's fields; returns whether its lexicon (and version) changed.

    With `expected_revision` (what the form or client read), a persona saved by someone
    else since is refused with `versions.StaleVersion` instead of being overwritten.
    """
    actor.require("editor", "edit personas")
    versions.lock(session, persona)
    versions.check(persona, expected_revision, what="persona", field="revision")
    _check_name_free(session, actor, spec.name, persona.id)
    if spec_of(persona) == spec:
        return False
    changed = _apply(session, persona, spec)
    versions.bump(persona, actor.user_id, field="revision")
    session.flush()
    if changed:  # e.g. pieces re-audit their drafts (connected in `planner.hooks`)
        refs.lexicon_changed(session, persona)
    return changed


def patch_persona(
    session: Session,
    actor: Actor,
    persona: Persona,
    changes: dict,
    *,
    expected_revision: int | None = None,
) -> bool:
    """Apply a partial document (API PATCH) through the same validation as a full one.

    The row is locked before the document is built, so two PATCHes apply one after the
    other to what the first one stored.
    """
    if not isinstance(changes, dict):
        raise ValidationError("The request body must be a JSON object.", {"": "must be an object"})
    actor.require("editor", "edit personas")
    versions.lock(session, persona)
    versions.check(persona, expected_revision, what="persona", field="revision")
    document = spec_of(persona).to_document()
    document.update(changes)
    return update_persona(session, actor, persona, validate_persona(document))


def persona_in_use(session: Session, persona: Persona) -> bool:
    """Whether anything (pieces, audits, feeds) refers to the persona, so it must be archived."""
    return refs.is_referenced(session, persona.id)


def remove_persona(session: Session, actor: Actor, persona: Persona) -> str:
    """Delete a persona nothing refers to; archive one that audits or pieces still name."""
    actor.require("editor", "remove personas")
    if persona_in_use(session, persona):
        persona.archived_at = utcnow()
        versions.bump(persona, actor.user_id, field="revision")
        session.flush()
        return "archived"
    session.delete(persona)
    session.flush()
    return "deleted"


def restore_persona(session: Session, actor: Actor, persona: Persona) -> None:
    actor.require("editor", "restore personas")
    _check_name_free(session, actor, persona.name, persona.id)
    persona.archived_at = None
    versions.bump(persona, actor.user_id, field="revision")
    session.flush()


@dataclass(frozen=True)
class ImportSummary:
    created: list[str]
    updated: list[str]
    unchanged: list[str]


def import_specs(session: Session, actor: Actor, specs: list[PersonaSpec]) -> ImportSummary:
    """Upsert personas by name; running it twice changes nothing the second time."""
    actor.require("editor", "import personas")
    existing = {
        p.name: p
        for p in session.scalars(
            scoped(Persona, actor.workspace_id).options(selectinload(Persona.keywords))
        )
    }
    summary = ImportSummary([], [], [])
    for spec in specs:
        persona = existing.get(spec.name)
        if persona is None:
            create_persona(session, actor, spec)
            summary.created.append(spec.name)
        elif spec_of(persona) == spec and persona.archived_at is None:
            summary.unchanged.append(spec.name)
        else:
            if persona.archived_at is not None:  # active before the re-audit it may cause
                persona.archived_at = None
                versions.bump(persona, actor.user_id, field="revision")
                session.flush()
            update_persona(session, actor, persona, spec)
            summary.updated.append(spec.name)
    return summary


def export_specs(session: Session, actor: Actor) -> list[PersonaSpec]:
    return [spec_of(p) for p in list_personas(session, actor)]


def persona_names(session: Session, workspace_id: int) -> dict[int, str]:
    rows = session.execute(
        select(Persona.id, Persona.name).where(Persona.workspace_id == workspace_id)
    )
    return {row.id: row.name for row in rows}
