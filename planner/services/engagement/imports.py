"""Import post results into a workspace: choose the mapping, preview, store.

One service for the page, the API and `flask engagement import`. It flushes; the caller
commits. Rows are keyed per source (`reading.row_key`), so importing a file twice stores
it once and a re-export with new counts updates the rows it already has.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from planner.errors import Conflict, ValidationError
from planner.models import Channel, EngagementRow, EngagementSource, utcnow
from planner.models.channel import channel_key
from planner.services.access import Actor, scoped
from planner.services.accounts import workspace_zone
from planner.services.clock import WallClock
from planner.services.engagement import mapping as column_mapping
from planner.services.engagement.matching import Match, PieceIndex
from planner.services.engagement.reading import (
    CsvTable,
    ReadRow,
    RowError,
    read_rows,
    read_table,
)

DEFAULT_SOURCE = "default"
MAX_SOURCE_NAME = 120
PREVIEW_ROWS = 10
_KEY_LOOKUP_MAX = 500
_SLASHED_DAY = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.]\d{4}")
# What a re-import compares with the stored row; a difference updates it.
_COMPARED = (
    "published_at",
    "channel",
    "url",
    "title",
    "impressions",
    "clicks",
    "engagements",
    "piece_id",
)
CONCURRENT_IMPORT = (
    "Another import into this source ran at the same time; import the file again "
    "(rows it already stored are not added twice)."
)


@dataclass
class Prepared:
    """A read file and the mapping it will be read with (None until the columns are mapped).

    `origin` says where the mapping came from: "given", "saved", "canonical" or None.
    """

    table: CsvTable
    source_name: str
    source: EngagementSource | None
    mapping: dict[str, str] | None
    suggested: dict[str, str]
    origin: str | None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PreviewRow:
    line: int
    row: ReadRow | None
    error: str | None
    match: Match | None
    local_time: str


@dataclass
class ImportResult:
    source: str
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    matched: int = 0
    unmatched: int = 0
    errors: list[RowError] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "matched": self.matched,
            "unmatched": self.unmatched,
            "errors": [e.to_dict() for e in self.errors],
        }


def clean_source_name(name: Any) -> str:
    """A source's name: trimmed, 1-120 characters; empty means the default source."""
    if name is None or (isinstance(name, str) and not name.strip()):
        return DEFAULT_SOURCE
    if not isinstance(name, str):
        raise ValidationError("The source must be a name.", {"source": "must be a name"})
    cleaned = " ".join(name.split())
    if len(cleaned) > MAX_SOURCE_NAME:
        raise ValidationError(
            f"A source's name has at most {MAX_SOURCE_NAME} characters.",
            {"source": f"at most {MAX_SOURCE_NAME} characters"},
        )
    return cleaned


def find_source(session: Session, actor: Actor, name: str) -> EngagementSource | None:
    return session.scalar(
        scoped(EngagementSource, actor.workspace_id).where(EngagementSource.name == name)
    )


def suggest(table: CsvTable, timezone: str) -> dict[str, str]:
    """A first mapping for the form: header aliases, and day/month when a date shows it."""
    suggested = column_mapping.suggest_mapping(table.headers, timezone)
    header = suggested.get("published_at")
    if header and _day_first(table, header):
        suggested["date_order"] = "dmy"
    return suggested


def _day_first(table: CsvTable, header: str) -> bool:
    for _, cells in table.records[:1000]:
        match = _SLASHED_DAY.match(cells.get(header) or "")
        if match and int(match.group(1)) > 12 >= int(match.group(2)):
            return True
    return False


def _notes(table: CsvTable, mapping: Mapping[str, str]) -> list[str]:
    """Say what is assumed about the file's times, so a wrong guess is seen before import."""
    header = mapping["published_at"]
    values = [cells.get(header) or "" for _, cells in table.records[:1000]]
    notes = [
        f"Times without a UTC offset are read as {mapping['timezone']} wall-clock time.",
    ]
    if any(_SLASHED_DAY.match(v) for v in values):
        if mapping.get("date_order") == "dmy":
            notes.append("Slashed dates are read day first: 03/04/2026 is 3 April 2026.")
        else:
            notes.append(
                "Slashed dates are read month first (US): 03/04/2026 is 4 March 2026. "
                "Choose day/month if your export means 3 April."
            )
    return notes


def prepare(
    session: Session,
    actor: Actor,
    content: bytes | str,
    source_name: Any = None,
    mapping: Mapping[str, Any] | None = None,
) -> Prepared:
    """Read the file and settle its mapping: the one given, else the source's saved one
    (when its columns are all there), else the canonical headers; else None and a guess.
    """
    name = clean_source_name(source_name)
    table = read_table(content)
    zone = workspace_zone(session, actor)
    source = find_source(session, actor, name)
    suggested = suggest(table, zone)
    chosen: dict[str, str] | None = None
    origin: str | None = None
    if mapping is not None:
        given = {"timezone": zone, **mapping}
        chosen, origin = column_mapping.check_mapping(given, table.headers), "given"
    elif source is not None and column_mapping.usable_saved(source.mapping, table.headers):
        chosen, origin = column_mapping.check_mapping(source.mapping, table.headers), "saved"
    elif column_mapping.is_canonical(table.headers):
        canonical = column_mapping.canonical_mapping(table.headers, zone)
        canonical["date_order"] = suggested["date_order"]
        chosen, origin = canonical, "canonical"
    prepared = Prepared(table, name, source, chosen, suggested, origin)
    shown = chosen or _valid_mapping(suggested, table)
    if shown is not None:
        prepared.notes = _notes(table, shown)
    return prepared


def preview(
    session: Session, actor: Actor, prepared: Prepared, limit: int = PREVIEW_ROWS
) -> list[PreviewRow]:
    """The first rows as they will be read, each with the piece it matches.

    Before the columns are mapped, the suggested mapping is shown at work when it names
    the published time, so the form can be checked against real rows.
    """
    mapping = prepared.mapping or _valid_mapping(prepared.suggested, prepared.table)
    if mapping is None:
        return []
    zone = workspace_zone(session, actor)
    clock = WallClock(zone)
    index = PieceIndex.load(session, actor.workspace_id, zone)
    channels = _channel_spellings(session, actor.workspace_id)
    shown: list[PreviewRow] = []
    for item in read_rows(prepared.table, mapping, limit=limit):
        if isinstance(item, RowError):
            shown.append(PreviewRow(item.line, None, item.message, None, ""))
            continue
        channel = _channel_name(item.channel, channels)
        match = index.find(item.url_key, item.piece_id, item.title, item.published_at, channel)
        shown.append(PreviewRow(item.line, item, None, match, clock.text(item.published_at)))
    return shown


def _valid_mapping(mapping: Mapping[str, Any], table: CsvTable) -> dict[str, str] | None:
    try:
        return column_mapping.check_mapping(mapping, table.headers)
    except ValidationError:
        return None


def import_file(
    session: Session,
    actor: Actor,
    content: bytes | str,
    source_name: Any = None,
    mapping: Mapping[str, Any] | None = None,
) -> ImportResult:
    """Store every readable row of the file; bad rows are listed by line and skipped.

    The source is created on first use and keeps the mapping for the next import. A file
    whose columns are not mapped yet (no mapping given or saved, headers not canonical)
    imports nothing: the ValidationError names the columns to map and a suggestion.
    """
    actor.require("editor", "import results")
    prepared = prepare(session, actor, content, source_name, mapping)
    if prepared.mapping is None:
        raise ValidationError(
            "Map the file's columns first: which one holds the published time, and the "
            "others. Its headers: " + ", ".join(h[:60] for h in prepared.table.headers[:30]),
            {
                "mapping": "required for these headers",
                "suggested": ", ".join(f"{k}={v}" for k, v in prepared.suggested.items() if v),
            },
        )
    source = prepared.source
    if source is None:
        source = EngagementSource(
            workspace_id=actor.workspace_id, name=prepared.source_name, mapping={}
        )
        session.add(source)
    if source.mapping != prepared.mapping:
        source.mapping = dict(prepared.mapping)
    _flush(session)
    return _store(session, actor, source, prepared)


def _flush(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as error:
        raise Conflict(CONCURRENT_IMPORT) from error


def _store(
    session: Session, actor: Actor, source: EngagementSource, prepared: Prepared
) -> ImportResult:
    assert prepared.mapping is not None
    result = ImportResult(source=source.name)
    zone = workspace_zone(session, actor)
    index = PieceIndex.load(session, actor.workspace_id, zone)
    channels = _channel_spellings(session, actor.workspace_id)
    rows: list[ReadRow] = []
    first_line: dict[str, int] = {}
    for item in read_rows(prepared.table, prepared.mapping):
        if isinstance(item, RowError):
            result.errors.append(item)
        elif item.row_key in first_line:
            result.errors.append(
                RowError(item.line, f"the same post as line {first_line[item.row_key]}; skipped")
            )
        else:
            first_line[item.row_key] = item.line
            rows.append(item)
    existing = _existing(session, source.id, [r.row_key for r in rows])
    added: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    now = utcnow()
    for item in rows:
        channel = _channel_name(item.channel, channels)
        match = index.find(item.url_key, item.piece_id, item.title, item.published_at, channel)
        values = {
            "published_at": item.published_at,
            "channel": channel,
            "url": item.url,
            "title": item.title,
            "impressions": item.impressions,
            "clicks": item.clicks,
            "engagements": item.engagements,
            "piece_id": match.piece_id if match else None,
        }
        if match:
            result.matched += 1
        else:
            result.unmatched += 1
        stored = existing.get(item.row_key)
        if stored is None:
            added.append(
                {
                    "workspace_id": actor.workspace_id,
                    "source_id": source.id,
                    "row_key": item.row_key,
                    "line": item.line,
                    "created_at": now,
                    "updated_at": now,
                    **values,
                }
            )
        elif stored[1:] != tuple(values[name] for name in _COMPARED):
            changed.append({"id": stored[0], "updated_at": now, **values})
        else:
            result.unchanged += 1
    result.imported, result.updated = len(added), len(changed)
    # Bulk statements: an export of 50,000 rows is one executemany, not 50,000 objects.
    try:
        if added:
            session.execute(insert(EngagementRow), added)
        if changed:
            session.execute(update(EngagementRow), changed)
    except IntegrityError as error:
        raise Conflict(CONCURRENT_IMPORT) from error
    return result


def _existing(session: Session, source_id: int, keys: list[str]) -> dict[str, tuple[Any, ...]]:
    """The source's stored rows among `keys`: row key -> (id, *the compared values).

    A small file asks for its keys; a large one reads the source's rows in one pass (many
    long IN lists cost PostgreSQL a scan each while the table's statistics are fresh).
    """
    columns = [getattr(EngagementRow, name) for name in _COMPARED]
    query = select(EngagementRow.row_key, EngagementRow.id, *columns).where(
        EngagementRow.source_id == source_id
    )
    if len(keys) <= _KEY_LOOKUP_MAX:
        query = query.where(EngagementRow.row_key.in_(keys))
    wanted = set(keys)
    return {row[0]: tuple(row[1:]) for row in session.execute(query) if row[0] in wanted}


def _channel_spellings(session: Session, workspace_id: int) -> dict[str, str]:
    names = session.scalars(select(Channel.name).where(Channel.workspace_id == workspace_id))
    return {channel_key(name): name for name in names}


def _channel_name(given: str | None, spellings: Mapping[str, str]) -> str | None:
    """The workspace's own spelling of a channel named in the file, else the file's."""
    if not given:
        return None
    return spellings.get(channel_key(given), given)
