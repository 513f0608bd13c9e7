"""A dry run of one persona change: keyword matches and verdicts that would move.

The texts that could move (`texts.candidates`) are audited twice by the engine, with the
workspace's personas as they are and with the changed one in their place; the verdict
rule stays the engine's. Nothing is written: no persona, audit or verdict.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import nlp
from planner.errors import PlannerError, ValidationError
from planner.models import FeedItem, Persona, PieceAudit
from planner.services import audit as audit_service
from planner.services import lexicons as lexicon_service
from planner.services.access import Actor
from planner.services.persona_preview import texts as stored_texts
from planner.services.persona_preview.texts import StoredText
from planner.services.personas.schema import KeywordSpec, PersonaSpec, validate_persona
from planner.services.personas.service import spec_of

NEW_ID = "new"  # the lexicon id of a persona that does not exist yet
MAX_EXAMPLES = 5
GROUPS = ("newly_blocked", "newly_warned", "newly_passing")
_GROUP_OF = {"block": "newly_blocked", "warn": "newly_warned", "pass": "newly_passing"}


@dataclass
class KeywordImpact:
    """Matches of one added, removed or changed keyword, with a few examples of each kind."""

    change: str  # "added" | "removed" | "changed"
    term: str
    matches: dict[str, int] = field(default_factory=lambda: {"piece": 0, "item": 0})
    texts: dict[str, int] = field(default_factory=lambda: {"piece": 0, "item": 0})
    examples: dict[str, list[dict]] = field(default_factory=lambda: {"piece": [], "item": []})

    def to_dict(self) -> dict[str, Any]:
        return {
            "change": self.change,
            "term": self.term,
            "pieces": {
                "matches": self.matches["piece"],
                "texts": self.texts["piece"],
                "examples": self.examples["piece"],
            },
            "items": {
                "matches": self.matches["item"],
                "texts": self.texts["item"],
                "examples": self.examples["item"],
            },
        }


@dataclass
class Impact:
    """What saving `spec` would do; `fingerprint` changes when any part of the answer does."""

    persona_id: int | None
    name: str
    keywords: list[KeywordImpact]
    thresholds: dict[str, dict[str, float | None]]
    kind: dict[str, str] | None
    changes: dict[str, list[dict]]
    scanned: dict[str, int]
    audited: int
    proposal: dict = field(default_factory=dict)  # the persona document previewed

    @property
    def changed_verdicts(self) -> int:
        return sum(len(v) for v in self.changes.values())

    def to_dict(self) -> dict[str, Any]:
        body = {
            "persona": {"id": self.persona_id, "name": self.name},
            "keywords": [k.to_dict() for k in self.keywords],
            "thresholds": self.thresholds,
            "kind": self.kind,
            **self.changes,
            "scanned": {**self.scanned, "audited": self.audited},
        }
        return {**body, "fingerprint": _fingerprint({**body, "proposal": self.proposal})}

    @property
    def fingerprint(self) -> str:
        return str(self.to_dict()["fingerprint"])


def _fingerprint(body: dict) -> str:
    payload = json.dumps(body, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def _keyword_changes(old: PersonaSpec | None, new: PersonaSpec) -> list[tuple[str, KeywordSpec]]:
    before = {k.term.casefold(): k for k in (old.keywords if old else ())}
    after = {k.term.casefold(): k for k in new.keywords}
    changes = []
    for key, keyword in after.items():
        if key not in before:
            changes.append(("added", keyword))
        elif before[key] != keyword:
            changes.append(("changed", keyword))
    changes += [("removed", k) for key, k in before.items() if key not in after]
    return changes


def _thresholds(old: PersonaSpec | None, new: PersonaSpec) -> dict[str, dict[str, float | None]]:
    if old is None:
        return {}
    moved = {}
    for label in ("warn", "block"):
        before, after = getattr(old, f"{label}_threshold"), getattr(new, f"{label}_threshold")
        if before != after:
            moved[label] = {"from": before, "to": after}
    return moved


def _new_lexicon(spec: PersonaSpec, lexicon_id: int | str) -> nlp.PersonaLexicon:
    lexicon = lexicon_service.lexicons_from_specs([spec])[0]
    return dataclasses.replace(lexicon, id=lexicon_id)


def _audit(text: StoredText, lexicons: list[nlp.PersonaLexicon]) -> nlp.AuditResult | None:
    ids = {lexicon.id for lexicon in lexicons}
    try:
        return audit_service.audit_lexicons(
            text.body,
            text.fmt,
            lexicons,
            target_ids=[t for t in text.targets if t in ids],
            dismissed=text.dismissed,
            title=text.title or None,
            summary=text.summary,
        )
    except PlannerError:  # a text the engine refuses keeps its stored verdict
        return None


def _example(text: StoredText, match: dict) -> dict:
    return {
        "id": text.id,
        "kind": text.kind,
        "title": text.title,
        "text": match["text"],
        "field": match.get("field", "body"),
        "start": match["start"],
        "end": match["end"],
    }


def _count(impact: KeywordImpact, text: StoredText, matches: list[dict], extra: int = 0) -> None:
    """Add one text's matches of the keyword (`extra`: matches a stored audit only counted)."""
    found = [m for m in matches if m["term"] == impact.term]
    if not found and not extra:
        return
    impact.matches[text.kind] += len(found) + extra
    impact.texts[text.kind] += 1
    examples = impact.examples[text.kind]
    examples += [_example(text, m) for m in found[: MAX_EXAMPLES - len(examples)]]


def _persona_matches(result: dict | None, lexicon_id: int | str) -> tuple[list[dict], dict]:
    for persona in (result or {}).get("personas", []):
        if persona.get("id") == lexicon_id:
            return persona.get("matches", []), persona.get("omitted", {})
    return [], {}


def _stored_results(session: Session, texts: list[StoredText]) -> dict[tuple[str, int], dict]:
    """The stored audit JSON of these texts only (for a removed keyword's old matches)."""
    found: dict[tuple[str, int], dict] = {}
    piece_ids = [t.id for t in texts if t.kind == "piece"]
    item_ids = [t.id for t in texts if t.kind == "item"]
    for chunk in range(0, len(piece_ids), 500):
        latest = (
            select(func.max(PieceAudit.id))
            .where(PieceAudit.piece_id.in_(piece_ids[chunk : chunk + 500]))
            .group_by(PieceAudit.piece_id)
        )
        rows = session.execute(
            select(PieceAudit.piece_id, PieceAudit.result).where(PieceAudit.id.in_(latest))
        )
        found.update({("piece", piece_id): result for piece_id, result in rows})
    for chunk in range(0, len(item_ids), 500):
        ids = item_ids[chunk : chunk + 500]
        rows = session.execute(select(FeedItem.id, FeedItem.audit).where(FeedItem.id.in_(ids)))
        found.update({("item", item_id): audit for item_id, audit in rows if audit})
    return found


def _verdicts(
    session: Session,
    todo: list[StoredText],
    current: list[nlp.PersonaLexicon],
    proposed: list[nlp.PersonaLexicon],
    impacts: list[KeywordImpact],
    lexicon_id: int | str,
) -> dict[str, list[dict]]:
    """Audit each text with the proposed personas (and, when its stored audit is stale,
    with today's); count the keywords' matches; group the verdicts that move.

    A text whose stored audit is current keeps that audit as its "before": one engine
    pass per text, the removed keywords' matches read from the stored JSON.
    """
    removed = [i for i in impacts if i.change == "removed"]
    stored = _stored_results(session, [t for t in todo if not t.stale]) if removed else {}
    changes: dict[str, list[dict]] = {group: [] for group in GROUPS}
    for text in todo:
        after = _audit(text, proposed)
        if after is None:
            continue
        before_verdict, before_matches = text.verdict, []
        omitted: dict[str, int] = {}
        if text.stale:
            before = _audit(text, current)
            if before is None:
                continue
            before_verdict = before.verdict
            found = next((p for p in before.personas if p.id == lexicon_id), None)
            before_matches = [m.to_dict() for m in found.matches] if found else []
        elif removed:
            before_matches, omitted = _persona_matches(stored.get((text.kind, text.id)), lexicon_id)
        after_persona = next((p for p in after.personas if p.id == lexicon_id), None)
        after_matches = [m.to_dict() for m in after_persona.matches] if after_persona else []
        for impact in impacts:
            if impact.change == "removed":
                _count(impact, text, before_matches, omitted.get(impact.term, 0))
            else:
                _count(impact, text, after_matches)
        if before_verdict != after.verdict:
            changes[_GROUP_OF[after.verdict]].append(
                {
                    "id": text.id,
                    "kind": text.kind,
                    "title": text.title,
                    "status": text.status,
                    "from": before_verdict,
                    "to": after.verdict,
                }
            )
    return changes


def _reach(
    old: PersonaSpec | None, keyword_changes: list[tuple[str, KeywordSpec]], whole: bool
) -> list[KeywordSpec]:
    """The keywords whose forms a text must contain for the change to move its verdict."""
    reach = [k for _, k in keyword_changes]
    if old is not None:
        changed = {k.term.casefold() for c, k in keyword_changes if c == "changed"}
        reach += [k for k in old.keywords if whole or k.term.casefold() in changed]
    return reach


def preview_persona(
    session: Session,
    actor: Actor,
    persona: Persona | None,
    spec: PersonaSpec,
    *,
    texts: list[StoredText] | None = None,
    restoring: bool = False,
) -> Impact:
    """What saving `spec` over `persona` (None: as a new persona) would do; writes nothing.

    `texts` lets a caller previewing several personas (a file) load the stored texts once.
    `restoring`: the persona is archived and the save makes it active again (an import
    does), so every keyword of `spec` is new to the audits.
    """
    actor.require("editor", "preview persona changes")
    old_spec = spec_of(persona) if persona is not None and not restoring else None
    lexicon_id: int | str = persona.id if persona is not None else NEW_ID
    current = lexicon_service.workspace_lexicons(session, actor.workspace_id)
    active = persona is None or persona.archived_at is None or restoring
    proposed = [lexicon for lexicon in current if lexicon.id != lexicon_id]
    if active:
        proposed.append(_new_lexicon(spec, lexicon_id))
    keyword_changes = _keyword_changes(old_spec, spec)
    kind = (
        {"from": old_spec.kind, "to": spec.kind}
        if old_spec is not None and old_spec.kind != spec.kind
        else None
    )
    thresholds = _thresholds(old_spec, spec)
    impacts = [KeywordImpact(change, k.term) for change, k in keyword_changes]
    if texts is None:
        texts = stored_texts.load_texts(session, actor.workspace_id)
    todo: list[StoredText] = []
    if active and (keyword_changes or kind or thresholds):
        reach = _reach(old_spec, keyword_changes, whole=bool(kind or thresholds))
        todo = stored_texts.candidates(texts, stored_texts.keyword_stems(reach))
    changes = _verdicts(session, todo, current, proposed, impacts, lexicon_id)
    return Impact(
        persona.id if persona is not None else None,
        spec.name,
        impacts,
        thresholds,
        kind,
        changes,
        {
            "pieces": sum(t.kind == "piece" for t in texts),
            "items": sum(t.kind == "item" for t in texts),
        },
        len(todo),
        spec.to_document(),
    )


def patched_spec(persona: Persona, changes: Any) -> PersonaSpec:
    """The persona a PATCH with `changes` would store: the API preview takes the same body."""
    if not isinstance(changes, dict):
        raise ValidationError("The request body must be a JSON object.", {"": "must be an object"})
    document = spec_of(persona).to_document()
    document.update({k: v for k, v in changes.items() if k != "revision"})
    return validate_persona(document)
