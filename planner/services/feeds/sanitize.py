"""Make feed HTML and links safe to render, and turn HTML into text for scoring.

Feed content is written by strangers and shown to logged-in editors, so it passes an
explicit allow-list (nh3, a binding to Rust's ammonia, which parses like a browser). We
sanitise here once instead of letting feedparser do it too (measured: sanitising twice
costs about 40% of parse time; docs/architecture.md, "Engine facts").

Images are not allowed: a remote <img> in a summary tells a third party who reads the
planner and when, and summaries are shown for curation, not for layout.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import nh3

ALLOWED_TAGS = frozenset(
    {"a", "b", "blockquote", "br", "code", "em", "i", "li", "ol", "p", "pre", "strong", "ul"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"
# Tags removed together with their content: their text is code or chrome, not prose.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "noscript", "object", "embed", "template", "svg", "math"}
)
MAX_LINK_LENGTH = 4096

_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
# WHATWG URL parsing deletes tabs and newlines anywhere and trims C0 controls and spaces.
_URL_INVISIBLE = re.compile(r"[\t\n\r]")
_URL_TRIM = "".join(chr(c) for c in range(0x21))
_WHITESPACE = re.compile(r"\s+")
_SPACES = re.compile(r"[ \u00a0\u200b]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def sanitize_html(fragment: str, base_url: str | None = None) -> str:
    """Return `fragment` with only allow-listed tags, attributes and link schemes.

    Relative links are resolved against `base_url` (the entry's or feed's URL), or
    dropped when there is no usable http(s) base, so no link points into the planner.
    """
    if not fragment:
        return ""
    base = safe_link(base_url) if base_url else None
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        url_relative=("rewrite_with_base", base) if base else "deny",
    )


def safe_link(url: str | None, base_url: str | None = None) -> str | None:
    """Return `url` as an absolute http(s) URL, or None if it is anything else.

    Strips what browsers ignore (`java\\tscript:` is `javascript:` to a browser) before
    judging the scheme, so obfuscated forms are caught too.
    """
    if not url:
        return None
    cleaned = _URL_INVISIBLE.sub("", url).strip(_URL_TRIM)
    if base_url:
        base = safe_link(base_url)
        if base is None:
            return None
        cleaned = urljoin(base, cleaned)
    if not cleaned or len(cleaned) > MAX_LINK_LENGTH:
        return None
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return cleaned


def html_to_text(fragment: str) -> str:
    """Return the readable text of an HTML fragment: no tags, entities decoded.

    Block elements become line breaks so sentences from two paragraphs do not run
    together (which would create phrase matches across them); script and style
    content is dropped.
    """
    if not fragment:
        return ""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(collector.parts).split("\n"))
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(_WHITESPACE.sub(" ", data))
