"""The matching rules of the audit contract, each checked in plain, Markdown and HTML.

Every expected match is located in the source with `str.index`, so the assertions are
about offsets into the text as submitted, not into some stripped copy.
"""

from __future__ import annotations

import pytest

from nlp import Keyword
from tests.nlp.audit_helpers import FORMATS, wrap

# (keyword, phrase put in the draft, the part of the phrase that must match or None)
RULES = [
    # lemma-aware for nouns and verbs, also inside phrases
    ("procurement process", "run procurement processes", "procurement processes"),
    ("procurement processes", "run a procurement process", "procurement process"),
    ("grow revenue", "grew revenue", "grew revenue"),
    ("grow revenue", "are growing revenue", "growing revenue"),
    ("grow revenue", "grows revenue", "grows revenue"),
    ("company", "three companies", "companies"),
    # case-insensitive
    ("on-premise", "install ON-PREMISE", "ON-PREMISE"),
    ("Enterprise", "an enterprise plan", "enterprise"),
    # any hyphen or dash, or a space, between parts
    ("on-premise", "install on-premise", "on-premise"),
    ("on-premise", "install on premise", "on premise"),
    ("on-premise", "install on\u2011premise", "on\u2011premise"),
    ("on-premise", "install on\u2010premise", "on\u2010premise"),
    ("on-premise", "install on\u2013premise", "on\u2013premise"),
    ("on-premise", "install on\u2014premise", "on\u2014premise"),
    ("on-premise", "install on\u2212premise", "on\u2212premise"),
    ("on-premise", "install on-premises", "on-premises"),
    ("on premise", "install on-premise", "on-premise"),
    ("on premise", "install on\u2011premise", "on\u2011premise"),
    ("on\u2011premise", "install on premise", "on premise"),
    # possessives are ignored, straight or curly, also inside a phrase
    ("enterprise", "the Enterprise's budget", "Enterprise"),
    ("enterprise", "the Enterprise\u2019s budget", "Enterprise"),
    ("enterprise budget", "the Enterprise's budget", "Enterprise's budget"),
    ("enterprise budget", "the Enterprise\u2019s budget", "Enterprise\u2019s budget"),
    ("enterprise", "two enterprises\u2019 budgets", "enterprises"),
    # curly and straight apostrophes alike
    ("don't haggle", "we don\u2019t haggle", "don\u2019t haggle"),
    ("don\u2019t haggle", "we don't haggle", "don't haggle"),
    # across line breaks and repeated spaces
    ("request for proposal", "send a request for\nproposal", "request for\nproposal"),
    ("request for proposal", "send a request  for \n  proposal", "request  for \n  proposal"),
    # whole words only
    ("enterprise", "an enterprising plan", None),
    ("free", "a freelance writer", None),
    ("free", "a carefree writer", None),
    ("premise", "our premises_list", None),
    # plural acronyms
    ("RFP", "send RFPs", "RFPs"),
    ("RFP", "send an rfp", "rfp"),
    (Keyword("RFP", case_sensitive=True), "send RFPs", "RFPs"),
    (Keyword("RFP", case_sensitive=True), "send an RFP", "RFP"),
    (Keyword("RFP", case_sensitive=True), "send an rfp", None),
    (Keyword("RFP", case_sensitive=True), "send an Rfp", None),
    (Keyword("Grow Revenue", case_sensitive=True), "we Grew Revenue", "Grew Revenue"),
    (Keyword("Grow Revenue", case_sensitive=True), "we grew revenue", None),
    # never inside URLs or e-mail addresses
    ("premise", "see https://example.com/on-premise now", None),
    ("enterprise", "see www.enterprise.example/buy now", None),
    ("enterprise", "write to pete@enterprise.example now", None),
]


def _ids(rule: tuple[object, str, str | None]) -> str:
    keyword, phrase, _ = rule
    term = keyword.term if isinstance(keyword, Keyword) else keyword
    return f"{term}|{phrase}".encode("unicode_escape").decode()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("rule", RULES, ids=[_ids(r) for r in RULES])
def test_rule(find, fmt, rule):
    keyword, phrase, expected = rule
    source = wrap(fmt, phrase)
    matches = find(source, fmt, [keyword])
    if expected is None:
        assert matches == []
        return
    start = source.index(expected)
    assert [(m.start, m.end, m.text) for m in matches] == [(start, start + len(expected), expected)]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "prefix", ["\U0001f680 ", "\U0001f469\U0001f3fd\u200d\U0001f4bb ", "é\u0301"]
)
def test_non_ascii_before_a_match_does_not_shift_offsets(find, fmt, prefix):
    source = wrap(fmt, prefix + "we install on-premise")
    (m,) = find(source, fmt, ["on-premise"])
    assert m.start == source.index("on-premise")
    assert m.end - m.start == len("on-premise")


@pytest.mark.parametrize("fmt", FORMATS)
def test_line_and_column_are_one_based_code_points(find, fmt):
    source = wrap(fmt, "\U0001f680\U0001f680 the\nfinal on-premise")
    (m,) = find(source, fmt, ["on-premise"])
    line_start = source.rindex("\n", 0, m.start) + 1
    assert m.line == source.count("\n", 0, m.start) + 1
    assert m.column == m.start - line_start + 1 == 7


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_occurrence_is_a_match_in_order(find, fmt):
    source = wrap(fmt, "on-premise, then on premise, then On\u2011Premise")
    matches = find(source, fmt, ["on-premise"])
    assert [m.text for m in matches] == ["on-premise", "on premise", "On\u2011Premise"]
    assert [m.start for m in matches] == sorted(m.start for m in matches)


@pytest.mark.parametrize("fmt", FORMATS)
def test_longest_keyword_wins_where_two_overlap(find, fmt):
    source = wrap(fmt, "our procurement process")
    matches = find(source, fmt, ["procurement", "procurement process"])
    assert [(m.term, m.text) for m in matches] == [("procurement process", "procurement process")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_keywords_for_the_same_words_give_one_match(find, fmt):
    source = wrap(fmt, "install on-premise")
    matches = find(source, fmt, ["on-premise", "on premise"])
    assert [m.term for m in matches] == ["on-premise"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_paragraph_break_stops_a_phrase(find, fmt):
    if fmt == "html":
        source = "<p>send a request for</p>\n<p>proposal today</p>"
    else:
        source = wrap(fmt, "send a request for\n\nproposal today")
    assert find(source, fmt, ["request for proposal"]) == []
