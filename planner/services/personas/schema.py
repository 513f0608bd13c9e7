"""The persona format: one validator for the form, the API and the YAML file.

Errors are keyed by a field path (`keywords[2].term`) so each interface can place them:
next to a form field, in a JSON `details` object, or on a line of the YAML file.

It is the one gate: whatever it accepts can be stored on SQLite and PostgreSQL and turned
into engine lexicons. The numeric rule for weights and thresholds is the engine's own
(`nlp.lexicon.weight_problem`, `threshold_problems`), so a surface cannot save a persona
that would fail every audit later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from nlp.lexicon import MAX_THRESHOLD, MAX_WEIGHT, threshold_problems, weight_problem
from planner.errors import ValidationError
from planner.services.personas.countries import country_code
from planner.services.personas.fields import (
    FieldErrors,
    mapping_field,
    number_field,
    scalar_field,
    text_field,
    text_list,
    valid_timezone,
)

KINDS = ("buyer", "negative")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CONTENT_TYPES = ("article", "photo", "video", "graphic", "podcast", "newsletter", "social")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
LIST_FIELDS = ("job_titles", "pain_points", "red_flags", "channels", "content_types")
TOP_FIELDS = {
    "name", "kind", "summary", *LIST_FIELDS, "timezone", "posting_windows",
    "company_size", "industries", "regions",
    "cadence", "thresholds", "keywords", "review_every_days",
}  # fmt: skip
MAX_KEYWORDS = 2000
MAX_WINDOWS = 50
MAX_PER_WEEK = 1000
MAX_FORMS = 20
MAX_COMPANY_SIZE = 10_000_000  # employees; the largest employer has about 2.1 million
# Persona reviews: a persona is due this many days after its last review (or creation).
REVIEW_EVERY_DAYS, MAX_REVIEW_DAYS = 90, 3650
# Re-exported for the API's OpenAPI document, which may not import the engine itself.
WEIGHT_MAX, THRESHOLD_MAX = MAX_WEIGHT, MAX_THRESHOLD


@dataclass(frozen=True)
class KeywordSpec:
    term: str
    weight: float = 1.0
    suggest: str | None = None
    case_sensitive: bool = False
    forms: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class WindowSpec:
    days: tuple[str, ...]
    start: str
    end: str


@dataclass(frozen=True)
class PersonaSpec:
    name: str
    kind: str
    summary: str = ""
    job_titles: tuple[str, ...] = ()
    pain_points: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    content_types: tuple[str, ...] = ()
    timezone: str = "UTC"
    posting_windows: tuple[WindowSpec, ...] = ()
    cadence_min: int | None = None
    cadence_max: int | None = None
    warn_threshold: float | None = None
    block_threshold: float | None = None
    # Lead screening (docs/leads.md): employees range, industries, countries.
    company_size_min: int | None = None
    company_size_max: int | None = None
    industries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    keywords: tuple[KeywordSpec, ...] = field(default=())
    review_every_days: int = REVIEW_EVERY_DAYS

    def to_document(self) -> dict[str, Any]:
        """The persona file's shape (docs/contracts.md), leaving out empty optional parts."""
        doc: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.summary:
            doc["summary"] = self.summary
        for name in LIST_FIELDS:
            if getattr(self, name):
                doc[name] = list(getattr(self, name))
        doc["timezone"] = self.timezone
        if self.posting_windows:
            doc["posting_windows"] = [
                {"days": list(w.days), "start": w.start, "end": w.end} for w in self.posting_windows
            ]
        cadence = {"min_per_week": self.cadence_min, "max_per_week": self.cadence_max}
        if any(v is not None for v in cadence.values()):
            doc["cadence"] = {k: v for k, v in cadence.items() if v is not None}
        thresholds = {"warn": self.warn_threshold, "block": self.block_threshold}
        if any(v is not None for v in thresholds.values()):
            doc["thresholds"] = {
                k: _plain_number(v) for k, v in thresholds.items() if v is not None
            }
        size = {"min": self.company_size_min, "max": self.company_size_max}
        if any(v is not None for v in size.values()):
            doc["company_size"] = {k: v for k, v in size.items() if v is not None}
        for name in ("industries", "regions"):
            if getattr(self, name):
                doc[name] = list(getattr(self, name))
        doc["keywords"] = [_keyword_doc(k) for k in self.keywords]
        if self.review_every_days != REVIEW_EVERY_DAYS:
            doc["review_every_days"] = self.review_every_days
        return doc


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _keyword_doc(keyword: KeywordSpec) -> dict[str, Any]:
    doc: dict[str, Any] = {"term": keyword.term}
    if keyword.weight != 1:
        doc["weight"] = _plain_number(keyword.weight)
    if keyword.suggest:
        doc["suggest"] = keyword.suggest
    if keyword.case_sensitive:
        doc["case_sensitive"] = True
    if keyword.forms:
        doc["forms"] = list(keyword.forms)
    if keyword.exclude:
        doc["not"] = list(keyword.exclude)
    return doc


def _windows(value: Any, errors: FieldErrors) -> tuple[WindowSpec, ...]:
    if value is None or value == "":
        return ()
    if not isinstance(value, list):
        errors.add("posting_windows", "must be a list of windows")
        return ()
    if len(value) > MAX_WINDOWS:
        errors.add("posting_windows", f"at most {MAX_WINDOWS} windows")
        return ()
    windows = []
    for i, raw in enumerate(value):
        path = f"posting_windows[{i}]"
        raw = mapping_field(raw, path, errors, {"days", "start", "end"})
        days = raw.get("days")
        if isinstance(days, str):
            days = [d.strip() for d in days.split(",") if d.strip()]
        if not isinstance(days, list) or not days:
            errors.add(f"{path}.days", "pick at least one day")
            days = []
        clean_days = []
        for j, day in enumerate(days[: len(DAYS) * 2]):
            day_text = scalar_field(day, f"{path}.days[{j}]", errors)
            day_key = day_text.lower()[:3]
            if f"{path}.days[{j}]" in errors:
                continue
            if day_key not in DAYS:
                errors.add(f"{path}.days", f"{day_text!r} is not a day (use {', '.join(DAYS)})")
            elif day_key not in clean_days:
                clean_days.append(day_key)
        if len(days) > len(DAYS) * 2:
            errors.add(f"{path}.days", "list each day once")
        times = {}
        for key in ("start", "end"):
            text = scalar_field(raw.get(key), f"{path}.{key}", errors)
            if len(text) == 4 and text[1] == ":":
                text = "0" + text
            if not TIME_RE.match(text):
                errors.add(f"{path}.{key}", "use a 24-hour time like 08:30")
            times[key] = text
        if times["start"] and times["start"] == times["end"]:
            errors.add(f"{path}.end", "must differ from the start")
        ordered = tuple(sorted(clean_days, key=DAYS.index))
        windows.append(WindowSpec(days=ordered, start=times["start"], end=times["end"]))
    return tuple(windows)


def _keywords(value: Any, errors: FieldErrors) -> tuple[KeywordSpec, ...]:
    if value is None or value == "":
        return ()
    if not isinstance(value, list):
        errors.add("keywords", "must be a list of keywords")
        return ()
    if len(value) > MAX_KEYWORDS:
        errors.add("keywords", f"at most {MAX_KEYWORDS} keywords per persona")
        return ()
    seen: dict[str, int] = {}
    keywords = []
    for i, raw in enumerate(value):
        path = f"keywords[{i}]"
        if isinstance(raw, str):
            raw = {"term": raw}
        raw = mapping_field(
            raw, path, errors, {"term", "weight", "suggest", "case_sensitive", "forms", "not"}
        )
        term = " ".join(
            text_field(raw.get("term"), f"{path}.term", errors, required=True, limit=200).split()
        )
        weight = number_field(raw.get("weight"), f"{path}.weight", errors)
        problem = None if weight is None else weight_problem(weight)
        if problem:
            errors.add(f"{path}.weight", problem)
        suggest = text_field(raw.get("suggest"), f"{path}.suggest", errors, limit=200) or None
        case_sensitive = raw.get("case_sensitive", False)
        if isinstance(case_sensitive, str) and case_sensitive in ("on", "true", "1"):
            case_sensitive = True
        if case_sensitive is None or (
            isinstance(case_sensitive, str) and case_sensitive in ("", "false", "0")
        ):
            case_sensitive = False
        if not isinstance(case_sensitive, bool):
            errors.add(f"{path}.case_sensitive", "must be true or false")
            case_sensitive = False
        if term and not any(ch.isalnum() for ch in term):
            errors.add(f"{path}.term", "needs at least one letter or digit")
        key = term if case_sensitive else term.casefold()
        if term and key in seen:
            errors.add(f"{path}.term", f"{term!r} is listed twice (also keywords[{seen[key]}])")
        seen.setdefault(key, i)
        keywords.append(
            KeywordSpec(
                term,
                1.0 if weight is None else float(weight),
                suggest,
                case_sensitive,
                forms=_forms(raw.get("forms"), f"{path}.forms", errors),
                exclude=_forms(raw.get("not"), f"{path}.not", errors),
            )
        )
    return tuple(keywords)


def _forms(value: Any, path: str, errors: FieldErrors) -> tuple[str, ...]:
    """A keyword's extra or excluded surface forms: the escape hatch for a word the rules
    inflect wrongly, so each must be a plain word or phrase like the term itself."""
    if value is None or value == "" or value == []:
        return ()
    if not isinstance(value, list):
        errors.add(path, "must be a list of words or phrases")
        return ()
    if len(value) > MAX_FORMS:
        errors.add(path, f"at most {MAX_FORMS} forms per keyword")
        return ()
    forms: list[str] = []
    for i, raw in enumerate(value):
        text = " ".join(text_field(raw, f"{path}[{i}]", errors, limit=200).split())
        if not text:
            continue
        if not any(ch.isalnum() for ch in text):
            errors.add(f"{path}[{i}]", "needs at least one letter or digit")
        elif text not in forms:
            forms.append(text)
    return tuple(forms)


def _lead_fields(
    data: dict, errors: FieldErrors
) -> tuple[int | None, int | None, tuple[str, ...], tuple[str, ...]]:
    """The lead-screening fields: `company_size: {min, max}`, `industries`, `regions`."""
    raw_size = data.get("company_size")
    size = mapping_field(raw_size, "company_size", errors, {"min", "max"})
    low = number_field(size.get("min"), "company_size.min", errors, integer=True)
    high = number_field(size.get("max"), "company_size.max", errors, integer=True)
    for label, count in (("min", low), ("max", high)):
        if count is not None and count > MAX_COMPANY_SIZE:
            errors.add(f"company_size.{label}", f"must be at most {MAX_COMPANY_SIZE:,}")
    if isinstance(raw_size, dict) and low is None and high is None:
        errors.add("company_size", "give min, max or both (employees)")
    if low is not None and high is not None and low > high:
        errors.add("company_size.max", "must be at least the minimum")
    industries = text_list(data.get("industries"), "industries", errors)
    regions = text_list(data.get("regions"), "regions", errors)
    for name, items in (("industries", industries), ("regions", regions)):
        for i, item in enumerate(items):
            if len(item) > 100 or not any(ch.isalnum() for ch in item):
                errors.add(f"{name}[{i}]", "must be a short name (up to 100 characters)")
    for i, region in enumerate(regions):
        if f"regions[{i}]" not in errors and country_code(region) is None:
            errors.add(
                f"regions[{i}]",
                f"{region!r} is not a country we know (use a code like US or a name like Germany)",
            )
    return low, high, tuple(dict.fromkeys(industries)), tuple(dict.fromkeys(regions))


def validate_persona(data: Any) -> PersonaSpec:
    """Check a persona document; raise ValidationError with every problem found, by path."""
    errors = FieldErrors()
    if not isinstance(data, dict):
        raise ValidationError("A persona must be a mapping of fields.", {"": "must be a mapping"})
    for key in data:
        if key not in TOP_FIELDS:
            shown = key if isinstance(key, str | int | float) else type(key).__name__
            errors.add(str(shown)[:100], f"unknown field {shown!r}")
    name = text_field(data.get("name"), "name", errors, required=True, limit=120)
    kind = scalar_field(data.get("kind"), "kind", errors).lower()
    if kind not in KINDS:
        errors.add("kind", "must be buyer or negative")
    timezone = scalar_field(data.get("timezone"), "timezone", errors, default="UTC")
    if "timezone" not in errors and not valid_timezone(timezone):
        errors.add("timezone", f"{timezone!r} is not a known time zone (e.g. America/New_York)")
    lists = {name_: text_list(data.get(name_), name_, errors) for name_ in LIST_FIELDS}
    for i, ctype in enumerate(lists["content_types"]):
        if ctype not in CONTENT_TYPES:
            errors.add(f"content_types[{i}]", f"must be one of {', '.join(CONTENT_TYPES)}")
    cadence = mapping_field(
        data.get("cadence"), "cadence", errors, {"min_per_week", "max_per_week"}
    )
    cmin = number_field(cadence.get("min_per_week"), "cadence.min_per_week", errors, integer=True)
    cmax = number_field(cadence.get("max_per_week"), "cadence.max_per_week", errors, integer=True)
    for label, count in (("min_per_week", cmin), ("max_per_week", cmax)):
        if count is not None and count > MAX_PER_WEEK:
            errors.add(f"cadence.{label}", f"must be at most {MAX_PER_WEEK:,}")
    if cmin is not None and cmax is not None and cmin > cmax:
        errors.add("cadence.max_per_week", "must be at least the minimum")
    thresholds = mapping_field(data.get("thresholds"), "thresholds", errors, {"warn", "block"})
    warn = number_field(thresholds.get("warn"), "thresholds.warn", errors)
    block = number_field(thresholds.get("block"), "thresholds.block", errors)
    if "thresholds.warn" not in errors and "thresholds.block" not in errors:
        for label, problem in threshold_problems(warn, block).items():
            errors.add(f"thresholds.{label}", problem)
    windows = _windows(data.get("posting_windows"), errors)
    keywords = _keywords(data.get("keywords"), errors)
    summary = text_field(data.get("summary"), "summary", errors, limit=2000)
    size_min, size_max, industries, regions = _lead_fields(data, errors)
    review_days = _review_days(data.get("review_every_days"), errors)
    if errors:
        raise ValidationError("The persona has errors.", dict(errors))
    return PersonaSpec(
        name=name,
        kind=kind,
        summary=summary,
        timezone=timezone,
        posting_windows=windows,
        cadence_min=cmin,
        cadence_max=cmax,
        warn_threshold=warn,
        block_threshold=block,
        keywords=keywords,
        company_size_min=size_min,
        company_size_max=size_max,
        industries=industries,
        regions=regions,
        review_every_days=review_days,
        **lists,
    )


def _review_days(value: Any, errors: FieldErrors) -> int:
    """Days between reviews: a whole number from 1 to `MAX_REVIEW_DAYS`, 90 when left out."""
    days = number_field(value, "review_every_days", errors, integer=True)
    if days is None:
        return REVIEW_EVERY_DAYS
    if not 1 <= days <= MAX_REVIEW_DAYS and "review_every_days" not in errors:
        errors.add("review_every_days", f"must be from 1 to {MAX_REVIEW_DAYS:,} days")
    return days
