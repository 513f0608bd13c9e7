"""Load the spaCy pipeline once per process: a bare tokenizer, tuned to compute less.

The engine only runs the tokenizer, and only on the text around candidate matches (see
`matching`): keywords are inflected up front (`forms`), so neither a lemmatizer nor its
lookup tables are loaded (they cost as much start-up time as spaCy itself).
"""

from __future__ import annotations

import functools
from typing import cast

import spacy
from spacy.attrs import IS_ALPHA, IS_DIGIT, IS_PUNCT, IS_SPACE, LOWER, NORM
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from nlp import settings
from nlp.errors import PipelineError

# Lexeme attributes computed for each new word type. spaCy computes two dozen in Python
# (shape, like_url, like_num, ...), which made a text full of new words 3x slower to
# tokenize; the engine reads token boundaries only, the few flags kept are cheap.
_LEXEME_ATTRS = (LOWER, NORM, IS_ALPHA, IS_DIGIT, IS_PUNCT, IS_SPACE)


def prepare_tokenizer(nlp: Language) -> None:
    """Drop the tokenizer's special cases and compute fewer lexeme attributes.

    Special cases (`don't` -> `do n't`, `e.g.`, `\\n`, emoticons) cost far more than they
    give here: spaCy stops caching every later chunk of a text once one special case has
    been used in it (`_save_cached`, spaCy issue 1250). Without them, keywords and texts
    are still split the same way (`don't` stays one token on both sides), and a chunk's
    tokens depend on the chunk alone, which lets the matcher tokenize just a window.
    """
    # `Language.tokenizer` is typed as any callable; blank and loaded English pipelines
    # have spaCy's rule-based `Tokenizer`.
    cast(Tokenizer, nlp.tokenizer).rules = {}
    # spaCy's vocab.pyi omits `lex_attr_getters` (a public attribute in vocab.pxd).
    getters = nlp.vocab.lex_attr_getters  # type: ignore[attr-defined]
    kept = {attr: getters[attr] for attr in _LEXEME_ATTRS if attr in getters}
    nlp.vocab.lex_attr_getters = kept  # type: ignore[attr-defined]  # missing from vocab.pyi


def build_pipeline(model: str | None = None) -> Language:
    """Build a fresh pipeline: a bare English tokenizer, or `model`'s tokenizer and vocabulary.

    `model` (default: `settings.model()`, e.g. the `NLP_MODEL` variable) names an installed
    spaCy pipeline; only its tokenizer and vocabulary are used by the engine, which tunes
    them (`prepare_tokenizer`), so don't run the model's trained components on the result.
    """
    model = model if model is not None else settings.model()
    if model:
        try:
            nlp = spacy.load(model)
        except OSError as e:
            message = f"cannot load spaCy pipeline {model!r} ({settings.MODEL_ENV})"
            raise PipelineError(message) from e
    else:
        # English with nothing but its tokenizer, built without special cases: the same
        # as `spacy.blank("en")` + `prepare_tokenizer`, for a third of the time (no
        # tokenizer config to resolve, no 1,800 special cases to load and then drop).
        nlp = spacy.util.get_lang_class("en")(create_tokenizer=_rule_free_tokenizer)
    prepare_tokenizer(nlp)
    return nlp


def _rule_free_tokenizer(nlp: Language) -> Tokenizer:
    """Return spaCy's tokenizer for `nlp`'s language (as `spacy.Tokenizer.v1`), minus rules."""
    defaults = nlp.Defaults
    prefixes, suffixes, infixes = defaults.prefixes, defaults.suffixes, defaults.infixes
    return Tokenizer(
        nlp.vocab,
        rules={},
        prefix_search=spacy.util.compile_prefix_regex(prefixes).search if prefixes else None,
        suffix_search=spacy.util.compile_suffix_regex(suffixes).search if suffixes else None,
        infix_finditer=spacy.util.compile_infix_regex(infixes).finditer if infixes else None,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )


@functools.lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """Return the process's pipeline, built on first use (about 0.1 s, then cached).

    It is tuned for the engine (see `prepare_tokenizer`): use it to warm a worker up or
    to tokenize like the engine does, not as a general-purpose English pipeline.
    """
    return build_pipeline()
