"""Helpers shared by the audit engine tests (imported by test modules and conftest)."""

from __future__ import annotations

from nlp import AuditResult

# The same draft in each format, with `{}` where the phrase under test goes. Each one
# has markup and a link before the phrase, so offsets are checked past real markup.
WRAPPERS = {
    "plain": "Our team writes.\nWe {} today.\n",
    "markdown": "# Our *team*\n\nWe write [docs](https://example.com/x). We {} today.\n",
    "html": (
        '<h1>Our <b>team</b></h1>\n<p class="lead">We write '
        '<a href="https://example.com/x">docs</a>. We {} today.</p>\n'
    ),
}
FORMATS = tuple(WRAPPERS)


def wrap(fmt: str, phrase: str) -> str:
    """Put `phrase` into the draft of format `fmt`."""
    return WRAPPERS[fmt].replace("{}", phrase)


def check_offsets(source: str, result: AuditResult) -> None:
    """Assert every match and finding points at its own words in the source."""
    for persona in result.personas:
        for m in persona.matches:
            assert source[m.start : m.end] == m.text
            assert (m.line, m.column) == line_column(source, m.start)
    for f in result.findings:
        if f.start is not None:
            assert (f.line, f.column) == line_column(source, f.start)


def line_column(source: str, offset: int) -> tuple[int, int]:
    """Compute the 1-based line and column of `offset` the slow, obvious way."""
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1
