"""Keywords and persona lexicons: the plain data an audit matches against.

They are frozen so a compiled matcher can be cached safely against them: a lexicon's
`version` must change whenever its keywords change, because compiled matchers are keyed
by `(id, version)` and never re-read the keywords of a version they have already seen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nlp.errors import LexiconError

KINDS = ("buyer", "negative")

# Thresholds for a negative persona that does not set its own (the persona file example
# uses the same numbers): two light mentions warn, a handful blocks.
DEFAULT_WARN = 2.0
DEFAULT_BLOCK = 5.0
# Far above any real weighting (weights are usually 1-5), low enough that scores stay
# readable and a sum over the largest persona cannot overflow.
MAX_WEIGHT = 1_000.0
MAX_THRESHOLD = 1_000_000.0


def _number_problem(value: object, upper: float) -> str | None:
    if isinstance(value, bool):
        return "must be a number"
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return "must be a number"
    if not math.isfinite(number):
        return "must be a finite number"
    if number <= 0:
        return "must be greater than 0"
    if number > upper:
        return f"must be at most {upper:,g}"
    return None


def weight_problem(value: object) -> str | None:
    """What is wrong with a keyword weight, or None.

    The one rule for weights: the persona validator (form, API, file) words its errors
    with it and `Keyword` enforces it, so nothing saved can fail an audit later.
    """
    return _number_problem(value, MAX_WEIGHT)


def threshold_problems(warn: object, block: object) -> dict[str, str]:
    """What is wrong with a negative persona's thresholds, by `"warn"`/`"block"` (None: unset).

    Each set threshold is finite, > 0 and at most `MAX_THRESHOLD`; when both are set,
    `block >= warn` (a lone one is completed from the defaults, see `thresholds`).
    """
    problems: dict[str, str] = {}
    for label, value in (("warn", warn), ("block", block)):
        if value is not None:
            problem = _number_problem(value, MAX_THRESHOLD)
            if problem:
                problems[label] = problem
    both = not problems and warn is not None and block is not None
    if both and float(warn) > float(block):  # type: ignore[arg-type]
        problems["block"] = "must be at least the warn threshold"
    return problems


@dataclass(frozen=True, slots=True)
class Keyword:
    """A word or phrase that speaks to a persona.

    `weight` is added to the persona's score per match; `suggest` is the advice shown
    with a finding ("try: hosted for you"); `case_sensitive` keeps e.g. `RFP` from
    matching the word `rfp` while still matching `RFPs`. The engine inflects the term
    itself (see `nlp.forms`); `forms` are extra surface forms it also matches (`cheaper`
    for `cheap`) and `exclude` forms it must not match, for the rare word the rules get
    wrong. `nlp.surface_forms(keyword)` lists what it will match.
    """

    term: str
    weight: float = 1.0
    suggest: str | None = None
    case_sensitive: bool = False
    forms: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.term, str) or not any(c.isalnum() for c in self.term):
            raise LexiconError(f"keyword term {self.term!r} has no letters or digits")
        problem = weight_problem(self.weight)
        if problem:
            raise LexiconError(f"keyword {self.term!r}: weight {problem}")
        object.__setattr__(self, "weight", float(self.weight))
        if self.suggest is not None and not isinstance(self.suggest, str):
            raise LexiconError(f"keyword {self.term!r}: suggest must be text")
        if self.suggest is not None and not self.suggest.strip():
            object.__setattr__(self, "suggest", None)
        for label in ("forms", "exclude"):
            object.__setattr__(self, label, _phrases(self.term, label, getattr(self, label)))


def _phrases(term: str, label: str, value: object) -> tuple[str, ...]:
    """Return `value` as a tuple of phrases with letters or digits, else refuse it."""
    if isinstance(value, str) or not isinstance(value, tuple | list):
        raise LexiconError(f"keyword {term!r}: {label} must be a list of phrases")
    for phrase in value:
        if not isinstance(phrase, str) or not any(c.isalnum() for c in phrase):
            raise LexiconError(
                f"keyword {term!r}: {label} entry {phrase!r} has no letters or digits"
            )
    return tuple(value)


@dataclass(frozen=True, slots=True)
class PersonaLexicon:
    """A persona as the engine sees it: who it is, its keywords and its thresholds.

    `warn`/`block` apply to negative personas only; when missing, `DEFAULT_WARN` and
    `DEFAULT_BLOCK` are used (see `thresholds`).
    """

    id: int | str
    name: str
    kind: str
    version: int
    keywords: tuple[Keyword, ...]
    warn: float | None = None
    block: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise LexiconError(f"persona {self.name!r}: kind must be one of {', '.join(KINDS)}")
        if isinstance(self.id, bool) or not isinstance(self.id, int | str):
            raise LexiconError(f"persona {self.name!r}: id must be an int or a str")
        if isinstance(self.version, bool) or not isinstance(self.version, int):
            raise LexiconError(f"persona {self.name!r}: version must be an int")
        keywords = tuple(self.keywords)
        if not all(isinstance(k, Keyword) for k in keywords):
            raise LexiconError(f"persona {self.name!r}: keywords must be Keyword objects")
        object.__setattr__(self, "keywords", keywords)
        problems = threshold_problems(self.warn, self.block)
        if problems:
            label, problem = next(iter(problems.items()))
            raise LexiconError(f"persona {self.name!r}: {label} {problem}")
        for label in ("warn", "block"):
            if getattr(self, label) is not None:
                object.__setattr__(self, label, float(getattr(self, label)))

    @property
    def thresholds(self) -> tuple[float, float]:
        """Return `(warn, block)` with the defaults filled in.

        A persona that sets only `block` below the default warn gets `warn = block`, so a
        lone `block: 1` still means "one match blocks" rather than being rejected.
        """
        block = DEFAULT_BLOCK if self.block is None else self.block
        warn = DEFAULT_WARN if self.warn is None else self.warn
        if self.warn is None:
            warn = min(warn, block)
        elif self.block is None:
            block = max(block, warn)
        return warn, block

    @property
    def cache_key(self) -> tuple[int | str, int]:
        """Return what identifies this lexicon's compiled form: its id and version."""
        return (self.id, self.version)
