"""A batch poll's documents on their way through the worker processes, and back.

`polling.poll_due` fetches in threads; a changed document comes here. It is sent, with the
workspace's lexicons and the feed's stored content hashes, to the process pool
(`workers.shared`), and what comes back is handed to the poll's `record` function to be
stored on the caller's session. A worker that dies fails every document in the pool; each
is sent again to a fresh pool, up to `DIGEST_ATTEMPTS` times.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from planner.models.feed import Feed

from . import workers
from .digest import digest_document, document_hash
from .errors import FeedError, FeedParseError
from .fetch import FetchResult
from .store import LexiconSource, known_hashes

log = logging.getLogger(__name__)

T = TypeVar("T")

# A document whose worker died this many times is given up for this poll (its feed gets an
# error and keeps its old body hash, so the next poll parses it again): the pool breaks as
# a whole, so a document that kills its worker must not be retried forever.
DIGEST_ATTEMPTS = 3


@dataclass
class Job:
    """A fetched document on its way through a worker process, with what storing it needs."""

    feed_id: int
    fetched: FetchResult
    lexicons: LexiconSource
    known: dict[str, str]
    pool: Executor | None = None
    attempts: int = 0


@dataclass
class DigestBatch(Generic[T]):
    """`poll_due`'s bookkeeping: which documents are in the worker pool, and what comes back."""

    session: Session
    clock: Callable[[], datetime]
    processes: int
    # `polling._record_safely`: applies a fetch (and its digest) to the feed row.
    record: Callable[..., T]
    digesting: dict[Future, Job] = field(default_factory=dict)
    sources: dict[int, LexiconSource] = field(default_factory=dict)

    def fetched(self, req: Any, fetched: FetchResult | FeedError) -> T | None:
        """Record a fetch that needs no parsing (or parse it here); else send it to the pool."""
        # The caller commits after each outcome; if it has not (its transaction holds work),
        # that transaction is left alone, else the reads below are ended before waiting.
        idle = not _in_transaction(self.session)
        job = None
        if self.processes > 0:
            try:
                job = self._job(req.feed_id, fetched)
                if job is not None:
                    if idle:  # before the pool, which may take seconds to start its workers
                        self.session.rollback()  # read-only: no "idle in transaction"
                    self._submit(job)
            except Exception:  # the pool or the database: parse here; `record` keeps errors
                log.exception("feed %s: cannot hand the document to a worker", req.feed_id)
                job = None
        if job is None:
            return self.record(self.session, req.feed_id, fetched, self.clock())
        return None

    def _job(self, feed_id: int, fetched: FetchResult | FeedError) -> Job | None:
        if isinstance(fetched, FeedError) or fetched.status == "not_modified":
            return None
        feed = self.session.get(Feed, feed_id)
        if feed is None or document_hash(fetched.content) == feed.body_hash:
            return None
        source = self.sources.get(feed.workspace_id)
        if source is None:
            source = self.sources[feed.workspace_id] = LexiconSource(
                self.session, feed.workspace_id
            )
        source.get()
        return Job(feed_id, fetched, source, known_hashes(self.session, feed_id))

    def _submit(self, job: Job) -> None:
        job.attempts += 1
        for _ in range(2):  # a pool found broken at submit time is replaced once
            pool = workers.shared(self.processes)
            try:
                future = pool.submit(
                    digest_document,
                    job.fetched.content or b"",
                    url=job.fetched.url,
                    content_type=job.fetched.content_type,
                    lexicons=job.lexicons.get(),
                    known=job.known,
                )
            except (BrokenProcessPool, RuntimeError):
                log.warning("the feed worker pool is broken (a worker died); starting a new one")
                workers.discard(pool)
                continue
            job.pool = pool
            self.digesting[future] = job
            return
        raise BrokenProcessPool("the feed worker pool cannot start")

    def digested(self, future: Future) -> T | None:
        """Store what a worker returned; a document whose worker died goes round again."""
        job = self.digesting.pop(future)
        try:
            digest = future.result()
        except BrokenProcessPool:
            if job.pool is not None:
                workers.discard(job.pool)
            digest = FeedParseError("the worker process parsing this feed stopped; will retry")
            if job.attempts < DIGEST_ATTEMPTS:
                log.warning("feed %s: a feed worker process died; parsing again", job.feed_id)
                try:
                    self._submit(job)
                    return None
                except BrokenProcessPool:
                    log.error("feed %s: no worker pool to parse it again", job.feed_id)
        except Exception as error:  # a bug in the worker must not take the batch down
            log.error("feed %s: unexpected error while parsing: %r", job.feed_id, error)
            digest = FeedParseError(f"internal error while parsing: {error.__class__.__name__}")
        return self.record(
            self.session, job.feed_id, job.fetched, self.clock(), job.lexicons, digest
        )


def _in_transaction(session: Session) -> bool:
    """`Session.in_transaction`, also through a `scoped_session` (Flask-SQLAlchemy's)."""
    real = session() if callable(session) else session
    return real.in_transaction()
