"""What counts as visible text in Markdown and HTML: markup, code, links, entities."""

from __future__ import annotations

import pytest

from nlp.extract import extract


def _only(find, source, fmt, keyword, expected):
    """Assert `keyword` matches exactly once, on the first `expected` in the source."""
    matches = find(source, fmt, [keyword])
    start = source.index(expected)
    assert [(m.start, m.end, m.text) for m in matches] == [(start, start + len(expected), expected)]


MARKDOWN_MATCHES = [
    ("request for proposal", "Send a request for **proposal** now.", "request for **proposal"),
    ("request for proposal", "Send a request for __proposal__ now.", "request for __proposal"),
    ("request for proposal", "Send a *request* for _proposal_ now.", "request* for _proposal"),
    ("request for proposal", "Send a ~~request~~ for proposal now.", "request~~ for proposal"),
    ("on-premise", "We install **on-premise** here.", "on-premise"),
    ("on-premise", "We install on-**premise** here.", "on-**premise"),
    ("enterprise", "Built for en**terprise** teams.", "en**terprise"),
    ("on-premise", "See [on-premise docs](https://example.com/x).", "on-premise"),
    ("on-premise", "See [on-premise docs][ref].\n\n[ref]: https://x.example/", "on-premise"),
    ("on-premise", "# On-premise install\n\nText.", "On-premise"),
    ("on-premise", "Intro\n===\n\nOn-premise setup.", "On-premise"),
    ("on-premise", "- first\n- install on-premise\n", "on-premise"),
    ("on-premise", "1. install on-premise\n", "on-premise"),
    ("request for proposal", "> send a request for\n> proposal today", "request for\n> proposal"),
    ("on-premise", "install on\\-premise", "on\\-premise"),
    ("on-premise", "install on&#8209;premise", "on&#8209;premise"),
    ("enterprise", "the Enterprise&rsquo;s budget", "Enterprise"),
    ("request for proposal", "send a request for <em>proposal</em>", "request for <em>proposal"),
    ("enterprise", "```\ncode\n```\n\nenterprise after code", "enterprise"),
    ("enterprise", "| plan | who |\n|---|---|\n| big | enterprise |\n", "enterprise"),
]


@pytest.mark.parametrize(("keyword", "source", "expected"), MARKDOWN_MATCHES)
def test_markdown_visible_text_matches(find, keyword, source, expected):
    _only(find, source, "markdown", keyword, expected)


MARKDOWN_HIDDEN = [
    ("on-premise", "Run `install on-premise` first."),
    ("on-premise", "Run ``install `on-premise` now`` first."),
    ("on-premise", "Text.\n\n```bash\ninstall on-premise\n```\n"),
    ("on-premise", "Text.\n\n~~~\ninstall on-premise\n~~~\n"),
    ("on-premise", "Text.\n\n    install on-premise\n"),
    ("on-premise", "See [the docs](https://example.com/on-premise)."),
    ("on-premise", 'See [the docs](https://example.com/on-premise "on-premise").'),
    ("on-premise", "See <https://example.com/on-premise>."),
    ("on-premise", "See https://example.com/on-premise."),
    ("on-premise", '![rack](on-premise.png "on-premise")'),
    ("on-premise", "![rack][on-premise]\n\n[on-premise]: on-premise.png\n"),
    ("on-premise", '[docs]: https://example.com/on-premise "on-premise"\n'),
    ("on-premise", "Text <!-- on-premise --> more."),
    ("on-premise", '<span title="on-premise">x</span>'),
    ("on-premise", "---\nlayout: on-premise\nparams: {title: on-premise}\n---\nBody text."),
    ("on-premise", '+++\nlayout = "on-premise"\n[params]\ntitle = "on-premise"\n+++\nBody.'),
    ("request for proposal", "| request for | proposal |\n|---|---|\n| a | b |\n"),
    ("request for proposal", "# request for\nproposal"),
    ("on premise", "on_premise and on_premise_list"),
]


@pytest.mark.parametrize(("keyword", "source"), MARKDOWN_HIDDEN)
def test_markdown_hidden_text_never_matches(find, keyword, source):
    assert find(source, "markdown", [keyword]) == []


HTML_MATCHES = [
    ("request for proposal", "<p>a request for <em>proposal</em></p>", "request for <em>proposal"),
    ("request for proposal", "<p>a request for<br>proposal</p>", "request for<br>proposal"),
    ("enterprise", "<p>en<b>terprise</b></p>", "en<b>terprise"),
    ("enterprise", "<p>en<!-- x -->terprise</p>", "en<!-- x -->terprise"),
    ("on-premise", '<a href="https://x.example/docs">on-premise</a>', "on-premise"),
    ("on-premise", "<p>on&#8209;premise</p>", "on&#8209;premise"),
    ("on-premise", "<p>on&#x2011;premise</p>", "on&#x2011;premise"),
    ("on premise", "<p>on&nbsp;premise</p>", "on&nbsp;premise"),
    ("café", "<p>our caf&eacute; menu</p>", "caf&eacute;"),
    ("enterprise", "<p>the Enterprise&#39;s budget</p>", "Enterprise"),
    ("enterprise budget", "<p>the Enterprise&#8217;s budget</p>", "Enterprise&#8217;s budget"),
    ("request for proposal", "<p>a request\n   for\tproposal</p>", "request\n   for\tproposal"),
    (
        "request for proposal",
        "<p>a request for</p>\n\n<p>x</p><span>request for proposal</span>",
        "request for proposal",
    ),
]


@pytest.mark.parametrize(("keyword", "source", "expected"), HTML_MATCHES)
def test_html_visible_text_matches(find, keyword, source, expected):
    _only(find, source, "html", keyword, expected)


HTML_HIDDEN = [
    ("on-premise", '<a href="https://x.example/on-premise">docs</a>'),
    ("on-premise", '<img alt="rack" src="on-premise.png" title="on-premise">'),
    ("on-premise", '<div data-x="a > on-premise">x</div>'),
    ("on-premise", "<!-- on-premise -->"),
    ("on-premise", "<script>var a = 'on-premise';</script>"),
    ("on-premise", "<style>.on-premise { color: red }</style>"),
    ("on-premise", "<p>run <code>on-premise</code></p>"),
    ("on-premise", "<pre>install\non-premise</pre>"),
    ("on-premise", "<pre><code>on-premise</code></pre>"),
    (
        "on-premise",
        '<head><meta name="robots" content="on-premise"><link rel="on-premise">'
        "<script>t = '<title>on-premise</title>'</script></head><body>x</body>",
    ),
    ("on-premise", "<p>see https://x.example/on-premise</p>"),
    ("request for proposal", "<p>request for</p><p>proposal</p>"),
    ("request for proposal", "<li>request for</li><li>proposal</li>"),
    ("request for proposal", "<td>request for</td><td>proposal</td>"),
    ("request for proposal", "<p>request for <code>x</code> proposal</p>"),
]


@pytest.mark.parametrize(("keyword", "source"), HTML_HIDDEN)
def test_html_hidden_text_never_matches(find, keyword, source):
    assert find(source, "html", [keyword]) == []


def test_plain_text_keeps_markup_characters_as_text(find):
    source = "Keep *on-premise* for (enterprise) and enterprise/SMB, as typed."
    matches = find(source, "plain", ["on-premise", "enterprise"])
    assert [m.text for m in matches] == ["on-premise", "enterprise", "enterprise"]
    assert matches[0].start == source.index("on-premise")


@pytest.mark.parametrize(
    ("fmt", "source", "words"),
    [
        ("plain", "One two three.\n\nFour - five!", 5),
        ("plain", "see https://example.com/a-b-c now", 3),
        ("markdown", "# Title here\n\nSome **bold** text, [a link](https://x.example/y).", 7),
        ("markdown", "Run `npm install` now.\n\n```\ncode block words\n```\n", 7),
        ("markdown", "---\ntitle: hidden front matter\n---\nTwo words", 2),
        ("html", "<h1>Title here</h1><p>Some <b>bold</b> text &amp; more</p>", 6),
        ("html", "<p>Run <code>npm install</code></p><script>var x = 1;</script>", 3),
        ("html", "<p>one</p><p>two</p><!-- three four -->", 2),
        ("plain", "", 0),
    ],
)
def test_word_count_counts_visible_words_not_markup(engine, fmt, source, words):
    assert engine.audit(source, fmt).word_count == words
    assert extract(source, fmt).word_count == words


def test_extraction_maps_every_visible_character_back(engine):
    source = "# Head\n\nA **bold** [link](https://x.example) &amp; caf&eacute; \U0001f680 end"
    extraction = extract(source, "html")
    for i, ch in enumerate(extraction.visible):
        if ch.isspace():
            continue
        start, end = extraction.source_span(i, i + 1)
        if source[start] == "&":
            assert source[start:end] in ("&amp;", "&eacute;")
        else:
            assert source[start:end] == ch
