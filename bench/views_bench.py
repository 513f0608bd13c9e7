"""Benchmark the list views: do they cost what they show, not what the workspace holds?

Run from the repository root:

    .venv/bin/python bench/views_bench.py [--quick] [--database URL]

Without `--database` the workspace lives in a temporary SQLite file; with a PostgreSQL URL
(e.g. `postgresql+psycopg://postgres@127.0.0.1:5432/views_bench`) that database is
**emptied** and used. The migrations are applied first, as in production.

The demo workspace (personas, channels, a few pieces) is loaded, then pieces are added
with realistic ~1,500-word bodies and their stored audits (copied from a few texts audited
through the service, so each row carries ~15 KB of audit JSON like a real one):

1. **base**: 500 pieces, `MONTH_PIECES` of them scheduled in the current month (the month
   every calendar page shows by default), the rest drafts, ideas and published pieces
   scheduled 6 to 30 months away or not at all;
2. **grown**: 4,500 more pieces elsewhere (5,000 in all), none in the viewed month;
3. **busy month**: twice `MONTH_PIECES` more in the viewed month (3x the month).

Each page and API list is fetched through the Flask test client (signed in as an owner,
or with a bearer token), warmed up, then measured: the mean CPU time of `--repeat`
fetches: this process's, plus (with PostgreSQL) that of the server processes serving its
connections. Other processes on a shared machine hardly disturb CPU time (wall time there
varied 2-3x from run to run). It prints milliseconds per stage and two ratios per view,
against the targets of issue 11: grown / base <= 1.5 (flat in the workspace's size) and
busy / grown <= 3 (at most linear in the month's pieces). Times vary with the machine;
read the ratios, measured in one run.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

SEED = 20261203
PASSWORD = "bench password 1"
MONTH_PIECES = 60
BASE_PIECES = 500
GROWN_PIECES = 5_000
GROWN_TARGET = 1.5
BUSY_TARGET = 3.0
WORDS = str.split(
    "small business help desk shared inbox response time customer email knowledge base "
    "online shop busy season canned response self-service on-premise request for proposal "
    "enterprise procurement process lifetime deal discount code flash sale coupon roadmap "
    "newsletter onboarding invoicing analytics product launch team rituals the a of and to "
    "in that we our your with for on it is as was be at by this from or an are"
)


def _body(rng: random.Random, words: int) -> str:
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))) + ".")
    return "\n\n".join(" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5))


def _month_bounds(zone: ZoneInfo, now: datetime) -> tuple[date, date]:
    today = now.astimezone(zone).date()
    first = today.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt


def _app(url: str):
    from flask_migrate import upgrade

    from planner import create_app
    from planner.extensions import db

    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "RATE_LIMITS_ENABLED": False,
        }
    )
    app.instance_path = tempfile.mkdtemp(prefix="views-bench-")
    with app.app_context():
        upgrade()
    return app, db


class Workspace:
    """The demo workspace, a signed-in client, a token, and a way to add pieces fast."""

    def __init__(self, app, db, rng: random.Random) -> None:
        from planner.models import Channel, Persona
        from planner.models import Workspace as WorkspaceRow
        from planner.services import accounts, demo
        from planner.services.pieces import audits as piece_audits
        from planner.services.pieces import service as piece_service

        self.app, self.db, self.rng = app, db, rng
        session = db.session
        login = demo.load_demo(session)
        assert login is not None
        user = accounts.create_user(
            session,
            email="bench@example.com",
            password=PASSWORD,
            workspace=login.workspace,
            role="owner",
        )
        workspace = accounts.find_workspace(session, login.workspace)
        self.workspace_id, self.user_id = workspace.id, user.id
        self.zone = ZoneInfo(session.get(WorkspaceRow, workspace.id).timezone)
        actor = accounts.actor_for(session, user.id, workspace.id)
        personas = session.scalars(sa.select(Persona).where(Persona.workspace_id == workspace.id))
        self.buyers = [p.id for p in personas if p.kind == "buyer"]
        channels = session.scalars(sa.select(Channel).where(Channel.workspace_id == workspace.id))
        self.channels = [c.id for c in channels]
        # A few texts audited through the service: their stored audits are copied below.
        self.templates = []
        for n in range(4):
            piece = piece_service.create_piece(
                session, actor, {"title": f"Template {n}", "body": _body(rng, 1_500)}
            )
            audit = piece_audits.latest_audit(session, piece.id)
            assert audit is not None
            self.templates.append(
                {
                    "body": piece.body,
                    "verdict": audit.verdict,
                    "result": audit.result,
                    "summary": audit.summary,
                    "text_hash": audit.text_hash,
                    "inputs_hash": audit.inputs_hash,
                }
            )
        self.versions = piece_audits.current_versions(session, workspace.id)
        session.commit()
        self.token = accounts.create_token_for(
            session, email="bench@example.com", workspace=login.workspace, name="bench"
        ).secret
        session.commit()
        self.client = app.test_client()
        response = self.client.post(
            "/login", data={"email": "bench@example.com", "password": PASSWORD}
        )
        assert response.status_code == 302, response.status_code

    def count(self) -> int:
        from planner.models import Piece

        query = sa.select(sa.func.count(Piece.id)).where(Piece.workspace_id == self.workspace_id)
        return self.db.session.scalar(query) or 0

    def add(self, n: int, *, in_month: bool, now: datetime) -> None:
        """Add `n` pieces, in the current month or 6-30 months away (or unscheduled)."""
        from planner.models import Piece, PieceAudit, piece_persona
        from planner.services.pieces.summary import versions_key

        session, rng = self.db.session, self.rng
        first, nxt = _month_bounds(self.zone, now)
        month_start = datetime.combine(first, datetime.min.time(), self.zone).astimezone(UTC)
        month_seconds = int((nxt - first).total_seconds())
        for start in range(0, n, 500):
            pieces, audits = [], []
            for _ in range(min(500, n - start)):
                audit = rng.choice(self.templates)
                audits.append(audit)
                if in_month:
                    at = month_start + timedelta(seconds=rng.randrange(month_seconds))
                    status = rng.choice(("scheduled", "scheduled", "draft", "review"))
                else:
                    away = timedelta(days=rng.randint(180, 900)) * rng.choice((-1, 1))
                    at = now + away if rng.random() < 0.7 else None
                    status = rng.choice(("idea", "draft", "review", "published", "scheduled"))
                    if status in ("published", "scheduled") and at is None:
                        status = "draft"
                    if status == "published" and at is not None and at > now:
                        at = now - away
                    if status == "scheduled" and at is not None and at < now:
                        at = now - away
                pieces.append(
                    Piece(
                        workspace_id=self.workspace_id,
                        title=f"Piece {rng.randrange(10**9)}: {' '.join(rng.sample(WORDS, 5))}",
                        summary="",
                        body=audit["body"],
                        format="plain",
                        content_type=rng.choice(("article", "photo", "video", "graphic")),
                        origin=rng.choice(("own", "own", "own", "curated")),
                        channel_id=rng.choice(self.channels) if self.channels else None,
                        status=status,
                        scheduled_at=at,
                        verdict=audit["verdict"],
                        audit_versions_key=versions_key(self.versions),
                        created_by=self.user_id,
                    )
                )
            session.add_all(pieces)
            session.flush()
            session.execute(
                piece_persona.insert(),
                [{"piece_id": p.id, "persona_id": rng.choice(self.buyers)} for p in pieces],
            )
            session.add_all(
                PieceAudit(
                    piece_id=p.id,
                    trigger="save",
                    persona_versions=dict(self.versions),
                    **{k: v for k, v in audit.items() if k != "body"},
                )
                for p, audit in zip(pieces, audits, strict=True)
            )
            session.commit()
        if self.db.engine.dialect.name == "postgresql":
            # What autovacuum does after a bulk load: fresh statistics for the planner and a
            # visibility map, so counts can read indexes alone.
            with self.db.engine.connect() as conn:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                conn.execute(sa.text("VACUUM ANALYZE"))


def _views(zone: ZoneInfo, now: datetime) -> dict[str, tuple[str, bool]]:
    """Name -> (path, through the API); the calendar views show the current month/week."""
    first, nxt = _month_bounds(zone, now)
    return {
        "dashboard": ("/dashboard", False),
        "drafts": ("/pieces/", False),
        "drafts sorted by time": ("/pieces/?sort=scheduled", False),
        "calendar month": ("/calendar/", False),
        "calendar week": ("/calendar/week", False),
        "calendar agenda": ("/calendar/agenda", False),
        "events.json (month)": (
            f"/calendar/events.json?start={first.isoformat()}T00:00&end={nxt.isoformat()}T00:00",
            False,
        ),
        "API pieces?limit=50": ("/api/v1/pieces?limit=50", True),
        "API calendar (month)": (
            f"/api/v1/calendar?from={first.isoformat()}&to={(nxt - timedelta(days=1)).isoformat()}",
            True,
        ),
    }


class CpuClock:
    """CPU seconds spent on a request: this process's, plus, with PostgreSQL, those of the
    server processes serving this app's connections (read from /proc; same machine).

    CPU time, unlike wall time, hardly moves when other processes load a shared machine.
    """

    def __init__(self, engine) -> None:
        self.backends: set[int] = set()
        self.tick = os.sysconf("SC_CLK_TCK")
        if engine.dialect.name == "postgresql":

            @sa.event.listens_for(engine, "connect")
            def remember(dbapi_connection, _record) -> None:
                with dbapi_connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    self.backends.add(cursor.fetchone()[0])

            engine.dispose()  # new connections, each remembered

    def __call__(self) -> float:
        total = time.process_time()
        for pid in list(self.backends):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                self.backends.discard(pid)
                continue
            total += (int(fields[11]) + int(fields[12])) / self.tick  # utime + stime
        return total


def _measure(ws: Workspace, views: dict[str, tuple[str, bool]], repeat: int) -> dict:
    """Each view's mean CPU milliseconds over `repeat` fetches (after two warm-ups)."""
    clock = CpuClock(ws.db.engine)
    figures = {}
    headers = {"Authorization": f"Bearer {ws.token}"}
    for name, (path, api) in views.items():
        size, spent = 0, 0.0
        for i in range(repeat + 2):
            ws.db.session.remove()
            if i == 2:
                started = clock()
            response = ws.client.get(path, headers=headers if api else None)
            if response.status_code != 200:
                raise SystemExit(f"{name}: {path} answered {response.status_code}")
            size = len(response.get_data())
        spent = clock() - started
        figures[name] = (spent / repeat * 1000, size)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="a PostgreSQL URL (emptied!); default: SQLite")
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--repeat", type=int, default=None, help="timed fetches per view")
    options = parser.parse_args()
    repeat = options.repeat or (5 if options.quick else 15)
    with tempfile.TemporaryDirectory() as tmp:
        url = options.database or f"sqlite:///{tmp}/views.db"
        app, db = _app(url)
        with app.app_context():
            rng = random.Random(SEED)
            ws = Workspace(app, db, rng)
            now = datetime.now(UTC)
            ws.add(MONTH_PIECES, in_month=True, now=now)
            ws.add(BASE_PIECES - ws.count(), in_month=False, now=now)
            views = _views(ws.zone, now)
            print(f"database: {db.engine.dialect.name}; mean CPU ms of {repeat} fetches")
            stages = [("base", ws.count(), _measure(ws, views, repeat))]
            ws.add(GROWN_PIECES - ws.count(), in_month=False, now=now)
            stages.append(("grown", ws.count(), _measure(ws, views, repeat)))
            ws.add(2 * MONTH_PIECES, in_month=True, now=now)
            stages.append(("busy month", ws.count(), _measure(ws, views, repeat)))
            db.session.remove()
            db.engine.dispose()
    _report(stages)


def _report(stages: list) -> None:
    (_, n0, base), (_, n1, grown), (_, n2, busy) = stages
    print(
        f"pieces: base {n0} ({MONTH_PIECES} this month), grown {n1}, "
        f"busy month {n2} ({3 * MONTH_PIECES} this month)"
    )
    head = f"{'view':<24}{'base ms':>9}{'grown ms':>10}{'busy ms':>9}{'KB':>8}"
    print(head + f"{'grown/base':>12}{'busy/grown':>12}")
    failed = []
    for name in base:
        b, g, m = base[name][0], grown[name][0], busy[name][0]
        r1, r2 = g / b, m / g
        flags = ("" if r1 <= GROWN_TARGET else "!") + ("" if r2 <= BUSY_TARGET else "?")
        if flags:
            failed.append(name)
        print(
            f"{name:<24}{b:>9.1f}{g:>10.1f}{m:>9.1f}{busy[name][1] / 1024:>8.0f}"
            f"{r1:>11.2f}x{r2:>11.2f}x {flags}"
        )
    print(
        f"targets: grown/base <= {GROWN_TARGET}x (flat in the workspace), "
        f"busy/grown <= {BUSY_TARGET}x (3x the month's pieces); "
        + ("all met" if not failed else f"missed by: {', '.join(failed)} (! grown, ? busy)")
    )


if __name__ == "__main__":
    main()
