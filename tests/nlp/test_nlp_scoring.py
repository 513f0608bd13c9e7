"""Scores, levels, thresholds, verdicts, target personas, dismissals and findings."""

from __future__ import annotations

import json

import pytest

from nlp import DEFAULT_BLOCK, DEFAULT_WARN, Keyword, dismissal_key
from tests.nlp.audit_helpers import FORMATS, check_offsets, wrap


def test_default_thresholds_are_warn_2_block_5():
    assert (DEFAULT_WARN, DEFAULT_BLOCK) == (2.0, 5.0)


@pytest.mark.parametrize(
    ("text", "score", "level", "verdict"),
    [
        ("Nothing to see.", 0.0, "pass", "pass"),
        ("We install on-premise.", 1.0, "pass", "pass"),
        ("On-premise, on premise.", 2.0, "warn", "warn"),
        ("On-premise, on premise, on-premise, on-premise.", 4.0, "warn", "warn"),
        ("On-premise, on premise, on-premise, on-premise, on-premise.", 5.0, "block", "block"),
    ],
)
def test_negative_persona_levels_with_default_thresholds(
    engine, make_persona, text, score, level, verdict
):
    pete = make_persona("on-premise")
    result = engine.audit(text, "plain", [pete])
    (persona,) = result.personas
    assert (persona.score, persona.level, result.verdict) == (score, level, verdict)


def test_score_is_the_sum_of_match_weights(engine, make_persona):
    pete = make_persona(Keyword("on-premise", 3), Keyword("RFP", 0.5), warn=10, block=20)
    result = engine.audit("An RFP for on-premise and RFPs.", "plain", [pete])
    assert result.personas[0].score == 4.0
    assert [m.weight for m in result.personas[0].matches] == [0.5, 3.0, 0.5]


@pytest.mark.parametrize(
    ("warn", "block", "weights", "level"),
    [
        (3, 6, [1, 1], "pass"),
        (3, 6, [1, 2], "warn"),
        (3, 6, [3, 3], "block"),
        (None, 1, [1], "block"),  # a lone low block pulls the default warn down with it
        (None, 1, [0.5], "pass"),
        (7, None, [6], "pass"),  # a lone high warn pushes the default block up with it
        (7, None, [7], "block"),
        (0.5, 4, [0.5], "warn"),
    ],
)
def test_persona_thresholds(engine, make_persona, warn, block, weights, level):
    keywords = [Keyword(f"word{i}x", w) for i, w in enumerate(weights)]
    pete = make_persona(*keywords, warn=warn, block=block)
    text = " ".join(k.term for k in keywords)
    assert engine.audit(text, "plain", [pete]).personas[0].level == level


def test_buyer_personas_match_or_not_and_never_block(engine, make_persona):
    sam = make_persona(Keyword("small team", 10), kind="buyer", name="Small-team Sam")
    matched = engine.audit("For a small team. Small teams love it.", "plain", [sam])
    assert (matched.personas[0].level, matched.personas[0].score) == ("match", 20.0)
    assert matched.verdict == "pass"
    assert matched.findings == []
    unmatched = engine.audit("For anyone.", "plain", [sam])
    assert unmatched.personas[0].level == "none"
    assert unmatched.verdict == "pass"


def test_target_persona_without_a_match_warns(engine, make_persona):
    sam = make_persona("small team", kind="buyer", name="Small-team Sam")
    result = engine.audit("For anyone at all.", "plain", [sam], target_ids=[sam.id])
    assert result.verdict == "warn"
    (finding,) = result.findings
    assert finding.level == "warn"
    assert finding.persona == "Small-team Sam"
    assert "Small-team Sam" in finding.message
    assert (finding.start, finding.end, finding.line, finding.column) == (None, None, None, None)


def test_target_persona_with_a_match_passes(engine, make_persona):
    sam = make_persona("small team", kind="buyer", name="Small-team Sam")
    result = engine.audit("Built for a small team.", "plain", [sam], target_ids=[sam.id])
    assert (result.verdict, result.findings) == ("pass", [])


def test_block_beats_a_missing_target(engine, make_persona):
    sam = make_persona("small team", kind="buyer")
    pete = make_persona(Keyword("on-premise", 5))
    result = engine.audit("On-premise only.", "plain", [sam, pete], target_ids=[sam.id])
    assert result.verdict == "block"
    assert [f.level for f in result.findings] == ["warn", "block"]


def test_dismissed_match_stays_but_does_not_count(engine, make_persona):
    pete = make_persona(Keyword("on-premise", 3), Keyword("RFP", 2))
    text = "We install On-Premise. Send an RFP."
    first = engine.audit(text, "plain", [pete])
    assert (first.personas[0].score, first.verdict) == (5.0, "block")
    on_premise = first.personas[0].matches[0]
    key = on_premise.key(pete.id)
    assert key == dismissal_key(pete.id, on_premise) == (pete.id, "on-premise", "on-premise")

    second = engine.audit(text, "plain", [pete], dismissed=[key])
    persona = second.personas[0]
    assert [(m.text, m.dismissed) for m in persona.matches] == [
        ("On-Premise", True),
        ("RFP", False),
    ]
    assert (persona.score, persona.level, second.verdict) == (2.0, "warn", "warn")
    assert [f.start for f in second.findings] == [text.index("RFP")]

    third = engine.audit(text, "plain", [pete], dismissed=[key, persona.matches[1].key(pete.id)])
    assert (third.personas[0].score, third.personas[0].level, third.verdict) == (0, "pass", "pass")
    assert third.findings == []


def test_dismissal_is_per_persona_and_per_wording(engine, make_persona):
    pete = make_persona(Keyword("on-premise", 3))
    olga = make_persona(Keyword("on-premise", 3), name="Ops Olga")
    text = "On-premise here, on premise there."
    key = (pete.id, "on-premise", "on-premise")
    result = engine.audit(text, "plain", [pete, olga], dismissed=[list(key)])
    assert [m.dismissed for m in result.personas[0].matches] == [True, False]
    assert [m.dismissed for m in result.personas[1].matches] == [False, False]


def test_dismissed_target_match_counts_as_no_match(engine, make_persona):
    sam = make_persona("small team", kind="buyer")
    text = "Built for a small team."
    match = engine.audit(text, "plain", [sam]).personas[0].matches[0]
    result = engine.audit(text, "plain", [sam], target_ids=[sam.id], dismissed=[match.key(sam.id)])
    assert result.personas[0].level == "none"
    assert result.verdict == "warn"


@pytest.mark.parametrize("fmt", FORMATS)
def test_findings_name_the_persona_why_and_what_to_try(engine, make_persona, fmt):
    pete = make_persona(
        Keyword("on-premise", 3, suggest="hosted for you"),
        Keyword("request for proposal", 1),
        name="Enterprise Procurement Pete",
    )
    source = wrap(fmt, "send a request for <em>proposal</em> for on\u2011premise")
    if fmt != "html":
        source = wrap(fmt, "send a request for\nproposal for on\u2011premise")
    result = engine.audit(source, fmt, [pete])
    check_offsets(source, result)
    assert result.verdict == "warn"
    first, second = result.findings
    assert first.level == second.level == "warn"
    assert first.message == (
        '"request for proposal" speaks to Enterprise Procurement Pete (negative persona, weight 1)'
    )
    assert second.message == (
        '"on\u2011premise" speaks to Enterprise Procurement Pete (negative persona, weight 3);'
        " try: hosted for you"
    )
    assert second.suggest == "hosted for you"
    assert (second.start, second.end) == (
        source.index("on\u2011premise"),
        source.index("on\u2011premise") + 10,
    )


def test_findings_below_warn_are_info_and_sorted_by_position(engine, make_persona):
    pete = make_persona("rfp", "on-premise", warn=10, block=20)
    olga = make_persona("on-premise", name="Ops Olga", warn=1)
    sam = make_persona("small team", kind="buyer", name="Sam")
    text = "On-premise first, an RFP second, small team third."
    result = engine.audit(text, "plain", [pete, olga, sam], target_ids=[sam.id])
    assert [(f.persona, f.level, f.start) for f in result.findings] == [
        ("Enterprise Procurement Pete", "info", 0),
        ("Ops Olga", "warn", 0),
        ("Enterprise Procurement Pete", "info", text.index("RFP")),
    ]


def test_to_dict_is_the_design_json_shape(engine, make_persona):
    pete = make_persona(Keyword("procurement process", 2), warn=1, block=2, id=3)
    text = "Intro line.\nOur procurement processes and procurement process."
    data = engine.audit(text, "plain", [pete]).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"verdict", "word_count", "personas", "findings", "warnings"}
    assert data["warnings"] == []
    assert (data["verdict"], data["word_count"]) == ("block", 8)
    persona = data["personas"][0]
    assert set(persona) == {"id", "name", "kind", "score", "level", "matches"}
    assert (persona["id"], persona["kind"], persona["score"], persona["level"]) == (
        3,
        "negative",
        4.0,
        "block",
    )
    assert persona["matches"][0] == {
        "term": "procurement process",
        "text": "procurement processes",
        "start": 16,
        "end": 37,
        "line": 2,
        "column": 5,
        "weight": 2.0,
        "suggest": None,
        "dismissed": False,
        "field": "body",
    }
    finding = data["findings"][0]
    assert set(finding) == {
        "level",
        "persona",
        "message",
        "start",
        "end",
        "line",
        "column",
        "suggest",
        "field",
    }
    assert (finding["level"], finding["start"], finding["line"], finding["column"]) == (
        "block",
        16,
        2,
        5,
    )
    assert finding["field"] == "body"
