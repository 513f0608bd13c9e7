"""What lists read of an audit: its summary (no matches, no findings) and a fingerprint of
the persona versions it was made with.

Stored beside the full result (`PieceAudit.summary`) when a piece is audited, so lists
(the pieces API, the drafts page) read a few hundred bytes instead of the result JSON.
Migration 0008 fills it for audits stored before, with a frozen copy of this rule.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any


def summarize(result: dict[str, Any]) -> dict[str, Any]:
    """`{verdict, word_count, findings: {level: count}, personas: [...], warnings: n}`.

    A persona with counted matches also gets `terms: {term: matches}` (dismissed ones left
    out, those cut for storage counted), so persona reviews count keywords without the result.
    """
    counts: dict[str, int] = dict(Counter(str(f.get("level")) for f in result.get("findings", [])))
    counts["total"] = len(result.get("findings", [])) + int(result.get("omitted_findings", 0))
    return {
        "verdict": result.get("verdict"),
        "word_count": result.get("word_count"),
        "findings": counts,
        "personas": [_persona_summary(p) for p in result.get("personas", [])],
        "warnings": len(result.get("warnings", [])),
    }


def _persona_summary(persona: dict[str, Any]) -> dict[str, Any]:
    summary = {key: persona.get(key) for key in ("id", "name", "kind", "score", "level")}
    terms = term_counts(persona)
    if terms:
        summary["terms"] = terms
    return summary


def term_counts(persona: dict[str, Any]) -> dict[str, int]:
    """Counted matches per term of one persona's stored result (`omitted` ones included)."""
    matches = persona.get("matches") or ()
    terms = Counter(str(m.get("term")) for m in matches if not m.get("dismissed"))
    for term, extra in (persona.get("omitted") or {}).items():
        if term in terms:
            terms[term] += int(extra)
    return dict(terms)


def versions_key(persona_versions: dict[str, int]) -> str:
    """A fingerprint of `{persona id: version}`: equal for equal maps, whatever the order."""
    canonical = json.dumps(sorted(persona_versions.items()), separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
