"""CPU per `POST /api/v1/audit` under gunicorn, against the same audit in-process.

Run from the repository root:
    .venv/bin/python bench/api_cpu_bench.py [--requests N] [--rounds R]

One gunicorn worker (gunicorn.conf.py) on a seeded SQLite file (the demo workspace and its
personas, plus 20 personas x 100 keywords from bench/corpus.py as in audit_bench.py;
`--personas 0` for the demo's alone) serves N sequential audits of a 2,000-word draft;
the worker's own CPU time (/proc) over those requests, divided by N, is set against
`audit.audit_text` on the same draft, workspace and database in this process, each call
in a fresh session as a request's is. The two sides alternate in R rounds of N/R, so a
busy moment of a shared machine weighs on both; the ratio is over all rounds, and the
rounds' own ratios show how steady it was. The difference is what a request costs beyond
its work: HTTP, auth (a token query at most every few seconds per token and process,
`last_used_at` at most once a minute), rate limits, JSON in and out (the result of this
draft is about 90 KB). Target: ratio <= 1.3. Exits 1 if it is missed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.request
from collections.abc import Sequence

import corpus
import served

TARGET = 1.3


def draft(words: int = 2000) -> str:
    """A deterministic Markdown draft of about `words` words, from the audit bench's corpus."""
    text, documents = "", corpus.corpus(20240601, 40)
    for document in documents:
        text += document + "\n\n"
        if len(text.split()) >= words:
            break
    return " ".join(text.split(" ")[:words])


class InProcess:
    """`audit_text` as the API view calls it: a session of its own each time (a request's
    session is new, so it loads the personas it audits against, and is closed when the
    request ends), the same actor, database and text. Timed: the call and closing its
    session, the same database work a request does."""

    def __init__(self, database_url: str, text: str) -> None:
        from planner import create_app
        from planner.extensions import db
        from planner.services import accounts, audit, demo

        self.text, self.db, self.audit = text, db, audit
        self.app = create_app(
            {"SECRET_KEY": "bench-secret", "SQLALCHEMY_DATABASE_URI": database_url}
        )
        with self.app.app_context():
            user = accounts.user_by_email(db.session, demo.DEMO_EMAIL)
            workspace = accounts.find_workspace(db.session, demo.DEMO_WORKSPACE)
            self.actor = accounts.actor_for(db.session, user.id, workspace.id)
            db.session.remove()
        self.run(5)  # the first few warm the engine, as the HTTP side's do

    def run(self, repeats: int) -> float:
        """CPU seconds spent in `repeats` calls."""
        spent = 0.0
        with self.app.app_context():
            for _ in range(repeats):
                started = time.process_time()
                self.audit.audit_text(self.db.session, self.actor, self.text, "markdown")
                self.db.session.remove()
                spent += time.process_time() - started
        return spent


class OverHttp:
    """`POST /api/v1/audit` to the one gunicorn worker; its CPU from /proc."""

    def __init__(self, server: served.Served, text: str) -> None:
        self.url, self.token = server.base + "/api/v1/audit", server.token
        self.body = json.dumps({"text": text, "format": "markdown"}).encode()
        (self.pid,) = server.worker_pids()
        self.run(5)

    def post(self) -> None:
        request = urllib.request.Request(
            self.url,
            data=self.body,
            method="POST",
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()

    def run(self, repeats: int) -> tuple[float, float]:
        """(worker CPU seconds, client wall seconds) over `repeats` requests."""
        cpu, wall = served.cpu_seconds(self.pid), time.perf_counter()
        for _ in range(repeats):
            self.post()
        return served.cpu_seconds(self.pid) - cpu, time.perf_counter() - wall


def measure(server: served.Served, text: str, repeats: int, rounds: int) -> dict[str, float]:
    """Both sides in alternating rounds, so a busy moment on a shared machine weighs on
    both alike; per-request figures over all rounds, and the spread of the rounds' ratios."""
    http, local = OverHttp(server, text), InProcess(server.database_url, text)
    per_round = max(1, repeats // rounds)
    totals = {"http": 0.0, "wall": 0.0, "local": 0.0}
    ratios = []
    for _ in range(rounds):
        cpu, wall = http.run(per_round)
        spent = local.run(per_round)
        totals["http"] += cpu
        totals["wall"] += wall
        totals["local"] += spent
        ratios.append(cpu / spent)
    n = per_round * rounds
    ratios.sort()
    return {
        "per_request": totals["http"] / n,
        "wall": totals["wall"] / n,
        "per_audit": totals["local"] / n,
        "ratio": totals["http"] / totals["local"],
        "median": ratios[len(ratios) // 2],
        "low": ratios[0],
        "high": ratios[-1],
        "n": n,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=6, help="alternating HTTP/in-process")
    parser.add_argument("--personas", type=int, default=20, help="generated, besides the demo's")
    parser.add_argument("--keywords", type=int, default=100, help="per generated persona")
    args = parser.parse_args(argv)
    text = draft()
    lexicons = corpus.persona_terms(20240601, args.personas, args.keywords)
    print(
        f"draft: {len(text.split())} words; the demo personas + {args.personas} x "
        f"{args.keywords} keywords; {args.requests} requests"
    )
    with served.serve(workers=1, lexicons=lexicons) as server:
        found = measure(server, text, args.requests, args.rounds)
    print(f"in-process audit_text:        {found['per_audit'] * 1000:7.2f} ms CPU per audit")
    print(
        f"POST /api/v1/audit, gunicorn: {found['per_request'] * 1000:7.2f} ms CPU per request "
        f"(worker process; {found['wall'] * 1000:.1f} ms wall at the client)"
    )
    ok = found["ratio"] <= TARGET
    print(
        f"ratio: {found['ratio']:.2f} x in-process over {found['n']} of each "
        f"(rounds: median {found['median']:.2f}, {found['low']:.2f}-{found['high']:.2f}; "
        f"target <= {TARGET}) {'ok' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
