"""A length-preserving mask over the submitted text, shared by the format readers.

Every reader (plain, Markdown, HTML) rewrites the source into a string of the *same
length*, where each position either keeps its character (the reader sees it) or holds a
marker: `DELETE` for markup that renders as nothing, `BARRIER` for hidden content or a
block boundary that no phrase may match across, `CONTINUE` for the tail of an entity
whose decoded character sits on the entity's first position. Because positions never
move, every offset found later maps straight back to the source; `extract.compact`
turns the mask into the visible text once, at the end.

A reader also records *field regions*: source ranges a reader sees outside the body (a
title, a description, tags, image alt text; see `FIELDS`). Anything outside them is
`body`. A match belongs to the field of its first character.
"""

from __future__ import annotations

import bisect
import re

DELETE = "\x00"
BARRIER = "\x01"
CONTINUE = "\x02"
MARKERS = DELETE + BARRIER + CONTINUE

# Where a reader sees words: the body, or one of the fields around it.
FIELDS = ("title", "description", "tags", "alt", "body")

# Chunks of punctuation alone (` - `, ` | `) are not words.
_PUNCTUATION_CHUNK = re.compile(r"\s[^\w\s]+(?=\s)")

# Bare URLs and e-mail addresses in prose. The anchor pattern starts with literals so
# the regex engine skips ahead in C; each anchor is then widened to the whole address.
_URL_ANCHOR = re.compile(r"://|www\.|WWW\.|@")
_SCHEME = re.compile(r"(?:https?|ftp|HTTPS?|FTP)$")
_URL_BODY = re.compile(r"[^\s<>\"'`\x00-\x02]+")
_EMAIL_LOCAL = re.compile(r"[\w.+-]+$")
_EMAIL_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")
_URL_TRAILING = ".,;:!?)]}'\"*_~"


def count_words(text: str) -> int:
    """Count runs of non-space characters that hold a letter or digit."""
    return len(text.split()) - len(_PUNCTUATION_CHUNK.findall(f" {text} "))


class Mask:
    """The source being masked: collect same-length edits, then `commit()` them.

    Each reader pass scans `text` (the result of the passes before it), so a later pass
    never sees what an earlier pass has already hidden.
    """

    __slots__ = ("text", "edits", "hidden_words", "fields", "warnings")

    def __init__(self, text: str) -> None:
        self.text = text
        self.edits: list[tuple[int, int, str]] = []
        # Words a reader sees but the engine must not match (code, URLs): they still
        # count toward `word_count`.
        self.hidden_words = 0
        # Source ranges outside the body, `(start, end, field)`, never overlapping.
        self.fields: list[tuple[int, int, str]] = []
        # What a reader could not read as meant (e.g. malformed front matter), in words.
        self.warnings: list[str] = []

    def field(self, start: int, end: int, name: str) -> None:
        """Record that `[start, end)` is visible text of field `name` (not the body).

        A region inside one already recorded (an `<img alt>` in a front-matter title) is
        ignored: the outer field is what a reader meets.
        """
        if end <= start:
            return
        fields = self.fields
        i = bisect.bisect_right(fields, start, key=_start)
        if (i and fields[i - 1][1] > start) or (i < len(fields) and fields[i][0] < end):
            return
        fields.insert(i, (start, end, name))

    def field_at(self, pos: int) -> str:
        """Return the field of source offset `pos` (`body` outside every field region)."""
        fields = self.fields
        if not fields:
            return "body"
        i = bisect.bisect_right(fields, pos, key=_start) - 1
        if i >= 0 and fields[i][0] <= pos < fields[i][1]:
            return fields[i][2]
        return "body"

    def delete(self, start: int, end: int) -> None:
        if end > start:
            self.edits.append((start, end, DELETE * (end - start)))

    def barrier(self, start: int, end: int) -> None:
        if end > start:
            self.edits.append((start, end, BARRIER * (end - start)))

    def space(self, start: int, end: int) -> None:
        """Replace markup that renders as a line break or space (`<br>`, `>` prefixes)."""
        if end > start:
            self.edits.append((start, end, " " + DELETE * (end - start - 1)))

    def replace(self, start: int, end: int, chars: str) -> None:
        """Put decoded `chars` on the first positions of `[start, end)`."""
        self.edits.append((start, end, chars + CONTINUE * (end - start - len(chars))))

    def count_hidden(self, start: int, end: int, text: str | None = None) -> None:
        """Count the words of a hidden but visible region (code, a URL) once."""
        self.hidden_words += count_words(self.text[start:end] if text is None else text)

    def commit(self) -> str:
        """Apply the collected edits (first one wins where two overlap)."""
        if self.edits:
            self.edits.sort()
            out: list[str] = []
            pos = 0
            text = self.text
            for start, end, chars in self.edits:
                if start < pos:
                    continue
                out.append(text[pos:start])
                out.append(chars)
                pos = end
            out.append(text[pos:])
            self.text = "".join(out)
            self.edits = []
        return self.text


def _start(region: tuple[int, int, str]) -> int:
    return region[0]


def mask_urls(mask: Mask) -> None:
    """Hide bare URLs and e-mail addresses behind a barrier; each counts as one word."""
    text = mask.text
    covered = 0
    for anchor in _URL_ANCHOR.finditer(text):
        a_start, a_end = anchor.span()
        if a_start < covered:
            continue
        found = _address_at(text, anchor.group(), a_start, a_end)
        if found is None:
            continue
        start, end = found
        while end > start and text[end - 1] in _URL_TRAILING:
            # Keep a closing parenthesis that belongs to the URL (Wikipedia style).
            if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
                break
            end -= 1
        if end > a_end:
            mask.barrier(start, end)
            if mask.field_at(start) == "body":
                mask.hidden_words += 1
            covered = end
    mask.commit()


def _address_at(text: str, anchor: str, a_start: int, a_end: int) -> tuple[int, int] | None:
    """Widen an anchor (`://`, `www.`, `@`) to the URL or address around it."""
    if anchor == "@":
        domain = _EMAIL_DOMAIN.match(text, a_end)
        if domain is None:
            return None
        local = _EMAIL_LOCAL.search(text, max(0, a_start - 64), a_start)
        if local is None:
            return None
        start = local.start()
        if text.endswith("mailto:", 0, start) or text.endswith("MAILTO:", 0, start):
            start -= 7
        return start, domain.end()
    if anchor == "://":
        scheme = _SCHEME.search(text, max(0, a_start - 5), a_start)
        if scheme is None:
            return None
        start = scheme.start()
    else:
        start = a_start
    if start and (text[start - 1].isalnum() or text[start - 1] in "@/_"):
        return None
    body = _URL_BODY.match(text, a_end)
    return (start, body.end()) if body else None
