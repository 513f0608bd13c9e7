"""The audit engine: one pipeline, a cache of compiled matchers, bounded memory.

spaCy is imported on first use, not at `import nlp`, so commands that never audit
start fast. Compiled matchers are cached by the set of `(persona id, version)` pairs
they were built from, so repeated audits never rebuild one unless a version changes.

spaCy's string store and vocabulary grow with every new word type and never shrink; in
a process that runs for weeks on feeds full of invented words that is a leak. Once the
audited texts have added `max_new_strings` strings, the engine swaps in a fresh pipeline
and drops its matchers (they are bound to the old vocabulary); results are unchanged.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any

from bench.legacy_engine.extract import extract
from nlp import settings
from nlp.errors import AuditInputError
from nlp.lexicon import PersonaLexicon
from nlp.results import AuditResult, Match
from nlp.scoring import build_result

if TYPE_CHECKING:
    from spacy.language import Language

    from bench.legacy_engine.matching import CompiledLexicons

DEFAULT_MAX_MATCHERS = 16  # a 10,000-keyword matcher holds ~70 MB
DEFAULT_MAX_CHARS = 1_000_000  # spaCy's own default `max_length`

MatcherKey = frozenset[tuple[int | str, int]]


class _PipelineState:
    """A pipeline and the matchers compiled against its vocabulary; replaced whole."""

    __slots__ = ("nlp", "matchers", "baseline", "generation")

    def __init__(self, nlp: Language, generation: int) -> None:
        self.nlp = nlp
        self.matchers: OrderedDict[MatcherKey, CompiledLexicons] = OrderedDict()
        self.baseline = len(nlp.vocab.strings)  # strings not added by audited texts
        self.generation = generation


class AuditEngine:
    """Audit texts against persona lexicons; thread-safe, one per process is enough.

    `pipeline_factory` builds a pipeline (default: the process's `load_pipeline()`, and
    a fresh one after each recycle). `max_new_strings` (default: `settings.max_new_strings()`,
    100,000 unless configured) bounds how many strings audited texts may add before a recycle.
    """

    def __init__(
        self,
        *,
        pipeline_factory: Callable[[], Language] | None = None,
        max_new_strings: int | None = None,
        max_matchers: int = DEFAULT_MAX_MATCHERS,
        max_chars: int = DEFAULT_MAX_CHARS,
    ) -> None:
        if max_new_strings is None:
            max_new_strings = settings.max_new_strings()
        self.max_new_strings = max_new_strings
        self.max_matchers = max_matchers
        self.max_chars = max_chars
        self._factory = pipeline_factory
        self._lock = threading.RLock()
        self._state: _PipelineState | None = None
        self.matcher_builds = 0  # how many matchers were compiled (tests, metrics)
        self.recycles = 0  # how many times the pipeline was replaced

    @property
    def nlp(self) -> Language:
        """Return the current pipeline, loading it if needed (use to warm a worker up)."""
        return self._current().nlp

    @property
    def generation(self) -> int:
        """Return how many pipelines this engine has used before the current one."""
        return self._current().generation

    def audit(
        self,
        text: str,
        fmt: str = "plain",
        personas: Sequence[PersonaLexicon] = (),
        target_ids: Collection[int | str] = (),
        dismissed: Collection[tuple[Any, ...]] = (),
        *,
        title: str | None = None,
        summary: str | None = None,
    ) -> AuditResult:
        """Audit `text` (plain, markdown or html) against `personas`.

        `target_ids` are personas the text is meant for: one with no counted match makes
        the verdict at least `warn`. `dismissed` holds `dismissal_key`s of matches an
        editor has accepted: they stay in the result, flagged, but do not count.

        `title` and `summary` are plain texts shown beside the body (a piece's title, its
        excerpt or meta description): a reader sees them first, so they are audited with
        it and scored alike. Their matches have field `title` / `description` and offsets
        into that text. `word_count` stays the body's.
        """
        _check_text(text, "text", self.max_chars)
        extras = [
            (_check_text(value, name, self.max_chars), field)
            for name, value, field in (
                ("title", title, "title"),
                ("summary", summary, "description"),
            )
            if value is not None
        ]
        personas = _checked_personas(personas)
        targets = _checked_targets(target_ids, personas)
        dismissed_keys = _dismissal_set(dismissed)
        extraction = extract(text, fmt)
        matches: dict[int | str, list[Match]] = {}
        reader_words: dict[tuple[str, int, int], str] = {}
        if any(p.keywords for p in personas):
            from bench.legacy_engine.matching import TextPart, to_matches

            state, compiled = self._compiled(personas)
            # One tokenizer pass over every part; a newline between them stops phrases.
            token_text = extraction.token_text()
            parts = [TextPart(0, extraction, None)]
            for extra, field in extras:
                part = extract(extra, "plain")
                token_text += "\n"
                parts.append(TextPart(len(token_text), part, field))
                token_text += part.token_text()
            doc = state.nlp.tokenizer(token_text)
            found = compiled.find(doc)
            if found:
                matches, reader_words = to_matches(found, doc, parts, personas, dismissed_keys)
            self._maybe_recycle(state)
        return build_result(
            extraction.word_count,
            personas,
            matches,
            reader_words,
            targets,
            warnings=extraction.warnings,
        )

    def recycle(self) -> None:
        """Replace the pipeline with a fresh one and drop every compiled matcher."""
        with self._lock:
            generation = self._state.generation + 1 if self._state else 0
            self._state = None
            # The old vocab sits in reference cycles (pipeline <-> components); collect it
            # now rather than whenever the cyclic GC next looks at the oldest generation.
            gc.collect()
            self._state = self._new_state(generation)
            self.recycles += 1

    def _current(self) -> _PipelineState:
        state = self._state
        if state is None:
            with self._lock:
                if self._state is None:
                    self._state = self._new_state(0)
                state = self._state
        return state

    def _new_state(self, generation: int) -> _PipelineState:
        if self._factory is not None:
            return _PipelineState(self._factory(), generation)
        from bench.legacy_engine.pipeline import load_pipeline

        if generation:
            # Drop the process's cached pipeline too, or its vocab would stay in memory.
            load_pipeline.cache_clear()
        return _PipelineState(load_pipeline(), generation)

    def _compiled(
        self, personas: Sequence[PersonaLexicon]
    ) -> tuple[_PipelineState, CompiledLexicons]:
        """Return the current state and the matcher for `personas`, compiling if needed."""
        key: MatcherKey = frozenset(p.cache_key for p in personas)
        with self._lock:
            state = self._current()
            compiled = state.matchers.get(key)
            if compiled is not None:
                state.matchers.move_to_end(key)
                return state, compiled
            from bench.legacy_engine.matching import CompiledLexicons

            strings_before = len(state.nlp.vocab.strings)
            compiled = CompiledLexicons(state.nlp, personas)
            # Keyword strings are not the audited texts' doing: don't count them.
            state.baseline += len(state.nlp.vocab.strings) - strings_before
            self.matcher_builds += 1
            state.matchers[key] = compiled
            while len(state.matchers) > self.max_matchers:
                state.matchers.popitem(last=False)
            return state, compiled

    def _maybe_recycle(self, state: _PipelineState) -> None:
        if len(state.nlp.vocab.strings) - state.baseline > self.max_new_strings:
            with self._lock:
                if self._state is state:
                    self.recycle()


def _check_text(value: Any, name: str, max_chars: int) -> str:
    """Return `value` if it is a str of at most `max_chars`, else refuse it naming `name`."""
    if not isinstance(value, str):
        raise AuditInputError(f"{name} must be a str")
    if len(value) > max_chars:
        raise AuditInputError(f"{name} is longer than {max_chars:,} characters")
    return value


def _checked_personas(personas: Sequence[PersonaLexicon]) -> tuple[PersonaLexicon, ...]:
    personas = tuple(personas)
    seen: set[int | str] = set()
    for persona in personas:
        if not isinstance(persona, PersonaLexicon):
            raise AuditInputError("personas must be PersonaLexicon objects")
        if persona.id in seen:
            raise AuditInputError(f"persona id {persona.id!r} is given twice")
        seen.add(persona.id)
    return personas


def _checked_targets(
    target_ids: Collection[int | str], personas: Sequence[PersonaLexicon]
) -> frozenset[int | str]:
    targets = frozenset(target_ids)
    unknown = targets - {p.id for p in personas}
    if unknown:
        names = ", ".join(repr(t) for t in sorted(unknown, key=repr))
        raise AuditInputError(f"target persona(s) {names} not among the audited personas")
    return targets


def _dismissal_set(dismissed: Collection[tuple[Any, ...]]) -> set[tuple[Any, str, str]]:
    keys = set()
    for key in dismissed:
        try:
            persona_id, term, text = key
            keys.add((persona_id, str(term), str(text).casefold()))
        except (TypeError, ValueError) as e:
            raise AuditInputError(
                f"dismissed key {key!r} is not (persona_id, term, matched_text)"
            ) from e
    return keys


_default_engine: AuditEngine | None = None
_default_lock = threading.Lock()


def default_engine() -> AuditEngine:
    """Return the process-wide engine, created on first use."""
    global _default_engine
    if _default_engine is None:
        with _default_lock:
            if _default_engine is None:
                _default_engine = AuditEngine()
    return _default_engine


def audit(
    text: str,
    fmt: str = "plain",
    personas: Sequence[PersonaLexicon] = (),
    target_ids: Collection[int | str] = (),
    dismissed: Collection[tuple[Any, ...]] = (),
    *,
    title: str | None = None,
    summary: str | None = None,
) -> AuditResult:
    """Audit `text` with the process-wide engine (see `AuditEngine.audit`)."""
    return default_engine().audit(
        text, fmt, personas, target_ids, dismissed, title=title, summary=summary
    )
