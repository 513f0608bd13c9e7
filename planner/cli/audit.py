"""`flask audit`: the draft audit as a linter, for a content repository's CI.

Contract (docs/contracts.md, "Audit result"): findings as `path:line:column: level: message`, or
one JSON array; exit 0 when nothing reaches `--fail-on`, 1 when something does, 2 on a
usage or input error with a one-line message on stderr. A file that cannot be read or
audited is reported as `path: error: ...` (an `{"path", "error"}` object in the JSON) and
the others are still audited: the run then exits 2, once every file was tried. With
`--personas FILE.yaml` no database is touched, so a content repository needs nothing but
the app installed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import click

from planner.cli.operator import fail
from planner.errors import PlannerError
from planner.services import audit as audit_service
from planner.services import lexicons as lexicon_service
from planner.services.personas.file import PersonaFileError, read_persona_file

# Files a folder is searched for; a file named on the command line is audited whatever
# its extension. Anything not Markdown or HTML is read as plain text.
FORMAT_OF_SUFFIX = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "plain",
}
LEVEL_RANK = {"pass": 0, "warn": 1, "block": 2}


# `flask` options before the command name that take a value.
_FLASK_VALUE_OPTIONS = ("--app", "-A", "--env-file", "-e")


def is_file_audit(argv: list[str]) -> bool:
    """Say whether `argv` runs `flask audit` with `--personas` (and no `--workspace`).

    Such a run needs no database, so `wsgi.py` gives it the lean app
    (`planner.create_file_audit_app`). Anything else (a server, another command, the
    workspace audit) gets the full app.
    """
    args = iter(argv[1:])
    for arg in args:
        if arg in _FLASK_VALUE_OPTIONS:
            next(args, None)
        elif not arg.startswith("-"):
            if arg != "audit":
                return False
            rest = list(args)
            if "--" in rest:
                rest = rest[: rest.index("--")]
            names = {a.split("=", 1)[0] for a in rest if a.startswith("--")}
            return "--personas" in names and "--workspace" not in names
    return False


class OneLineUsageCommand(click.Command):
    """Report usage errors in one line on stderr (exit 2), like the input errors."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            fail(f"{error.format_message()} (see 'flask audit --help')")


def format_of(path: Path) -> str:
    """Return the format a file's extension says (`.md` markdown, `.html` html, else plain)."""
    return FORMAT_OF_SUFFIX.get(path.suffix.lower(), "plain")


class FileProblem(Exception):
    """A file (or folder) that cannot be audited; the run goes on with the others."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(message)
        self.path = str(path)
        self.message = message


def _walk(folder: Path, problems: list[FileProblem]) -> Iterator[Path]:
    """Yield a folder's auditable files in sorted order; hidden folders (.git) are skipped.

    A sub-folder that cannot be listed is added to `problems`.
    """
    found = []

    def unreadable(error: OSError) -> None:
        problems.append(FileProblem(error.filename, f"cannot be read: {error.strerror}"))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if Path(name).suffix.lower() in FORMAT_OF_SUFFIX and not name.startswith("."):
                found.append(Path(root, name))
    yield from sorted(found, key=lambda p: p.relative_to(folder).parts)


def collect_files(paths: tuple[str, ...]) -> list[Path | FileProblem]:
    """Expand the command line into files, in the order given, each once.

    A path that does not exist or a folder that cannot be listed is a `FileProblem` in
    its place, so it is reported with the others.
    """
    files: list[Path | FileProblem] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            problems: list[FileProblem] = []
            candidates = list(_walk(path, problems))
            files.extend(problems)
            if not candidates and not problems:
                click.echo(
                    f"warning: {given}: no .md, .markdown, .html, .htm or .txt files", err=True
                )
        elif path.exists():
            candidates = [path]
        else:
            files.append(FileProblem(given, "no such file or directory"))
            continue
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                files.append(candidate)
    return files


def read_text(path: Path) -> str:
    """Read a file as UTF-8 (a byte-order mark is dropped), or raise `FileProblem` saying why."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise FileProblem(path, f"cannot be read: {error.strerror}") from error
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise FileProblem(path, f"line {line}: is not valid UTF-8 text") from error


def audit_file(
    entry: Path | FileProblem, input_format: str | None, lexicons: list[audit_service.Lexicon]
) -> dict:
    """Return one file's report (its audit result plus `path`), or raise its `FileProblem`."""
    if isinstance(entry, FileProblem):
        raise entry
    fmt = input_format or format_of(entry)
    try:
        result = audit_service.audit_lexicons(read_text(entry), fmt, lexicons)
    except PlannerError as error:
        raise FileProblem(entry, error.message) from error
    return {"path": str(entry), **result.to_dict()}


def load_lexicons(personas_file: str | None, workspace: str | None) -> list[audit_service.Lexicon]:
    """Load the personas once, from the file (no database) or from the workspace."""
    if personas_file is not None:
        try:
            specs = read_persona_file(personas_file)
            return lexicon_service.lexicons_from_specs(specs)
        except PersonaFileError as error:
            for line, message in error.problems:
                where = f"{error.filename}:{line}" if line else error.filename
                click.echo(f"{where}: {message}", err=True)
            raise SystemExit(2) from error
        except PlannerError as error:
            fail(f"{personas_file}: {error.message}")
    from sqlalchemy.exc import SQLAlchemyError

    from planner.cli.operator import workspace_actor
    from planner.extensions import db

    try:
        actor = workspace_actor(workspace)
        return lexicon_service.workspace_lexicons(db.session, actor.workspace_id)
    except SQLAlchemyError as error:
        fail(f"cannot read the personas from the database: {getattr(error, 'orig', error)}")


def text_report(path: str, result: dict) -> list[str]:
    """Return the linter lines for one file, then its one-line summary."""
    lines = [f"{path}: warning: {warning}" for warning in result.get("warnings", [])]
    for finding in result["findings"]:
        where = f"{finding['line'] or 1}:{finding['column'] or 1}"
        message = " ".join(finding["message"].split())
        field = finding.get("field") or "body"
        level = finding["level"] if field == "body" else f"{finding['level']} [{field}]"
        lines.append(f"{path}:{where}: {level}: {message}")
    flagged = [
        f"{p['name']} {p['level']} ({p['score']:g})"
        for p in result["personas"]
        if p["kind"] == "negative" and p["level"] != "pass"
    ]
    count = len(result["findings"])
    summary = f"{path}: {result['verdict']}, {result['word_count']} words, "
    summary += f"{count} finding{'' if count == 1 else 's'}"
    if flagged:
        summary += f"; {', '.join(flagged)}"
    lines.append(summary)
    return lines


@click.command("audit", cls=OneLineUsageCommand)
@click.argument("paths", nargs=-1, required=True)
@click.option("--personas", "personas_file", metavar="FILE.yaml", help="Persona file; no database.")
@click.option("--workspace", metavar="NAME", help="Use this workspace's personas.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--fail-on",
    type=click.Choice(["warn", "block"]),
    default="block",
    show_default=True,
    help="Exit 1 when a file's verdict reaches this level.",
)
@click.option(
    "--input-format",
    type=click.Choice(list(audit_service.FORMATS)),
    help="Read every file as this format instead of going by its extension.",
)
def audit_command(
    paths: tuple[str, ...],
    personas_file: str | None,
    workspace: str | None,
    output_format: str,
    fail_on: str,
    input_format: str | None,
) -> None:
    """Audit drafts (files or folders of .md, .html, .txt) against the personas.

    Exit 0 when nothing reaches --fail-on, 1 when something does, 2 on usage or input
    errors.
    """
    if (personas_file is None) == (workspace is None):
        fail("give exactly one of --personas FILE.yaml or --workspace NAME")
    lexicons = load_lexicons(personas_file, workspace)
    reports: list[dict] = []
    for entry in collect_files(paths):
        try:
            reports.append(audit_file(entry, input_format, lexicons))
        except FileProblem as problem:
            click.echo(f"{problem.path}: error: {problem.message}", err=True)
            reports.append({"path": problem.path, "error": problem.message})
    if output_format == "json":
        click.echo(json.dumps(reports, indent=2, ensure_ascii=False))
    else:
        for report in reports:
            if "error" not in report:
                for line in text_report(report["path"], report):
                    click.echo(line)
    if any("error" in r for r in reports):
        raise SystemExit(2)
    worst = max((LEVEL_RANK[r["verdict"]] for r in reports), default=0)
    raise SystemExit(1 if worst >= LEVEL_RANK[fail_on] else 0)
