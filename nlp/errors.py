"""The errors the audit engine raises on purpose, under one root.

Callers (the services, the CLI) catch `NlpError` and map it to their own error tree;
the subclasses also derive from the built-in they refine, so plain `except ValueError`
keeps working for code that does not know about `nlp`.
"""

from __future__ import annotations


class NlpError(Exception):
    """Root of every error raised by the audit engine."""


class AuditInputError(NlpError, ValueError):
    """The text or options given to an audit cannot be audited as asked."""


class LexiconError(NlpError, ValueError):
    """A keyword or persona lexicon is malformed (empty term, bad weight, bad kind)."""


class PipelineError(NlpError, RuntimeError):
    """The spaCy pipeline could not be loaded (e.g. `NLP_MODEL` names no installed model)."""
