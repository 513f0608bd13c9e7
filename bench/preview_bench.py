"""Time a persona-change preview over 2,000 unpublished pieces and 10,000 feed items.

Issue 16's target: a preview answers in under 2 s on 2 cores, so it can follow typing.
The workspace has the demo personas; pieces are Markdown drafts of 150 to 1,200 words
and feed items HTML summaries of 2 to 5 sentences (`bench/corpus.py`, fixed seed), each
stored with its audit as the app stores them. A preview's cost grows with the texts the
change can reach (the engine reads only those), so the words it previews are planted at
a stated rate: `free trial` in 5% of texts, a keyword of the negative persona in 5%,
`partner portal` in 3%. Four changes are previewed, each five
times after one untimed warm-up: an added keyword, a removed one, new thresholds and a
new persona. Printed per change: the median CPU time and wall time of the runs, how many
texts the cheap filter let through to the engine, how many verdicts move, and the ratio
to a full re-audit of every text measured in the same run (what saving costs the
re-audit job). CPU time is the figure for the target: a preview runs in one thread, so
on an otherwise idle machine its wall time is its CPU time, while on a shared one (as
here, with other jobs running) wall time mostly measures the others.

    .venv/bin/python bench/preview_bench.py [--quick]   # --quick: 200 pieces, 1,000 items
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import Prose  # noqa: E402

TARGET_SECONDS = 2.0
RUNS = 5
PLANTED = (("free trial", 0.05), (None, 0.05), ("partner portal", 0.03))  # None: the persona's


def plant(prose: Prose, text: str, own_word: str, html: bool = False) -> str:
    """Add each planted phrase to the text with its rate (see the module's docstring)."""
    for phrase, rate in PLANTED:
        if prose.rng.random() < rate:
            sentence = f" Ask about the {phrase or own_word} today."
            text = text[: -len("</p>")] + sentence + "</p>" if html else text + sentence + "\n"
    return text


def build(session, pieces: int, items: int):
    from planner.models import Feed, FeedItem, Piece
    from planner.services import accounts
    from planner.services import audit as audit_service
    from planner.services.personas import service as persona_service
    from planner.services.personas.file import read_persona_file
    from planner.services.pieces import audits as piece_audits

    user = accounts.create_user(
        session,
        email="bench@example.com",
        password="bench-password-1",
        workspace="Bench",
        role="owner",
    )
    workspace = accounts.find_workspace(session, "Bench")
    actor = accounts.actor_for(session, user.id, workspace.id)
    demo = Path(__file__).resolve().parent.parent / "planner" / "demo" / "personas.yaml"
    persona_service.import_specs(session, actor, read_persona_file(demo))
    session.commit()
    prose = Prose(16)
    basis = piece_audits.audit_basis(session, workspace.id)
    own_word = next(p for p in basis.lexicons if p.kind == "negative").keywords[0].term
    for i in range(pieces):
        piece = Piece(
            workspace_id=workspace.id,
            title=prose.sentence().rstrip(".!?")[:190],
            body=plant(prose, prose.markdown(prose.rng.randint(150, 1200)), own_word),
            format="markdown",
            status=("draft", "review", "scheduled")[i % 3],
        )
        session.add(piece)
        session.flush()
        piece_audits.audit_piece(session, piece, basis=basis)
        if i % 200 == 199:
            session.commit()
    feed = Feed(workspace_id=workspace.id, url="https://news.example/feed", title="News")
    session.add(feed)
    session.flush()
    for i in range(items):
        title = prose.sentence().rstrip(".!?")[:190]
        summary = plant(prose, f"<p>{prose.paragraph(prose.rng.randint(2, 5))}</p>", own_word, True)
        result = audit_service.audit_lexicons(summary, "html", basis.lexicons, title=title)
        session.add(
            FeedItem(
                feed_id=feed.id,
                workspace_id=workspace.id,
                identity=f"item-{i}",
                title=title,
                summary_html=summary,
                summary_text=summary,
                content_hash=str(i),
                audit=audit_service.compact_for_storage(result.to_dict()),
                verdict=result.verdict,
                persona_versions=dict(basis.versions),
            )
        )
        if i % 1000 == 999:
            session.commit()
    session.commit()
    return actor


def changes(session, actor):
    from planner.services.personas import service as persona_service
    from planner.services.personas.schema import validate_persona

    personas = persona_service.list_personas(session, actor)
    negative = next(p for p in personas if p.kind == "negative")
    doc = persona_service.spec_of(negative).to_document()
    added = {**doc, "keywords": [*doc["keywords"], {"term": "free trial", "weight": 5}]}
    removed = {**doc, "keywords": doc["keywords"][1:]}
    stricter = {**doc, "thresholds": {"warn": 1, "block": 2}}
    new = {
        "name": "Bench Newcomer",
        "kind": "negative",
        "keywords": [{"term": "partner portal", "weight": 2}, "reseller", "licence fee"],
    }
    return [
        ("add keyword `free trial`", negative, validate_persona(added)),
        (f"remove `{doc['keywords'][0]['term']}`", negative, validate_persona(removed)),
        ("thresholds warn 1, block 2", negative, validate_persona(stricter)),
        ("new persona, 3 keywords", None, validate_persona(new)),
    ]


def full_reaudit(session, workspace_id: int) -> float:
    """Every stored text audited once against today's personas: the no-filter baseline."""
    from planner.services import audit as audit_service
    from planner.services import lexicons as lexicon_service
    from planner.services.persona_preview import texts as stored_texts

    lexicons = lexicon_service.workspace_lexicons(session, workspace_id)
    started = time.process_time()
    for text in stored_texts.load_texts(session, workspace_id):
        audit_service.audit_lexicons(
            text.body, text.fmt, lexicons, title=text.title or None, summary=text.summary
        )
    return time.process_time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 pieces and 1,000 items")
    args = parser.parse_args()
    n_pieces, n_items = (200, 1_000) if args.quick else (2_000, 10_000)
    tmp = tempfile.TemporaryDirectory(prefix="preview-bench-")
    os.environ.setdefault("SECRET_KEY", "bench")
    from flask_migrate import upgrade

    from planner import create_app
    from planner.extensions import db
    from planner.services.persona_preview.impact import preview_persona

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp.name}/bench.sqlite3", "SECRET_KEY": "bench"}
    )
    with app.app_context():
        upgrade()
        session = db.session
        print(f"Storing {n_pieces:,} pieces and {n_items:,} feed items with their audits ...")
        started = time.perf_counter()
        actor = build(session, n_pieces, n_items)
        print(f"  built in {time.perf_counter() - started:.1f} s")
        baseline = full_reaudit(session, actor.workspace_id)
        print(f"Full re-audit of every text (baseline): {baseline:.2f} s CPU")
        print(f"{'change':<30} {'CPU':>7} {'wall':>7} {'audited':>8} {'verdicts':>9} ratio")
        worst = 0.0
        for label, persona, spec in changes(session, actor):
            preview_persona(session, actor, persona, spec)  # warm-up: the matcher compiles
            cpu, wall = [], []
            for _ in range(RUNS):
                started, started_cpu = time.perf_counter(), time.process_time()
                impact = preview_persona(session, actor, persona, spec)
                cpu.append(time.process_time() - started_cpu)
                wall.append(time.perf_counter() - started)
                session.rollback()
            median = statistics.median(cpu)
            worst = max(worst, median)
            print(
                f"{label:<30} {median:>6.2f}s {statistics.median(wall):>6.2f}s "
                f"{impact.audited:>8,} {impact.changed_verdicts:>9,} {median / baseline:.2f}x"
            )
        verdict = "meets" if worst < TARGET_SECONDS else "MISSES"
        print(f"Slowest median {worst:.2f} s CPU: {verdict} the {TARGET_SECONDS:g} s target.")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
