"""Personas as the audit engine reads them: `nlp.PersonaLexicon`s from rows or a file.

A stored persona's lexicon is memoised per persona version, so an audit whose personas are
all known reads only their ids and versions, not their rows or keywords. A stored persona
is identified by its row id; a persona read from a YAML file (the CLI's database-free
`--personas` path) by its **name**, which is unique within a file.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import nlp
from planner.errors import LexiconError, ValidationError
from planner.services.personas.schema import PersonaSpec

if TYPE_CHECKING:
    # The database layer is imported where it is used, so the database-free
    # `flask audit --personas` path never loads it (see `planner.create_file_audit_app`).
    from sqlalchemy import Row
    from sqlalchemy.orm import Session

    from planner.models import Persona

log = logging.getLogger(__name__)

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


def id_list(value: Any, field: str) -> list[int] | None:
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

    ids = id_list(persona_ids, field)
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
