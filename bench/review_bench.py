"""Benchmark the persona review page on a 5,000-piece workspace (issue 14).

Run from the repository root:

    .venv/bin/python bench/review_bench.py [--pieces N] [--repeat N]

The demo workspace is grown to `--pieces` pieces with ~15 KB of stored audit JSON each
(`views_bench.Workspace`, temporary SQLite), all audited inside the personas' review
period. For each persona it times the review page's evidence (`review_page`) and, as the
baseline, what it would cost to read every piece's latest audit JSON (the naive way to
find keyword matches): CPU seconds, mean of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.views_bench import SEED, Workspace, _app  # noqa: E402


def _cpu(fn, repeat: int) -> float:
    fn()  # warm up
    start = time.process_time()
    for _ in range(repeat):
        fn()
    return (time.process_time() - start) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pieces", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from planner.models import Persona, PieceAudit
    from planner.services import accounts
    from planner.services.persona_reviews import service as review_service
    from planner.services.pieces import audits as piece_audits

    url = f"sqlite:///{tempfile.mkdtemp(prefix='review-bench-')}/bench.sqlite3"
    app, db = _app(url)
    with app.app_context():
        ws = Workspace(app, db, random.Random(SEED))
        ws.add(args.pieces - ws.count(), in_month=False, now=datetime.now(UTC))
        session = db.session
        actor = accounts.actor_for(session, ws.user_id, ws.workspace_id)
        personas = list(
            session.scalars(sa.select(Persona).where(Persona.workspace_id == ws.workspace_id))
        )
        piece_ids = list(session.scalars(sa.select(PieceAudit.piece_id).distinct()))
        print(f"{ws.count():,} pieces, {len(personas)} personas, repeat {args.repeat}")

        def naive() -> None:
            for chunk in range(0, len(piece_ids), 500):
                piece_audits.latest_audits(session, piece_ids[chunk : chunk + 500])
            session.expunge_all()

        baseline = _cpu(naive, args.repeat)
        print(f"baseline: load every latest audit's result JSON: {baseline:.3f} s CPU")
        for persona in sorted(personas, key=lambda p: (p.kind, p.name)):
            persona_id, label = persona.id, f"{persona.name} ({persona.kind})"

            def page(persona_id: int = persona_id) -> None:
                found = review_service.review_page(session, actor, persona_id)
                assert found.evidence.keywords.pieces_read >= args.pieces - 10
                session.rollback()

            seconds = _cpu(page, args.repeat)
            print(f"review page, {label}: {seconds:.3f} s CPU, {seconds / baseline:.2f} x baseline")


if __name__ == "__main__":
    main()
