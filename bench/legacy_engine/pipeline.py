"""Load the spaCy pipeline once per process and fold lemmas into the vocabulary.

The engine only runs the tokenizer: it is the floor of any spaCy engine, and running the
lemmatizer component per token would halve throughput (measured; see "Engine facts" in
docs/architecture.md). Instead each new word type gets its `NORM` set once, when spaCy
creates its lexeme, to the lowercased lookup lemma (`processes` -> `process`, `grew` ->
`grow`, `RFPs` -> `rfp`). Phrase patterns and texts go through the same tokenizer, so
matching on `NORM` is case-insensitive and inflection-aware at tokenizer speed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import cast

import spacy
from spacy.attrs import IS_ALPHA, IS_DIGIT, IS_PUNCT, IS_SPACE, LOWER, NORM
from spacy.language import Language
from spacy.lookups import Lookups, Table, load_lookups
from spacy.tokenizer import Tokenizer

from nlp import settings
from nlp.errors import PipelineError

# Lexeme attributes computed for each new word type. spaCy computes two dozen in Python
# (shape, like_url, like_num, ...), which made a text full of new words 3x slower to
# tokenize; the engine reads NORM only, the few flags kept are cheap and commonly used.
_LEXEME_ATTRS = (LOWER, NORM, IS_ALPHA, IS_DIGIT, IS_PUNCT, IS_SPACE)
_PLURAL_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]*[A-Z]s")


def make_norm(lemmas: Table | dict[str, str]) -> Callable[[str], str]:
    """Return the `NORM` getter: lowercase, plural acronym to singular, then the lemma.

    The lookup table is POS-blind: it folds noun plurals, verb forms and adjective
    grades (`cheaper` -> `cheap`), but leaves derived words alone (`enterprising` stays).
    """

    def norm(orth: str) -> str:
        lower = orth.lower()
        if len(orth) > 2 and _PLURAL_ACRONYM.fullmatch(orth):
            lower = lower[:-1]
        lemma = lemmas.get(lower)
        return lemma.lower() if isinstance(lemma, str) and lemma else lower

    return norm


def _lemma_table(nlp: Language) -> Table:
    """Return the lookup lemma table of `nlp`'s lemmatizer, or spacy-lookups-data's."""
    if "lemmatizer" in nlp.pipe_names:
        lookups: Lookups | None = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_lookup"):
            return lookups.get_table("lemma_lookup")
    if nlp.lang is None:  # a bare `Language` has no language, hence no table
        raise PipelineError(f"no lookup lemma table for language {nlp.lang!r}")
    try:
        return load_lookups(nlp.lang, ["lemma_lookup"]).get_table("lemma_lookup")
    except (ValueError, KeyError) as e:
        raise PipelineError(f"no lookup lemma table for language {nlp.lang!r}") from e


def prepare_tokenizer(nlp: Language) -> None:
    """Make `NORM` the folded lemma, drop the tokenizer's special cases, compute less.

    Special cases (`don't` -> `do n't`, `e.g.`, `\\n`, emoticons) cost far more than they
    give here: spaCy stops caching every later chunk of a text once one special case has
    been used in it (`_save_cached`, spaCy issue 1250), so a draft with one contraction or
    line break near the top was tokenized 20-30x slower. Without them, keywords and
    texts are still split the same way (`don't` stays one token on both sides), and
    token norms come from the lexemes alone.
    """
    # `Language.tokenizer` is typed as any callable; blank and loaded English pipelines
    # have spaCy's rule-based `Tokenizer`.
    cast(Tokenizer, nlp.tokenizer).rules = {}
    norm = make_norm(_lemma_table(nlp))
    # spaCy's vocab.pyi omits `lex_attr_getters` (a public attribute in vocab.pxd).
    getters = nlp.vocab.lex_attr_getters  # type: ignore[attr-defined]
    getters[NORM] = norm
    kept = {attr: getters[attr] for attr in _LEXEME_ATTRS if attr in getters}
    nlp.vocab.lex_attr_getters = kept  # type: ignore[attr-defined]  # missing from vocab.pyi
    for lexeme in nlp.vocab:
        lexeme.norm_ = norm(lexeme.orth_)


def build_pipeline(model: str | None = None) -> Language:
    """Build a fresh pipeline: `spacy.blank("en")` + lookup lemmatizer, or `model`.

    `model` (default: `settings.model()`, e.g. the `NLP_MODEL` variable) names an installed spaCy
    pipeline; only its tokenizer and vocabulary are used by the engine, which tunes them
    (`prepare_tokenizer`), so don't run the model's trained components on the result.
    """
    model = model if model is not None else settings.model()
    if model:
        try:
            nlp = spacy.load(model)
        except OSError as e:
            message = f"cannot load spaCy pipeline {model!r} ({settings.MODEL_ENV})"
            raise PipelineError(message) from e
    else:
        nlp = spacy.blank("en")
        # The lookup lemmatizer, so `nlp.pipe` gives lemmas too; the engine itself only
        # borrows its table (a trained model is left as it is: initialize would reset it).
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    prepare_tokenizer(nlp)
    return nlp


@functools.lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """Return the process's pipeline, built on first use (about 0.3 s, then cached).

    It is tuned for the engine (see `prepare_tokenizer`): use it to warm a worker up or
    to tokenize like the engine does, not as a general-purpose English pipeline.
    """
    return build_pipeline()
