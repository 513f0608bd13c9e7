"""Score personas, decide levels and the verdict, and word the findings.

This is the one place the verdict rule lives: plain data in, plain data out, no spaCy.

- A persona's score is the sum of the weights of its matches that are not dismissed.
- Negative persona: `block` if score >= block, `warn` if score >= warn, else `pass`
  (thresholds default to warn 2, block 5: `lexicon.DEFAULT_WARN`/`DEFAULT_BLOCK`).
- Buyer persona: `match` if it has any counted match, else `none`; it never blocks.
- Verdict: `block` if any negative persona blocks; `warn` if any warns or a target
  persona has no counted match; else `pass`.
- Every field counts alike: a match in the title or the alt text weighs what the same
  match in the body weighs.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from nlp.lexicon import PersonaLexicon
from nlp.results import AuditResult, Finding, Match, PersonaResult

LEVEL_ORDER = {"pass": 0, "warn": 1, "block": 2}
# Findings are listed in the order a reader meets the fields.
_FIELD_ORDER = {"title": 0, "description": 1}


def negative_level(score: float, persona: PersonaLexicon) -> str:
    """Return `pass`, `warn` or `block` for a negative persona's score."""
    warn, block = persona.thresholds
    if score >= block:
        return "block"
    if score >= warn:
        return "warn"
    return "pass"


def persona_result(persona: PersonaLexicon, matches: list[Match]) -> PersonaResult:
    """Score one persona's matches and give its level."""
    score = round(sum(m.weight for m in matches if not m.dismissed), 6)
    if persona.kind == "negative":
        level = negative_level(score, persona)
    else:
        level = "match" if any(not m.dismissed for m in matches) else "none"
    return PersonaResult(persona.id, persona.name, persona.kind, score, level, matches)


def match_message(persona: PersonaLexicon, match: Match, words: str) -> str:
    """Word a negative-persona finding: what was found, who it speaks to, what to try."""
    message = f'"{words}" speaks to {persona.name} (negative persona, weight {match.weight:g})'
    if match.suggest:
        message += f"; try: {match.suggest}"
    return message


def missing_target_message(persona: PersonaLexicon) -> str:
    return (
        f"Nothing in the text speaks to {persona.name}, a target persona: use some of their words"
    )


def build_result(
    word_count: int,
    personas: Sequence[PersonaLexicon],
    matches: Mapping[int | str, list[Match]],
    reader_words: Mapping[tuple[str, int, int], str],
    target_ids: Collection[int | str],
    *,
    warnings: Sequence[str] = (),
) -> AuditResult:
    """Assemble the audit result from each persona's matches.

    `reader_words` gives, per `(field, start, end)`, the matched words as a reader sees
    them (for messages, without markup). Findings come whole-text first, then the
    title's, the description's, then the rest in reading order.
    """
    results = [persona_result(p, matches.get(p.id, [])) for p in personas]
    findings: list[Finding] = []
    verdict = "pass"
    targets = set(target_ids)
    for persona, result in zip(personas, results, strict=True):
        if persona.kind == "negative":
            if LEVEL_ORDER[result.level] > LEVEL_ORDER[verdict]:
                verdict = result.level
            finding_level = result.level if result.level != "pass" else "info"
            for m in result.matches:
                if m.dismissed:
                    continue
                words = reader_words.get((m.field, m.start, m.end), m.text)
                findings.append(
                    Finding(
                        finding_level,
                        persona.name,
                        match_message(persona, m, words),
                        m.start,
                        m.end,
                        m.line,
                        m.column,
                        m.suggest,
                        m.field,
                    )
                )
        if persona.id in targets and not any(not m.dismissed for m in result.matches):
            if verdict == "pass":
                verdict = "warn"
            findings.append(
                Finding(
                    "warn", persona.name, missing_target_message(persona), None, None, None, None
                )
            )
    # Whole-text findings first (they have no position), then in reading order.
    findings.sort(
        key=lambda f: (
            f.start is not None,
            _FIELD_ORDER.get(f.field or "", 2),
            f.start or 0,
            f.end or 0,
        )
    )
    return AuditResult(verdict, word_count, results, findings, list(warnings))
