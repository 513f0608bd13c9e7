"""Read an export into rows: the file checks, then each line as engagement values or an error.

Pure Python (csv, zoneinfo): no Flask, no database. A file that cannot be read raises
`UnreadableFile` and nothing is imported; a bad row is an error with its line number and
the others are read. Cells are data: a formula (`=1+2`) is kept as text, never evaluated,
and is not a number.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

from planner.errors import ValidationError
from planner.services.clock import resolve_wall_time, year_problem
from planner.services.engagement.mapping import COUNT_FIELDS, ENGAGEMENT_PARTS
from planner.services.engagement.matching import normalize_url

MAX_CSV_BYTES = 10 * 1024 * 1024
MAX_COUNT = 2**31 - 1  # INTEGER columns (32-bit on PostgreSQL)
MAX_TEXT = {"channel": 120, "url": 2000, "title": 500}
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
_SLASHED = re.compile(
    r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$"
)
_OTHER_FORMATS = (
    "%b %d, %Y %I:%M %p",
    "%b %d, %Y %H:%M",
    "%d %b %Y %H:%M",
    "%d %B %Y %H:%M",
    "%B %d, %Y %I:%M %p",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
)


class UnreadableFile(ValidationError):
    """The file as a whole cannot be read: nothing is imported."""

    def __init__(self, message: str) -> None:
        super().__init__(message, {"file": message})


@dataclass(frozen=True)
class CsvTable:
    headers: list[str]
    records: list[tuple[int, dict[str, str]]]  # (line the record starts on, header -> cell)


@dataclass(frozen=True)
class ReadRow:
    """One line as it will be stored."""

    line: int
    row_key: str
    published_at: datetime
    channel: str | None
    url: str | None
    url_key: str | None  # `normalize_url(url)`: what matching and the row key compare
    title: str | None
    piece_id: int | None
    impressions: int | None
    clicks: int | None
    engagements: int | None


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def to_dict(self) -> dict[str, int | str]:
        return {"line": self.line, "message": self.message}


def decode(content: bytes | str) -> str:
    """The file's text: UTF-8 (a BOM is fine), not empty, not binary, at most 10 MB."""
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogatepass")
    if len(content) > MAX_CSV_BYTES:
        raise UnreadableFile(
            f"The file is {len(content) / 1024 / 1024:.1f} MB; imports take at most "
            f"{MAX_CSV_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    if b"\x00" in content:
        raise UnreadableFile("The file is binary (it holds NUL bytes), not a CSV text file.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read); "
            "save it as CSV UTF-8 and try again."
        ) from None
    if not text.strip():
        raise UnreadableFile("The file is empty.")
    return text


def _delimiter(first_line: str) -> str:
    """Comma unless the header line is clearly split by semicolons or tabs."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] and counts[","] == 0 else ","


def read_table(content: bytes | str) -> CsvTable:
    """Split the file into its header and records, each with the line it starts on."""
    text = decode(content)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    headers: list[str] | None = None
    records: list[tuple[int, dict[str, str]]] = []
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if headers is None:
                headers = [cell.strip() for cell in cells]
                _check_headers(headers)
                continue
            records.append((start, dict(zip(headers, cells, strict=False))))
    except csv.Error as error:
        raise UnreadableFile(f"Line {line}: the CSV cannot be read ({error}).") from None
    if headers is None:  # pragma: no cover - decode() refused a blank file already
        raise UnreadableFile("The file is empty.")
    if not records:
        raise UnreadableFile("The file has a header line but no rows.")
    return CsvTable(headers, records)


def _check_headers(headers: list[str]) -> None:
    looks_like_data = [h for h in headers if h and (_is_number(h) or _looks_like_time(h))]
    if looks_like_data:
        raise UnreadableFile(
            f"The first line looks like data ({looks_like_data[0][:40]!r}), not column "
            "names: add a header line such as published_at,channel,url,title,impressions."
        )
    if not any(headers):
        raise UnreadableFile("The first line has no column names.")


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"-?[\d,]+(\.\d+)?", text.strip()))


def _looks_like_time(text: str) -> bool:
    return bool(re.match(r"^\d{4}-\d{2}-\d{2}|^\d{1,2}/\d{1,2}/\d{4}", text.strip()))


def parse_time(text: str, zone: str, date_order: str = "mdy") -> datetime:
    """Read a published time into UTC; a time without offset is wall time in `zone`.

    ISO 8601 (`2026-03-04T09:15:00Z`, `2026-03-04 09:15`), slashed dates read month first
    unless `date_order` is `dmy` (`03/04/2026 9:15 AM`), RFC 2822, and a few spelled-out
    formats (`Mar 4, 2026 9:15 AM`). A date without a time of day is refused: results by
    hour would put it at midnight.
    """
    value = text.strip()
    if not value:
        raise ValueError("has no published time")
    moment = _parse_any(value, date_order)
    if moment is None:
        raise ValueError(
            f"published time {value[:40]!r} is not a date and time "
            "(e.g. 2026-03-04T09:15:00+01:00 or 03/04/2026 9:15 AM)"
        )
    problem = year_problem(moment)
    if problem:
        raise ValueError(f"published time {value[:40]!r} {problem}")
    if moment.utcoffset() is None:
        try:
            return resolve_wall_time(moment, ZoneInfo(zone), "published_at")
        except ValidationError as error:
            raise ValueError(f"published time {error.message}") from None
    return moment.astimezone(UTC)


def _parse_any(value: str, date_order: str) -> datetime | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) or re.fullmatch(r"[\d/.]+", value):
        return None  # a day without a time of day
    try:
        return datetime.fromisoformat(value.replace(" UTC", "Z").replace(" GMT", "Z"))
    except ValueError:
        pass
    match = _SLASHED.match(value)
    if match:
        first, second, year, hour, minute, sec, half = match.groups()
        month, day = (first, second) if date_order == "mdy" else (second, first)
        hours = int(hour)
        if half:
            if not 1 <= hours <= 12:
                return None
            hours = hours % 12 + (12 if half.lower() == "pm" else 0)
        try:
            return datetime(int(year), int(month), int(day), hours, int(minute), int(sec or 0))
        except ValueError:
            return None
    for fmt in _OTHER_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def parse_count(text: str | None, field: str) -> int | None:
    """A whole, non-negative count; empty is None. `1,234` and `12.0` are read, `12.5` not."""
    if text is None:
        return None
    value = text.strip()
    if not value:
        return None
    if _THOUSANDS.match(value):
        value = value.replace(",", "")
    try:
        number = float(value) if re.fullmatch(r"-?\d+\.0+", value) else int(value)
    except ValueError:
        raise ValueError(f"{field} {text.strip()[:40]!r} is not a whole number") from None
    if number < 0:
        raise ValueError(f"{field} {text.strip()[:40]!r} is negative")
    if number > MAX_COUNT:
        raise ValueError(f"{field} {text.strip()[:40]!r} is too large")
    return int(number)


def _text(cells: Mapping[str, str], mapping: Mapping[str, str], field: str) -> str | None:
    header = mapping.get(field)
    if not header:
        return None
    value = " ".join((cells.get(header) or "").split())
    if field == "url" and len(value) > MAX_TEXT["url"]:
        # A cut address would never match its piece: refuse the row instead.
        raise ValueError(f"url is longer than {MAX_TEXT['url']:,} characters")
    return value[: MAX_TEXT[field]] or None  # a long title or channel name is shortened


def row_key(mapping: Mapping[str, str], cells: Mapping[str, str], read: dict) -> str:
    """The post's identity: the export's own id column, else its time, channel, URL, title.

    Counts are left out, so a re-export with new counts updates the same row.
    """
    own_id = (cells.get(mapping["id"]) or "").strip() if mapping.get("id") else ""
    if own_id:
        basis = f"id\x1f{own_id}"
    else:
        parts = [
            read["published_at"].isoformat(),
            (read["channel"] or "").casefold(),
            read["url_key"] or "",
            (read["title"] or "").casefold(),
            str(read["piece_id"] or ""),
        ]
        basis = "row\x1f" + "\x1f".join(parts)
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()


def read_row(line: int, cells: Mapping[str, str], mapping: Mapping[str, str]) -> ReadRow:
    """Turn one record into stored values, or raise ValueError saying what is wrong."""
    published_at = parse_time(
        cells.get(mapping["published_at"]) or "",
        mapping["timezone"],
        mapping.get("date_order", "mdy"),
    )
    problems: list[str] = []
    counts: dict[str, int | None] = {}
    for field in COUNT_FIELDS:
        header = mapping.get(field)
        if not header:
            continue
        try:
            counts[field] = parse_count(cells.get(header), field)
        except ValueError as error:
            problems.append(str(error))
    piece_id = None
    if mapping.get("piece_id"):
        raw = (cells.get(mapping["piece_id"]) or "").strip()
        if raw and not (raw.isdecimal() and 0 < int(raw) <= MAX_COUNT):
            problems.append(f"piece_id {raw[:40]!r} is not a piece id")
        elif raw:
            piece_id = int(raw)
    if problems:
        raise ValueError("; ".join(problems))
    parts = [counts[f] for f in ENGAGEMENT_PARTS if counts.get(f) is not None]
    engagements = sum(c for c in parts if c is not None) if parts else None
    if engagements is not None and engagements > MAX_COUNT:
        raise ValueError("engagements add up to more than can be stored")
    impressions = counts.get("impressions")
    channel, url = _text(cells, mapping, "channel"), _text(cells, mapping, "url")
    title = _text(cells, mapping, "title")
    url_key = normalize_url(url)
    identity: dict[str, Any] = {"published_at": published_at, "channel": channel}
    identity.update(url_key=url_key, title=title, piece_id=piece_id)
    return ReadRow(
        line=line,
        row_key=row_key(mapping, cells, identity),
        published_at=published_at,
        channel=channel,
        url=url,
        url_key=url_key,
        title=title,
        piece_id=piece_id,
        impressions=impressions if impressions is not None else counts.get("reach"),
        clicks=counts.get("clicks"),
        engagements=engagements,
    )


def read_rows(
    table: CsvTable, mapping: Mapping[str, str], limit: int | None = None
) -> Iterator[ReadRow | RowError]:
    """Each record as a ReadRow, or a RowError with its line, in file order."""
    for count, (line, cells) in enumerate(table.records):
        if limit is not None and count >= limit:
            return
        try:
            yield read_row(line, cells, mapping)
        except ValueError as error:
            yield RowError(line, str(error))
