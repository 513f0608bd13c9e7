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
    """`{verdict, word_count, findings: {level: count}, personas: [...], warnings: n}`."""
    counts: dict[str, int] = dict(Counter(str(f.get("level")) for f in result.get("findings", [])))
    counts["total"] = len(result.get("findings", [])) + int(result.get("omitted_findings", 0))
    return {
        "verdict": result.get("verdict"),
        "word_count": result.get("word_count"),
        "findings": counts,
        "personas": [
            {
                "id": p.get("id"),
                "name": p.get("name"),
                "kind": p.get("kind"),
                "score": p.get("score"),
                "level": p.get("level"),
            }
            for p in result.get("personas", [])
        ],
        "warnings": len(result.get("warnings", [])),
    }


def versions_key(persona_versions: dict[str, int]) -> str:
    """A fingerprint of `{persona id: version}`: equal for equal maps, whatever the order."""
    canonical = json.dumps(sorted(persona_versions.items()), separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
