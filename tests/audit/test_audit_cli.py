"""`flask audit` as a content repository's CI gate runs it: output, exit codes, no database."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planner import ROOT
from planner.services.personas.file import read_persona_file
from tests.audit.helpers import DATA, audit_file_personas
from tests.helpers import cli_without_database

PERSONAS = str(DATA / "personas.yaml")
CONTENT = DATA / "content"
ENTERPRISE = str(CONTENT / "posts" / "b-enterprise.md")
CLEAN = str(CONTENT / "posts" / "a-clean.md")


@pytest.fixture
def cli(tmp_path):
    """Run `flask audit` with no database; fail if it connects."""
    with cli_without_database(tmp_path, "audit") as run:
        yield run


def test_text_output_is_one_linter_line_per_finding_then_a_summary(cli):
    result = cli("--personas", PERSONAS, ENTERPRISE, CLEAN)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        f'{ENTERPRISE}:3:12: block: "on-premise" speaks to Enterprise Procurement Pete '
        "(negative persona, weight 3); try: hosted for you",
        f'{ENTERPRISE}:4:1: block: "request for proposals" speaks to Enterprise Procurement '
        "Pete (negative persona, weight 2); try: free trial",
        f"{ENTERPRISE}: block, 13 words, 2 findings; Enterprise Procurement Pete block (5)",
        f"{CLEAN}: pass, 17 words, 0 findings",
    ]
    assert result.stderr == ""


def test_json_output_is_one_array_in_the_order_given(cli):
    result = cli("--personas", PERSONAS, "--format", "json", CLEAN, ENTERPRISE)
    assert result.exit_code == 1
    reports = json.loads(result.stdout)
    assert [r["path"] for r in reports] == [CLEAN, ENTERPRISE]
    specs = read_persona_file(PERSONAS)
    for report in reports:
        text = Path(report["path"]).read_text(encoding="utf-8")
        expected = audit_file_personas(text, "markdown", specs).to_dict()
        assert report == {"path": report["path"], **expected}
    pete = reports[1]["personas"][0]
    assert (pete["id"], pete["kind"], pete["score"], pete["level"]) == (
        "Enterprise Procurement Pete",
        "negative",
        5.0,
        "block",
    )
    first = pete["matches"][0]
    text = Path(ENTERPRISE).read_text(encoding="utf-8")
    assert text[first["start"] : first["end"]] == first["text"] == "on-premise"
    assert (first["line"], first["column"]) == (3, 12)


def test_folders_are_searched_recursively_sorted_and_by_extension(cli):
    result = cli("--personas", PERSONAS, "--format", "json", str(CONTENT))
    paths = [Path(r["path"]).relative_to(CONTENT).as_posix() for r in json.loads(result.stdout)]
    # .json is not a draft, hidden folders (.git, .drafts) are skipped.
    assert paths == ["notes.txt", "pages/about.html", "posts/a-clean.md", "posts/b-enterprise.md"]
    reports = {Path(r["path"]).name: r for r in json.loads(result.stdout)}
    # HTML: the RFP in <em> counts, the on-premise inside an href does not.
    about = reports["about.html"]["personas"][0]["matches"]
    assert [m["text"] for m in about] == ["RFP"]
    # Markdown: keywords inside a code block are not prose.
    assert reports["a-clean.md"]["verdict"] == "pass"


def test_input_format_overrides_the_extension(cli):
    result = cli("--personas", PERSONAS, "--input-format", "plain", "--format", "json", CLEAN)
    report = json.loads(result.stdout)[0]
    assert report["verdict"] == "warn"  # the code block is read as plain words now
    assert {m["text"] for m in report["personas"][0]["matches"]} == {"on-premise", "RFP"}


def test_fail_on_decides_the_exit_code(cli, tmp_path):
    warn_only = tmp_path / "warn.txt"
    warn_only.write_text("We answer a request for proposal.\n", encoding="utf-8")
    assert cli("--personas", PERSONAS, str(warn_only)).exit_code == 0
    assert cli("--personas", PERSONAS, "--fail-on", "warn", str(warn_only)).exit_code == 1
    assert cli("--personas", PERSONAS, "--fail-on", "warn", CLEAN).exit_code == 0
    assert cli("--personas", PERSONAS, "--fail-on", "block", ENTERPRISE).exit_code == 1


def _one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_usage_errors_exit_2_with_one_line(cli):
    neither = _one_line_error(cli(CLEAN))
    assert "exactly one of --personas" in neither
    both = _one_line_error(cli("--personas", PERSONAS, "--workspace", "Acme", CLEAN))
    assert "exactly one of --personas" in both
    assert "'xml' is not one of" in _one_line_error(
        cli("--personas", PERSONAS, "--format", "xml", CLEAN)
    )
    assert "Missing argument" in _one_line_error(cli("--personas", PERSONAS))


def test_unreadable_files_are_reported_and_the_others_still_audited(cli, tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "a.md").write_text("We offer on-premise installs.\n", encoding="utf-8")
    latin1 = folder / "b.md"
    latin1.write_bytes("first line\nCafé crème\n".encode("latin-1"))
    (folder / "c.md").write_text("A clean note for small business owners.\n", encoding="utf-8")
    missing = str(tmp_path / "missing.md")

    result = cli("--personas", PERSONAS, str(folder), missing)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"{latin1}: error: line 2: is not valid UTF-8 text",
        f"{missing}: error: no such file or directory",
    ]
    summaries = [line for line in result.stdout.splitlines() if " words, " in line]
    assert [line.split(":")[0] for line in summaries] == [
        str(folder / "a.md"),
        str(folder / "c.md"),
    ]

    result = cli("--personas", PERSONAS, "--format", "json", str(folder), missing)
    assert result.exit_code == 2, result.output
    reports = json.loads(result.stdout)
    assert [r["path"] for r in reports] == [
        str(folder / "a.md"),
        str(latin1),
        str(folder / "c.md"),
        missing,
    ]
    assert reports[1] == {"path": str(latin1), "error": "line 2: is not valid UTF-8 text"}
    assert reports[3] == {"path": missing, "error": "no such file or directory"}
    assert reports[0]["verdict"] == "warn" and reports[2]["verdict"] == "pass"


def test_exit_code_is_the_usual_one_when_every_file_was_read(cli, tmp_path):
    note = tmp_path / "note.md"
    note.write_text("We offer on-premise installs.\n", encoding="utf-8")
    assert cli("--personas", PERSONAS, "--fail-on", "warn", str(note)).exit_code == 1
    assert cli("--personas", PERSONAS, str(note)).exit_code == 0


def test_a_finding_outside_the_body_names_its_field(cli, tmp_path):
    post = tmp_path / "post.md"
    post.write_text(
        "---\ntitle: On-premise help\ndescription: 'Answer any RFP'\nlayout: post\n---\n"
        "![on-premise rack](rack.png)\n\nA clean body.\n",
        encoding="utf-8",
    )
    result = cli("--personas", PERSONAS, str(post))
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f'{post}:2:8: block [title]: "On-premise" speaks to')
    assert lines[1].startswith(f'{post}:3:26: block [description]: "RFP" speaks to')
    assert lines[2].startswith(f'{post}:6:3: block [alt]: "on-premise" speaks to')
    # Each field counts like the body; only the body's words are counted.
    assert lines[3] == f"{post}: block, 3 words, 3 findings; Enterprise Procurement Pete block (7)"


def test_malformed_front_matter_is_a_warning_line(cli, tmp_path):
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: [on-premise\n---\nBody.\n", encoding="utf-8")
    result = cli("--personas", PERSONAS, str(post))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        f"{post}: warning: front matter is not valid YAML (line 3): read as body text"
    )
    assert f'{post}:2:9: warn: "on-premise" speaks to' in result.stdout


def test_bad_persona_files_exit_2_with_file_and_line(cli):
    malformed = str(DATA / "malformed.yaml")
    assert _one_line_error(cli("--personas", malformed, CLEAN)).startswith(
        f"{malformed}:5: not valid YAML"
    )
    invalid = str(DATA / "invalid_kind.yaml")
    assert _one_line_error(cli("--personas", invalid, CLEAN)) == (
        f"{invalid}:6: personas[1].kind: must be buyer or negative"
    )
    missing = str(DATA / "nope.yaml")
    assert _one_line_error(cli("--personas", missing, CLEAN)) == f"{missing}: no such file"
    unusable = str(DATA / "unmatchable_keyword.yaml")
    assert _one_line_error(cli("--personas", unusable, CLEAN)) == (
        f"{unusable}:5: personas[0].keywords[0].term: needs at least one letter or digit"
    )


def test_an_empty_folder_warns_and_passes(cli, tmp_path):
    result = cli("--personas", PERSONAS, str(tmp_path))
    assert result.exit_code == 0
    assert result.stderr == f"warning: {tmp_path}: no .md, .markdown, .html, .htm or .txt files\n"


def test_workspace_personas_come_from_the_database(runner, make_user, actor_for, make_persona):
    actor = actor_for(make_user("o@example.com", "Acme", "owner"), "Acme")
    make_persona(actor)
    result = runner.invoke(
        args=["audit", "--workspace", "Acme", "--fail-on", "warn", "--format", "json", ENTERPRISE]
    )
    assert result.exit_code == 1, result.output
    pete = json.loads(result.stdout)[0]["personas"][0]
    assert isinstance(pete["id"], int) and pete["name"] == "Enterprise Procurement Pete"
    unknown = runner.invoke(args=["audit", "--workspace", "Nowhere", ENTERPRISE])
    assert unknown.exit_code == 2 and unknown.stdout == ""


def test_the_installed_command_runs_without_any_database(tmp_path):
    """The real `flask audit`, as CI runs it, with a database URL that cannot work."""
    flask = shutil.which("flask", path=str(Path(sys.executable).parent))
    env = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "DATABASE_URL": f"sqlite:///{tmp_path}/no/such/dir/planner.sqlite3",
        "SECRET_KEY": "ci",
    }
    result = subprocess.run(
        [flask, "audit", "--personas", PERSONAS, "--fail-on", "warn", str(CONTENT)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert f"{ENTERPRISE}:3:12: block:" in result.stdout
    assert not (tmp_path / "no").exists()
