"""Audit drafts against personas: the one service the API, the CLI, the editor and pieces share.

The engine (`nlp`) matches, scores and decides the verdict; this module turns personas
(database rows or a persona file) into `nlp.PersonaLexicon`s, checks the request (format,
size, persona ids of *this* workspace) and maps engine errors into the app's error tree.

Lexicon ids: a stored persona is identified by its row id; a persona read from a YAML
file (the CLI's database-free `--personas` path) by its **name**, which is unique within
a file. That id is the `id` of the persona in the audit JSON.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

import nlp
from planner.errors import LexiconError, PayloadTooLarge, ValidationError
from planner.services.personas.schema import PersonaSpec

if TYPE_CHECKING:
    # The database layer is imported where it is used, so the database-free
    # `flask audit --personas` path never loads it (see `planner.create_file_audit_app`).
    from sqlalchemy import Row
    from sqlalchemy.orm import Session

    from planner.models import Persona
    from planner.services.access import Actor

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = tuple(nlp.FORMATS)
# A persona as the engine reads it; faces hold a list of these to audit many files.
Lexicon: TypeAlias = nlp.PersonaLexicon
# Far above any article (a long one is ~60,000 characters), below the engine's own limit,
# and small enough that one request cannot hold a worker for long.
MAX_AUDIT_CHARS = 500_000
# Persona ids one request may name; a workspace has tens.
MAX_IDS = 1_000

_MEMO_SIZE = 512
_memo: OrderedDict[tuple, nlp.PersonaLexicon] = OrderedDict()
_memo_lock = threading.Lock()


def _memo_key(persona: Persona | Row) -> tuple:
    # `version` changes with keywords, kind and thresholds; a rename does not bump it.
    # `created_at` tells apart two rows that reuse an id after a delete (SQLite can).
    return (persona.id, persona.version, persona.name, persona.created_at)


def _memo_columns() -> tuple:
    from planner.models import Persona

    return (Persona.id, Persona.version, Persona.name, Persona.created_at)


class _KeywordFields(Protocol):
    """A stored `PersonaKeyword` row or a file's `KeywordSpec`."""

    @property
    def term(self) -> str: ...
    @property
    def weight(self) -> float: ...
    @property
    def suggest(self) -> str | None: ...
    @property
    def case_sensitive(self) -> bool: ...
    @property
    def forms(self) -> Sequence[str] | None: ...
    @property
    def exclude(self) -> Sequence[str] | None: ...


def engine_keyword(keyword: _KeywordFields) -> nlp.Keyword:
    """The engine's keyword for a stored row or a file's spec: one place maps every field."""
    return nlp.Keyword(
        keyword.term,
        keyword.weight,
        keyword.suggest,
        keyword.case_sensitive,
        forms=tuple(keyword.forms or ()),
        exclude=tuple(keyword.exclude or ()),
    )


def keyword_forms(
    term: str,
    *,
    case_sensitive: bool = False,
    forms: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> list[str]:
    """The surface forms a keyword will match, for the persona editor to show while typing;
    a term the engine cannot use (no letter or digit yet) matches nothing."""
    try:
        keyword = nlp.Keyword(
            term, case_sensitive=case_sensitive, forms=tuple(forms), exclude=tuple(exclude)
        )
        return nlp.surface_forms(keyword)
    except nlp.LexiconError:
        return []


def lexicon_version(
    kind: str, warn: float | None, block: float | None, keywords: tuple[nlp.Keyword, ...]
) -> int:
    """Return a number that changes whenever anything the audit uses changes.

    The engine caches compiled matchers by `(id, version)`. `Persona.version` alone is not
    safe as that key: SQLite hands a deleted persona's id to the next one (and the test
    suite restarts ids), both at version 1, and a persona file has no version at all.
    A fingerprint of the content is right in every case and costs ~2.5 ms per 2,000
    keywords, paid only when a persona version is first seen (see `lexicon_of`).
    """
    fingerprint = repr((kind, warn, block, keywords))
    return int.from_bytes(hashlib.blake2b(fingerprint.encode(), digest_size=7).digest(), "big")


def _lexicon(
    lexicon_id: int | str,
    name: str,
    kind: str,
    warn: float | None,
    block: float | None,
    keywords: Iterable[nlp.Keyword],
) -> nlp.PersonaLexicon:
    kept = tuple(keywords)
    return nlp.PersonaLexicon(
        id=lexicon_id,
        name=name,
        kind=kind,
        version=lexicon_version(kind, warn, block, kept),
        keywords=kept,
        warn=warn,
        block=block,
    )


def lexicon_of(persona: Persona) -> nlp.PersonaLexicon:
    """Return the engine's view of a persona row: its id, name, kind, thresholds, keywords.

    Memoised per persona version, so the live preview does not reload a persona's keyword
    rows on every keystroke: `persona.keywords` is only read on a miss. A stored keyword
    the engine can never match (no letter or digit, e.g. `!!!`) is left out rather than
    failing every audit of the workspace. The lexicon's `version` is `lexicon_version`.
    """
    cached = _remembered(_memo_key(persona))
    if cached is not None:
        return cached
    keywords = []
    for row in persona.keywords:
        try:
            keywords.append(engine_keyword(row))
        except nlp.LexiconError as error:
            log.warning("persona %s: keyword left out of audits: %s", persona.id, error)
    lexicon = _lexicon(
        persona.id,
        persona.name,
        persona.kind,
        persona.warn_threshold,
        persona.block_threshold,
        keywords,
    )
    with _memo_lock:
        _memo[_memo_key(persona)] = lexicon
        while len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)
    return lexicon


def _remembered(key: tuple) -> nlp.PersonaLexicon | None:
    with _memo_lock:
        cached = _memo.get(key)
        if cached is not None:
            _memo.move_to_end(key)
        return cached


def lexicons_from_specs(specs: Sequence[PersonaSpec]) -> list[nlp.PersonaLexicon]:
    """Return lexicons for personas read from a file, each identified by its name.

    Unlike stored personas, a keyword the engine cannot use is an error here: whoever
    runs the command owns the file and can fix it.
    """
    lexicons = []
    for spec in specs:
        try:
            keywords = [engine_keyword(k) for k in spec.keywords]
            lexicon = _lexicon(
                spec.name,
                spec.name,
                spec.kind,
                spec.warn_threshold,
                spec.block_threshold,
                keywords,
            )
        except nlp.LexiconError as error:
            message = f"persona {spec.name!r}: {error}"
            raise LexiconError(message, {"personas": message}) from error
        lexicons.append(lexicon)
    return lexicons


def _id_list(value: Any, field: str) -> list[int] | None:
    """Check a list of persona ids from a request; `None` means "not given".

    At most `MAX_IDS`, each a row id (1 to `access.MAX_ID`), de-duplicated in linear time
    (a long list used to cost quadratic time), in the order given.
    """
    from planner.services.access import MAX_ID

    if value is None:
        return None
    if isinstance(value, str | bytes | dict) or not isinstance(value, Collection):
        raise ValidationError(
            f"'{field}' must be a list of persona ids.", {field: "must be a list of integers"}
        )
    if len(value) > MAX_IDS:
        raise ValidationError(
            f"'{field}' names {len(value):,} personas; at most {MAX_IDS:,}.",
            {field: f"at most {MAX_IDS:,} ids"},
        )
    ids: dict[int, None] = {}
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or not 0 < item <= MAX_ID:
            shown = repr(item) if len(repr(item)) <= 40 else repr(item)[:40] + "..."
            raise ValidationError(
                f"'{field}' must be a list of persona ids.",
                {field: f"{shown} is not a persona id (a positive integer)"},
            )
        ids[item] = None
    return list(ids)


def workspace_lexicons(
    session: Session,
    workspace_id: int,
    persona_ids: Collection[int] | None = None,
    *,
    field: str = "personas",
) -> list[nlp.PersonaLexicon]:
    """Return the lexicons of the workspace's active personas, or only of `persona_ids`.

    Negative personas come first (they decide the verdict), then by name.

    An id that is not an active persona of this workspace (unknown, another workspace's,
    archived) is a ValidationError on `field`, worded the same for all three so the
    answer never tells whether another workspace has that id.
    """
    from sqlalchemy.orm import selectinload

    from planner.models import Persona
    from planner.services.access import scoped

    ids = _id_list(persona_ids, field)
    # The memo's key columns only: a request whose personas are all memoised (the usual
    # case) loads no persona row, JSON column or keyword.
    query = (
        scoped(Persona, workspace_id)
        .with_only_columns(*_memo_columns())
        .where(Persona.archived_at.is_(None))
    )
    if ids is not None:
        if not ids:
            return []
        query = query.where(Persona.id.in_(ids))
    heads = session.execute(query.order_by(Persona.kind.desc(), Persona.name, Persona.id)).all()
    if ids is not None:
        found = {head.id for head in heads}
        missing = [i for i in ids if i not in found]
        if missing:
            listed = ", ".join(str(i) for i in missing)
            raise ValidationError(
                f"No active persona with id {listed} in this workspace.",
                {field: f"no active persona with id {listed} in this workspace"},
            )
    known = {head.id: _remembered(_memo_key(head)) for head in heads}
    unknown = [persona_id for persona_id, lexicon in known.items() if lexicon is None]
    rows = {}
    if unknown:
        found_rows = session.scalars(
            scoped(Persona, workspace_id)
            .where(Persona.id.in_(unknown))
            .options(selectinload(Persona.keywords))
        )
        rows = {row.id: row for row in found_rows}
    # A persona deleted between the two queries is simply not audited.
    chosen = [known[head.id] or rows.get(head.id) for head in heads]
    return _usable_lexicons(
        [choice for choice in chosen if choice is not None], requested=ids is not None, field=field
    )


def _usable_lexicons(
    rows: Sequence[Persona | nlp.PersonaLexicon], *, requested: bool, field: str
) -> list[nlp.PersonaLexicon]:
    """Lexicons of the rows; a row the engine refuses is left out, never a 500 for everyone.

    Such a row predates today's validation (e.g. `warn: 0` or a NaN threshold). When the
    request named it, the answer says so on `field`; otherwise it is skipped and logged.
    """
    lexicons = []
    for persona in rows:
        if isinstance(persona, nlp.PersonaLexicon):
            lexicons.append(persona)
            continue
        try:
            lexicons.append(lexicon_of(persona))
        except nlp.LexiconError as error:
            if requested:
                message = f"persona {persona.id} cannot be audited until it is fixed: {error}"
                raise ValidationError(message, {field: message}) from error
            log.warning("persona %s left out of audits: %s", persona.id, error)
    return lexicons


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
    targets = _id_list(target_ids, "target_personas") or []
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
