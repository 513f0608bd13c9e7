"""Turn the persona form's rows into a persona document and back."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from planner.services import lexicons
from planner.services.personas.schema import LIST_FIELDS, REVIEW_EVERY_DAYS, PersonaSpec

BLANK_KEYWORD = {
    "term": "",
    "weight": "1",
    "suggest": "",
    "case_sensitive": False,
    "forms": "",
    "not": "",
}
KEYWORD_FIELDS = ("term", "weight", "suggest", "case_sensitive", "forms", "not")
BLANK_WINDOW = {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "11:00"}


def _rows(form: MultiDict, prefix: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    indexes = sorted(
        {
            int(key.split("-")[1])
            for key in form
            if key.startswith(prefix + "-") and key.split("-")[1].isdecimal()
        }
    )
    rows = []
    for i in indexes:
        row = {name: form.get(f"{prefix}-{i}-{name}", "").strip() for name in fields}
        if prefix == "windows":
            row["days"] = form.getlist(f"{prefix}-{i}-days")
        rows.append(row)
    return rows


def _keyword_rows(form: MultiDict) -> list[dict[str, Any]]:
    return [
        {
            "term": row["term"],
            "weight": row["weight"] or None,
            "suggest": row["suggest"] or None,
            "case_sensitive": row["case_sensitive"] == "on",
            "forms": _comma_list(row["forms"]),
            "not": _comma_list(row["not"]),
        }
        for row in _rows(form, "keywords", KEYWORD_FIELDS)
    ]


def _comma_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _comma_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    return str(value or "")


def with_matches(values: dict[str, Any]) -> dict[str, Any]:
    """Give each keyword row the surface forms it will match, so an editor sees
    "market leader → market leaders" (and never "marketing leader") before saving."""
    for row in values["keywords"]:
        row["matches"] = lexicons.keyword_forms(
            row["term"],
            case_sensitive=row["case_sensitive"],
            forms=_comma_list(row["forms"]),
            exclude=_comma_list(row["not"]),
        )
    return values


def typed_keyword(args: MultiDict) -> dict[str, Any]:
    """The one keyword row a live request sends (its inputs keep their row names)."""
    rows = _keyword_rows(args)
    row = rows[0] if rows else {"term": "", "case_sensitive": False, "forms": [], "not": []}
    return {
        "term": row["term"],
        "case_sensitive": row["case_sensitive"],
        "forms": ", ".join(row["forms"]),
        "not": ", ".join(row["not"]),
    }


def document_from_form(form: MultiDict, *, keep_blank_rows: bool = False) -> dict[str, Any]:
    """Read the form; rows left completely blank are ignored rather than reported."""
    doc: dict[str, Any] = {
        "name": form.get("name", ""),
        "kind": form.get("kind", ""),
        "summary": form.get("summary", ""),
        "timezone": form.get("timezone", "") or "UTC",
    }
    for name in LIST_FIELDS:
        doc[name] = [line.strip() for line in form.get(name, "").splitlines() if line.strip()]
    doc["cadence"] = {
        "min_per_week": form.get("cadence_min", "").strip() or None,
        "max_per_week": form.get("cadence_max", "").strip() or None,
    }
    doc["thresholds"] = {
        "warn": form.get("warn", "").strip() or None,
        "block": form.get("block", "").strip() or None,
    }
    doc["review_every_days"] = form.get("review_every_days", "").strip() or None
    size = {k: form.get(f"company_size_{k}", "").strip() or None for k in ("min", "max")}
    doc["company_size"] = size if any(size.values()) else None
    doc["industries"] = _comma_list(form.get("industries", ""))
    doc["regions"] = _comma_list(form.get("regions", ""))
    keywords = _keyword_rows(form)
    windows = _rows(form, "windows", ("start", "end"))
    if not keep_blank_rows:
        keywords = [k for k in keywords if k["term"] or k["suggest"]]
        windows = [w for w in windows if w["days"] or w["start"] or w["end"]]
    doc["keywords"] = keywords
    doc["posting_windows"] = windows
    return doc


def form_values(doc: dict[str, Any]) -> dict[str, Any]:
    """Values for the template, from a document (valid or not)."""
    cadence = doc.get("cadence") or {}
    thresholds = doc.get("thresholds") or {}
    review_days = doc.get("review_every_days", REVIEW_EVERY_DAYS)
    values = {
        "name": doc.get("name", ""),
        "kind": doc.get("kind", "buyer"),
        "summary": doc.get("summary", ""),
        "timezone": doc.get("timezone", "UTC"),
        "cadence_min": cadence.get("min_per_week")
        if cadence.get("min_per_week") is not None
        else "",
        "cadence_max": cadence.get("max_per_week")
        if cadence.get("max_per_week") is not None
        else "",
        "warn": thresholds.get("warn") if thresholds.get("warn") is not None else "",
        "block": thresholds.get("block") if thresholds.get("block") is not None else "",
        "review_every_days": "" if review_days is None else review_days,
        **_lead_values(doc),
        "keywords": [
            {
                "term": k.get("term", ""),
                "weight": k.get("weight") if k.get("weight") is not None else 1,
                "suggest": k.get("suggest") or "",
                "case_sensitive": bool(k.get("case_sensitive")),
                "forms": _comma_text(k.get("forms")),
                "not": _comma_text(k.get("not")),
            }
            for k in (doc.get("keywords") or [])
        ],
        "windows": [
            {
                "days": list(w.get("days") or []),
                "start": w.get("start", ""),
                "end": w.get("end", ""),
            }
            for w in (doc.get("posting_windows") or [])
        ],
    }
    for name in LIST_FIELDS:
        values[name] = "\n".join(doc.get(name) or [])
    return values


def _lead_values(doc: dict[str, Any]) -> dict[str, Any]:
    """The lead-screening fields as the form shows them: two numbers, two comma lists."""
    size = doc.get("company_size") if isinstance(doc.get("company_size"), dict) else {}
    return {
        "company_size_min": "" if size.get("min") is None else size["min"],
        "company_size_max": "" if size.get("max") is None else size["max"],
        "industries": _comma_text(doc.get("industries")),
        "regions": _comma_text(doc.get("regions")),
    }


def values_for(spec: PersonaSpec) -> dict[str, Any]:
    return form_values(spec.to_document())


def apply_row_action(values: dict[str, Any], action: str) -> None:
    """Add or remove a keyword or window row (the no-JavaScript way to edit rows)."""
    if action == "add_keyword":
        values["keywords"].append(dict(BLANK_KEYWORD))
    elif action == "add_window":
        values["windows"].append(dict(BLANK_WINDOW, days=list(BLANK_WINDOW["days"])))
    elif action.startswith("remove_keyword:"):
        _pop(values["keywords"], action)
    elif action.startswith("remove_window:"):
        _pop(values["windows"], action)


def _pop(rows: list, action: str) -> None:
    try:
        index = int(action.split(":", 1)[1])
    except ValueError:
        return
    if 0 <= index < len(rows):
        rows.pop(index)


def field_errors(details: dict[str, str]) -> dict[str, str]:
    """Error paths (`keywords[2].term`) as the form's field names (`keywords-2-term`)."""
    out = {}
    for path, message in details.items():
        name = path.replace("posting_windows", "windows").replace("[", "-").replace("].", "-")
        name = name.replace("]", "").replace("cadence.min_per_week", "cadence_min")
        name = name.replace("cadence.max_per_week", "cadence_max")
        name = name.replace("thresholds.warn", "warn").replace("thresholds.block", "block")
        name = name.replace("company_size.", "company_size_")
        if name.startswith(("industries-", "regions-")):
            name = name.split("-", 1)[0]
        out.setdefault(name, message)
    return out


LABELS = {
    "name": "Name",
    "kind": "Kind",
    "summary": "Summary",
    "job_titles": "Job titles",
    "pain_points": "Pain points",
    "red_flags": "Red flags",
    "channels": "Channels",
    "content_types": "Content types",
    "timezone": "Time zone",
    "cadence": "Posts per week",
    "thresholds": "Thresholds",
    "keywords": "Keywords",
    "windows": "Posting windows",
    "review_every_days": "Review every (days)",
    "company_size": "Company size (employees)",
    "industries": "Industries",
    "regions": "Regions",
}


def comparable(values: dict[str, Any]) -> dict[str, str]:
    """Form values as one text per `LABELS` field, to show a stored persona beside a typed one."""
    out = {name: str(values.get(name, "")) for name in ("name", "kind", "summary", "timezone")}
    out["review_every_days"] = str(values.get("review_every_days") or 90)
    for name in LIST_FIELDS:
        out[name] = values.get(name, "")
    out["cadence"] = f"{values.get('cadence_min', '')}–{values.get('cadence_max', '')}"
    low, high = values.get("company_size_min", ""), values.get("company_size_max", "")
    out["company_size"] = f"{low}–{high}"
    out["industries"] = str(values.get("industries", ""))
    out["regions"] = str(values.get("regions", ""))
    out["thresholds"] = f"warn {values.get('warn', '')}, block {values.get('block', '')}"
    out["keywords"] = "\n".join(
        f"{k['term']} ×{k['weight']}"
        + (f" → {k['suggest']}" if k.get("suggest") else "")
        + (" (case-sensitive)" if k.get("case_sensitive") else "")
        + (f" +[{k['forms']}]" if k.get("forms") else "")
        + (f" not [{k['not']}]" if k.get("not") else "")
        for k in values.get("keywords", [])
        if k.get("term")
    )
    out["windows"] = "\n".join(
        f"{' '.join(w['days'])} {w['start']}–{w['end']}" for w in values.get("windows", [])
    )
    return out
