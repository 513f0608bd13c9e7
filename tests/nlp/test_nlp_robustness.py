"""Hostile and random input: no exceptions, no quadratic blow-ups, offsets always sound."""

from __future__ import annotations

import random
import time

import pytest

from tests.nlp.audit_helpers import FORMATS, check_offsets

HOSTILE = {
    "open angle brackets": "<" * 50_000,
    "tags that never close": "<a " * 20_000,
    "quotes in tags that never close": '<a "' * 15_000,
    "open square brackets": "[" * 50_000,
    "backticks": "` `` ``` " * 5_000,
    "ampersands": "&abc " * 10_000,
    "asterisks": "*" * 50_000,
    "unclosed link targets": "[x](" * 15_000,
    "unclosed comments": "<!--" * 12_000,
    "unclosed scripts": "<script>" * 6_000,
    "at signs": "a@" * 25_000,
    "url schemes": "http://" * 7_000,
    "one long word": "enterprise" * 5_000,
    "emoji without spaces": "\U0001f680" * 50_000,
    "line breaks": "\n" * 50_000,
    "table rows": "a|b\n-|-\n" * 6_000,
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input_is_audited_quickly(engine, make_persona, fmt, name):
    pete = make_persona("on-premise", "enterprise")
    engine.audit("warm up", fmt, [pete])
    source = HOSTILE[name]
    start = time.perf_counter()
    result = engine.audit(source, fmt, [pete])
    assert time.perf_counter() - start < 3.0
    check_offsets(source, result)


FRAGMENTS = [
    "on", "premise", "on-premise", "on\u2011premise", "Enterprise", "enterprise's", "RFPs",
    " ", " ", " ", "\n", "\n\n", "-", "**", "_", "`", "```\n", "[", "](", ")", "](https://x.y/on-premise)",
    "<em>", "</em>", "<p>", "</p>", "<br>", "&amp;", "&#8209;", "&nbsp;", "<!--", "-->",
    "<code>", "</code>", "# ", "> ", "- ", "|", "\U0001f680", "https://e.x/on-premise ", "'s",
    "\u2019", "request", "for", "proposal", "\t", "\\", "&", "<", ">", "\"",
]  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_random_markup_keeps_offsets_sound(engine, make_persona, fmt):
    pete = make_persona("on-premise", "enterprise", "RFP", "request for proposal")
    rng = random.Random(f"nlp-{fmt}")
    for _ in range(300):
        source = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 60)))
        result = engine.audit(source, fmt, [pete])
        check_offsets(source, result)
        for m in result.personas[0].matches:
            assert 0 <= m.start < m.end <= len(source)
            assert m.text[0].isalnum()
            assert m.text[-1].isalnum() or m.text.endswith(";")  # an entity may end it
        assert result.word_count >= 0
