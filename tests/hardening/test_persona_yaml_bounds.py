"""Persona YAML is read with a bounded loader: no alias bombs, no stack exhaustion.

A 590-byte file of nested aliases used where a scalar belongs made `flask personas import`
and `flask audit --personas` grow memory without bound; 100,000-deep nesting ended in a
RecursionError traceback. Both now exit 2 at once with `FILE:LINE: message`.
"""

from __future__ import annotations

import resource
import time

import pytest

from planner.services.personas.file import MAX_ALIASES, PersonaFileError, parse_persona_yaml

ALIAS_BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
personas:
  - name: Bomb
    kind: *g
    timezone: *g
    posting_windows: [{days: *g, start: "08:00", end: "09:00"}]
"""
# Few aliases, each doubling: 2**12 leaves, under every cap but still not scalars.
DOUBLING = (
    "x0: &x0 [a, b]\n"
    + "".join(f"x{i}: &x{i} [*x{i - 1}, *x{i - 1}]\n" for i in range(1, 12))
    + "personas:\n  - name: Nested\n    kind: *x11\n    timezone: *x11\n"
    + "    posting_windows: [{days: [*x11], start: *x11, end: '09:00'}]\n"
)
DEEP = "personas: " + "[" * 100_000 + "]" * 100_000 + "\n"
MANY_ALIASES = "a: &a x\npersonas:\n" + "".join("  - *a\n" for _ in range(MAX_ALIASES + 1))


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (ALIAS_BOMB, 1, "aliases expand it past 200,000 values"),
        (DEEP, 1, "nested more than 40 levels deep"),
        (MANY_ALIASES, 103, f"more than {MAX_ALIASES} aliases (*name)"),
        ("personas:\n  - name: N\n    kind: buyer\n    cadence: {min_per_week: 1%s}\n"
         % ("0" * 200), 4, "a number longer than 100 digits"),
    ],
)  # fmt: skip
def test_bounded_loader_refuses_quickly_with_the_line(text, line, message):
    before, started = _maxrss_mb(), time.perf_counter()
    with pytest.raises(PersonaFileError) as caught:
        parse_persona_yaml(text, "p.yaml")
    assert time.perf_counter() - started < 2 and _maxrss_mb() - before < 50
    assert caught.value.lines()[0] == f"p.yaml:{line}: not valid YAML: {message}"


def test_non_scalars_where_a_scalar_belongs_are_named():
    with pytest.raises(PersonaFileError) as caught:
        parse_persona_yaml(DOUBLING, "p.yaml")
    lines = caught.value.lines()
    for field in ("kind", "timezone", "posting_windows[0].start", "posting_windows[0].days[0]"):
        assert any(
            f"personas[0].{field}: must be text, not a list or mapping" in ln for ln in lines
        )


def test_anchors_and_aliases_of_a_real_file_still_work():
    text = """\
personas:
  - name: Pete
    kind: negative
    posting_windows: &weekdays
      - {days: [mon, tue, wed, thu, fri], start: "08:00", end: "10:30"}
    keywords: [rfp]
  - name: Olivia
    kind: buyer
    posting_windows: *weekdays
    keywords: [small business]
"""
    pete, olivia = parse_persona_yaml(text)
    assert pete.posting_windows == olivia.posting_windows


@pytest.mark.parametrize(("name", "text"), [("bomb", ALIAS_BOMB), ("deep", DEEP)])
def test_both_commands_exit_2_with_file_and_line(runner, tmp_path, make_user, name, text):
    make_user("o@example.com", "Acme", "owner")
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    draft = tmp_path / "post.md"
    draft.write_text("Hello.", encoding="utf-8")
    for args in (
        ["personas", "import", str(path), "--workspace", "Acme"],
        ["audit", "--personas", str(path), str(draft)],
    ):
        started = time.perf_counter()
        result = runner.invoke(args=args)
        assert result.exit_code == 2, result.output
        assert result.output.startswith(f"{path}:1: not valid YAML: ")
        assert "Traceback" not in result.output and time.perf_counter() - started < 5
