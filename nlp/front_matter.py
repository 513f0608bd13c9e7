"""Read Markdown front matter (YAML `---` or TOML `+++`): which values a reader sees.

Static site generators print a page's title, description and tags where readers and
search engines see them, so those values are audited like the body; every other key and
all syntax (keys, quotes, block indicators, list markers, comments) stay hidden. Each
value is a block of its own: no phrase runs across two values or into the body.

The values are located without building them: YAML through the parser's event stream
(linear in its input; aliases are events, never expanded, so an alias bomb costs nothing),
TOML by a small reader over a text `tomllib` has already accepted. Front matter that does
not parse, or has no closing fence, is read as body text with a warning.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from nlp.masking import Mask

# Front matter keys whose values a reader sees, and the field each one is.
FIELD_OF_KEY = {
    "title": "title",
    "description": "description",
    "summary": "description",
    "excerpt": "description",
    "subtitle": "description",
    "tags": "tags",
    "keywords": "tags",
    "categories": "tags",
}
# Far above any real front matter; a longer block is not parsed but read as body text.
MAX_FRONT_MATTER = 64 * 1024

_YAML_OPEN = re.compile(r"---[ \t]*\r?\n")
_YAML_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_TOML_OPEN = re.compile(r"\+\+\+[ \t]*\r?\n")
_TOML_CLOSE = re.compile(r"^\+\+\+[ \t]*\r?$", re.MULTILINE)
_NODE_PROPERTIES = re.compile(r"(?:[&!][^\s]*\s+)+")
_YAML_ESCAPE = re.compile(
    r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|\r?\n[ \t]*|[^\r\n])"
)
_TOML_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[ \t]*\r?\n[ \t\r\n]*|[^\r\n])")
_SIMPLE_ESCAPES = {
    "0": "",
    "a": "",
    "b": "",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "",
    "f": "",
    "r": "",
    "e": "",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_TOML_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TOML_SCALAR_END = re.compile(r"[\s,\]}#]")
_TOML_LINE_END = re.compile(r"[\r\n#]")
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass
class _Value:
    """One visible value: its source range, field, and the edits that decode it."""

    start: int
    end: int
    field: str
    deletes: list[tuple[int, int]] = dataclasses.field(default_factory=list)
    replaces: list[tuple[int, int, str]] = dataclasses.field(default_factory=list)


class _Malformed(Exception):
    """The front matter does not parse; `args[0]` is the warning to give."""


def mask_front_matter(mask: Mask) -> int:
    """Mask the front matter at the start of `mask.text`; return where it ends (0: none).

    The visible values get their field (`Mask.field`); everything else up to the closing
    fence is a barrier. Malformed front matter is left alone (body text) with a warning.
    """
    text = mask.text
    if text.startswith("---"):
        opening, closing, kind = _YAML_OPEN.match(text), _YAML_CLOSE, "YAML"
    elif text.startswith("+++"):
        opening, closing, kind = _TOML_OPEN.match(text), _TOML_CLOSE, "TOML"
    else:
        return 0
    if opening is None:
        return 0
    close = closing.search(text, opening.end())
    if close is None:
        fence = "---" if kind == "YAML" else "+++"
        mask.warnings.append(f"front matter has no closing {fence} line: read as body text")
        return 0
    start, end = opening.end(), close.end()
    if close.start() - start > MAX_FRONT_MATTER:
        # No site's front matter is that long: more likely a rule (`---`) far down the text.
        limit = MAX_FRONT_MATTER // 1024
        mask.warnings.append(f"front matter is longer than {limit} KB: read as body text")
        return 0
    body = text[start : close.start()]
    try:
        values = _yaml_values(body, start) if kind == "YAML" else _toml_values(body, start)
    except _Malformed as error:
        mask.warnings.append(f"{error.args[0]}: read as body text")
        return 0
    pos = 0
    for value in values:
        mask.barrier(pos, value.start)
        for d_start, d_end in value.deletes:
            mask.delete(d_start, d_end)
        for r_start, r_end, chars in value.replaces:
            mask.replace(r_start, r_end, chars)
        mask.field(value.start, value.end, value.field)
        pos = value.end
    mask.barrier(pos, end)
    return end


def _line_of(line_in_body: int) -> int:
    """Return the file's 1-based line of the front matter's 0-based line (after the fence)."""
    return line_in_body + 2


# --- YAML -------------------------------------------------------------------------------


def _yaml_values(body: str, base: int) -> list[_Value]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        events = list(yaml.parse(body, Loader=loader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = f" (line {_line_of(mark.line)})" if mark is not None else ""
        raise _Malformed(f"front matter is not valid YAML{where}") from error
    skipped = (
        yaml.StreamStartEvent,
        yaml.StreamEndEvent,
        yaml.DocumentStartEvent,
        yaml.DocumentEndEvent,
    )
    nodes = [e for e in events if not isinstance(e, skipped)]
    if not nodes:
        return []
    if not isinstance(nodes[0], yaml.MappingStartEvent):
        raise _Malformed(f"front matter is not a YAML mapping (line {_line_of(0)})")
    resolver = yaml.resolver.Resolver()
    values = []
    for field_name, scalar in _field_scalars(nodes, yaml):
        value = _yaml_scalar(scalar, body, base, field_name, resolver, yaml)
        if value is not None:
            values.append(value)
    values.sort(key=lambda v: v.start)
    return values


def _field_scalars(nodes: list[Any], yaml: Any) -> Iterator[tuple[str, Any]]:
    """Yield `(field, scalar event)` for each scalar of the top mapping's field keys.

    A key's value counts when it is a scalar, or a list whose items are scalars; nested
    mappings, lists of lists and aliases do not.
    """
    i = 1  # just inside the top mapping
    while not isinstance(nodes[i], yaml.MappingEndEvent):
        key = nodes[i]
        name = key.value.lower() if isinstance(key, yaml.ScalarEvent) else ""
        i = _skip_node(nodes, i, yaml)
        field_name = FIELD_OF_KEY.get(name)
        node = nodes[i]
        if field_name is not None and isinstance(node, yaml.ScalarEvent):
            yield field_name, node
        elif field_name is not None and isinstance(node, yaml.SequenceStartEvent):
            j = i + 1
            while not isinstance(nodes[j], yaml.SequenceEndEvent):
                if isinstance(nodes[j], yaml.ScalarEvent):
                    yield field_name, nodes[j]
                j = _skip_node(nodes, j, yaml)
        i = _skip_node(nodes, i, yaml)


def _skip_node(nodes: list[Any], i: int, yaml: Any) -> int:
    """Return the index just past the node (scalar, alias or whole collection) at `i`."""
    if not isinstance(nodes[i], yaml.CollectionStartEvent):
        return i + 1
    depth = 0
    while True:
        if isinstance(nodes[i], yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(nodes[i], yaml.CollectionEndEvent):
            depth -= 1
        i += 1
        if depth == 0:
            return i


def _yaml_scalar(
    event: Any, body: str, base: int, field_name: str, resolver: Any, yaml: Any
) -> _Value | None:
    """Return the scalar as a visible value if it is a non-empty string."""
    if event.tag not in (None, "!", _STR_TAG) or not event.value.strip():
        return None
    plain = event.style is None and event.implicit[0]
    if plain and resolver.resolve(yaml.ScalarNode, event.value, (True, False)) != _STR_TAG:
        return None  # a number, a date, true/false, null
    start, end = event.start_mark.index, event.end_mark.index
    props = _NODE_PROPERTIES.match(body, start, end)
    if props and (event.anchor or event.tag):
        start = props.end()
    value = _Value(base + start, base + end, field_name)
    style = event.style
    if style in ("'", '"'):
        value.deletes += [(base + start, base + start + 1), (base + end - 1, base + end)]
        if style == "'":
            for pos in _find_all(body, "''", start + 1, end - 1):
                value.replaces.append((base + pos, base + pos + 2, "'"))
        else:
            _decode_escapes(_YAML_ESCAPE, body, start + 1, end - 1, base, value)
    elif style in ("|", ">"):
        header_end = body.find("\n", start, end)
        value.deletes.append((base + start, base + (end if header_end < 0 else header_end)))
    return value


def _find_all(text: str, needle: str, start: int, end: int) -> Iterator[int]:
    pos = text.find(needle, start, end)
    while pos >= 0:
        yield pos
        pos = text.find(needle, pos + len(needle), end)


def _decode_escapes(
    pattern: re.Pattern[str], body: str, start: int, end: int, base: int, value: _Value
) -> None:
    """Put each escape's decoded character on its first position (or delete the escape)."""
    for m in pattern.finditer(body, start, end):
        escape = m.group()
        code = escape[1]
        if code in "xuU":
            point = int(escape[2:], 16)
            decoded = chr(point) if point <= 0x10FFFF else ""
        elif "\n" in escape:
            decoded = ""  # a line continuation: the break and the indentation vanish
        else:
            decoded = _SIMPLE_ESCAPES.get(code, code)
        if not decoded or not decoded.isprintable() and not decoded.isspace():
            value.deletes.append((base + m.start(), base + m.end()))
        else:
            value.replaces.append((base + m.start(), base + m.end(), decoded))


# --- TOML -------------------------------------------------------------------------------


def _toml_values(body: str, base: int) -> list[_Value]:
    try:
        tomllib.loads(body)
    except tomllib.TOMLDecodeError as error:
        m = re.search(r"at line (\d+)", str(error))
        where = f" (line {_line_of(int(m.group(1)) - 1)})" if m else ""
        raise _Malformed(f"front matter is not valid TOML{where}") from error
    try:
        return list(_TomlReader(body, base).values())
    except (IndexError, AssertionError) as error:  # a construct this reader does not know
        raise _Malformed("front matter could not be read as TOML") from error


class _TomlReader:
    """Find the top-level string values of a TOML text already known to be valid."""

    def __init__(self, body: str, base: int) -> None:
        self.body = body
        self.base = base
        self.pos = 0

    def values(self) -> Iterator[_Value]:
        body, n = self.body, len(self.body)
        while self.pos < n:
            self._skip_space(newlines=True)
            if self.pos >= n or body[self.pos] == "[":
                return  # a table header: nothing after it is top level
            names = self._key()
            self._skip_space()
            self.pos += 1  # `=`
            self._skip_space()
            field_name = FIELD_OF_KEY.get(names[0].lower()) if len(names) == 1 else None
            yield from self._value(field_name, top=True)

    def _skip_space(self, newlines: bool = False) -> None:
        body, n = self.body, len(self.body)
        while self.pos < n:
            ch = body[self.pos]
            if ch in " \t" or (newlines and ch in "\r\n"):
                self.pos += 1
            elif ch == "#" and newlines:
                eol = body.find("\n", self.pos)
                self.pos = n if eol < 0 else eol + 1
            else:
                return

    def _key(self) -> list[str]:
        names = []
        while True:
            self._skip_space()
            ch = self.body[self.pos]
            if ch in "\"'":
                start = self.pos
                self._string_end()
                names.append(self.body[start + 1 : self.pos - 1])
            else:
                m = _TOML_BARE_KEY.match(self.body, self.pos)
                assert m is not None  # tomllib accepted the text
                names.append(m.group())
                self.pos = m.end()
            self._skip_space()
            if self.body[self.pos] != ".":
                return names
            self.pos += 1

    def _value(self, field_name: str | None, top: bool) -> Iterator[_Value]:
        body = self.body
        ch = body[self.pos]
        if ch in "\"'":
            start = self.pos
            self._string_end()
            if field_name is not None:
                yield self._string_value(start, self.pos, field_name)
        elif ch == "[":
            self.pos += 1
            while True:
                self._skip_space(newlines=True)
                if body[self.pos] == "]":
                    self.pos += 1
                    break
                if body[self.pos] == ",":
                    self.pos += 1
                    continue
                yield from self._value(field_name if top else None, top=False)
        elif ch == "{":
            self.pos += 1
            while body[self.pos] != "}":
                if body[self.pos] in "\"'":
                    self._string_end()
                elif body[self.pos] in "[{":
                    list(self._value(None, top=False))
                else:
                    self.pos += 1
            self.pos += 1
        else:  # a number, date, boolean: a top-level one may hold a space (a datetime)
            m = (_TOML_LINE_END if top else _TOML_SCALAR_END).search(body, self.pos)
            self.pos = len(body) if m is None else m.start()

    def _string_end(self) -> None:
        """Move past the string (any of TOML's four kinds) that starts at `pos`."""
        body, pos = self.body, self.pos
        quote = body[pos]
        delim = quote * 3 if body.startswith(quote * 3, pos) else quote
        i = pos + len(delim)
        while True:
            if quote == '"' and body[i] == "\\":
                i += 2
            elif body.startswith(delim, i):
                i += len(delim)
                if len(delim) == 3:
                    extra = 0  # up to two quotes may sit just before the closing three
                    while extra < 2 and i < len(body) and body[i] == quote:
                        i, extra = i + 1, extra + 1
                break
            else:
                i += 1
        self.pos = i

    def _string_value(self, start: int, end: int, field_name: str) -> _Value:
        body, base = self.body, self.base
        quote = body[start]
        width = 3 if body.startswith(quote * 3, start) else 1
        value = _Value(base + start, base + end, field_name)
        value.deletes += [(base + start, base + start + width), (base + end - width, base + end)]
        if quote == '"':
            _decode_escapes(_TOML_ESCAPE, body, start + width, end - width, base, value)
        return value
