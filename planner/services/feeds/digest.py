"""Turn a fetched document into the items worth storing, audited: no database, no network.

Parsing and auditing are where polling spends its CPU (docs/architecture.md), so this is
the part that runs in worker processes (`feeds/workers.py`); the caller reads what it
needs from the database beforehand (the persona lexicons, and the content hash of every
stored item of the feed: `store.known_hashes`, two short columns, never the audit JSON)
and stores the result afterwards. Everything going in and coming out is plain, picklable
data. An entry whose content hash is already stored is dropped here, before its audit.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import nlp
from planner.errors import PlannerError
from planner.models.feed import IDENTITY_MAX
from planner.services.audit import audit_lexicons, compact_for_storage

from .errors import FeedError
from .parse import ParsedEntry, parse_feed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ItemAudit:
    """An item's stored audit, its verdict and the counts the inbox filters on."""

    audit: dict | None = None
    verdict: str | None = None
    buyer_matches: int = 0
    negative_matches: int = 0


UNAUDITED = ItemAudit()


@dataclass(frozen=True)
class Digest:
    """A parsed document: the new or edited entries, each with its audit, in document order."""

    title: str | None
    site_url: str | None
    entries: tuple[ParsedEntry, ...]
    audits: tuple[ItemAudit, ...]
    unchanged: int


def document_hash(content: bytes | None) -> str:
    """The fetched body's hash: an unchanged body is not parsed again."""
    return hashlib.sha256(content or b"").hexdigest()


def item_identity(identity: str) -> str:
    """The entry's identity as stored: as it is, or hashed when too long to index."""
    if len(identity) <= IDENTITY_MAX:
        return identity
    return "sha256:" + hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()


def audit_entry(entry: ParsedEntry, lexicons: Sequence[nlp.PersonaLexicon]) -> ItemAudit:
    """Audit an entry as the piece curated from it will be: the summary as body, the title beside.

    With no personas there is nothing to score against: the item stays unaudited (a later
    re-audit picks it up). An entry the engine refuses (e.g. far too long) is stored
    unaudited rather than lost.
    """
    if not lexicons:
        return UNAUDITED
    try:
        result = audit_lexicons(entry.summary_html or "", "html", lexicons, title=entry.title)
    except PlannerError as error:
        log.warning("feed item %s left unaudited: %s", entry.identity, error.message)
        return UNAUDITED
    counted = [p for p in result.personas if any(not m.dismissed for m in p.matches)]
    return ItemAudit(
        audit=compact_for_storage(result.to_dict()),
        verdict=result.verdict,
        buyer_matches=sum(1 for p in counted if p.kind == "buyer"),
        negative_matches=sum(1 for p in counted if p.kind == "negative"),
    )


def digest_document(
    content: bytes,
    *,
    url: str,
    content_type: str | None,
    lexicons: Sequence[nlp.PersonaLexicon],
    known: Mapping[str, str],
) -> Digest | FeedError:
    """Parse the document and audit each entry whose (identity, content hash) is not in `known`.

    A document that is not a feed comes back as its `FeedError` (returned, not raised, so
    it crosses a process boundary as a value, like every other outcome).
    """
    try:
        parsed = parse_feed(content, url=url, content_type=content_type)
    except FeedError as error:
        return error
    entries: dict[str, ParsedEntry] = {}
    seen: set[str] = set()
    unchanged = 0
    for entry in parsed.entries:
        identity = item_identity(entry.identity)
        if identity in seen:
            continue
        seen.add(identity)
        if known.get(identity) == entry.content_hash:
            unchanged += 1
            continue
        entries[identity] = entry
    changed = tuple(entries.values())
    return Digest(
        title=parsed.title,
        site_url=parsed.site_url,
        entries=changed,
        audits=tuple(audit_entry(entry, lexicons) for entry in changed),
        unchanged=unchanged,
    )
