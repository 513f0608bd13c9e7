"""The HTML allow-list, link rules and text extraction."""

from __future__ import annotations

import pytest

from planner.services.feeds.sanitize import html_to_text, safe_link, sanitize_html

BASE = "https://blog.example/posts/1"
REL = 'rel="noopener noreferrer nofollow"'


def test_allowed_markup_is_kept() -> None:
    html = (
        "<p>A <em>b</em> <strong>c</strong> <b>d</b> <i>e</i><br></p><ul><li>x</li></ul>"
        "<ol><li>y</li></ol><blockquote>q</blockquote><pre><code>z</code></pre>"
    )
    assert sanitize_html(html, BASE) == html


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        '<img src="x" onerror="alert(1)">',
        '<p onclick="alert(1)">',
        '<a href="https://ok.example/" onmouseover="alert(1)">',
        '<p style="background:url(javascript:alert(1))">',
        "<style>*{display:none}</style>",
        '<iframe src="https://evil.example/"></iframe>',
        '<svg onload="alert(1)"><script>alert(1)</script></svg>',
        '<object data="javascript:alert(1)"></object>',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
        '<form action="javascript:alert(1)"><button>go</button></form>',
        "<!--><script>alert(1)</script>-->",
    ],
)
def test_scripts_handlers_and_styles_are_removed(html: str) -> None:
    cleaned = sanitize_html(f"<p>before</p>{html}<p>after</p>", BASE).lower()
    for needle in ("<script", "alert", "onerror", "onclick", "onload", "onmouseover", "style",
                   "<iframe", "<svg", "<img", "<object", "<form", "javascript"):  # fmt: skip
        assert needle not in cleaned, (needle, cleaned)


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java&#x09;script:alert(1)",
        "java&#x0A;script:alert(1)",
        "java&#13;script:alert(1)",
        "&#106;&#97;vascript:alert(1)",
        "&#x6A;avascript&colon;alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
    ],
)
def test_dangerous_link_schemes_are_removed(href: str) -> None:
    cleaned = sanitize_html(f'<a href="{href}">x</a>', BASE)
    assert cleaned == f"<a {REL}>x</a>"


def test_links_are_absolute_and_get_rel() -> None:
    cleaned = sanitize_html(
        '<a href="/about">a</a> <a href="https://x.example/" rel="opener">b</a>'
        ' <a href="mailto:me@x.example">c</a>',
        BASE,
    )
    assert cleaned == (
        f'<a href="https://blog.example/about" {REL}>a</a> '
        f'<a href="https://x.example/" {REL}>b</a> <a href="mailto:me@x.example" {REL}>c</a>'
    )


def test_relative_links_are_dropped_without_an_http_base() -> None:
    assert sanitize_html('<a href="/about">a</a>', None) == f"<a {REL}>a</a>"
    assert sanitize_html('<a href="/about">a</a>', "javascript:x") == f"<a {REL}>a</a>"


def test_empty_input() -> None:
    assert sanitize_html("", BASE) == ""
    assert html_to_text("") == ""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.example/a?b=1#c", "https://x.example/a?b=1#c"),
        ("  http://x.example/  ", "http://x.example/"),
        ("HTTP://X.example/", "HTTP://X.example/"),
        ("javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("\x00javascript:alert(1)", None),
        ("data:text/html,x", None),
        ("vbscript:x", None),
        ("mailto:a@x.example", None),
        ("ftp://x.example/", None),
        ("//x.example/a", None),
        ("/relative", None),
        ("http:///nohost", None),
        ("http://[::1", None),
        ("", None),
        (None, None),
        ("https://x.example/" + "a" * 5000, None),
    ],
)
def test_safe_link_returns_only_absolute_http_urls(url: str | None, expected: str | None) -> None:
    assert safe_link(url) == expected


def test_safe_link_resolves_against_a_base() -> None:
    assert safe_link("../b", "https://x.example/a/c") == "https://x.example/b"
    assert safe_link("//cdn.example/x", "https://x.example/") == "https://cdn.example/x"
    assert safe_link("javascript:alert(1)", "https://x.example/") is None
    assert safe_link("/a", "javascript:alert(1)") is None


def test_html_to_text_keeps_words_and_separates_blocks() -> None:
    html = (
        "<p>Request for <em>proposal</em>\n  &amp; more</p><p>Second&nbsp;para<br>line</p>"
        "<script>alert('x')</script><style>p{}</style><ul><li>one</li><li>two</li></ul>"
    )
    assert html_to_text(html) == "Request for proposal & more\nSecond para\nline\none\ntwo"


def test_html_to_text_of_plain_text_is_unchanged() -> None:
    assert html_to_text("plain words, 3 < 4") == "plain words, 3 < 4"
