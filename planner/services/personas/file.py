"""The portable persona YAML file: read with line numbers, validate all, write back.

Every persona YAML (`flask personas import`, `flask audit --personas`, the demo) is read
by `_BoundedLoader`: YAML aliases can make a 600-byte file stand for gigabytes of data
and deep nesting exhausts the stack, so aliases, nesting and the expanded size are
capped while composing, before any data is built.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from planner.errors import PlannerError, ValidationError
from planner.services.personas.schema import PersonaSpec, validate_persona

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ALIASES = 100
MAX_DEPTH = 40
# Nodes the document would have with every alias copied out; a real file of 2,000-keyword
# personas stays far below, an alias bomb far above.
MAX_EXPANDED_NODES = 200_000
MAX_NUMBER_DIGITS = 100
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class PersonaFileError(PlannerError):
    """A persona file that cannot be used; `problems` are `(line, message)` pairs."""

    def __init__(self, filename: str, problems: list[tuple[int, str]]) -> None:
        self.filename = filename
        self.problems = sorted(problems)
        first = "; ".join(f"{filename}:{line}: {msg}" for line, msg in self.problems[:1])
        super().__init__(first, {"problems": [f"{filename}:{ln}: {m}" for ln, m in self.problems]})

    def lines(self) -> list[str]:
        return [f"{self.filename}:{line}: {message}" for line, message in self.problems]


def _entry(node: yaml.Node, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """The node that names `part` (a mapping's key, or the list item) and its value."""
    if isinstance(part, int) and isinstance(node, yaml.SequenceNode):
        return (node.value[part], node.value[part]) if part < len(node.value) else None
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return key, value
    return None


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    entry = _entry(node, part)
    return entry[1] if entry else None


def _line_of(root: yaml.Node, path: str) -> int:
    """The line of the deepest node the error path reaches."""
    node, best = root, root.start_mark.line + 1
    for name, index in _PATH_PART.findall(path):
        entry = _entry(node, int(index) if index else name)
        if entry is None:
            break
        best, node = entry[0].start_mark.line + 1, entry[1]
    return best


def _describe(path: str, message: str) -> str:
    return f"{path}: {message}" if path else message


class _BoundedLoader(yaml.SafeLoader):
    """A SafeLoader that refuses too many aliases, too deep nesting and huge numbers."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        alias = isinstance(event, yaml.AliasEvent)
        self._aliases += alias
        problem = None
        if self._aliases > MAX_ALIASES:
            problem = f"more than {MAX_ALIASES} aliases (*name)"
        elif not alias and self._depth >= MAX_DEPTH:
            problem = f"nested more than {MAX_DEPTH} levels deep"
        if problem:
            raise ComposerError(None, None, problem, event.start_mark)
        self._depth += not alias
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= not alias

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        if len(node.value) > MAX_NUMBER_DIGITS:
            message = f"a number longer than {MAX_NUMBER_DIGITS} digits"
            raise ConstructorError(None, None, message, node.start_mark)
        return super().construct_yaml_int(node)


_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _BoundedLoader.construct_yaml_int)


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many nodes `node` stands for with aliases copied out (memoised: aliases share)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, sizes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, sizes) + _expanded_size(v, sizes) for k, v in node.value)
    sizes[id(node)] = size
    return size


def _load(text: str) -> tuple[yaml.Node | None, object]:
    """Parse once, keeping the node tree (for line numbers) and the data built from it."""
    loader = _BoundedLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        if _expanded_size(root, {}) > MAX_EXPANDED_NODES:
            message = f"aliases expand it past {MAX_EXPANDED_NODES:,} values"
            raise ComposerError(None, None, message, root.start_mark)
        return root, loader.construct_document(root)
    finally:
        loader.dispose()


def parse_persona_yaml(text: str, filename: str = "<personas>") -> list[PersonaSpec]:
    """Validate the whole file before returning anything, so a bad file writes nothing."""
    try:
        root, data = _load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(error, "problem", None) or str(error)
        raise PersonaFileError(filename, [(line, f"not valid YAML: {problem}")]) from error
    if root is None or not isinstance(data, dict) or "personas" not in data:
        raise PersonaFileError(filename, [(1, "expected a top-level 'personas:' list")])
    personas_node = _child(root, "personas")
    items = data["personas"]
    if not isinstance(items, list):
        line = personas_node.start_mark.line + 1 if personas_node else 1
        raise PersonaFileError(filename, [(line, "'personas' must be a list")])
    # `data` was built from `root`, so the node its "personas" key came from is there.
    assert personas_node is not None
    problems: list[tuple[int, str]] = []
    specs: list[PersonaSpec] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        item_node = personas_node.value[index]
        try:
            spec = validate_persona(item)
        except ValidationError as error:
            for path, message in (error.details or {"": error.message}).items():
                line = _line_of(item_node, path) if path else item_node.start_mark.line + 1
                problems.append((line, f"personas[{index}]." + _describe(path, message)))
            continue
        line = item_node.start_mark.line + 1
        if spec.name in seen:
            problems.append(
                (line, f"persona {spec.name!r} appears twice (also line {seen[spec.name]})")
            )
        seen.setdefault(spec.name, line)
        specs.append(spec)
    if problems:
        raise PersonaFileError(filename, problems)
    return specs


def read_persona_file(path: str | Path) -> list[PersonaSpec]:
    """Read a persona file from disk with clear errors for missing, huge or non-UTF-8 files."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PersonaFileError(name, [(0, "no such file")]) from None
    except IsADirectoryError:
        raise PersonaFileError(name, [(0, "is a directory, not a persona file")]) from None
    except OSError as error:
        raise PersonaFileError(name, [(0, f"cannot be read: {error.strerror}")]) from error
    return parse_persona_bytes(raw, name)


def parse_persona_bytes(raw: bytes, name: str) -> list[PersonaSpec]:
    """Read an uploaded or stored persona file: the size and UTF-8 checks, then the YAML."""
    if len(raw) > MAX_FILE_BYTES:
        raise PersonaFileError(name, [(0, f"is larger than {MAX_FILE_BYTES // 1024 // 1024} MiB")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PersonaFileError(name, [(line, "is not valid UTF-8 text")]) from error
    return parse_persona_yaml(text, name)


def dump_persona_yaml(specs: list[PersonaSpec]) -> str:
    document = {"personas": [spec.to_document() for spec in specs]}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
