"""RSS/Atom feeds. What this package exports is retrieval and parsing, without a database.

`fetch_feed` gets bytes (SSRF guard, limits, conditional GET); `parse_feed` turns bytes
into frozen dataclasses. Storing items (`store`), polling (`polling`), the feeds page's
service (`admin`) and the inbox (`inbox`) use the database.
"""

from .errors import (
    FeedBlockedAddress,
    FeedError,
    FeedFetchError,
    FeedGone,
    FeedInvalidURL,
    FeedParseError,
    FeedTimeout,
    FeedTooLarge,
)
from .fetch import FetchResult, fetch_feed
from .netguard import AddressGuard, check_url
from .parse import ParsedEntry, ParsedFeed, parse_feed
from .sanitize import html_to_text, safe_link, sanitize_html

__all__ = [
    "AddressGuard",
    "FeedBlockedAddress",
    "FeedError",
    "FeedFetchError",
    "FeedGone",
    "FeedInvalidURL",
    "FeedParseError",
    "FeedTimeout",
    "FeedTooLarge",
    "FetchResult",
    "ParsedEntry",
    "ParsedFeed",
    "check_url",
    "fetch_feed",
    "html_to_text",
    "parse_feed",
    "safe_link",
    "sanitize_html",
]
