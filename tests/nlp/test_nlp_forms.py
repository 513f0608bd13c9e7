"""Keyword-side inflection (issue 10): the forms a keyword matches, and the three old misses.

The old engine lemmatized the text with a POS-blind table; these tests pin what changed:
unknown words now inflect, a word's part of speech is respected, a dash next to
whitespace no longer hides a phrase, and invisible or fullwidth characters no longer
hide a word. Each is checked through a real audit in every format.
"""

from __future__ import annotations

import pytest

from nlp import Keyword, LexiconError, surface_forms
from tests.nlp.audit_helpers import FORMATS, wrap


def _texts(find, fmt, phrase, keyword):
    source = wrap(fmt, phrase)
    return [m.text for m in find(source, fmt, [keyword])]


# --- the forms an editor is shown --------------------------------------------------------


@pytest.mark.parametrize(
    ("keyword", "expected"),
    [
        (
            Keyword("market leader"),
            ["market leader", "market leader's", "market leaders", "market leaders'"],
        ),
        (Keyword("cheap"), ["cheap"]),
        (Keyword("cheap", forms=("cheaper",)), ["cheap", "cheaper"]),
        (Keyword("RFP"), ["RFP", "RFP's", "RFPs", "RFPs'"]),
        (Keyword("company"), ["company", "companies", "companies'", "company's"]),
        (
            Keyword("rebrand"),
            ["rebrand", "rebrand's", "rebranded", "rebranding", "rebrands", "rebrands'"],
        ),
        (Keyword("on-premise"), ["on-premise", "on-premise's", "on-premises", "on-premises'"]),
        (
            Keyword("market", exclude=("marketing",)),
            ["market", "market's", "marketed", "markets", "markets'"],
        ),
        (
            Keyword("enter\u200cprise"),
            ["enterprise", "enterprise's", "enterprises", "enterprises'"],
        ),
    ],
    ids=lambda v: v.term if isinstance(v, Keyword) else None,
)
def test_surface_forms_list_what_the_keyword_matches(keyword, expected):
    assert surface_forms(keyword) == expected


def test_surface_forms_never_show_a_wrong_part_of_speech():
    shown = surface_forms(Keyword("market leader"))
    assert not any("marketing" in form for form in shown)
    assert "cheaper" not in surface_forms(Keyword("cheap"))


@pytest.mark.parametrize("label", ["forms", "exclude"])
@pytest.mark.parametrize("value", ["cheaper", ["!!!"], [3], None])
def test_bad_forms_or_exclusions_are_a_lexicon_error(label, value):
    with pytest.raises(LexiconError, match=label):
        Keyword("cheap", **{label: value})


def test_forms_and_exclusions_are_kept_as_tuples():
    keyword = Keyword("cheap", forms=["cheaper"], exclude=["cheapo"])
    assert (keyword.forms, keyword.exclude) == (("cheaper",), ("cheapo",))


# --- miss 1: words the lemma table does not know ---------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("phrase", ["rebranded", "rebranding", "rebrands", "rebrand"])
def test_unknown_words_are_inflected_by_rule(find, fmt, phrase):
    assert _texts(find, fmt, f"we {phrase} it", "rebrand") == [phrase]


# --- miss 2: the part of speech is respected ---------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("keyword", "phrase", "expected"),
    [
        ("market leader", "our marketing leader", []),
        ("market leader", "the market leaders' view", ["market leaders"]),
        ("market leader", "the market leader's view", ["market leader"]),
        ("cheap", "a cheaper plan", []),
        (Keyword("cheap", forms=("cheaper",)), "a cheaper plan", ["cheaper"]),
        (Keyword("premise", exclude=("premised",)), "it premised that", []),
        ("premise", "it premised that", ["premised"]),
    ],
)
def test_parts_of_speech_and_persona_overrides(find, fmt, keyword, phrase, expected):
    assert _texts(find, fmt, phrase, keyword) == expected


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("exclude", "phrase", "expected"),
    [
        ("market leader's", "the market leader's view", []),
        ("market leader's", "the market leader\u2019s view", []),
        ("market leader's", "the market leader view", ["market leader"]),
        ("market leader's", "the market leaders' view", ["market leaders"]),
        ("market leaders'", "the market leaders' view", []),
        ("market leaders'", "two market leaders agree", ["market leaders"]),
    ],
)
def test_a_persona_can_exclude_a_possessive_alone(find, fmt, exclude, phrase, expected):
    keyword = Keyword("market leader", exclude=(exclude,))
    assert _texts(find, fmt, phrase, keyword) == expected


def test_an_excluded_possessive_is_not_shown():
    shown = surface_forms(Keyword("market leader", exclude=("market leader's",)))
    assert shown == ["market leader", "market leaders", "market leaders'"]


# --- miss 3: a dash next to whitespace ---------------------------------------------------


@pytest.mark.parametrize("fmt", ["plain", "markdown"])
@pytest.mark.parametrize(
    "phrase",
    ["on-\npremise", "on -premise", "on - premise", "on \u2013 premise", "on\u2014 premise"],
)
def test_a_dash_next_to_whitespace_still_matches(find, fmt, phrase):
    assert _texts(find, fmt, f"we install {phrase} today", "on-premise") == [phrase]


def test_a_dash_next_to_whitespace_does_not_change_the_word_count(engine):
    plain = engine.audit("we install on premise today", "plain", [])
    dashed = engine.audit("we install on -\npremise today", "plain", [])
    assert plain.word_count == dashed.word_count == 5


# --- invisible and compatibility characters ----------------------------------------------

HIDERS = [
    "\u00ad",  # soft hyphen
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202a",  # left-to-right embedding
    "\u202c",  # pop directional formatting
    "\u2060",  # word joiner
    "\u2061",  # function application
    "\u2062",  # invisible times
    "\u2063",  # invisible separator
    "\u2064",  # invisible plus
    "\u2066",  # left-to-right isolate
    "\u2068",  # first strong isolate
    "\u2069",  # pop directional isolate
    "\ufeff",  # zero-width no-break space
    "\ufe0f",  # variation selector 16
    "\ufe00",  # variation selector 1
    "\U000e0041",  # tag latin capital a
    "\U000e007f",  # cancel tag
    "\U000e0100",  # variation selector 17
    "\u180e",  # Mongolian vowel separator
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("hider", HIDERS, ids=lambda c: f"U+{ord(c):04X}")
def test_format_characters_inside_a_word_do_not_hide_it(find, fmt, hider):
    phrase = f"enter{hider}prise"
    assert _texts(find, fmt, f"an {phrase} plan", "enterprise") == [phrase]


@pytest.mark.parametrize("fmt", FORMATS)
def test_fullwidth_letters_match_with_offsets_into_the_source(find, fmt):
    phrase = "\uff45\uff4e\uff54\uff45\uff52\uff50\uff52\uff49\uff53\uff45"
    assert _texts(find, fmt, f"an {phrase} plan", "enterprise") == [phrase]


def test_reader_words_keep_the_characters_as_written(engine, make_persona):
    result = engine.audit("install on\u2011premise", "plain", [make_persona("on-premise")])
    assert result.findings[0].message.startswith('"on\u2011premise" speaks to')
