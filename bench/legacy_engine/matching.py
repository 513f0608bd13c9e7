"""Compile the keywords of a set of personas into one PhraseMatcher, and run it.

One matcher for the whole set, not one per persona: the matcher itself costs almost
nothing per token, but every call walks the whole document, so twenty calls would cost
more than the tokenizer. Identical normalised patterns are added once and fan out to
every keyword (and persona) that shares them. `to_matches` then turns token matches
into `Match` results with offsets into the source.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from bench.legacy_engine.extract import Extraction, phrase_text
from nlp.lexicon import PersonaLexicon
from nlp.results import Match


@dataclass(frozen=True, slots=True)
class PatternUse:
    """One keyword of one persona behind a pattern; `case` holds its token texts if any."""

    persona_id: int | str
    keyword_index: int
    case: tuple[str, ...] | None


# A keyword match in token positions: (start token, end token, keyword index).
RawMatch = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class TextPart:
    """One audited text inside the token text: where it starts there, and its field.

    `field` is None for the body, whose field depends on the offset (front matter, alt).
    """

    base: int
    extraction: Extraction
    field: str | None


class CompiledLexicons:
    """The compiled form of a set of persona lexicons, bound to one pipeline's vocab."""

    def __init__(self, nlp: Language, personas: Sequence[PersonaLexicon]) -> None:
        entries = [
            (persona.id, index, keyword)
            for persona in personas
            for index, keyword in enumerate(persona.keywords)
        ]
        texts = [phrase_text(keyword.term) for _, _, keyword in entries]
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self._uses: dict[int, list[PatternUse]] = {}
        by_norms: dict[tuple[int, ...], list[PatternUse]] = {}
        # Bulk tokenising the patterns is what keeps compiling 10,000 keywords under a second.
        # (`Language.tokenizer` is typed as any callable; the engine's is spaCy's `Tokenizer`.)
        tokenizer = cast(Tokenizer, nlp.tokenizer)
        for (persona_id, index, keyword), doc in zip(entries, tokenizer.pipe(texts), strict=True):
            if not len(doc):
                continue
            case = tuple(t.text for t in doc) if keyword.case_sensitive else None
            use = PatternUse(persona_id, index, case)
            norms = tuple(t.norm for t in doc)
            uses = by_norms.get(norms)
            if uses is None:
                key = f"persona-pattern-{len(by_norms)}"
                uses = by_norms[norms] = []
                self.matcher.add(key, [doc])
                self._uses[nlp.vocab.strings[key]] = uses
            uses.append(use)
        self.pattern_count = len(by_norms)

    def find(self, doc: Doc) -> dict[int | str, list[RawMatch]]:
        """Return each persona's matches in text order; where two overlap the longer wins."""
        found: dict[int | str, list[RawMatch]] = defaultdict(list)
        uses_of = self._uses
        for match_id, start, end in self.matcher(doc):
            for use in uses_of[match_id]:
                if use.case is not None and not _case_matches(doc, start, end, use.case):
                    continue
                found[use.persona_id].append((start, end, use.keyword_index))
        return {pid: _without_overlaps(matches) for pid, matches in found.items()}


def to_matches(
    found: dict[int | str, list[RawMatch]],
    doc: Doc,
    parts: Sequence[TextPart],
    personas: Sequence[PersonaLexicon],
    dismissed_keys: set[tuple[Any, str, str]],
) -> tuple[dict[int | str, list[Match]], dict[tuple[str, int, int], str]]:
    """Turn token matches into `Match`es with source offsets, and words for messages.

    `doc` is the token text of every part, joined by a newline (which no phrase crosses);
    a match's offsets point into its own part's source, and its field is the part's own
    (`title=` text) or, in the body, the field of its first source character. Several
    personas often match the same words, so each token span is mapped back once. The
    words for messages are keyed by `(field, start, end)`.
    """
    # Two flat lists: a 2-D array's tolist() costs ten times as much.
    starts = doc.to_array(IDX).tolist()
    lengths = doc.to_array(LENGTH).tolist()
    bases = [part.base for part in parts]
    single = len(parts) == 1
    spans: dict[tuple[int, int], tuple[int, int, int, int, str, str, Extraction]] = {}
    worded: set[tuple[int, int]] = set()
    reader_words: dict[tuple[str, int, int], str] = {}
    matches: dict[int | str, list[Match]] = {}
    by_id = {p.id: p for p in personas}
    for persona_id, raw_matches in found.items():
        persona = by_id[persona_id]
        keywords = persona.keywords
        negative = persona.kind == "negative"
        out = matches[persona_id] = []
        for first, stop, keyword_index in raw_matches:
            if keyword_index >= len(keywords):
                continue  # keywords changed without a version bump
            keyword = keywords[keyword_index]
            key = (first, stop)
            span = spans.get(key)
            if span is None:
                last = stop - 1
                vis_start = starts[first]
                part = parts[0] if single else parts[bisect.bisect_right(bases, vis_start) - 1]
                extraction, base = part.extraction, part.base
                start, end = extraction.source_span(
                    vis_start - base, starts[last] + lengths[last] - base
                )
                line, column = extraction.line_column(start)
                field = part.field or extraction.field_at(start)
                matched = extraction.source[start:end]
                span = spans[key] = (start, end, line, column, matched, field, extraction)
            start, end, line, column, matched, field, extraction = span
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
            if negative and key not in worded:
                worded.add(key)
                reader_words[(field, start, end)] = extraction.reader_text(start, end)
    return matches, reader_words


def _without_overlaps(matches: list[RawMatch]) -> list[RawMatch]:
    """Keep non-overlapping matches, preferring longer ones, then earlier keywords.

    Overlaps are rare (`procurement` inside `procurement process`), so the common case is
    one pass that finds none.
    """
    matches.sort()
    last_end = -1
    for start, end, _ in matches:
        if start < last_end:
            break
        last_end = end
    else:
        return matches
    taken: set[int] = set()
    kept = []
    for m in sorted(matches, key=lambda m: (m[0] - m[1], m[0], m[2])):
        span = range(m[0], m[1])
        if taken.isdisjoint(span):
            taken.update(span)
            kept.append(m)
    kept.sort()
    return kept


def _case_matches(doc: Doc, start: int, end: int, wanted: tuple[str, ...]) -> bool:
    if end - start != len(wanted):
        return False
    return all(case_compatible(doc[start + i].text, w) for i, w in enumerate(wanted))


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
