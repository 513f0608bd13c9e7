"""Retrieve a feed's bytes over HTTP: redirects, conditional GET, limits, SSRF guard.

This module owns the network and nothing else; `parse.py` turns the bytes into data.
Sockets, the deadline and decompression live in `transport.py`; this module is the
HTTP flow: redirects, conditional GET, statuses, and the SSRF guard on every hop.
"""

from __future__ import annotations

import email.utils
import http.client
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import urldefrag, urljoin

from .errors import FeedFetchError, FeedGone, FeedTimeout, FeedTooLarge
from .netguard import AddressGuard, FeedTarget, IPAddress, parse_target
from .transport import BodyDecoder, Watchdog, pinned_connection

DEFAULT_USER_AGENT = "PersonaPlanner/0.1 (feed reader)"
MAX_BYTES = 10 * 2**20
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, "
    "application/json;q=0.8, */*;q=0.1"
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_CHUNK = 64 * 1024

FetchStatus = Literal["ok", "not_modified"]


@dataclass(frozen=True)
class FetchResult:
    """What one poll of a feed URL produced.

    `permanent_url` is the URL reached through an unbroken run of 301/308 redirects from
    the requested URL (store it as the feed's new URL); a temporary redirect anywhere
    before it leaves it None. `content` is None for "not_modified".
    """

    status: FetchStatus
    url: str
    permanent_url: str | None
    http_status: int
    content: bytes | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    fetched_at: datetime


def fetch_feed(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    allow_private: bool = False,
    connect_timeout: float = 5,
    read_timeout: float = 10,
    deadline: float = 30,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = 5,
    user_agent: str = DEFAULT_USER_AGENT,
    guard: AddressGuard | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> FetchResult:
    """Fetch `url`, following redirects, and return its body or "not_modified".

    `guard` replaces the default `AddressGuard(allow_private=allow_private)`; tests use it
    to inject a resolver. `deadline` bounds the whole exchange, redirects included, so a
    server that drips one byte per second cannot hold a worker. Raises `FeedFetchError`
    or one of its subclasses; never returns an error status.
    """
    guard = guard if guard is not None else AddressGuard(allow_private=allow_private)
    headers = _request_headers(etag, last_modified, user_agent)
    watchdog = Watchdog(deadline)
    settings = _Settings(connect_timeout, read_timeout, max_bytes, watchdog, ssl_context)
    try:
        current, permanent_url, still_permanent = url, None, True
        for _ in range(max_redirects + 1):
            target = parse_target(current)
            addresses = _guarded(guard, target)
            with _Exchange(target, addresses, headers, settings) as response:
                if response.status not in _REDIRECTS:
                    return _outcome(response, target, permanent_url, etag, last_modified, settings)
                current = _location(response, target)
            if still_permanent and response.status in _PERMANENT:
                permanent_url = current
            else:
                still_permanent = False
        raise FeedFetchError(f"more than {max_redirects} redirects", url=url)
    finally:
        watchdog.close()


@dataclass(frozen=True)
class _Settings:
    connect_timeout: float
    read_timeout: float
    max_bytes: int
    watchdog: Watchdog
    ssl_context: ssl.SSLContext | None


def _guarded(guard: AddressGuard, target: FeedTarget) -> tuple[IPAddress, ...]:
    try:
        return guard.addresses_for(target.host, target.port)
    except FeedFetchError as exc:
        exc.url = target.url
        raise


def _request_headers(
    etag: str | None, last_modified: str | None, user_agent: str
) -> dict[str, str]:
    headers = {
        "User-Agent": user_agent,
        "Accept": ACCEPT,
        "Accept-Encoding": "gzip, deflate",
        "Connection": "close",
    }
    # A stored validator with a line break would be a header injection; drop it instead.
    for name, value in (("If-None-Match", etag), ("If-Modified-Since", last_modified)):
        if value and not any(c in value for c in "\r\n\0"):
            headers[name] = value
    return headers


def _location(response: http.client.HTTPResponse, target: FeedTarget) -> str:
    location = response.getheader("Location")
    if not location:
        raise FeedFetchError(
            f"{response.status} redirect without a Location", url=target.url, status=response.status
        )
    return urldefrag(urljoin(target.url, location.strip())).url


def _outcome(
    response: http.client.HTTPResponse,
    target: FeedTarget,
    permanent_url: str | None,
    etag: str | None,
    last_modified: str | None,
    settings: _Settings,
) -> FetchResult:
    status = response.status
    now = datetime.now(UTC)
    if status == 304:
        return FetchResult(
            status="not_modified",
            url=target.url,
            permanent_url=permanent_url,
            http_status=status,
            content=None,
            etag=response.getheader("ETag") or etag,
            last_modified=response.getheader("Last-Modified") or last_modified,
            content_type=None,
            fetched_at=now,
        )
    if status == 410:
        raise FeedGone("the feed is gone (410)", url=target.url, status=status)
    if status in (429, 503):
        retry_after = parse_retry_after(response.getheader("Retry-After"), now)
        raise FeedFetchError(
            f"server is busy ({status} {response.reason})",
            url=target.url,
            status=status,
            retry_after=retry_after,
        )
    if not 200 <= status < 300:
        raise FeedFetchError(f"HTTP {status} {response.reason}", url=target.url, status=status)
    return FetchResult(
        status="ok",
        url=target.url,
        permanent_url=permanent_url,
        http_status=status,
        content=_read_body(response, target, settings),
        etag=response.getheader("ETag"),
        last_modified=response.getheader("Last-Modified"),
        content_type=response.getheader("Content-Type"),
        fetched_at=now,
    )


def _read_body(
    response: http.client.HTTPResponse, target: FeedTarget, settings: _Settings
) -> bytes:
    """Read and inflate the body, stopping as soon as it passes `max_bytes`."""
    coding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    decoder = BodyDecoder(coding, settings.max_bytes, url=target.url)
    length = response.getheader("Content-Length", "")
    if decoder.identity and length.isdecimal() and int(length) > settings.max_bytes:
        raise FeedTooLarge(f"body of {length} bytes exceeds {settings.max_bytes}", url=target.url)
    raw_limit = 2 * settings.max_bytes + _CHUNK  # compressed data that inflates to nothing
    raw_total = 0
    while chunk := response.read1(_CHUNK):
        settings.watchdog.check(target.url)
        raw_total += len(chunk)
        if raw_total > raw_limit:
            raise FeedTooLarge(f"body exceeds {raw_limit} bytes on the wire", url=target.url)
        decoder.feed(chunk)
    settings.watchdog.check(target.url)  # the watchdog ends a read with EOF when it fires
    if response.length:  # http.client's read1 does not notice a short Content-Length body
        raise FeedFetchError("connection closed before the body was complete", url=target.url)
    return decoder.finish()


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """Turn a Retry-After header (seconds or an HTTP date) into an aware UTC datetime."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdecimal():
        try:
            return now + timedelta(seconds=int(value))
        except OverflowError:
            return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when.astimezone(UTC), now)


class _Exchange:
    """One request on a fresh connection pinned to validated addresses; closes on exit."""

    def __init__(
        self,
        target: FeedTarget,
        addresses: tuple[IPAddress, ...],
        headers: dict[str, str],
        settings: _Settings,
    ) -> None:
        self.target = target
        self.settings = settings
        self.headers = headers
        self.conn = pinned_connection(
            target,
            addresses,
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            watchdog=settings.watchdog,
            ssl_context=settings.ssl_context,
        )

    def __enter__(self) -> http.client.HTTPResponse:
        try:
            self.conn.request("GET", self.target.request_target, headers=self.headers)
            return self.conn.getresponse()
        except BaseException as exc:
            self.conn.close()
            translated = self._translate(exc)
            if translated is None:
                raise
            raise translated from exc

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: object) -> None:
        self.conn.close()
        translated = self._translate(exc) if exc is not None else None
        if translated is not None:
            raise translated from exc

    def _translate(self, exc: BaseException) -> FeedFetchError | None:
        """Map a low-level failure to the feed error tree; None leaves `exc` as it is."""
        url = self.target.url
        if isinstance(exc, FeedFetchError) or not isinstance(exc, Exception):
            return None
        if self.settings.watchdog.fired:
            return FeedTimeout("the fetch took longer than the deadline", url=url)
        if isinstance(exc, TimeoutError):
            return FeedTimeout(f"timed out talking to {self.target.host}", url=url)
        if isinstance(exc, ssl.SSLError | ssl.CertificateError):
            return FeedFetchError(f"TLS error with {self.target.host}: {exc}", url=url)
        if isinstance(exc, OSError | http.client.HTTPException | ValueError):
            return FeedFetchError(f"HTTP exchange failed: {exc!r}", url=url)
        return None
