"""Audit drafts against personas: the one service the API, the CLI, the editor and pieces share.

The engine (`nlp`) matches, scores and decides the verdict; this module checks the request
(format, size, persona ids of *this* workspace), audits against the lexicons
`services/lexicons.py` makes of personas (a lexicon's id is the persona's `id` in the audit
JSON) and maps engine errors into the app's error tree.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import nlp
from planner.errors import PayloadTooLarge, ValidationError
from planner.services.lexicons import id_list, workspace_lexicons

if TYPE_CHECKING:
    # The database layer is imported where it is used, so the database-free
    # `flask audit --personas` path never loads it (see `planner.create_file_audit_app`).
    from sqlalchemy.orm import Session

    from planner.services.access import Actor

FORMATS: tuple[str, ...] = tuple(nlp.FORMATS)
# A persona as the engine reads it; faces hold a list of these to audit many files.
Lexicon: TypeAlias = nlp.PersonaLexicon
# Far above any article (a long one is ~60,000 characters), below the engine's own limit,
# and small enough that one request cannot hold a worker for long.
MAX_AUDIT_CHARS = 500_000


def _check_input(text: Any, fmt: Any) -> None:
    if text is None:
        raise ValidationError("Send the text to audit.", {"text": "is required"})
    if not isinstance(text, str):
        raise ValidationError("The text to audit must be a string.", {"text": "must be a string"})
    if len(text) > MAX_AUDIT_CHARS:
        raise PayloadTooLarge(
            f"The text is {len(text):,} characters; audits take at most {MAX_AUDIT_CHARS:,}.",
            {"text": f"longer than {MAX_AUDIT_CHARS:,} characters"},
        )
    if fmt is None:
        raise ValidationError(
            "Say which format the text is in.", {"format": f"is required: {', '.join(FORMATS)}"}
        )
    if not isinstance(fmt, str) or fmt not in FORMATS:
        raise ValidationError(
            f"Unknown format {fmt!r}.", {"format": f"must be one of {', '.join(FORMATS)}"}
        )


def _check_field(value: Any, name: str) -> None:
    """Check an optional plain text sent beside the body (`title`, `summary`) like the text."""
    if value is None:
        return
    if not isinstance(value, str):
        raise ValidationError(f"The {name} to audit must be a string.", {name: "must be a string"})
    if len(value) > MAX_AUDIT_CHARS:
        raise PayloadTooLarge(
            f"The {name} is {len(value):,} characters; audits take at most {MAX_AUDIT_CHARS:,}.",
            {name: f"longer than {MAX_AUDIT_CHARS:,} characters"},
        )


def audit_lexicons(
    text: Any,
    fmt: Any,
    lexicons: Sequence[nlp.PersonaLexicon],
    *,
    target_ids: Collection = (),
    dismissed: Collection[tuple] = (),
    title: Any = None,
    summary: Any = None,
) -> nlp.AuditResult:
    """Audit a text against lexicons already loaded, e.g. once for a folder of files.

    `title` and `summary` (plain text, optional) are audited beside the body, as a reader
    sees them first: their matches have field `title` / `description`, offsets into them.
    """
    _check_input(text, fmt)
    _check_field(title, "title")
    _check_field(summary, "summary")
    try:
        return nlp.audit(text, fmt, lexicons, target_ids, dismissed, title=title, summary=summary)
    except nlp.AuditInputError as error:
        message = f"The text cannot be audited: {error}"
        raise ValidationError(message, {"text": str(error)}) from error


def audit_text(
    session: Session,
    actor: Actor,
    text: Any,
    fmt: Any = "plain",
    *,
    persona_ids: Collection[int] | None = None,
    target_ids: Collection[int] | None = (),
    dismissed: Collection[tuple] = (),
    title: Any = None,
    summary: Any = None,
) -> nlp.AuditResult:
    """Audit a text against the actor's workspace personas (any role may audit).

    `persona_ids` narrows the audit to some personas (default: every active one); target
    personas are always audited, since "a target with no match" needs their matches.
    `dismissed` holds `nlp.dismissal_key`s of matches an editor accepted. `title` and
    `summary` are audited beside the text (see `audit_lexicons`).
    """
    _check_input(text, fmt)
    _check_field(title, "title")
    _check_field(summary, "summary")
    targets = id_list(target_ids, "target_personas") or []
    lexicons = workspace_lexicons(session, actor.workspace_id, persona_ids)
    audited = {lexicon.id for lexicon in lexicons}
    extra = [i for i in targets if i not in audited]
    if extra:
        lexicons += workspace_lexicons(session, actor.workspace_id, extra, field="target_personas")
    return audit_lexicons(
        text, fmt, lexicons, target_ids=targets, dismissed=dismissed, title=title, summary=summary
    )


def configure_engine(*, model: str | None, max_new_strings: int | None) -> None:
    """Give the audit engine the app's `NLP_MODEL` and `NLP_MAX_NEW_STRINGS` settings."""
    nlp.configure(model=model, max_new_strings=max_new_strings)


def warm_up() -> None:
    """Load the audit pipeline now, e.g. when a worker starts, not inside its first job."""
    _ = nlp.default_engine().nlp


# Matches kept per (persona, term) in a stored audit; the rest are counted, not stored.
STORED_MATCHES_PER_TERM = 20


def compact_for_storage(result: dict[str, Any], per_term: int = STORED_MATCHES_PER_TERM) -> dict:
    """An audit result (`AuditResult.to_dict()`) cut down for storing: O(keywords), not O(text).

    A 75 KB keyword-dense piece stored 952 KB of audit JSON per save. Each persona keeps
    the first `per_term` matches of each term, plus the first match of each other wording
    (casefolded, dismissed or not), so overrides and dismissals, which key on the wording,
    see every wording; the rest are counted in the persona's `"omitted": {term: count}`.
    Findings follow their matches (`"omitted_findings"` counts the others). Scores, levels
    and the verdict were computed from every match and are kept as they are.
    """
    kept_spans: set[tuple] = set()
    personas = []
    for persona in result.get("personas", []):
        kept: list[dict] = []
        omitted: dict[str, int] = {}
        per_term_seen: dict[str, int] = {}
        wordings: set[tuple] = set()
        for match in persona.get("matches", []):
            term = match.get("term")
            wording = (term, str(match.get("text", "")).casefold(), bool(match.get("dismissed")))
            per_term_seen[term] = per_term_seen.get(term, 0) + 1
            if per_term_seen[term] <= per_term or wording not in wordings:
                kept.append(match)
                wordings.add(wording)
                kept_spans.add(
                    (persona.get("name"), match.get("field"), match.get("start"), match.get("end"))
                )
            else:
                omitted[term] = omitted.get(term, 0) + 1
        compacted = {**persona, "matches": kept}
        if omitted:
            compacted["omitted"] = omitted
        personas.append(compacted)
    findings, dropped = [], 0
    for finding in result.get("findings", []):
        start = finding.get("start")
        span = (finding.get("persona"), finding.get("field"), start, finding.get("end"))
        if start is None or span in kept_spans:
            findings.append(finding)
        else:
            dropped += 1
    compact = {**result, "personas": personas, "findings": findings}
    if dropped:
        compact["omitted_findings"] = dropped
    return compact
