"""The engine's two settings: an app passes them to `configure`, else the environment.

Used alone (a script, a notebook), the library reads `NLP_MODEL` (an installed spaCy
pipeline instead of a bare English tokenizer) and `NLP_MAX_NEW_STRINGS` (how many
strings audited texts may add to the vocabulary before the pipeline is recycled).
"""

from __future__ import annotations

import os

MODEL_ENV = "NLP_MODEL"
MAX_NEW_STRINGS_ENV = "NLP_MAX_NEW_STRINGS"
DEFAULT_MAX_NEW_STRINGS = 100_000  # ~2.5 M words of ordinary prose between recycles

_model: str | None = None
_max_new_strings: int | None = None


def configure(*, model: str | None = None, max_new_strings: int | None = None) -> None:
    """Set the settings for pipelines and engines made after the call (None: the default).

    Call it at start-up, before the first audit: a pipeline already built keeps its model.
    """
    global _model, _max_new_strings
    _model, _max_new_strings = model or None, max_new_strings


def model() -> str | None:
    return _model or os.environ.get(MODEL_ENV, "").strip() or None


def max_new_strings() -> int:
    if _max_new_strings is not None:
        return _max_new_strings
    return int(os.environ.get(MAX_NEW_STRINGS_ENV) or DEFAULT_MAX_NEW_STRINGS)
