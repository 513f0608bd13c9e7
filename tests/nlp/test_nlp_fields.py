"""Fields a reader or a search engine sees besides the body: front matter, head, alt, title."""

from __future__ import annotations

import time

import pytest

from nlp import AuditInputError, Keyword, dismissal_key
from nlp.extract import extract
from tests.nlp.audit_helpers import check_offsets

pytestmark = pytest.mark.nodb

KEYWORDS = ("on-premise", "account manager", "enterprise procurement", "request for proposal")


@pytest.fixture
def fields(engine, make_persona):
    """Return `fields(source, fmt, **kw)`: `(field, matched text)` of each match, checked."""

    def run(source: str, fmt: str, **kwargs: str) -> list[tuple[str, str]]:
        result = engine.audit(source, fmt, [make_persona(*KEYWORDS)], **kwargs)
        if not kwargs:
            check_offsets(source, result)
        return [(m.field, m.text) for m in result.personas[0].matches]

    return run


YAML_FRONT_MATTER = (
    "---\n"
    'title: "On\\u2011premise \\"help\\"" # a comment: on-premise\n'
    "summary: >-\n"
    "  a dedicated account\n"
    "  manager for you\n"
    "excerpt: |\n"
    "  Literal enterprise\n"
    "  procurement text\n"
    "subtitle: 'It''s on-premise'\n"
    "tags: [small, 'enterprise procurement', 3, true]\n"
    "keywords:\n"
    "  - account manager\n"
    '  - "on-premise"\n'
    "categories: []\n"
    "layout: on-premise\n"
    "params: {title: on-premise}\n"
    "draft: false\n"
    "---\n"
    "Request for proposal? Never.\n"
)


def test_yaml_front_matter_values_are_visible_in_their_fields(fields):
    assert fields(YAML_FRONT_MATTER, "markdown") == [
        ("title", "On\\u2011premise"),
        ("description", "account\n  manager"),
        ("description", "enterprise\n  procurement"),
        ("description", "on-premise"),
        ("tags", "enterprise procurement"),
        ("tags", "account manager"),
        ("tags", "on-premise"),
        ("body", "Request for proposal"),
    ]


def test_yaml_front_matter_words_are_not_the_body_count(engine):
    assert engine.audit(YAML_FRONT_MATTER, "markdown").word_count == 4
    assert extract(YAML_FRONT_MATTER, "markdown").word_count == 4


@pytest.mark.parametrize(
    "source",
    [
        # No phrase runs across two values, or from a value into the body.
        "---\ntags: [enterprise, procurement]\n---\nBody.\n",
        "---\ntags:\n  - enterprise\n  - procurement\n---\nBody.\n",
        "---\ntitle: Our enterprise\n---\nprocurement team.\n",
        "---\ntitle: account\ndescription: manager\n---\nBody.\n",
        # Other keys, nested values, keys themselves and comments stay hidden.
        "---\nlayout: on-premise\n---\nBody.\n",
        "---\nparams:\n  title: on-premise\n---\nBody.\n",
        "---\non-premise: yes\n---\nBody.\n",
        "---\ntitle: Clean # on-premise\n---\nBody.\n",
        '+++\nlayout = "on-premise"\n[params]\ntitle = "on-premise"\n+++\nBody.\n',
        "+++\ntags = [\"enterprise\", 'procurement']\n+++\nBody.\n",
    ],
)
def test_front_matter_hides_what_a_reader_does_not_see(fields, source):
    assert fields(source, "markdown") == []


TOML_FRONT_MATTER = (
    "+++\n"
    'title = "On\\u2011premise help" # on-premise in a comment\n'
    'description = """\n'
    "A dedicated account \\\n"
    '   manager"""\n'
    "subtitle = '''enterprise\n"
    "procurement'''\n"
    "tags = [\n"
    '  "x",  # account manager\n'
    "  'request for proposal',\n"
    "]\n"
    "date = 2024-01-02 10:00:00\n"
    "[params]\n"
    'summary = "on-premise"\n'
    "+++\n"
    "Body.\n"
)


def test_toml_front_matter_values_are_visible_in_their_fields(fields):
    assert fields(TOML_FRONT_MATTER, "markdown") == [
        ("title", "On\\u2011premise"),
        ("description", "account \\\n   manager"),
        ("description", "enterprise\nprocurement"),
        ("tags", "request for proposal"),
    ]


@pytest.mark.parametrize(
    ("source", "warning"),
    [
        (
            "---\ntitle: [on-premise\n---\nBody.\n",
            "front matter is not valid YAML (line 3): read as body text",
        ),
        (
            "---\ntitle: on-premise\nBody.\n",
            "front matter has no closing --- line: read as body text",
        ),
        (
            "---\nJust on-premise prose\n---\nBody.\n",
            "front matter is not a YAML mapping (line 2): read as body text",
        ),
        (
            '+++\ntitle = "on-premise\n+++\nBody.\n',
            "front matter is not valid TOML (line 2): read as body text",
        ),
    ],
)
def test_malformed_front_matter_is_body_text_with_a_warning(engine, make_persona, source, warning):
    result = engine.audit(source, "markdown", [make_persona("on-premise")])
    check_offsets(source, result)
    assert result.warnings == [warning]
    assert result.to_dict()["warnings"] == [warning]
    assert [(m.field, m.text) for m in result.personas[0].matches] == [("body", "on-premise")]


def test_an_alias_bomb_in_front_matter_is_never_expanded(engine, make_persona):
    lines = ['a0: &a0 ["on-premise", "on-premise"]']
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 40)]
    source = "---\ntitle: Clean\n" + "\n".join(lines) + "\ntags: *a39\n---\nBody.\n"
    started = time.process_time()
    result = engine.audit(source, "markdown", [make_persona("on-premise")])
    assert time.process_time() - started < 2
    assert result.warnings == []
    assert result.personas[0].matches == []


def test_huge_front_matter_is_not_parsed_but_read_as_body_text(engine, make_persona):
    source = "---\ntitle: on-premise\nnotes: " + "x " * 40_000 + "\n---\nBody.\n"
    result = engine.audit(source, "markdown", [make_persona("on-premise")])
    assert [(m.field, m.start) for m in result.personas[0].matches] == [("body", 11)]
    assert result.warnings == ["front matter is longer than 64 KB: read as body text"]


MARKDOWN_IMAGES = (
    'Intro.\n\n![Our on-premise rack](rack-on-premise.png "account manager") and text.\n\n'
    "![enterprise procurement][diagram]\n\n"
    "[![request for proposal](badge.png)](https://example.com/on-premise)\n\n"
    "[diagram]: https://example.com/account-manager.png\n"
)


def test_markdown_image_alt_text_is_visible_in_field_alt(fields):
    assert fields(MARKDOWN_IMAGES, "markdown") == [
        ("alt", "on-premise"),
        ("alt", "enterprise procurement"),
        ("alt", "request for proposal"),
    ]


def test_alt_text_is_a_block_of_its_own(fields):
    assert fields("Our enterprise ![procurement](x.png) team.", "markdown") == []
    assert fields('<p>Our enterprise <img alt="procurement" src="x.png"> team.</p>', "html") == []


HTML_IMAGES = (
    '<p>Hi <img src="on-premise.png" alt="on&#8209;premise &amp; more" title="account manager">'
    "</p>\n<img alt='enterprise procurement' src=x.png>"
    "<IMG ALT=account&nbsp;manager><img alt=\"\" src='request-for-proposal.png'>\n"
)


def test_html_image_alt_is_visible_with_entities_mapped_back(fields):
    assert fields(HTML_IMAGES, "html") == [
        ("alt", "on&#8209;premise"),
        ("alt", "enterprise procurement"),
        ("alt", "account&nbsp;manager"),
    ]


def test_raw_html_image_alt_inside_markdown_is_visible(fields):
    source = 'Text.\n\n<img alt="our on&#x2011;premise rack" src="on-premise.png">\n'
    assert fields(source, "markdown") == [("alt", "on&#x2011;premise")]


HTML_PAGE = (
    "<!doctype html><html><head>\n"
    "<meta charset=utf-8><title>RFP &amp; account&#32;manager</title>\n"
    "<meta content=\"Our on&#8209;premise offer\" name='Description'>\n"
    "<meta name=keywords content=enterprise&#x20;procurement>\n"
    '<meta property="og:title" content="Request for proposal">\n'
    "<meta name='twitter:description' content='account manager'>\n"
    '<meta name="robots" content="on-premise"><link rel="on-premise" href="/on-premise">\n'
    "<script>var t = '<title>on-premise</title>';</script>"
    "<style>.on-premise {}</style>\n"
    "</head><body><p>Clean body text.</p></body></html>\n"
)


def test_html_head_fields_are_visible_with_entities_mapped_back(fields):
    assert fields(HTML_PAGE, "html") == [
        ("title", "account&#32;manager"),
        ("description", "on&#8209;premise"),
        ("tags", "enterprise&#x20;procurement"),
        ("title", "Request for proposal"),
        ("description", "account manager"),
    ]


def test_html_head_fields_do_not_change_the_word_count(engine):
    assert engine.audit(HTML_PAGE, "html").word_count == 3


def test_a_lone_title_element_is_read_too(fields):
    assert fields("<title>on-premise</title><p>x</p>", "html") == [("title", "on-premise")]


def test_title_and_summary_are_audited_beside_the_body(engine, make_persona):
    title = "On-premise RFP help: a dedicated account manager for enterprise procurement"
    summary = "We  answer\nany request for proposal."
    result = engine.audit(
        "A clean body.",
        "markdown",
        [make_persona(*KEYWORDS)],
        title=title,
        summary=summary,
    )
    matches = result.personas[0].matches
    assert [(m.field, m.text) for m in matches] == [
        ("title", "On-premise"),
        ("title", "account manager"),
        ("title", "enterprise procurement"),
        ("description", "request for proposal"),
    ]
    for m in matches:
        source = title if m.field == "title" else summary
        assert source[m.start : m.end] == m.text
        assert m.line == (1 if m.field == "title" else 2)
    assert [(f.field, f.start) for f in result.findings] == [(m.field, m.start) for m in matches]
    assert result.word_count == 3


def test_a_negative_title_blocks_a_clean_body(engine, make_persona):
    pete = make_persona(Keyword("on-premise", 3), Keyword("RFP", 2))
    body = "A clean body about shared inboxes."
    assert engine.audit(body, "plain", [pete]).verdict == "pass"
    result = engine.audit(body, "plain", [pete], title="On-premise RFP help")
    assert (result.verdict, result.personas[0].score) == ("block", 5.0)
    assert {f.field for f in result.findings} == {"title"}


def test_no_phrase_runs_from_the_body_into_the_title(engine, make_persona):
    result = engine.audit(
        "Our enterprise", "plain", [make_persona(*KEYWORDS)], title="procurement team"
    )
    assert result.personas[0].matches == []


def test_a_dismissal_applies_to_a_title_match(engine, make_persona):
    pete = make_persona(Keyword("on-premise", 5))
    first = engine.audit("Body.", "plain", [pete], title="On-premise help")
    assert first.verdict == "block"
    key = dismissal_key(pete.id, first.personas[0].matches[0])
    second = engine.audit("Body.", "plain", [pete], [], [key], title="On-premise help")
    assert second.verdict == "pass"
    assert second.personas[0].matches[0].dismissed


def test_a_whole_text_finding_has_no_field(engine, make_persona):
    olivia = make_persona("shared inbox", kind="buyer")
    result = engine.audit("Nothing here.", "plain", [olivia], target_ids=[olivia.id])
    assert [(f.level, f.field, f.start) for f in result.findings] == [("warn", None, None)]
    assert result.to_dict()["findings"][0]["field"] is None


@pytest.mark.parametrize("name", ["title", "summary"])
def test_title_and_summary_must_be_strings(engine, make_persona, name):
    with pytest.raises(AuditInputError, match=f"{name} must be a str"):
        engine.audit("Body.", "plain", [make_persona("x")], **{name: 3})
