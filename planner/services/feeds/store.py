"""Store a feed's parsed entries as items, audited against the workspace's personas.

Polling, the queue worker and the demo loader all come through `store_entries`, so an
item is stored and scored the same way whichever path brought it in. Storing is an upsert
keyed by (feed, identity) with a unique constraint behind it: polling the same document
twice, or a job retried after a crash, adds nothing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import nlp
from planner.errors import PlannerError
from planner.models import Persona
from planner.models.feed import IDENTITY_MAX, Feed, FeedItem
from planner.services.audit import audit_lexicons, compact_for_storage, workspace_lexicons

from .parse import ParsedEntry

log = logging.getLogger(__name__)

_LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class StoreResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


def item_identity(identity: str) -> str:
    """The entry's identity as stored: as it is, or hashed when too long to index."""
    if len(identity) <= IDENTITY_MAX:
        return identity
    return "sha256:" + hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()


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


def apply_audit(item: FeedItem, source: LexiconSource) -> None:
    """Audit the item and store the result, the verdict and the counts the inbox filters on.

    With no personas there is nothing to score against: the item stays unaudited (a later
    re-audit picks it up). An item the engine refuses (e.g. far too long) is stored
    unaudited rather than lost.
    """
    lexicons = source.get()
    # Persona row versions (what `Persona.version` says), so a re-audit can find stale items.
    item.persona_versions = {
        str(lexicon.id): source.versions.get(str(lexicon.id)) for lexicon in lexicons
    }
    if not lexicons:
        item.audit, item.verdict, item.buyer_matches, item.negative_matches = None, None, 0, 0
        return
    try:
        # Audited as the piece curated from it will be: the summary as the body, the
        # title beside it, so the item's verdict is the piece's.
        result = audit_lexicons(item.summary_html or "", "html", lexicons, title=item.title)
    except PlannerError as error:
        log.warning("feed item %s left unaudited: %s", item.identity, error.message)
        item.audit, item.verdict, item.buyer_matches, item.negative_matches = None, None, 0, 0
        return
    item.audit = compact_for_storage(result.to_dict())
    item.verdict = result.verdict
    counted = [p for p in result.personas if any(not m.dismissed for m in p.matches)]
    item.buyer_matches = sum(1 for p in counted if p.kind == "buyer")
    item.negative_matches = sum(1 for p in counted if p.kind == "negative")


def _copy_entry(item: FeedItem, entry: ParsedEntry) -> None:
    item.guid = entry.guid
    item.link = entry.link
    item.title = entry.title
    item.author = entry.author[:300] if entry.author else None
    item.published_at = entry.published
    item.updated_at = entry.updated
    item.summary_html = entry.summary_html
    item.summary_text = entry.summary_text
    item.content_hash = entry.content_hash


def _existing(session: Session, feed_id: int, identities: list[str]) -> dict[str, FeedItem]:
    found: dict[str, FeedItem] = {}
    for start in range(0, len(identities), _LOOKUP_CHUNK):
        chunk = identities[start : start + _LOOKUP_CHUNK]
        query = select(FeedItem).where(FeedItem.feed_id == feed_id, FeedItem.identity.in_(chunk))
        found.update((item.identity, item) for item in session.scalars(query))
    return found


def _plan(
    session: Session,
    feed: Feed,
    entries: Sequence[ParsedEntry],
    lexicons: LexiconSource,
    now: datetime,
) -> tuple[list[FeedItem], StoreResult]:
    """Read what is stored and audit what is new or edited, without writing anything yet.

    Auditing is the slow part; doing it before any write keeps the write transaction short,
    which matters on SQLite, where a writer blocks every other writer.
    """
    by_identity = {item_identity(e.identity): e for e in entries}
    new_items: list[FeedItem] = []
    updated = unchanged = 0
    with session.no_autoflush:
        existing = _existing(session, feed.id, list(by_identity))
        for identity, entry in by_identity.items():
            item = existing.get(identity)
            if item is None:
                item = FeedItem(
                    feed_id=feed.id,
                    workspace_id=feed.workspace_id,
                    identity=identity,
                    first_seen_at=now,
                    state="new",
                )
                _copy_entry(item, entry)
                apply_audit(item, lexicons)
                new_items.append(item)
            elif item.content_hash != entry.content_hash:
                _copy_entry(item, entry)
                item.changed_at = now
                apply_audit(item, lexicons)
                updated += 1
            else:
                unchanged += 1
    return new_items, StoreResult(len(new_items), updated, unchanged)


def store_entries(
    session: Session,
    feed: Feed,
    entries: Sequence[ParsedEntry],
    now: datetime,
    lexicons: LexiconSource | None = None,
) -> StoreResult:
    """Insert new entries and update edited ones (content hash changed), auditing both.

    The writes run in a savepoint: if another process inserted one of the same items
    meanwhile (the unique constraint fires), the savepoint is rolled back and the upsert
    runs once more, now finding that row and updating it instead.
    """
    lexicons = lexicons or LexiconSource(session, feed.workspace_id)
    for attempt in (1, 2):
        new_items, result = _plan(session, feed, entries, lexicons, now)
        try:
            with session.begin_nested():
                session.add_all(new_items)
                session.flush()
            return result
        except IntegrityError:
            if attempt == 2:
                raise
            log.info("feed %s: items inserted concurrently; merging", feed.id)
    raise AssertionError("unreachable")
