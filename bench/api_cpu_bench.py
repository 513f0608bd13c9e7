"""CPU per `POST /api/v1/audit` under gunicorn, against the same audit in-process.

Run from the repository root:  .venv/bin/python bench/api_cpu_bench.py [--requests N]

One gunicorn worker (gunicorn.conf.py) on a seeded SQLite file (the demo workspace and its
personas, plus 20 personas x 100 keywords from bench/corpus.py as in audit_bench.py;
`--personas 0` for the demo's alone) serves N sequential audits of a 2,000-word draft;
the worker's own CPU time (/proc) over those requests, divided by N, is set against
`audit.audit_text` on the same draft, workspace and database in this process, each call
in a fresh session as a request's is. The difference is what a request costs beyond its
work: HTTP, auth (one token query; `last_used_at` at most once a minute), rate limits,
JSON in and out (the result of this draft is about 90 KB).
Target: ratio <= 1.3. Exits 1 if it is missed.
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


def in_process(database_url: str, text: str, repeats: int) -> float:
    """CPU seconds per `audit_text` call, as the API view makes it: a session of its own
    each time (a request's session is new, so it loads the personas it audits against),
    the same actor, database and text. Only the call itself is timed."""
    from planner import create_app
    from planner.extensions import db
    from planner.services import accounts, audit, demo

    app = create_app({"SECRET_KEY": "bench-secret", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        user = accounts.user_by_email(db.session, demo.DEMO_EMAIL)
        workspace = accounts.find_workspace(db.session, demo.DEMO_WORKSPACE)
        actor = accounts.actor_for(db.session, user.id, workspace.id)
        spent = 0.0
        for n in range(repeats + 5):
            started = time.process_time()
            audit.audit_text(db.session, actor, text, "markdown")
            if n >= 5:  # the first few warm the engine, as the HTTP side's do
                spent += time.process_time() - started
            db.session.remove()
    return spent / repeats


def over_http(server: served.Served, text: str, repeats: int) -> tuple[float, float]:
    """(worker CPU seconds per request, client wall seconds per request)."""
    body = json.dumps({"text": text, "format": "markdown"}).encode()

    def post() -> None:
        request = urllib.request.Request(
            server.base + "/api/v1/audit",
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {server.token}",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()

    for _ in range(5):
        post()
    (pid,) = server.worker_pids()
    cpu, wall = served.cpu_seconds(pid), time.perf_counter()
    for _ in range(repeats):
        post()
    return (served.cpu_seconds(pid) - cpu) / repeats, (time.perf_counter() - wall) / repeats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
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
        per_request, wall = over_http(server, text, args.requests)
        per_audit = in_process(server.database_url, text, args.requests)
    ratio = per_request / per_audit
    print(f"in-process audit_text:        {per_audit * 1000:7.2f} ms CPU per audit")
    print(
        f"POST /api/v1/audit, gunicorn: {per_request * 1000:7.2f} ms CPU per request "
        f"(worker process; {wall * 1000:.1f} ms wall at the client)"
    )
    ok = ratio <= TARGET
    print(f"ratio: {ratio:.2f} x in-process (target <= {TARGET}) {'ok' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
