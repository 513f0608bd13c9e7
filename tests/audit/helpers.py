"""Where the audit tests' files live, and an audit against a persona file's personas."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

import nlp
from planner.services import audit as audit_service
from planner.services import lexicons as lexicon_service
from planner.services.personas.schema import PersonaSpec

DATA = Path(__file__).parent / "data"


def audit_file_personas(
    text: str, fmt: str, specs: Sequence[PersonaSpec], target_ids: Collection[str] = ()
) -> nlp.AuditResult:
    """What `flask audit --personas` does for one text: the file's personas, no database."""
    lexicons = lexicon_service.lexicons_from_specs(specs)
    return audit_service.audit_lexicons(text, fmt, lexicons, target_ids=target_ids)
