"""Screen leads for a workspace: read them (JSON or CSV), screen, keep them if it keeps leads.

The one entry the API and the "Screen leads" page call. Nothing about a lead is stored
unless the workspace turned on "keep screened leads" (`store`); follow-up reads of the
same file (filters, the annotated CSV) pass `keep=False` so a lead is kept once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from planner.errors import PayloadTooLarge, ValidationError
from planner.models import Workspace, utcnow
from planner.services.access import Actor
from planner.services.leads import csvio, mappings, store
from planner.services.leads.screen import FIELDS, VERDICTS, Lead, LeadResult
from planner.services.leads.service import screener_for_workspace

MAX_LEADS_PER_REQUEST = 1000
# Longest accepted value per field: what `csvio` reads from a file, and what is kept.
MAX_LENGTHS = {name: store.max_length(name) for name in FIELDS if name != "company_size"}
MAX_COMPANY_SIZE = csvio.MAX_COMPANY_SIZE


@dataclass(frozen=True)
class ScreenedBatch:
    """Results in the order the leads came, and how many leads were kept (0 unless on)."""

    leads: list[Lead]
    results: list[LeadResult]
    kept: int

    def counts(self) -> dict[str, int]:
        """How many leads got each verdict, every verdict listed."""
        tally = Counter(result.verdict for result in self.results)
        return {verdict: tally[verdict] for verdict in VERDICTS}

    def persona_names(self) -> list[str]:
        """Every persona named in a result (buyer or negative), sorted."""
        names = {n.persona for result in self.results for n in result.negatives}
        names |= {result.buyer.persona for result in self.results if result.buyer}
        return sorted(names)


@dataclass(frozen=True)
class ScreenedUpload:
    """An uploaded CSV: either `needs_mapping` (its headers, a suggestion) or its results."""

    headers: list[str]
    needs_mapping: bool = False
    mapping: dict[str, str] = field(default_factory=dict)
    screened: csvio.ScreenedFile | None = None
    batch: ScreenedBatch | None = None

    @property
    def errors(self) -> list[tuple[int, str]]:
        """Rows that could not be read: (line, why)."""
        return self.screened.file.errors if self.screened else []

    def annotated_csv(self) -> str:
        """The same CSV with verdict, buyer persona, negative personas and reasons added."""
        return self.screened.annotated_csv() if self.screened else ""


def _lead_from_json(item: Any, where: str, problems: dict[str, str]) -> Lead | None:
    if not isinstance(item, dict):
        problems[where or "body"] = "must be a lead object"
        return None
    values: dict[str, Any] = {}
    for name in FIELDS:
        value = item.get(name)
        path = f"{where}.{name}" if where else name
        if value is None:
            continue
        if name == "company_size":
            if isinstance(value, bool) or not isinstance(value, int):
                problems[path] = "must be a whole number of employees"
            elif not 0 <= value <= MAX_COMPANY_SIZE:
                problems[path] = f"must be between 0 and {MAX_COMPANY_SIZE:,}"
            else:
                values[name] = value
        elif not isinstance(value, str):
            problems[path] = "must be a string"
        elif len(value) > MAX_LENGTHS[name]:
            problems[path] = f"must be at most {MAX_LENGTHS[name]:,} characters"
        else:
            values[name] = value.strip()
    return Lead(**values)


def leads_from_json(body: Mapping[str, Any]) -> list[Lead]:
    """One lead object, or `{"leads": [...]}` of up to 1,000: 413 beyond, 422 per bad field."""
    if "leads" not in body:
        problems: dict[str, str] = {}
        lead = _lead_from_json(body, "", problems)
        if problems or lead is None:
            raise ValidationError("Invalid lead.", problems)
        return [lead]
    items = body["leads"]
    if not isinstance(items, list):
        raise ValidationError("Invalid leads.", {"leads": "must be a list of lead objects"})
    if not items:
        raise ValidationError("No leads.", {"leads": "send at least one lead"})
    if len(items) > MAX_LEADS_PER_REQUEST:
        raise PayloadTooLarge(
            f"At most {MAX_LEADS_PER_REQUEST:,} leads per request; this one has {len(items):,}.",
            {"leads": f"at most {MAX_LEADS_PER_REQUEST:,} items"},
        )
    problems = {}
    leads = [_lead_from_json(item, f"leads[{i}]", problems) for i, item in enumerate(items)]
    if problems:
        raise ValidationError("Invalid leads.", problems)
    return [lead for lead in leads if lead is not None]


def screen_leads(
    session: Session,
    actor: Actor,
    leads: Sequence[Lead],
    rows: Sequence[int] | None = None,
    *,
    keep: bool = True,
) -> ScreenedBatch:
    """Screen leads against the workspace's personas (editor); keep them if it keeps leads.

    `rows` numbers each result (CSV lines); by default the 1-based position in `leads`.
    """
    actor.require("editor", "screen leads")
    workspace = session.get(Workspace, actor.workspace_id)
    assert workspace is not None
    screener = screener_for_workspace(session, workspace.id)
    numbers = list(rows) if rows is not None else list(range(1, len(leads) + 1))
    results = [screener.screen(lead, row) for lead, row in zip(leads, numbers, strict=True)]
    kept = 0
    if keep and workspace.keep_screened_leads:
        kept = store.keep_leads(session, workspace.id, zip(leads, results, strict=True), utcnow())
    return ScreenedBatch(list(leads), results, kept)


def screen_file(
    session: Session,
    actor: Actor,
    data: bytes,
    chosen: Mapping[str, str] | None = None,
    *,
    keep: bool = True,
) -> ScreenedUpload:
    """Screen an uploaded CSV, or say its columns need mapping first (editor).

    Canonical headers need no mapping; otherwise the mapping saved for this header row
    is used, or `chosen` (a form's choice), which is saved for next time. A file that
    cannot be read raises `LeadsFileError`, and nothing is screened, saved or kept.
    """
    actor.require("editor", "screen leads")
    headers, parsed = mappings.file_headers(data)
    mapping = mappings.suggested(headers, parsed)
    if chosen is not None:
        mapping = mappings.clean_mapping(headers, chosen)
        parsed = csvio.read_leads(data, mapping)
        mappings.save_mapping(session, actor, headers, mapping)
    elif (saved := mappings.saved_mapping(session, actor, headers)) is not None:
        mapping, parsed = saved, csvio.read_leads(data, saved)
    elif parsed is None or mappings.needs_mapping(headers, parsed):
        return ScreenedUpload(headers, needs_mapping=True, mapping=mapping)
    lines = [line for line, _ in parsed.rows]
    leads = [lead for _, lead in parsed.rows]
    batch = screen_leads(session, actor, leads, lines, keep=keep)
    screened = csvio.ScreenedFile(parsed, batch.results)
    return ScreenedUpload(headers, mapping=mapping, screened=screened, batch=batch)


def remap_file(session: Session, actor: Actor, data: bytes) -> ScreenedUpload:
    """The file's headers for the mapping form, with its saved (or suggested) mapping."""
    actor.require("editor", "screen leads")
    headers, parsed = mappings.file_headers(data)
    saved = mappings.saved_mapping(session, actor, headers)
    mapping = saved if saved is not None else mappings.suggested(headers, parsed)
    return ScreenedUpload(headers, needs_mapping=True, mapping=mapping)


def filtered(
    outcome: ScreenedUpload, verdict: str = "", persona: str = ""
) -> list[tuple[Lead, LeadResult]]:
    """The screened leads with the verdict and naming the persona (buyer or negative)."""
    if outcome.batch is None:
        return []
    shown = []
    for lead, result in zip(outcome.batch.leads, outcome.batch.results, strict=True):
        if verdict and result.verdict != verdict:
            continue
        named = {n.persona for n in result.negatives}
        if result.buyer:
            named.add(result.buyer.persona)
        if persona and persona not in named:
            continue
        shown.append((lead, result))
    return shown
