"""The audit engine: match persona keywords in drafts, score them, give a verdict.

Pure Python + spaCy; it knows nothing of Flask, SQLAlchemy or `planner`. spaCy itself
is imported on first use (`load_pipeline`, the first audit), so `import nlp` is cheap.

    from nlp import Keyword, PersonaLexicon, audit
    pete = PersonaLexicon(3, "Enterprise Procurement Pete", "negative", 1,
                          (Keyword("on-premise", 3, suggest="hosted for you"),))
    audit("We install on\u2011premise.", "plain", [pete]).to_dict()
    surface_forms(Keyword("market leader"))
    # ['market leader', "market leader's", 'market leaders', "market leaders'"]

Levels: a negative persona is `block` at score >= block (default 5), `warn` at
score >= warn (default 2), else `pass`; a buyer persona is `match` or `none` and never
blocks. The verdict is `block` if any negative persona blocks, `warn` if any warns or a
target persona has no counted match, else `pass` (see `scoring`). Offsets are code
points into the submitted source; `Match.text` is `source[start:end]` (see `results`).

Fields: a reader and a search engine see more than the body. Markdown front matter
(YAML `---` or TOML `+++`: `title`; `description`, `summary`, `excerpt`, `subtitle`;
`tags`, `keywords`, `categories`), HTML's `<title>` and description, keywords, `og:` and
`twitter:` meta tags, and image alt text (Markdown and HTML) are audited too. Each
`Match` and `Finding` says its `field` (`title`, `description`, `tags`, `alt`, `body`;
`None` for a finding about the whole text); a match weighs the same in every field.
A piece's own title and summary are passed beside the body:

    audit(body, "markdown", [pete], title="On-premise help", summary="For enterprise")

Their matches have field `title` / `description` and offsets into *that* string
(`title[m.start:m.end] == m.text`). `AuditResult.word_count` counts the body only;
`AuditResult.warnings` lists what could not be read as meant (malformed front matter
is read as body text). Results stored before fields existed have no `field`: read
`match.get("field", "body")`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nlp.engine import AuditEngine, audit, default_engine
from nlp.errors import AuditInputError, LexiconError, NlpError, PipelineError
from nlp.extract import FORMATS
from nlp.forms import surface_forms
from nlp.lexicon import DEFAULT_BLOCK, DEFAULT_WARN, Keyword, PersonaLexicon
from nlp.results import AuditResult, Finding, Match, PersonaResult, dismissal_key
from nlp.settings import configure

if TYPE_CHECKING:
    from nlp.pipeline import build_pipeline, load_pipeline

__all__ = [
    "DEFAULT_BLOCK",
    "DEFAULT_WARN",
    "FORMATS",
    "AuditEngine",
    "AuditInputError",
    "AuditResult",
    "Finding",
    "Keyword",
    "LexiconError",
    "Match",
    "NlpError",
    "PersonaLexicon",
    "PersonaResult",
    "PipelineError",
    "audit",
    "build_pipeline",
    "configure",
    "default_engine",
    "dismissal_key",
    "load_pipeline",
    "surface_forms",
]

_LAZY = {"load_pipeline", "build_pipeline"}


def __getattr__(name: str) -> Any:
    # Importing spaCy takes about a second; only pay for it when a pipeline is wanted.
    if name in _LAZY:
        from nlp import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'nlp' has no attribute {name!r}")
