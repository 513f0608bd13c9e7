"""Store a feed's parsed entries as items, audited against the workspace's personas.

Polling, the queue worker and the demo loader all come through `store_entries`, so an
item is stored and scored the same way whichever path brought it in. Storing is an upsert
keyed by (feed, identity) with a unique constraint behind it: polling the same document
twice, or a job retried after a crash, adds nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import nlp
from planner.models import Persona
from planner.models.feed import Feed, FeedItem
from planner.services.lexicons import workspace_lexicons

from .digest import ItemAudit, audit_entry, item_identity
from .parse import ParsedEntry

log = logging.getLogger(__name__)

_LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class StoreResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


class LexiconSource:
    """The workspace's persona lexicons, loaded once per poll and only if something is new."""

    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self._lexicons: list[nlp.PersonaLexicon] | None = None
        self.versions: dict[str, int] = {}

    def get(self) -> list[nlp.PersonaLexicon]:
        """The lexicons; `versions` then maps each persona id (str, as in JSON) to its version."""
        if self._lexicons is None:
            self._lexicons = workspace_lexicons(self.session, self.workspace_id)
            rows = self.session.execute(
                select(Persona.id, Persona.version).where(
                    Persona.workspace_id == self.workspace_id, Persona.archived_at.is_(None)
                )
            )
            self.versions = {str(persona_id): version for persona_id, version in rows}
        return self._lexicons


def known_hashes(session: Session, feed_id: int) -> dict[str, str]:
    """Every stored item of the feed as identity -> content hash: what a worker needs to skip.

    Two short columns, never the audit JSON (a re-poll used to load every stored item with
    its audit only to compare hashes).
    """
    rows = session.execute(
        select(FeedItem.identity, FeedItem.content_hash).where(FeedItem.feed_id == feed_id)
    )
    return {identity: content_hash for identity, content_hash in rows}


def _entry_fields(entry: ParsedEntry) -> dict[str, Any]:
    return {
        "guid": entry.guid,
        "link": entry.link,
        "title": entry.title,
        "author": entry.author[:300] if entry.author else None,
        "published_at": entry.published,
        "updated_at": entry.updated,
        "summary_html": entry.summary_html,
        "summary_text": entry.summary_text,
        "content_hash": entry.content_hash,
    }


def _audit_fields(audit: ItemAudit, source: LexiconSource) -> dict[str, Any]:
    lexicons = source.get()
    return {
        "audit": audit.audit,
        "verdict": audit.verdict,
        "buyer_matches": audit.buyer_matches,
        "negative_matches": audit.negative_matches,
        # Persona row versions (what `Persona.version` says), so a re-audit finds stale items.
        "persona_versions": {
            str(lexicon.id): source.versions.get(str(lexicon.id)) for lexicon in lexicons
        },
    }


def _existing(session: Session, feed_id: int, identities: list[str]) -> dict[str, tuple[int, str]]:
    """identity -> (id, content hash) of the stored items among `identities`; no other column."""
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(identities), _LOOKUP_CHUNK):
        chunk = identities[start : start + _LOOKUP_CHUNK]
        query = select(FeedItem.id, FeedItem.identity, FeedItem.content_hash).where(
            FeedItem.feed_id == feed_id, FeedItem.identity.in_(chunk)
        )
        found.update((identity, (item_id, h)) for item_id, identity, h in session.execute(query))
    return found


@dataclass
class _Plan:
    inserts: list[dict[str, Any]]
    updates: list[dict[str, Any]]
    result: StoreResult


def _plan(
    session: Session,
    feed: Feed,
    entries: Sequence[ParsedEntry],
    lexicons: LexiconSource,
    now: datetime,
    audits: Mapping[str, ItemAudit],
) -> _Plan:
    """Read what is stored and audit what is new or edited (unless audited already), no writes.

    Auditing is the slow part; doing it before any write keeps the write transaction short,
    which matters on SQLite, where a writer blocks every other writer.
    """
    by_identity: dict[str, ParsedEntry] = {}
    for entry in entries:
        by_identity.setdefault(item_identity(entry.identity), entry)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    unchanged = 0
    with session.no_autoflush:
        existing = _existing(session, feed.id, list(by_identity))
        for identity, entry in by_identity.items():
            stored = existing.get(identity)
            if stored is not None and stored[1] == entry.content_hash:
                unchanged += 1
                continue
            audit = audits.get(identity)
            if audit is None:
                audit = audit_entry(entry, lexicons.get())
            fields = {**_entry_fields(entry), **_audit_fields(audit, lexicons)}
            if stored is None:
                inserts.append(
                    {
                        "feed_id": feed.id,
                        "workspace_id": feed.workspace_id,
                        "identity": identity,
                        "first_seen_at": now,
                        "state": "new",
                        "changed_at": None,
                        "curated_piece_id": None,
                        **fields,
                    }
                )
            else:
                updates.append({"id": stored[0], "changed_at": now, **fields})
    return _Plan(inserts, updates, StoreResult(len(inserts), len(updates), unchanged))


def store_entries(
    session: Session,
    feed: Feed,
    entries: Sequence[ParsedEntry],
    now: datetime,
    lexicons: LexiconSource | None = None,
    audits: Sequence[ItemAudit] | None = None,
) -> StoreResult:
    """Insert new entries and update edited ones (content hash changed), auditing both.

    `audits`, when given, are the entries' audits done elsewhere (a worker process), in the
    order of `entries`; an entry without one is audited here. Stored items are read as
    (id, identity, hash) only and written with bulk statements, never loaded as objects.

    The writes run in a savepoint: if another process inserted one of the same items
    meanwhile (the unique constraint fires), the savepoint is rolled back and the upsert
    runs once more, now finding that row and updating it instead.
    """
    lexicons = lexicons or LexiconSource(session, feed.workspace_id)
    done: dict[str, ItemAudit] = {}
    if audits is not None:
        done = {item_identity(e.identity): a for e, a in zip(entries, audits, strict=True)}
    for attempt in (1, 2):
        plan = _plan(session, feed, entries, lexicons, now, done)
        try:
            with session.begin_nested():
                if plan.inserts:
                    session.execute(insert(FeedItem), plan.inserts)
                if plan.updates:
                    session.execute(update(FeedItem), plan.updates)
            return plan.result
        except IntegrityError:
            if attempt == 2:
                raise
            log.info("feed %s: items inserted concurrently; merging", feed.id)
    raise AssertionError("unreachable")
