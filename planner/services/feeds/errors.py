"""Errors raised while fetching and parsing feeds.

`FeedError` is the root so one `except FeedError` keeps a bad feed from stopping a
batch; the lead re-parents it under `planner.errors.PlannerError` later. Everything that
goes wrong while retrieving bytes is a `FeedFetchError`, so callers that only care
"could we get the feed?" catch that one class.
"""

from __future__ import annotations

from datetime import datetime


class FeedError(Exception):
    """Root of every feed retrieval and parsing error."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url


class FeedFetchError(FeedError):
    """The feed could not be retrieved; `status` and `retry_after` say why and when."""

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        retry_after: datetime | None = None,
    ) -> None:
        super().__init__(message, url=url)
        self.status = status
        self.retry_after = retry_after


class FeedInvalidURL(FeedFetchError):
    """The URL is not something we fetch (not http/https, no host, malformed)."""


class FeedBlockedAddress(FeedFetchError):
    """The host resolves to an address we refuse to connect to (SSRF guard)."""


class FeedGone(FeedFetchError):
    """The server answered 410 Gone: stop polling this feed."""


class FeedTooLarge(FeedFetchError):
    """The body, after decompression, exceeds the size limit."""


class FeedTimeout(FeedFetchError):
    """Connecting, reading, or the whole exchange took longer than allowed."""


class FeedParseError(FeedError):
    """The bytes are not a feed we can read (empty, HTML page, refused DTD, ...)."""
