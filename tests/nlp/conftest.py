"""Fixtures for the audit engine tests: one shared engine, persona and audit factories.

The engine is shared by the session because loading spaCy costs about a second; tests
that count builds or recycle make their own engine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import count

import pytest

from nlp import AuditEngine, Keyword, Match, PersonaLexicon
from tests.nlp.audit_helpers import check_offsets

_PERSONA_IDS = count(1)


@pytest.fixture(scope="session")
def engine() -> AuditEngine:
    return AuditEngine()


@pytest.fixture
def make_persona() -> Callable[..., PersonaLexicon]:
    """Return a factory: `make_persona(*keywords, **overrides)`; terms may be plain str.

    Ids are unique across the session: the shared engine caches matchers by (id, version),
    so reusing an id with other keywords would (rightly) reuse the old matcher.
    """

    def make(*keywords: Keyword | str, **overrides: object) -> PersonaLexicon:
        fields: dict[str, object] = {
            "id": next(_PERSONA_IDS),
            "name": "Enterprise Procurement Pete",
            "kind": "negative",
            "version": 1,
        }
        fields.update(overrides)
        fields["keywords"] = tuple(k if isinstance(k, Keyword) else Keyword(k) for k in keywords)
        return PersonaLexicon(**fields)  # type: ignore[arg-type]

    return make


@pytest.fixture
def find(
    engine: AuditEngine, make_persona: Callable[..., PersonaLexicon]
) -> Callable[[str, str, Sequence[Keyword | str]], list[Match]]:
    """Return `find(source, fmt, keywords)`: the matches of one persona, offsets checked."""

    def run(source: str, fmt: str, keywords: Sequence[Keyword | str]) -> list[Match]:
        result = engine.audit(source, fmt, [make_persona(*keywords)])
        check_offsets(source, result)
        return result.personas[0].matches

    return run
