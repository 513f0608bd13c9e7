"""Turn submitted text into the words a reader sees, keeping a map back to the source.

`extract(text, fmt)` masks the source (see `masking`), then compacts the mask into the
visible text: markup deleted, whitespace runs collapsed to one space (so phrases match
across line breaks), barriers and paragraph breaks turned into a newline token (so they
never match across blocks) and possessive `'s` dropped. A short list of segments maps
every visible character back to its code-point offset in the source, and the mask's
field regions say which field (`title`, `description`, `tags`, `alt`, else `body`) a
source offset is in.

What hides a word from a reader's eye must not hide it from the audit: every Unicode
format character (category Cf: zero-width and bidi controls, invisible operators, tag
characters) and every variation selector is dropped like deleted markup, and
compatibility characters are folded to their NFKC form in place (`ｅｎｔｅｒｐｒｉｓｅ`
reads as `enterprise`), so offsets still point into the source as written. A dash next to
whitespace joins the whitespace run (`on -premise`, `on –\npremise` read as `on premise`):
dashes become spaces *before* whitespace is collapsed, never after.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata

from nlp.errors import AuditInputError
from nlp.html_mask import mask_html_document
from nlp.markdown_mask import mask_markdown_document
from nlp.masking import BARRIER, CONTINUE, DELETE, MARKERS, Mask, count_words, mask_urls

FORMATS = ("plain", "markdown", "html")

# Every format character (Unicode category Cf, listed as ranges: computing the set takes
# 0.2 s) and the variation selectors (category Mn, but just as invisible).
FORMAT_CHARS = (
    "\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f\ufe00-\ufe0f\U000e0100-\U000e01ef"
)
_INVISIBLE = re.escape(MARKERS) + FORMAT_CHARS  # for character classes only
# Every hyphen and dash reads as a space between parts, every apostrophe as `'`: the
# tokenizer then sees `on-premise`, `on‑premise` and `on premise` alike. The mapping
# keeps lengths, so offsets into the visible text stay valid.
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
_DASH_CLASS = re.escape(DASHES)
# A run of whitespace and invisible characters, other than a lone space that touches no
# dash. It starts with a character class so the regex engine skips ordinary text in C.
_RUN = re.compile(
    rf"[\s{_INVISIBLE}](?:(?<=[^ ])|(?=[\s{_INVISIBLE}{_DASH_CLASS}])|(?<=[{_DASH_CLASS}] ))"
    rf"[\s{_INVISIBLE}]*"
)
# Dashes (and more whitespace) right after a whitespace run belong to it.
_DASH_TAIL = re.compile(rf"[{_DASH_CLASS}]+[\s{_INVISIBLE}{_DASH_CLASS}]*")
_HAS_SPACE = re.compile(r"\s")
# A possessive 's after a word (the apostrophe may be a decoded entity).
_POSSESSIVE = re.compile(r"['\u2019\u02bc]\x02*s(?![^\W_])")
_DELETED_POSSESSIVE = re.compile(r"['\u2019\u02bc]s(?![^\W_])")
_TERM_POSSESSIVE = re.compile(r"(?<=[^\W_])['\u2019\u02bc\uff07]s(?![^\W_])")
_MARKER_RUN = re.compile(rf"[{_INVISIBLE}]+")
_SPACE_RUN = re.compile(r"\s+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
APOSTROPHES = "\u2018\u2019\u02bc\u2032\uff07"
_APOSTROPHE_SET = frozenset("'" + APOSTROPHES)
_TOKEN_TABLE = str.maketrans({**dict.fromkeys(DASHES, " "), **dict.fromkeys(APOSTROPHES, "'")})

# spaCy's tokenizer strips affixes from a chunk one at a time, each time on a new copy:
# quadratic in the chunk's length, so 100 KB of `<<<<` or emoji without a space would
# hold a worker for minutes. No keyword lives in such a chunk (URLs are already masked),
# so chunks longer than this are blanked out before tokenizing.
MAX_CHUNK = 100
_LONG_CHUNK = re.compile(rf"\S{{{MAX_CHUNK + 1},}}")


class Extraction:
    """The visible text of one submitted text and the map back into its source."""

    __slots__ = (
        "source",
        "masked",
        "visible",
        "hidden_words",
        "warnings",
        "_mask",
        "_seg_vis",
        "_seg_src",
        "_lines",
    )

    def __init__(self, source: str, mask: Mask, paragraphs: bool) -> None:
        self.source = source
        self.masked = mask.text
        self.hidden_words = mask.hidden_words
        self.warnings = mask.warnings
        self._mask = mask
        # The reader's words (`reader_text`) keep the source's characters; matching
        # reads them folded.
        folded = fold_compatibility(self.masked)
        self.visible, self._seg_vis, self._seg_src = _compact(folded, paragraphs)
        self._lines: list[int] | None = None

    def field_at(self, pos: int) -> str:
        """Return the field of a source offset: `body` unless a reader meets it elsewhere."""
        return self._mask.field_at(pos)

    @property
    def word_count(self) -> int:
        """Count the body's words a reader sees: prose plus code and URLs, never markup.

        Titles, descriptions, tags and alt text are audited but not counted, so a figure
        means what it meant before those fields were read.
        """
        words = count_words(self.visible) + self.hidden_words
        for start, end, _ in self._mask.fields:
            # Each field region is a block of its own, so its words are counted whole.
            chunk = _MARKER_RUN.sub("", self.masked[start:end].replace(BARRIER, " "))
            words -= count_words(chunk)
        return words

    def token_text(self) -> str:
        """Return the visible text as the tokenizer should see it (dashes, apostrophes)."""
        text = self.visible.translate(_TOKEN_TABLE)
        return _LONG_CHUNK.sub(_blank, text)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a visible `[start, end)` (non-empty, on visible characters) to the source."""
        seg_vis, seg_src = self._seg_vis, self._seg_src
        i = bisect.bisect_right(seg_vis, start) - 1
        src_start = seg_src[i] + start - seg_vis[i]
        last = end - 1
        j = bisect.bisect_right(seg_vis, last) - 1
        src_end = seg_src[j] + last - seg_vis[j] + 1
        masked = self.masked
        while src_end < len(masked) and masked[src_end] == CONTINUE:
            src_end += 1  # the rest of an entity whose decoded char ended the match
        return src_start, src_end

    def possessive_after(self, start: int, end: int) -> bool:
        """Say whether the visible `[start, end)` is followed by a possessive in the source.

        The `'s` itself was deleted from the visible text (`mask_possessives`); a plural's
        lone apostrophe (`leaders'`) is still there.
        """
        src_end = self.source_span(start, end)[1]
        masked, j = self.masked, src_end
        while j < len(masked) and masked[j] in (DELETE, CONTINUE):
            j += 1
        if _DELETED_POSSESSIVE.search(html.unescape(self.source[src_end:j])):
            return True
        return self.visible[end - 1 : end] in "sS" and masked[j : j + 1] in _APOSTROPHE_SET

    def line_column(self, pos: int) -> tuple[int, int]:
        """Return the 1-based line and column (in code points) of a source offset."""
        if self._lines is None:
            self._lines = [0] + [m.end() for m in re.finditer("\n", self.source)]
        i = bisect.bisect_right(self._lines, pos) - 1
        return i + 1, pos - self._lines[i] + 1

    def reader_text(self, start: int, end: int) -> str:
        """Return the source slice as a reader sees it: markup dropped, spaces collapsed."""
        chunk = _MARKER_RUN.sub("", self.masked[start:end])
        return _SPACE_RUN.sub(" ", chunk).strip()


def _blank(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


def _compact(masked: str, paragraphs: bool) -> tuple[str, list[int], list[int]]:
    """Build the visible text and its segment map from a mask.

    Segment `i` starts at visible offset `seg_vis[i]` and source offset `seg_src[i]` and
    runs one-to-one until the next segment; a segment of one collapsed run has length 1.
    Dashes touching a whitespace run are part of it (a hard-wrapped `on-\\npremise`).
    """
    parts: list[str] = []
    seg_vis, seg_src = [0], [0]
    pos = vlen = 0
    search = _RUN.search
    while (m := search(masked, pos)) is not None:
        start, end = m.span()
        run = m.group()
        spaced = BARRIER in run or _HAS_SPACE.search(run) is not None
        if spaced:
            while start > pos and masked[start - 1] in DASHES:
                start -= 1
            tail = _DASH_TAIL.match(masked, end)
            if tail is not None:
                end = tail.end()
                run = masked[start:end]
        if start > pos:
            parts.append(masked[pos:start])
            vlen += start - pos
        if BARRIER in run:
            sep = "\n"
        elif spaced:  # the run holds whitespace, not just deleted markup
            sep = "\n" if paragraphs and run.count("\n") >= 2 else " "
        else:
            sep = ""
        if sep:
            parts.append(sep)
            seg_vis.append(vlen)
            seg_src.append(start)
            vlen += 1
        seg_vis.append(vlen)
        seg_src.append(end)
        pos = end
    parts.append(masked[pos:])
    return "".join(parts), seg_vis, seg_src


def extract(text: str, fmt: str = "plain") -> Extraction:
    """Read `text` as `fmt` (plain, markdown or html) into its visible text."""
    if fmt == "plain":
        mask = Mask(text)
        mask_urls(mask)
    elif fmt == "markdown":
        mask = mask_markdown_document(text)
    elif fmt == "html":
        mask = mask_html_document(text)
    else:
        raise AuditInputError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    mask_possessives(mask)
    # In HTML, blank lines are not paragraphs: only block tags are.
    return Extraction(text, mask, paragraphs=fmt != "html")


def mask_possessives(mask: Mask) -> None:
    """Drop possessive `'s`, so `Enterprise's` reads as `enterprise` inside phrases too."""
    text = mask.text
    for m in _POSSESSIVE.finditer(text):
        before = m.start() - 1
        while before >= 0 and text[before] == DELETE:  # `**Enterprise**'s`
            before -= 1
        if before >= 0 and text[before].isalnum():
            mask.delete(m.start(), m.end())
    mask.commit()


def fold_compatibility(text: str) -> str:
    """Fold compatibility characters to NFKC where that keeps the length.

    Fullwidth and mathematical letters, ligature-free compatibility forms: one character
    for one, so offsets stay put. Runs on the mask, after the format readers, so a
    fullwidth `＜` is never read as markup. Characters whose NFKC form is longer (`ﬁ`,
    `½`) are kept.
    """
    if text.isascii():
        return text
    table = {}
    for char in set(_NON_ASCII.findall(text)):
        folded = _nfkc(char)
        if folded is not None:
            table[ord(char)] = folded
    return text.translate(table) if table else text


def _nfkc(char: str) -> str | None:
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 and folded != char else None


def fold_case(text: str) -> str:
    """Lowercase without changing the length (`İ` lowercases to two code points: kept)."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def strip_possessives(term: str) -> str:
    """Drop a possessive `'s` after a word (`Enterprise's budget` -> `Enterprise budget`)."""
    return _TERM_POSSESSIVE.sub("", term)


def normalised_text(phrase: str) -> str:
    """Normalise a keyword form the way `extract` + `token_text` normalise running text.

    Format characters dropped, NFKC folded, possessives dropped, dashes and whitespace
    runs read as one space, apostrophes as `'`; the case is kept.
    """
    mask = Mask(phrase)
    mask_possessives(mask)
    visible, _, _ = _compact(fold_compatibility(mask.text), paragraphs=False)
    return " ".join(visible.translate(_TOKEN_TABLE).split())


def match_key(phrase: str) -> str:
    """Return the key the matcher looks for: `normalised_text`, lowercased (`fold_case`)."""
    return fold_case(normalised_text(phrase))
