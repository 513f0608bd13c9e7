"""The portable persona YAML file: read with line numbers, validate all, write back."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from planner.errors import PlannerError, ValidationError
from planner.services.personas.schema import PersonaSpec, validate_persona

MAX_FILE_BYTES = 5 * 1024 * 1024
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


def _load(text: str) -> tuple[yaml.Node | None, object]:
    """Parse once, keeping the node tree (for line numbers) and the data built from it."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
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
