"""Saved CSV column mappings: a file's columns are mapped once per workspace, then reused.

A mapping is keyed by the file's header row (case and spacing ignored), so the next
export from the same CRM or form tool is read with no question asked. Files with the
canonical headers need none.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

from planner.errors import LeadsFileError, ValidationError
from planner.models import LeadMapping
from planner.services.access import Actor, scoped
from planner.services.leads import csvio
from planner.services.leads.csvio import LeadsFile
from planner.services.leads.screen import FIELDS as LEAD_FIELDS


def _normal(header: str) -> str:
    return " ".join(header.strip().lower().split())


def header_key(headers: Sequence[str]) -> str:
    """The name a mapping is saved under: a digest of the file's header row."""
    joined = "\x1f".join(_normal(h) for h in headers)
    return "columns:" + hashlib.sha256(joined.encode("utf-8")).hexdigest()


def file_headers(data: bytes) -> tuple[list[str], LeadsFile | None]:
    """The file's header row, and the file as read when its columns need no mapping.

    An unreadable file raises `csvio`'s own `LeadsFileError`. When only the header row
    is the problem (no column carries a lead field's name), the row is read alone so its
    columns can be mapped.
    """
    try:
        parsed = csvio.read_leads(data)
        return parsed.headers, parsed
    except LeadsFileError as error:
        if error.line != 1:
            raise
        problem = error
    try:  # as the reader does: UTF-8, the delimiter its first line uses most
        text = data.decode("utf-8-sig")
        delimiter = max(csvio.DELIMITERS, key=text.split("\n", 1)[0].count)
        headers = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    except (UnicodeDecodeError, csv.Error):
        raise problem from None
    if not any(h.strip() for h in headers):
        raise problem
    return headers, None


def needs_mapping(headers: Sequence[str], parsed: LeadsFile | None) -> bool:
    """A column the reader did not recognise might hold a lead field it is missing."""
    if parsed is None:
        return True
    missing = set(LEAD_FIELDS) - set(parsed.columns)
    return bool(missing) and len(headers) > len(parsed.columns)


def suggested(headers: Sequence[str], parsed: LeadsFile | None) -> dict[str, str]:
    """{lead field: header} for the columns the reader recognised by name."""
    if parsed is None:
        return {}
    return {field: headers[index] for field, index in parsed.columns.items()}


def saved_mapping(session: Session, actor: Actor, headers: Sequence[str]) -> dict[str, str] | None:
    """The mapping saved for this header row in the workspace, if any."""
    row = session.scalar(
        scoped(LeadMapping, actor.workspace_id).where(LeadMapping.name == header_key(headers))
    )
    if row is None:
        return None
    columns = (row.mapping or {}).get("columns") or {}
    present = set(headers)
    # "" says the field is in no column, even one of its own name.
    return {f: h for f, h in columns.items() if f in LEAD_FIELDS and (h in present or h == "")}


def clean_mapping(headers: Sequence[str], chosen: Mapping[str, str]) -> dict[str, str]:
    """{lead field: header} from a form's choices; an unknown field or column is a 422.

    A field left empty maps to "" (no column), so a column named like it is not read.
    """
    present = set(headers)
    mapping: dict[str, str] = {}
    problems: dict[str, str] = {}
    used: dict[str, str] = {}
    for field, header in chosen.items():
        if field in LEAD_FIELDS and not header:
            mapping[field] = ""
        elif field not in LEAD_FIELDS:
            problems[field] = "is not a lead field"
        elif header not in present:
            problems[field] = "names a column the file does not have"
        elif header in used:
            problems[field] = f"uses the column {used[header]} already uses"
        else:
            mapping[field] = header
            used[header] = field
    if problems:
        raise ValidationError("Check the column mapping.", problems)
    if not any(mapping.values()):
        raise ValidationError(
            "Map at least one column.", {"mapping": "choose a column for at least one field"}
        )
    return mapping


def save_mapping(
    session: Session, actor: Actor, headers: Sequence[str], mapping: Mapping[str, str]
) -> LeadMapping:
    """Save (or replace) the workspace's mapping for this header row (editor)."""
    actor.require("editor", "save a column mapping")
    name = header_key(headers)
    row = session.scalar(scoped(LeadMapping, actor.workspace_id).where(LeadMapping.name == name))
    stored = {"headers": list(headers), "columns": dict(mapping)}
    if row is None:
        row = LeadMapping(workspace_id=actor.workspace_id, name=name, mapping=stored)
        session.add(row)
    else:
        row.mapping = stored
    session.flush()
    return row
