"""Read a CSV of leads and write it back annotated with each lead's screening result.

Reading is all or nothing for the file (an unreadable file raises `LeadsFileError`
saying why, nothing is screened) and row by row inside it (a row whose company size is
not a number is listed in `errors` and the others are still screened). Writing escapes
every cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return
first): `=HYPERLINK(...)` comes back as `'=HYPERLINK(...)`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from planner.errors import LeadsFileError
from planner.services.leads.screen import FIELDS, Lead, LeadResult, Screener

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
MAX_MESSAGE_CHARS = 20_000
MAX_FIELD_CHARS = 1_000
MAX_COMPANY_SIZE = 1_000_000_000
# Columns screening reads; a file needs at least one of them.
SCREENED_FIELDS = ("job_title", "company_size", "industry", "country", "message")
ADDED_COLUMNS = ("verdict", "buyer_persona", "negative_personas", "reasons")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DELIMITERS = (",", ";", "\t")
_SIZE_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)(k|m)?\+?$")


@dataclass
class LeadsFile:
    """A leads CSV as read: its headers, every record as it was, and the leads in it.

    `records` and `rows` are `(line, ...)` pairs, `line` being the file line a record
    starts on (the header is line 1), which is also the `row` of its `LeadResult`.
    `columns` maps each canonical field found to its column index.
    """

    headers: list[str]
    delimiter: str = ","
    columns: dict[str, int] = field(default_factory=dict)
    records: list[tuple[int, list[str]]] = field(default_factory=list)
    rows: list[tuple[int, Lead]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _header_key(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().casefold())


def _decode(data: bytes) -> str:
    if not data or not data.strip():
        raise LeadsFileError("The file is empty: expected a header line and one lead per line.")
    if len(data) > MAX_BYTES:
        raise LeadsFileError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; at most {MAX_BYTES // 1024 // 1024} MB."
        )
    if data.startswith(b"PK\x03\x04") or b"\x00" in data:
        raise LeadsFileError(
            "This is a binary file (a spreadsheet?), not CSV text: save it as CSV (UTF-8)."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LeadsFileError(
            f"Line {line} is not UTF-8 text: save the file as CSV (UTF-8).", line
        ) from error


def _columns(headers: list[str], mapping: Mapping[str, str] | None) -> dict[str, int]:
    """Map canonical fields to column indexes: the mapping first, then same-named headers."""
    by_name = {h.strip(): i for i, h in reversed(list(enumerate(headers)))}
    by_key = {_header_key(h): i for i, h in reversed(list(enumerate(headers)))}
    columns: dict[str, int] = {}
    for name, header in (mapping or {}).items():
        if name not in FIELDS:
            raise LeadsFileError(
                f"The column mapping names {name!r}, not a lead field ({', '.join(FIELDS)})."
            )
        if not header:
            continue
        index = by_name.get(str(header).strip(), by_key.get(_header_key(str(header))))
        if index is None:
            raise LeadsFileError(
                f"The column mapping reads {name} from {header!r}, which the file does not have."
            )
        columns[name] = index
    for name in FIELDS:
        if name not in columns and name in by_key and name not in (mapping or {}):
            columns[name] = by_key[name]
    if not any(name in columns for name in SCREENED_FIELDS):
        raise LeadsFileError(
            "Missing columns: the file needs at least one of "
            f"{', '.join(SCREENED_FIELDS)} (found: {', '.join(headers) or 'none'}); "
            "map your columns if they are named differently.",
            1,
        )
    return columns


def parse_company_size(text: str) -> int | None:
    """Read employees as people write them: "250", "5,000", "5000+", "10k", "51-200" (51).

    A range counts as its lower bound. Empty is `None`; anything else raises ValueError.
    """
    cleaned = text.strip().casefold().replace(",", "").replace("_", "").replace(" ", "")
    cleaned = cleaned.removesuffix("employees").removesuffix("people")
    if not cleaned:
        return None
    low = re.split(r"[-\u2013\u2014]|to", cleaned, maxsplit=1)[0] if cleaned[0] != "-" else ""
    match = _SIZE_NUMBER.match(low)
    if not match:
        raise ValueError(text)
    number = float(match.group(1)) * {"k": 1_000, "m": 1_000_000, None: 1}[match.group(2)]
    if not number.is_integer() or number > MAX_COMPANY_SIZE:
        raise ValueError(text)
    return int(number)


def _lead(cells: list[str], columns: dict[str, int]) -> Lead:
    values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in columns.items()}
    for name, value in values.items():
        limit = MAX_MESSAGE_CHARS if name == "message" else MAX_FIELD_CHARS
        if len(value) > limit:
            raise ValueError(f"{name} is longer than {limit:,} characters")
    raw_size = values.pop("company_size", "")
    try:
        size = parse_company_size(raw_size)
    except ValueError:
        shown = raw_size if len(raw_size) <= 40 else raw_size[:40] + "..."
        raise ValueError(f"company_size {shown!r} is not a number of employees") from None
    return Lead(company_size=size, **values)


def read_leads(data: bytes, mapping: Mapping[str, str] | None = None) -> LeadsFile:
    """Read a leads CSV (UTF-8, a byte-order mark allowed; `,` `;` or tab separated).

    `mapping` maps lead fields to the file's headers (`{"job_title": "Title"}`); a
    canonical header (`job_title`, "Job title") needs none. Raise `LeadsFileError` for
    a file that cannot be used at all.
    """
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except (csv.Error, StopIteration) as error:
        raise LeadsFileError(f"The header line cannot be read: {error}", 1) from error
    file = LeadsFile(headers=headers, delimiter=delimiter, columns=_columns(headers, mapping))
    start = reader.line_num + 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(file.records) >= MAX_ROWS:
                raise LeadsFileError(f"The file has more than {MAX_ROWS:,} leads.", line)
            file.records.append((line, cells))
            try:
                file.rows.append((line, _lead(cells, file.columns)))
            except ValueError as error:
                file.errors.append((line, str(error)))
    except csv.Error as error:
        raise LeadsFileError(f"Line {start} cannot be read as CSV: {error}", start) from error
    return file


def escape_cell(value: str) -> str:
    """Make a cell safe to open in a spreadsheet: a leading `=`, `+`, `-`, `@` gets a `'`."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def reasons_text(result: LeadResult) -> str:
    """One cell saying why: `Persona: field "value" matched "entry"; ...`."""
    return "; ".join(
        f'{n.persona}: {r.field} "{r.value}" matched "{r.matched}"'
        for n in result.negatives
        for r in n.reasons
    )


def write_annotated_csv(
    headers: Sequence[str],
    records: Iterable[tuple[int, Sequence[str]]],
    results: Iterable[LeadResult],
    errors: Iterable[tuple[int, str]] = (),
    *,
    delimiter: str = ",",
) -> str:
    """Return the same CSV with `verdict, buyer_persona, negative_personas, reasons` added.

    Results and errors are matched to records by line (`LeadResult.row`); a record with
    an error gets verdict `error` and the problem as its reason. Every cell is escaped
    (`escape_cell`) so no cell runs as a formula.
    """
    by_row = {result.row: result for result in results}
    problems = dict(errors)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    width = len(headers)
    writer.writerow([escape_cell(h) for h in [*headers, *ADDED_COLUMNS]])
    for line, cells in records:
        row = list(cells[:width]) + [""] * (width - len(cells))
        result = by_row.get(line)
        if result is not None:
            row += [
                result.verdict,
                result.buyer.persona if result.buyer else "",
                "; ".join(n.persona for n in result.negatives),
                reasons_text(result),
            ]
        else:
            row += ["error", "", "", problems.get(line, "not screened")]
        writer.writerow([escape_cell(cell) for cell in row])
    return out.getvalue()


@dataclass(frozen=True)
class ScreenedFile:
    """A leads file and its results, ready to write as annotated CSV or as JSON."""

    file: LeadsFile
    results: list[LeadResult]

    def annotated_csv(self) -> str:
        """The same CSV with the verdict columns added (see `write_annotated_csv`)."""
        return write_annotated_csv(
            self.file.headers,
            self.file.records,
            self.results,
            self.file.errors,
            delimiter=self.file.delimiter,
        )

    def to_json(self) -> list[dict]:
        """Every row in file order: a `LeadResult.to_json()`, or `{"row", "error"}`."""
        entries = [(r.row, r.to_json()) for r in self.results]
        entries += [(line, {"row": line, "error": message}) for line, message in self.file.errors]
        return [entry for _, entry in sorted(entries, key=lambda e: e[0])]


def screen_csv(
    screener: Screener, data: bytes, mapping: Mapping[str, str] | None = None
) -> ScreenedFile:
    """Read a leads CSV and screen every readable row (`read_leads` says what is refused)."""
    file = read_leads(data, mapping)
    return ScreenedFile(file, [screener.screen(lead, line) for line, lead in file.rows])
