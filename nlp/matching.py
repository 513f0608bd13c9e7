"""Compile the surface forms of a set of personas into one automaton, and let spaCy confirm.

Each keyword is inflected once into the phrases it matches (`nlp.forms`); all of them go
into one Aho-Corasick automaton (pyahocorasick) over the normalised, lowercased text, so
finding candidates costs one pass in C whatever the number of keywords. A candidate is
only a string hit: spaCy's tokenizer then decides it, on the whitespace-delimited chunks
around it (the tokenizer splits chunks independently, so this window tokenizes exactly as
the whole text would). The candidate must start and end on token boundaries and span as
many tokens as its keyword form does; a case-sensitive keyword also checks the casing of
each token. So spaCy decides every match but only reads text near candidates, and most
texts are never tokenized at all. `to_matches` turns character matches into `Match`es
with offsets into the source.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import ahocorasick
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from nlp.extract import Extraction, fold_case, normalised_text
from nlp.forms import match_keys, possessive_exclusions
from nlp.lexicon import PersonaLexicon
from nlp.results import Match

# A keyword match in the match text: (start, end, keyword index, length in tokens, whether
# it must not be followed by a possessive `'s` in the source).
RawMatch = tuple[int, int, int, int, bool]
# Windows tokenized so far, per compiled matcher (up to 16 are cached); cleared when it
# grows past this (~2 MB).
MAX_WINDOWS = 10_000


@dataclass(frozen=True, slots=True)
class PatternUse:
    """One keyword of one persona behind a pattern; `case` is its term if case-sensitive.

    `not_possessive` holds the keys whose possessive the keyword excludes (`not: [x's]`).
    """

    persona_id: int | str
    keyword_index: int
    case: str | None
    not_possessive: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class TextPart:
    """One audited text: its extraction and its field (None for the body, see `field_at`)."""

    extraction: Extraction
    field: str | None


class CompiledLexicons:
    """The compiled form of a set of persona lexicons, bound to one pipeline's tokenizer."""

    def __init__(self, nlp: Language, personas: Sequence[PersonaLexicon]) -> None:
        # `Language.tokenizer` is typed as any callable; the engine's is spaCy's `Tokenizer`.
        self._tokenizer = cast(Tokenizer, nlp.tokenizer)
        self._token_counts: dict[str, int] = {}
        self._case_tokens: dict[str, tuple[str, ...]] = {}
        self._windows: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        # The automaton itself dedupes keys (a dict beside it doubled the build's memory);
        # 50,000 keywords make ~135,000 patterns, so what is kept per pattern is compact.
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        get, add = automaton.get, automaton.add_word
        uses: list[tuple[PatternUse, ...]] = []
        lengths = array("I")
        for persona in personas:
            for index, keyword in enumerate(persona.keywords):
                case = keyword.term if keyword.case_sensitive else None
                use = PatternUse(persona.id, index, case, possessive_exclusions(keyword) or None)
                for key in match_keys(keyword):
                    i = get(key, -1)
                    if i < 0:
                        add(key, len(uses))
                        uses.append((use,))
                        lengths.append(len(key))
                    else:
                        uses[i] += (use,)
        self._uses = uses
        self._lengths = lengths
        self.pattern_count = len(uses)
        self._automaton: Any = None
        if uses:
            automaton.make_automaton()
            self._automaton = automaton

    def find(self, text: str) -> dict[int | str, list[RawMatch]]:
        """Return each persona's matches in `text` (a `match_text`), in text order.

        Where two matches of one persona overlap, the longer wins.
        """
        if self._automaton is None:
            return {}
        lower = fold_case(text)
        found: dict[int | str, list[RawMatch]] = defaultdict(list)
        lengths, uses_of = self._lengths, self._uses
        for last, i in self._automaton.iter(lower):
            end = last + 1
            start = end - lengths[i]
            # Two letters side by side are never split by the tokenizer: skip it.
            if start and lower[start - 1].isalpha() and lower[start].isalpha():
                continue
            if end < len(lower) and lower[end].isalpha() and lower[end - 1].isalpha():
                continue
            tokens = self._confirm(text, start, end, lower[start:end])
            if tokens is None:
                continue
            for use in uses_of[i]:
                if use.case is not None and not self._case_ok(tokens, use.case):
                    continue
                # A possessive the keyword excludes is only visible in the source: flag it.
                flag = bool(use.not_possessive) and lower[start:end] in use.not_possessive
                found[use.persona_id].append((start, end, use.keyword_index, len(tokens), flag))
        return {pid: _without_overlaps(matches) for pid, matches in found.items()}

    def _confirm(self, text: str, start: int, end: int, key: str) -> list[str] | None:
        """Tokenize the chunks around a candidate; return its tokens if spaCy agrees."""
        space = text.rfind(" ", 0, start)
        w_start = max(space, text.rfind("\n", space + 1, start)) + 1
        w_end = text.find(" ", end)
        if w_end < 0:
            w_end = len(text)
        newline = text.find("\n", end, w_end)
        if newline >= 0:
            w_end = newline
        window = text[w_start:w_end]
        tokenized = self._windows.get(window)
        if tokenized is None:
            if len(self._windows) >= MAX_WINDOWS:
                self._windows.clear()
            doc = self._tokenizer(window)
            tokenized = (tuple(t.idx for t in doc), tuple(t.idx + len(t) for t in doc))
            self._windows[window] = tokenized
        starts, ends = tokenized  # a window holds a few tokens: tuples are small and quick
        first, stop = start - w_start, end - w_start
        if first not in starts or stop not in ends:
            return None
        inside = [s for s in starts if first <= s < stop]
        if len(inside) != self._token_count(key):
            return None
        bounds = [*inside, stop]
        # Token texts without trailing spaces (a token never holds whitespace here).
        return [window[a:b].rstrip() for a, b in zip(bounds, bounds[1:], strict=False)]

    def _token_count(self, key: str) -> int:
        count = self._token_counts.get(key)
        if count is None:
            count = self._token_counts[key] = len(self._tokenizer(key))
        return count

    def _case_ok(self, tokens: list[str], term: str) -> bool:
        wanted = self._case_tokens.get(term)
        if wanted is None:
            words = _case_text(term)
            wanted = self._case_tokens[term] = tuple(t.text for t in self._tokenizer(words))
        if len(tokens) != len(wanted):
            return False
        return all(case_compatible(f, w) for f, w in zip(tokens, wanted, strict=True))


def _case_text(term: str) -> str:
    """The term as the text is read (see `match_key`), with its case kept."""
    return normalised_text(term)


def to_matches(
    found: dict[int | str, list[RawMatch]],
    part: TextPart,
    personas: Sequence[PersonaLexicon],
    dismissed_keys: set[tuple[Any, str, str]],
    matches: dict[int | str, list[Match]],
    reader_words: dict[tuple[str, int, int], str],
) -> None:
    """Add `found` (offsets in `part`'s match text) to `matches` as source `Match`es.

    A match's offsets point into its part's source, and its field is the part's own
    (`title=` text) or, in the body, the field of its first source character. Several
    personas often match the same words, so each span is mapped back once. The words for
    messages are keyed by `(field, start, end)`.
    """
    extraction = part.extraction
    spans: dict[tuple[int, int], tuple[int, int, int, int, str, str]] = {}
    by_id = {p.id: p for p in personas}
    for persona_id, raw_matches in found.items():
        persona = by_id[persona_id]
        keywords = persona.keywords
        negative = persona.kind == "negative"
        out = matches.setdefault(persona_id, [])
        for first, stop, keyword_index, _, not_possessive in raw_matches:
            if keyword_index >= len(keywords):
                continue  # keywords changed without a version bump
            keyword = keywords[keyword_index]
            if not_possessive and extraction.possessive_after(first, stop):
                continue  # `not: [x's]` and the source has `x's`
            span = spans.get((first, stop))
            if span is None:
                start, end = extraction.source_span(first, stop)
                line, column = extraction.line_column(start)
                field = part.field or extraction.field_at(start)
                span = (start, end, line, column, extraction.source[start:end], field)
                spans[(first, stop)] = span
            start, end, line, column, matched, field = span
            dismissed = (persona_id, keyword.term, matched.casefold()) in dismissed_keys
            out.append(
                Match(
                    keyword.term,
                    matched,
                    start,
                    end,
                    line,
                    column,
                    keyword.weight,
                    keyword.suggest,
                    dismissed,
                    field,
                )
            )
            if negative and (field, start, end) not in reader_words:
                reader_words[(field, start, end)] = extraction.reader_text(start, end)


def _without_overlaps(matches: list[RawMatch]) -> list[RawMatch]:
    """Keep non-overlapping matches, preferring more tokens, then earlier ones and keywords.

    Overlaps are rare (`procurement` inside `procurement process`), so the common case is
    one pass that finds none.
    """
    matches.sort()
    last_end = -1
    for start, end, *_ in matches:
        if start < last_end:
            break
        last_end = end
    else:
        return matches
    taken: set[int] = set()
    kept = []
    for m in sorted(matches, key=lambda m: (-m[3], m[0], m[2])):
        span = range(m[0], m[1])
        if taken.isdisjoint(span):
            taken.update(span)
            kept.append(m)
    kept.sort()
    return kept


def case_compatible(found: str, wanted: str) -> bool:
    """Say whether `found` has the casing a case-sensitive keyword token `wanted` asks for.

    Inflected forms are accepted when they keep the keyword's spelling as a prefix
    (`RFPs` for `RFP`) or its shape of case (`Grew` for `Grow`); `rfp` or `Rfp` for `RFP`
    are not.
    """
    if found.startswith(wanted):
        return True
    shape = _case_shape(wanted)
    return shape != "mixed" and _case_shape(found) == shape


def _case_shape(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "none"
    if all(c.isupper() for c in letters):
        return "upper"
    if all(c.islower() for c in letters):
        return "lower"
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return "title"
    return "mixed"
