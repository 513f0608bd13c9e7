"""Where to highlight an audit's matches in the source, and what "Apply suggestion" writes.

Pure functions over the audit JSON (`AuditResult.to_dict()`, also what pieces store), so
the editor's partials can show a fresh audit or a stored one the same way.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Mark:
    """One highlighted match: whose words they are and what to say on hover."""

    persona: str
    kind: str
    term: str
    title: str
    dismissed: bool


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the source text, highlighted when `mark` is set."""

    text: str
    mark: Mark | None = None


def _title(persona: dict[str, Any], match: dict[str, Any]) -> str:
    who = "negative persona" if persona["kind"] == "negative" else "buyer persona"
    title = f"{persona['name']} ({who}): {match['term']}"
    if match.get("suggest"):
        title += f"; try: {match['suggest']}"
    if match.get("dismissed"):
        title += " (dismissed)"
    return title


def highlight_segments(
    source: str, audit: dict[str, Any] | None, field: str | None = None
) -> list[Segment]:
    """Cut `source` into plain and highlighted runs, using the matches' code-point offsets.

    Matches of different personas may overlap (`small business` for a buyer, `business`
    for a negative persona); one run can carry one mark, so a negative persona's match
    wins, then the longer one, then the earlier. Offsets outside the text (a stored audit
    of an older version) are skipped rather than highlighting the wrong words. `field`
    keeps only the matches found in that field (a piece's title or summary input).
    """
    candidates = []
    for persona in (audit or {}).get("personas", ()):
        for match in persona.get("matches", ()):
            if field is not None and match.get("field", "body") != field:
                continue
            start, end = match.get("start"), match.get("end")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
                continue
            if end > len(source) or source[start:end] != match.get("text", source[start:end]):
                continue
            priority = (persona["kind"] != "negative", bool(match.get("dismissed")), start - end)
            mark = Mark(
                persona["name"],
                persona["kind"],
                match["term"],
                _title(persona, match),
                bool(match.get("dismissed")),
            )
            candidates.append((priority, start, end, mark))
    starts: list[int] = []
    kept: list[tuple[int, int, Mark]] = []
    for _, start, end, mark in sorted(candidates, key=lambda c: (c[0], c[1])):
        i = bisect.bisect_left(starts, start)
        if i > 0 and kept[i - 1][1] > start:
            continue
        if i < len(kept) and kept[i][0] < end:
            continue
        starts.insert(i, start)
        kept.insert(i, (start, end, mark))
    segments: list[Segment] = []
    position = 0
    for start, end, mark in kept:
        if start > position:
            segments.append(Segment(source[position:start]))
        segments.append(Segment(source[start:end], mark))
        position = end
    if position < len(source):
        segments.append(Segment(source[position:]))
    return segments


FIELD_NAMES = {
    "title": "the title",
    "description": "the summary",
    "tags": "the tags",
    "alt": "an image's alt text",
    "body": "the text",
}
_SENTENCE_END = ".!?\n"


def sources(body: str, title: str | None, summary: str | None) -> dict[str, str]:
    """The strings an audit's offsets point into, by the field a match names."""
    return {"body": body, "title": title or "", "description": summary or ""}


def field_name(field: str | None) -> str:
    """Where a finding is, in the editor's words ("the title")."""
    return FIELD_NAMES.get(field or "body", f"the {field}")


def sentence_after(source: str, start: int, end: int, replacement: str, limit: int = 160) -> str:
    """The sentence around `[start, end)` as it will read once `replacement` is applied.

    Shown before "Apply suggestion" so the editor sees "supports hosted for you deployment"
    before writing it; cut to `limit` characters on each side, on a sentence or line end.
    """
    left = max(source.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    left = max(left, start - limit)
    ends = [i for i in (source.find(c, end) for c in _SENTENCE_END) if i >= 0]
    right = min([*ends, len(source) - 1, end + limit]) + 1
    before, after = source[left:start].lstrip(), source[end:right].rstrip()
    prefix = "…" if left > 0 and source[left - 1] not in _SENTENCE_END else ""
    suffix = "…" if right < len(source) and source[right - 1] not in _SENTENCE_END else ""
    return f"{prefix}{before}{replacement}{after}{suffix}".strip()


def replacement_for(matched: str, suggest: str) -> str:
    """Return the suggestion as it should replace `matched`, keeping a capital at its start.

    `On-premise installs` becomes `Hosted for you installs`, but an acronym (`RFP`) does
    not make the suggestion shout.
    """
    letters = [c for c in matched if c.isalpha()]
    starts_capital = bool(letters) and letters[0].isupper()
    all_caps = len(letters) > 1 and all(c.isupper() for c in letters)
    if starts_capital and not all_caps and suggest[:1].islower():
        return suggest[0].upper() + suggest[1:]
    return suggest


# One step down: a keyword outside the heaviest half of its persona's score.
_STEP_DOWN = {"block": "warn", "warn": "info"}


@dataclass(frozen=True, slots=True)
class FindingBadge:
    """A finding's own level, and its persona's when that differs (said beside it)."""

    level: str
    persona_level: str | None = None


def _term_weights(persona: dict[str, Any]) -> dict[str, float]:
    """The weight each keyword carries in this text: its counted matches, omitted ones too."""
    weights: dict[str, float] = {}
    each: dict[str, float] = {}
    for match in persona.get("matches", ()):
        if match.get("dismissed"):
            continue
        term, weight = str(match.get("term")), float(match.get("weight") or 0)
        weights[term] = weights.get(term, 0.0) + weight
        each[term] = weight
    for term, count in (persona.get("omitted") or {}).items():
        if term in each:
            weights[term] += count * each[term]
    return weights


def _leading_terms(persona: dict[str, Any]) -> set[str]:
    """The heaviest keywords that together carry at least half of the persona's score.

    Keywords of equal weight are treated alike: one in, all in.
    """
    weights = _term_weights(persona)
    half = float(persona.get("score") or sum(weights.values())) / 2
    carried, floor = 0.0, 0.0
    for weight in sorted(weights.values(), reverse=True):
        carried, floor = carried + weight, weight
        if carried >= half:
            break
    return {term for term, weight in weights.items() if weight >= floor}


def finding_badge(audit: dict[str, Any] | None, finding: dict[str, Any]) -> FindingBadge:
    """The level a finding is badged with: its keyword's own, not its persona's overall.

    The engine gives each match finding its persona's level (`findings[].level`), so a
    weight-1 "SLA" under a persona that blocks on other words would read "Block". From the
    audit JSON alone (thresholds are not in it): take the persona's keywords by the weight
    they carry in the text (`matches[].weight`, summed per `term`), heaviest first, until
    they make up at least half of its `score`; their findings keep the persona's level, and
    every other keyword's are one step lower (block to warn, warn to info), with the
    persona's overall level said beside them. So at least one finding always carries the
    persona's level. Findings about the whole text (a target persona nothing speaks to),
    `info` findings, and findings whose match the audit does not list keep their level.
    See `docs/pieces.md`, "Finding badges".
    """
    level = str(finding.get("level") or "info")
    if level not in _STEP_DOWN or finding.get("start") is None:
        return FindingBadge(level)
    field = finding.get("field") or "body"
    for persona in (audit or {}).get("personas", ()):
        if persona.get("name") != finding.get("persona") or persona.get("kind") != "negative":
            continue
        for match in persona.get("matches", ()):
            spot = (match.get("field", "body"), match.get("start"), match.get("end"))
            if spot != (field, finding.get("start"), finding.get("end")):
                continue
            if str(match.get("term")) in _leading_terms(persona):
                return FindingBadge(level)
            return FindingBadge(_STEP_DOWN[level], level)
    return FindingBadge(level)
