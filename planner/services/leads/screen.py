"""Screen a lead against the personas: the pure core (no Flask, no database).

A `Screener` is compiled once from persona specs (`PersonaSpec`, read from a persona
file or built from stored rows by `service.screener_for_workspace`) and reused for every
lead. Each persona scores a lead by adding the weights of what matched (`WEIGHTS`):

- `job_title`: the lead's title covers one of the persona's `job_titles` (`titles`);
- `company_size`: the lead's employees fall inside the persona's `company_size` range;
- `industry`: the lead's industry covers one of the persona's `industries`;
- `country`: the lead's country is one of the persona's `regions` (`countries`);
- `message`: the free text, through the same `nlp` engine as drafts, against the persona's
  keywords (each its own weight) and red flags (phrases, `RED_FLAG_WEIGHT` each). A keyword
  or red flag counts once per lead however often it appears.

A negative persona's score is compared with its thresholds as in an audit: at `block`
the lead is disqualified, at `warn` sent to review. The buyer is the best-scoring buyer
persona with a score above zero (ties: the first in the given order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import nlp
from planner.errors import ValidationError
from planner.services.leads.titles import covers, label_tokens, title_tokens
from planner.services.lexicons import engine_keyword, lexicon_version
from planner.services.personas.countries import country_code
from planner.services.personas.schema import PersonaSpec

VERDICTS = ("qualify", "review", "disqualify")
FIELDS = ("name", "email", "company", "job_title", "company_size", "industry", "country", "message")
# What each structured field adds to a persona's score when it matches.
WEIGHTS = {"job_title": 3.0, "company_size": 2.0, "industry": 1.0, "country": 1.0}
# A red flag found in the message; a red flag that is also a keyword counts as the keyword.
RED_FLAG_WEIGHT = 2.0


@dataclass(frozen=True)
class Lead:
    """One incoming lead: what a form, a CRM or a CSV row says about a person."""

    name: str = ""
    email: str = ""
    company: str = ""
    job_title: str = ""
    company_size: int | None = None
    industry: str = ""
    country: str = ""
    message: str = ""


@dataclass(frozen=True)
class Reason:
    """Why a persona matched: the lead's `field`, its `value` and what it `matched`.

    For `job_title`, `company_size`, `industry` and `country`, `value` is the lead's and
    `matched` the persona's entry (for a size, its range: "1,000+", "10-50", "up to 50").
    For `message`, `value` is the keyword or red flag and `matched` the words found.
    """

    field: str
    value: str
    matched: str


@dataclass(frozen=True)
class NegativeMatch:
    persona: str
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class BuyerMatch:
    persona: str
    score: float


@dataclass(frozen=True)
class LeadResult:
    """The verdict on one lead; `row` is where it came from (a CSV line, a request index)."""

    row: int
    verdict: str
    buyer: BuyerMatch | None
    negatives: tuple[NegativeMatch, ...]

    def to_json(self) -> dict[str, Any]:
        """Return the lead result's public JSON shape (docs/leads.md)."""
        return {
            "row": self.row,
            "verdict": self.verdict,
            "buyer": (
                {"persona": self.buyer.persona, "score": self.buyer.score} if self.buyer else None
            ),
            "negatives": [
                {
                    "persona": n.persona,
                    "score": n.score,
                    "reasons": [
                        {"field": r.field, "value": r.value, "matched": r.matched}
                        for r in n.reasons
                    ],
                }
                for n in self.negatives
            ],
        }


def size_range_text(low: int | None, high: int | None) -> str:
    """Say a persona's company size range in a few characters: "1,000+", "10-50", "up to 50"."""
    if low is not None and high is not None:
        return f"{low:,}-{high:,}"
    if low is not None:
        return f"{low:,}+"
    return f"up to {high:,}"


@dataclass(frozen=True)
class _Compiled:
    """A persona's lead criteria, normalised once."""

    name: str
    kind: str
    titles: tuple[tuple[str, frozenset[str]], ...]
    size_min: int | None
    size_max: int | None
    industries: tuple[tuple[str, frozenset[str]], ...]
    regions: dict[str, str]  # alpha-2 code -> the persona's own wording
    lexicon: nlp.PersonaLexicon
    warn: float
    block: float


def _message_keywords(spec: PersonaSpec) -> list[nlp.Keyword]:
    """The persona's keywords, then its red flags as phrases (unless already a keyword)."""
    keywords: list[nlp.Keyword] = []
    for spec_keyword in spec.keywords:
        try:
            keywords.append(engine_keyword(spec_keyword))
        except nlp.LexiconError:
            continue
    terms = {k.term.casefold() for k in keywords}
    for flag in spec.red_flags:
        if flag.casefold() in terms:
            continue
        try:
            keywords.append(nlp.Keyword(flag, RED_FLAG_WEIGHT))
        except nlp.LexiconError:
            continue
        terms.add(flag.casefold())
    return keywords


def _compile(spec: PersonaSpec) -> _Compiled:
    keywords = tuple(_message_keywords(spec))
    lexicon = nlp.PersonaLexicon(
        id=spec.name,
        name=spec.name,
        kind=spec.kind,
        version=lexicon_version(spec.kind, spec.warn_threshold, spec.block_threshold, keywords),
        keywords=keywords,
        warn=spec.warn_threshold,
        block=spec.block_threshold,
    )
    warn, block = lexicon.thresholds
    regions: dict[str, str] = {}
    for region in spec.regions:
        code = country_code(region)
        if code:
            regions.setdefault(code, region)
    return _Compiled(
        name=spec.name,
        kind=spec.kind,
        titles=tuple((t, title_tokens(t)) for t in spec.job_titles if title_tokens(t)),
        size_min=spec.company_size_min,
        size_max=spec.company_size_max,
        industries=tuple((i, label_tokens(i)) for i in spec.industries if label_tokens(i)),
        regions=regions,
        lexicon=lexicon,
        warn=warn,
        block=block,
    )


def _best_cover(
    entries: tuple[tuple[str, frozenset[str]], ...], given: frozenset[str]
) -> str | None:
    """The persona entry the lead's tokens cover; the most specific one when several do."""
    best: tuple[str, frozenset[str]] | None = None
    for entry in entries:
        if covers(entry[1], given) and (best is None or len(entry[1]) > len(best[1])):
            best = entry
    return best[0] if best else None


class Screener:
    """Screen leads against a fixed set of personas; build once, reuse for every lead."""

    def __init__(self, personas: Sequence[PersonaSpec]) -> None:
        self._personas = tuple(_compile(spec) for spec in personas)
        self._lexicons = [p.lexicon for p in self._personas if p.lexicon.keywords]
        self.persona_names = tuple(p.name for p in self._personas)

    def screen(self, lead: Lead, row: int) -> LeadResult:
        """Score `lead` against every persona and decide its verdict.

        A message the engine refuses (e.g. longer than it reads) is a ValidationError on
        `message`; callers limit lengths first (`csvio.MAX_MESSAGE_CHARS`).
        """
        title = title_tokens(lead.job_title) if lead.job_title else frozenset()
        industry = label_tokens(lead.industry) if lead.industry else frozenset()
        country = country_code(lead.country) if lead.country else None
        found = self._message_reasons(lead.message)
        negatives: list[NegativeMatch] = []
        buyer: BuyerMatch | None = None
        verdict = 0
        for persona in self._personas:
            reasons = self._field_reasons(persona, lead, title, industry, country)
            reasons += found.get(persona.name, [])
            if not reasons:
                continue
            score = round(sum(weight for _, weight in reasons), 4)
            if persona.kind == "negative":
                negatives.append(NegativeMatch(persona.name, score, tuple(r for r, _ in reasons)))
                if score >= persona.block:
                    verdict = 2
                elif score >= persona.warn:
                    verdict = max(verdict, 1)
            elif score > 0 and (buyer is None or score > buyer.score):
                buyer = BuyerMatch(persona.name, score)
        negatives.sort(key=lambda n: -n.score)
        return LeadResult(row, VERDICTS[verdict], buyer, tuple(negatives))

    def _field_reasons(
        self,
        persona: _Compiled,
        lead: Lead,
        title: frozenset[str],
        industry: frozenset[str],
        country: str | None,
    ) -> list[tuple[Reason, float]]:
        reasons: list[tuple[Reason, float]] = []
        if title and persona.titles:
            matched = _best_cover(persona.titles, title)
            if matched is not None:
                reasons.append((Reason("job_title", lead.job_title, matched), WEIGHTS["job_title"]))
        size = lead.company_size
        low, high = persona.size_min, persona.size_max
        bounded = low is not None or high is not None
        if (
            size is not None
            and bounded
            and (low is None or size >= low)
            and (high is None or size <= high)
        ):
            reason = Reason("company_size", str(size), size_range_text(low, high))
            reasons.append((reason, WEIGHTS["company_size"]))
        if industry and persona.industries:
            matched = _best_cover(persona.industries, industry)
            if matched is not None:
                reasons.append((Reason("industry", lead.industry, matched), WEIGHTS["industry"]))
        if country is not None and country in persona.regions:
            reason = Reason("country", lead.country, persona.regions[country])
            reasons.append((reason, WEIGHTS["country"]))
        return reasons

    def _message_reasons(self, message: str) -> dict[str, list[tuple[Reason, float]]]:
        """Each persona's keywords and red flags found in the message, once per term."""
        if not message.strip() or not self._lexicons:
            return {}
        try:
            result = nlp.audit(message, "plain", self._lexicons)
        except nlp.AuditInputError as error:
            raise ValidationError(
                f"The message cannot be screened: {error}", {"message": str(error)}
            ) from error
        found: dict[str, list[tuple[Reason, float]]] = {}
        for persona in result.personas:
            seen: set[str] = set()
            for match in persona.matches:
                if match.term in seen:
                    continue
                seen.add(match.term)
                reason = Reason("message", match.term, " ".join(match.text.split()))
                found.setdefault(persona.name, []).append((reason, match.weight))
        return found
