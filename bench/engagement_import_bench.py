"""Time importing an engagement export of 50,000 rows (4.4 MB), then importing it again.

On a temporary SQLite database migrated like the app's (or the PostgreSQL database given
with `--database`, which it empties first), through the service the page, the API and
`flask engagement import` share: read and check the file, match every row against 500
pieces (100 of them with the URL a row carries), store. CPU time of this process and wall
time; the database server's own CPU is in the wall time only. The baseline, measured in
the same run: `csv.reader` reading the same text, the least any import must do.

    .venv/bin/python bench/engagement_import_bench.py [--quick] [--database URL]
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HEADER = "published_at,channel,url,title,impressions,clicks,engagements"


def export(rows: int) -> str:
    lines = [HEADER]
    for i in range(rows):
        when = f"2026-{1 + i % 9:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z"
        url = f"https://example.com/post/{i}"
        lines.append(f"{when},LinkedIn,{url},Post number {i},{100 + i},{i % 7},{i % 13}")
    return "\n".join(lines) + "\n"


def timed(work) -> tuple[object, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = work()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 rows")
    parser.add_argument("--database", help="a PostgreSQL URL to empty and use")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    from flask_migrate import upgrade

    from planner import create_app
    from planner.extensions import db
    from planner.models import Piece, Workspace
    from planner.services import accounts
    from planner.services.access import Actor
    from planner.services.engagement import imports

    rows = 5_000 if args.quick else 50_000
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{folder}/bench.sqlite3"
        if args.database:
            engine = sa.create_engine(url)
            with engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            engine.dispose()
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            user = accounts.create_user(
                db.session, email="b@example.com", password="x" * 12, workspace="Bench"
            )
            workspace = db.session.scalar(sa.select(Workspace))
            actor = Actor(user.id, workspace.id, "owner")
            for i in range(500):
                link = f"https://example.com/post/{i * (rows // 100)}" if i < 100 else None
                db.session.add(Piece(workspace_id=workspace.id, title=f"Piece {i}", url=link))
            db.session.commit()
            text = export(rows)
            print(f"{rows:,} rows, {len(text.encode()) / 1e6:.1f} MB, on {db.engine.dialect.name}")
            _, base, _ = timed(lambda: sum(1 for _ in csv.reader(io.StringIO(text))))
            print(f"baseline csv.reader: {base:.2f} s CPU")
            for label in ("first import", "same file again"):

                def work():
                    result = imports.import_file(db.session, actor, text, "Bench")
                    db.session.commit()
                    return result

                result, cpu, wall = timed(work)
                print(
                    f"{label}: {result.imported:,} new, {result.unchanged:,} unchanged, "
                    f"{result.matched:,} matched; {cpu:.2f} s CPU ({cpu / base:.0f} x baseline),"
                    f" {wall:.2f} s wall"
                )
            db.engine.dispose()


if __name__ == "__main__":
    main()
