"""`flask engagement import FILE --workspace W [--source NAME] [--map FIELD=HEADER ...]`.

Exit 0 when the file was imported (bad rows are listed as `FILE:LINE: message` on stderr
and skipped); 2 when it cannot be read at all, its columns are not mapped, or the
workspace is unknown: then nothing is imported.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from planner.cli.operator import fail, workspace_actor
from planner.errors import PlannerError
from planner.extensions import db
from planner.services.engagement import imports as engagement_imports
from planner.services.engagement.reading import MAX_CSV_BYTES

engagement_cli = AppGroup("engagement", help="Import post results (engagement).")


def _mapping(pairs: tuple[str, ...], timezone: str | None, date_order: str | None) -> dict | None:
    if not pairs and timezone is None and date_order is None:
        return None
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, header = pair.partition("=")
        if not sep:
            fail(f"--map takes FIELD=HEADER, e.g. published_at=Date; not {pair!r}")
        mapping[field.strip()] = header.strip()
    if timezone is not None:
        mapping["timezone"] = timezone
    if date_order is not None:
        mapping["date_order"] = date_order
    return mapping


@engagement_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--workspace", required=True)
@click.option("--source", default=None, help="The source's name (default: 'default').")
@click.option(
    "--map",
    "pairs",
    multiple=True,
    metavar="FIELD=HEADER",
    help="Map a column (repeatable); saved for the source. Not needed for canonical headers "
    "or once a source's mapping is saved.",
)
@click.option("--timezone", default=None, help="Zone of times without an offset.")
@click.option("--date-order", type=click.Choice(["mdy", "dmy"]), default=None)
def engagement_import(path, workspace, source, pairs, timezone, date_order) -> None:
    """Import a CSV of post results; rows match pieces by URL, piece id, or title and day."""
    actor = workspace_actor(workspace)
    mapping = _mapping(pairs, timezone, date_order)
    try:
        with click.open_file(path, "rb") as handle:
            content = handle.read(MAX_CSV_BYTES + 1)
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror or error}")
    try:
        result = engagement_imports.import_file(db.session, actor, content, source, mapping)
    except PlannerError as error:
        db.session.rollback()
        details = error.details if isinstance(error.details, dict) else {}
        extra = "; ".join(f"{k}: {v}" for k, v in details.items() if k not in ("file",))
        fail(f"{path}: {error.message}" + (f" ({extra})" if extra else ""))
    db.session.commit()
    for problem in result.errors:
        click.echo(f"{path}:{problem.line}: {problem.message}", err=True)
    click.echo(
        f"{result.imported} imported, {result.updated} updated, {result.unchanged} unchanged; "
        f"{result.matched} matched, {result.unmatched} unmatched; "
        f"{len(result.errors)} bad row{'s' if len(result.errors) != 1 else ''} skipped "
        f"(source {result.source!r})."
    )
