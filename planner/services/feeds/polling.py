"""Poll feeds: fetch (conditional GET), skip what did not change, store, audit, reschedule.

The decisions the fetch result leads to live here, next to the feed row they change:
304 or an unchanged body hash parse nothing (parsing dominates polling, as measured in
docs/architecture.md);
a permanent redirect moves the feed; 410 retires it; 429/503 come back when the server
says; any other failure backs off and, after enough in a row, pauses the feed. Errors are
kept on the feed, never raised, so one bad feed never stops a batch. A batch (`poll_due`)
parses and audits changed documents in worker processes (`batch.py`, `workers.py`); one
feed (`poll_feed`, a queue job) does it in the calling process, which is the worker.

Functions flush and never commit. `poll_due` is a generator so its caller can commit
after each feed: a batch of hundreds of feeds must not hold one write transaction open.
No transaction is open while a feed is fetched either (a slow server would otherwise keep
a connection "idle in transaction" for the whole fetch): both entry points copy what the
fetch needs off the rows and end their read transaction first (`_end_reads`), so the
caller must have committed its own work before polling.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from planner.models.base import utcnow
from planner.models.feed import PAUSED_INDEFINITELY, Feed

from . import schedule, workers
from .batch import DigestBatch
from .digest import Digest, document_hash
from .errors import FeedError, FeedFetchError, FeedGone
from .fetch import FetchResult, fetch_feed
from .parse import parse_feed
from .store import LexiconSource, store_entries

log = logging.getLogger(__name__)

Fetcher = Callable[..., FetchResult]
FETCH_THREADS = 8


@dataclass(frozen=True)
class PollOutcome:
    """What one poll did. `status`: ok, not_modified, unchanged, error, gone, paused, skipped."""

    feed_id: int
    status: str
    new_items: int = 0
    updated_items: int = 0
    error: str | None = None


@dataclass(frozen=True)
class _Request:
    """What a fetch needs, copied off the row so fetch threads never touch the session."""

    feed_id: int
    url: str
    etag: str | None
    last_modified: str | None


def poll_feed(
    session: Session,
    feed_id: int,
    *,
    now: datetime | None = None,
    allow_private: bool = False,
    only_if_due: bool = False,
    fetch: Fetcher = fetch_feed,
) -> PollOutcome:
    """Poll one feed now (or, with `only_if_due`, only if it is still due: a queued job).

    Retired and paused feeds are skipped; a paused one is polled again once resumed.
    """
    now = now or utcnow()
    feed = session.get(Feed, feed_id)
    if feed is None:
        return PollOutcome(feed_id, "skipped", error="no such feed")
    if feed.retired_at is not None or feed.is_paused(now):
        return PollOutcome(feed_id, "skipped")
    if only_if_due and not schedule.is_due(feed, now):
        return PollOutcome(feed_id, "skipped")
    request = _request(feed)
    _end_reads(session)
    fetched = _fetch(request, allow_private, fetch)
    feed = session.get(Feed, feed_id)
    if feed is None:
        return PollOutcome(feed_id, "skipped", error="feed was deleted")
    return _record(session, feed, fetched, now)


def _end_reads(session: Session) -> None:
    """End the read-only transaction before network I/O; it holds nothing to keep.

    Unsaved changes are refused rather than silently dropped: commit before polling.
    """
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("commit the session before polling: it holds unsaved changes")
    session.rollback()


def due_feed_ids(
    session: Session,
    now: datetime,
    *,
    workspace_id: int | None = None,
    include_not_due: bool = False,
    limit: int | None = None,
) -> list[int]:
    """Ids of active feeds whose next poll time has come, longest-waiting first."""
    query = select(Feed.id).where(
        Feed.retired_at.is_(None),
        or_(Feed.paused_until.is_(None), Feed.paused_until <= now),
    )
    if not include_not_due:
        query = query.where(or_(Feed.next_poll_at.is_(None), Feed.next_poll_at <= now))
    if workspace_id is not None:
        query = query.where(Feed.workspace_id == workspace_id)
    query = query.order_by(Feed.next_poll_at.is_not(None), Feed.next_poll_at, Feed.id)
    return list(session.scalars(query.limit(limit)))


def poll_due(
    session: Session,
    now: datetime | None = None,
    *,
    allow_private: bool = False,
    workspace_id: int | None = None,
    include_not_due: bool = False,
    fetch: Fetcher = fetch_feed,
    threads: int = FETCH_THREADS,
    processes: int | None = None,
) -> Iterator[PollOutcome]:
    """Poll every due feed (or every active one), yielding after each so the caller commits.

    Fetching is network-bound and needs no database, so up to `threads` fetches run at
    once. A changed document is parsed and its new or edited entries audited in a pool of
    `processes` worker processes (default: one per core, `workers.default_processes`; 0,
    or a single due feed, does it in this process); storing happens here, one feed at a
    time, on the caller's session. Each feed is applied in a savepoint: an unexpected
    error (a bug, a database hiccup) is rolled back for that feed, recorded on it, and the
    batch goes on. A worker that dies takes its documents with it; they are sent again to a
    fresh pool (see `batch.DIGEST_ATTEMPTS`), so no item is lost.
    """
    clock = (lambda: now) if now is not None else utcnow
    ids = due_feed_ids(session, clock(), workspace_id=workspace_id, include_not_due=include_not_due)
    requests = [_request(feed) for feed in _load(session, ids)]
    _end_reads(session)
    if processes is None:
        processes = workers.default_processes() if len(requests) > 1 else 0
    batch = DigestBatch(session, clock, processes, _record_safely)
    limit = 2 * max(1, threads) + 2 * processes
    with ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="feed-fetch") as pool:
        fetching: dict[Future, _Request] = {}
        queue = iter(requests)
        while True:
            while (
                len(fetching) + len(batch.digesting) < limit
                and (req := next(queue, None)) is not None
            ):
                fetching[pool.submit(_fetch, req, allow_private, fetch)] = req
            if not fetching and not batch.digesting:
                return
            done, _ = wait([*fetching, *batch.digesting], return_when=FIRST_COMPLETED)
            for future in done:
                if future in fetching:
                    outcome = batch.fetched(fetching.pop(future), future.result())
                else:
                    outcome = batch.digested(future)
                if outcome is not None:
                    yield outcome


def _load(session: Session, ids: list[int]) -> list[Feed]:
    feeds = {f.id: f for f in session.scalars(select(Feed).where(Feed.id.in_(ids)))}
    return [feeds[i] for i in ids if i in feeds]


def _request(feed: Feed) -> _Request:
    return _Request(feed.id, feed.url, feed.etag, feed.last_modified)


def _fetch(req: _Request, allow_private: bool, fetch: Fetcher) -> FetchResult | FeedError:
    try:
        return fetch(
            req.url, etag=req.etag, last_modified=req.last_modified, allow_private=allow_private
        )
    except FeedError as error:
        return error
    except Exception as error:  # a bug in a fetch must not take the batch down
        log.exception("feed %s: unexpected error while fetching", req.feed_id)
        return FeedFetchError(f"unexpected error while fetching: {error!r}", url=req.url)


def _record_safely(
    session: Session,
    feed_id: int,
    fetched: FetchResult | FeedError,
    now: datetime,
    lexicons: LexiconSource | None = None,
    digest: Digest | FeedError | None = None,
) -> PollOutcome:
    """`_record`, turning an unexpected error into an error on the feed.

    The session is rolled back first, which drops only this feed's work: `poll_due`'s
    caller commits after every feed.
    """
    try:
        feed = session.get(Feed, feed_id)
        if feed is None:
            return PollOutcome(feed_id, "skipped", error="feed was deleted")
        return _record(session, feed, fetched, now, lexicons, digest)
    except Exception as error:
        log.exception("feed %s: unexpected error while storing", feed_id)
        session.rollback()
        feed = session.get(Feed, feed_id)
        if feed is None:
            return PollOutcome(feed_id, "skipped", error="feed was deleted")
        message = f"internal error while storing items: {error.__class__.__name__}"
        return _fail(feed, FeedError(message), now)


def _record(
    session: Session,
    feed: Feed,
    fetched: FetchResult | FeedError,
    now: datetime,
    lexicons: LexiconSource | None = None,
    digest: Digest | FeedError | None = None,
) -> PollOutcome:
    """Apply a fetch result (or error) to the feed row and store new items.

    `digest` is the document as a worker process parsed and audited it; without one the
    document is parsed here and its new entries audited by `store_entries`. The feed row
    is changed only after the items are stored, so nothing is flushed while items are
    parsed and audited (a short write transaction; see `store.store_entries`).
    """
    if isinstance(fetched, FeedError):
        return _fail(feed, fetched, now)
    if fetched.permanent_url and fetched.permanent_url != feed.url:
        _move(session, feed, fetched.permanent_url)
    if fetched.status == "not_modified":
        return _succeed(feed, fetched, now, "not_modified")
    body_hash = document_hash(fetched.content)
    if body_hash == feed.body_hash:
        return _succeed(feed, fetched, now, "not_modified", outcome="unchanged")
    if isinstance(digest, FeedError):
        return _fail(feed, digest, now)
    if digest is None:
        try:
            parsed = parse_feed(
                fetched.content or b"", url=fetched.url, content_type=fetched.content_type
            )
        except FeedError as error:
            return _fail(feed, error, now)
        digest = Digest(parsed.title, parsed.site_url, parsed.entries, (), 0)
    lexicons = lexicons or LexiconSource(session, feed.workspace_id)
    audits = digest.audits if len(digest.audits) == len(digest.entries) else None
    stored = store_entries(session, feed, digest.entries, now, lexicons, audits)
    feed.site_url = digest.site_url or feed.site_url
    if not feed.title and digest.title:
        feed.title = digest.title[:300]
    feed.body_hash = body_hash
    return _succeed(feed, fetched, now, "ok", new=stored.new, updated=stored.updated)


def _move(session: Session, feed: Feed, new_url: str) -> None:
    """Follow a permanent redirect, unless the workspace already monitors the new URL."""
    clash = session.scalar(
        select(Feed.id).where(
            Feed.workspace_id == feed.workspace_id, Feed.url == new_url, Feed.id != feed.id
        )
    )
    if clash is None and len(new_url) <= 2048:
        log.info("feed %s moved permanently to %s", feed.id, new_url)
        feed.url = new_url


def _succeed(
    feed: Feed,
    fetched: FetchResult,
    now: datetime,
    status: str,
    *,
    outcome: str | None = None,
    new: int = 0,
    updated: int = 0,
) -> PollOutcome:
    feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
    feed.last_polled_at = now
    feed.last_status = status
    feed.last_error = None
    feed.consecutive_failures = 0
    feed.next_poll_at = schedule.next_after_success(feed, now)
    return PollOutcome(feed.id, outcome or status, new, updated)


def _fail(feed: Feed, error: FeedError, now: datetime) -> PollOutcome:
    feed.last_polled_at = now
    feed.last_error = error.message[:2000]
    if isinstance(error, FeedGone):
        feed.last_status = "gone"
        feed.retired_at = now
        feed.next_poll_at = None
        return PollOutcome(feed.id, "gone", error=feed.last_error)
    feed.consecutive_failures += 1
    feed.last_status = "error"
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:  # the fetcher's clock; keep the delay, on the caller's clock
        retry_after = now + max(retry_after - utcnow(), timedelta(0))
    feed.next_poll_at = schedule.next_after_failure(
        feed, feed.consecutive_failures, now, retry_after
    )
    if schedule.should_pause(feed.consecutive_failures):
        feed.last_status = "paused"
        feed.paused_until = PAUSED_INDEFINITELY
        feed.pause_reason = f"{feed.consecutive_failures} failed polls in a row"
        return PollOutcome(feed.id, "paused", error=feed.last_error)
    return PollOutcome(feed.id, "error", error=feed.last_error)
