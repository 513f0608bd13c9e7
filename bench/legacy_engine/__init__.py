"""The audit engine as it was before keyword-side inflection (issue 10), kept frozen.

Only the differential test (`tests/nlp/test_nlp_differential.py`) and the bench use it:
they run it beside `nlp` to show the new engine agrees wherever the old one was right.
It lemmatizes the *text* with spaCy's POS-blind lookup table; do not fix it here.
"""

from bench.legacy_engine.engine import AuditEngine

__all__ = ["AuditEngine"]
