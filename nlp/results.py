"""What an audit returns: frozen dataclasses whose fields, in order, are the API's JSON shape.

The API writes a result as it is: orjson reads a plain dataclass's attributes directly, in
field order, 3-4x faster than building `to_dict()`'s dicts and encoding those (an answer
for a 2,000-word draft has ~550 of them). So the classes have no `__slots__` (orjson's
fast path needs the instance `__dict__`), and `to_dict()` lists the same keys in the same
order; a test holds the two byte-for-byte equal. `to_dict()` is for storing and the CLI.

The shape is a public contract (docs/contracts.md, "Audit result"); nothing from spaCy leaks
out of here, so results can be pickled, cached and sent to a task queue.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

DismissalKey = tuple[Any, str, str]


@dataclass(frozen=True)
class Match:
    """One keyword found in the text.

    `start`/`end` are code-point offsets into the text as submitted (Markdown or HTML
    source), `line`/`column` are 1-based there, and `text` is `source[start:end]`: what an
    editor highlights, so it may contain inline markup such as `<em>` or `**`.

    `field` says where a reader meets the words: `body`, or `title`, `description`,
    `tags`, `alt` (front matter, HTML head, image alt text). Matches in the `title=` and
    `summary=` texts given beside the body are `title` and `description`, and their
    offsets point into *that* text. A match counts the same whatever its field.
    """

    term: str
    text: str
    start: int
    end: int
    line: int
    column: int
    weight: float
    suggest: str | None
    dismissed: bool = False
    field: str = "body"

    def key(self, persona_id: Any) -> DismissalKey:
        """Return the key that dismisses this match for `persona_id` in later audits."""
        return dismissal_key(persona_id, self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "weight": self.weight,
            "suggest": self.suggest,
            "dismissed": self.dismissed,
            "field": self.field,
        }


def dismissal_key(persona_id: Any, match: Match) -> DismissalKey:
    """Return `(persona_id, term, matched text casefolded)`, the key `audit(dismissed=)` takes.

    The key names the words, not the position, so a dismissal survives edits elsewhere in
    the draft; it dismisses every occurrence of the same wording for that persona.
    """
    return (persona_id, match.term, match.text.casefold())


@dataclass(frozen=True)
class PersonaResult:
    """How strongly the text speaks to one persona.

    `level` is `pass|warn|block` for a negative persona and `match|none` for a buyer
    persona; `matches` includes dismissed matches (flagged), which do not count.
    """

    id: int | str
    name: str
    kind: str
    score: float
    level: str
    matches: list[Match]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "score": self.score,
            "level": self.level,
            "matches": [m.to_dict() for m in self.matches],
        }


@dataclass(frozen=True)
class Finding:
    """One thing to tell the editor, in plain words, like a linter message.

    Position fields and `field` are `None` for findings about the whole text (a target
    persona the draft never speaks to); otherwise `field` is the match's (see `Match`).
    """

    level: str
    persona: str
    message: str
    start: int | None
    end: int | None
    line: int | None
    column: int | None
    suggest: str | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "persona": self.persona,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "suggest": self.suggest,
            "field": self.field,
        }


@dataclass(frozen=True)
class AuditResult:
    """The verdict on one text, per-persona detail and the findings to show.

    `word_count` counts the body's words only (not the title, description, tags or alt
    text), so figures from before fields were read stay comparable. `warnings` says what
    the engine could not read as meant (e.g. malformed front matter, read as body text).
    """

    verdict: str
    word_count: int
    personas: list[PersonaResult]
    findings: list[Finding]
    warnings: list[str] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the "Audit result" JSON object of docs/contracts.md."""
        return {
            "verdict": self.verdict,
            "word_count": self.word_count,
            "personas": [p.to_dict() for p in self.personas],
            "findings": [f.to_dict() for f in self.findings],
            "warnings": list(self.warnings),
        }
