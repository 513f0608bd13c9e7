"""Properties of the one persona gate (`validate_persona`), over generated documents.

Whatever it accepts can be stored (no NUL, no lone surrogate, finite numbers that fit
the columns), becomes engine lexicons and is audited without error; whatever it refuses
comes with the field paths that are wrong. Seeded, so CI sees the same documents.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.errors import ValidationError
from planner.services import audit as audit_service
from planner.services import lexicons as lexicon_service
from planner.services.access import MAX_ID
from planner.services.personas.file import dump_persona_yaml, parse_persona_yaml
from planner.services.personas.schema import TOP_FIELDS, PersonaSpec, validate_persona

pytestmark = pytest.mark.nodb

SETTINGS = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Every character, lone surrogates and NUL included.
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=12)
WORDS = st.sampled_from(["rfp", "on-premise", "small business", "RFP", "!!!", " ", "a\x00b"])
TEXT = st.one_of(WORDS, ANY_TEXT)
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**30), 10**30),
    st.sampled_from(["Infinity", "-inf", "NaN", "0", "-1", "1e999", "2.5", "", "  3 ", "two"]),
    st.sampled_from([0, 1, 2, 5, 0.5, 1000, 1000.5, 1e6, 1e6 + 1]),
    st.none(),
    st.booleans(),
)
JUNK = st.recursive(
    st.one_of(st.none(), st.booleans(), NUMBERS, TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=8,
)
KEYWORD = st.one_of(
    TEXT,
    st.fixed_dictionaries(
        {"term": st.one_of(TEXT, JUNK)},
        optional={
            "weight": NUMBERS,
            "suggest": st.one_of(TEXT, st.none()),
            "case_sensitive": st.one_of(st.booleans(), st.sampled_from(["on", "0"]), JUNK),
        },
    ),
    JUNK,
)
WINDOW = st.one_of(
    st.fixed_dictionaries(
        {
            "days": st.one_of(st.lists(st.sampled_from(["mon", "fri", "Sunday", "xyz"])), JUNK),
            "start": st.one_of(st.sampled_from(["08:00", "9:30", "24:00"]), JUNK),
            "end": st.one_of(st.sampled_from(["10:30", "08:00"]), JUNK),
        }
    ),
    JUNK,
)
DOCUMENT = st.fixed_dictionaries(
    {
        "name": st.one_of(st.sampled_from(["Pete", "Olivia"]), TEXT, JUNK),
        "kind": st.one_of(st.sampled_from(["buyer", "negative", "Negative"]), JUNK),
    },
    optional={
        "summary": TEXT,
        "job_titles": st.one_of(st.lists(TEXT, max_size=3), JUNK),
        "timezone": st.one_of(st.sampled_from(["UTC", "America/New_York", "Nowhere"]), JUNK),
        "posting_windows": st.one_of(st.lists(WINDOW, max_size=2), JUNK),
        "cadence": st.one_of(
            st.fixed_dictionaries({}, optional={"min_per_week": NUMBERS, "max_per_week": NUMBERS}),
            JUNK,
        ),
        "thresholds": st.one_of(
            st.fixed_dictionaries({}, optional={"warn": NUMBERS, "block": NUMBERS}), JUNK
        ),
        "keywords": st.one_of(st.lists(KEYWORD, max_size=4), JUNK),
    },
)


def _storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def _check_accepted(spec: PersonaSpec) -> None:
    texts = [spec.name, spec.kind, spec.summary, spec.timezone]
    texts += [t for name in ("job_titles", "red_flags") for t in getattr(spec, name)]
    texts += [k.term for k in spec.keywords] + [k.suggest or "" for k in spec.keywords]
    assert all(_storable(t) for t in texts)
    numbers = [k.weight for k in spec.keywords] + [spec.warn_threshold, spec.block_threshold]
    assert all(math.isfinite(n) for n in numbers if n is not None)
    for count in (spec.cadence_min, spec.cadence_max):
        assert count is None or 0 <= count <= MAX_ID
    (lexicon,) = lexicon_service.lexicons_from_specs([spec])
    text = " ".join(k.term for k in spec.keywords) or "nothing to see"
    result = audit_service.audit_lexicons(text, "plain", [lexicon])
    json.dumps(result.to_dict(), allow_nan=False)
    assert validate_persona(spec.to_document()) == spec
    assert parse_persona_yaml(dump_persona_yaml([spec])) == [spec]


@SETTINGS
@given(document=DOCUMENT)
def test_accepted_documents_audit_and_refused_ones_name_their_fields(document):
    try:
        spec = validate_persona(document)
    except ValidationError as error:
        assert error.details, error.message
        for path in error.details:
            top = path.split(".")[0].split("[")[0]
            assert top in TOP_FIELDS or top in {str(k)[:100] for k in document}, path
        return
    _check_accepted(spec)


@SETTINGS
@given(warn=NUMBERS, block=NUMBERS, weight=NUMBERS)
def test_numbers_the_gate_accepts_are_numbers_the_engine_accepts(warn, block, weight):
    document = {
        "name": "Pete",
        "kind": "negative",
        "thresholds": {"warn": warn, "block": block},
        "keywords": [{"term": "rfp", "weight": weight}],
    }
    try:
        spec = validate_persona(document)
    except ValidationError as error:
        assert set(error.details) <= {"thresholds.warn", "thresholds.block", "keywords[0].weight"}
        assert error.details
        return
    _check_accepted(spec)
