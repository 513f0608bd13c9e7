"""Highlight runs and "Apply suggestion" text, from the audit JSON."""

from planner.web.audit_marks import highlight_segments, replacement_for


def _audit(source, *personas):
    return {
        "personas": [
            {
                "name": name,
                "kind": kind,
                "matches": [
                    {"term": term, "text": source[s:e], "start": s, "end": e, "suggest": None}
                    for term, s, e in matches
                ],
            }
            for name, kind, matches in personas
        ]
    }


def test_segments_rebuild_the_source_with_code_point_offsets():
    source = "🎉 We go on-premise now."
    start = source.index("on-premise")  # a code-point offset: the emoji counts as one
    audit = _audit(source, ("Pete", "negative", [("on-premise", start, start + 10)]))
    segments = highlight_segments(source, audit)
    assert "".join(s.text for s in segments) == source
    marked = [s for s in segments if s.mark]
    assert [(s.text, s.mark.kind, s.mark.persona) for s in marked] == [
        ("on-premise", "negative", "Pete")
    ]
    assert marked[0].mark.title == "Pete (negative persona): on-premise"


def test_overlapping_matches_prefer_the_negative_persona_then_the_longer():
    source = "Every small business needs it."
    small, business = source.index("small business"), source.index("business")
    audit = _audit(
        source,
        ("Olivia", "buyer", [("small business", small, small + 14)]),
        ("Pete", "negative", [("business", business, business + 8)]),
    )
    marked = [s for s in highlight_segments(source, audit) if s.mark]
    assert [(s.text, s.mark.persona) for s in marked] == [("business", "Pete")]


def test_stale_offsets_are_not_highlighted():
    audit = _audit("on-premise here", ("Pete", "negative", [("on-premise", 0, 10)]))
    assert [s.mark for s in highlight_segments("changed text", audit)] == [None]
    assert [s.text for s in highlight_segments("short", audit)] == ["short"]
    assert highlight_segments("", None) == []


def test_replacement_keeps_a_leading_capital_but_not_an_acronym():
    assert replacement_for("On-premise", "hosted for you") == "Hosted for you"
    assert replacement_for("on-premise", "hosted for you") == "hosted for you"
    assert replacement_for("RFP", "free trial") == "free trial"
    assert replacement_for("Coupon", "Annual plan") == "Annual plan"
