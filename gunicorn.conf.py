"""gunicorn's settings for Persona Planner: `gunicorn wsgi:app` reads this file by itself.

Why these: an audit is CPU-bound Python, so one process per core serves more than threads
in one process (the GIL); `preload_app` loads the app and the spaCy pipeline once in the
master, so a worker that dies is replaced in a fraction of a second and the workers share
the pipeline's memory. Every value can be changed from the environment:

| variable | default | setting |
|---|---|---|
| `HOST`, `PORT` | 127.0.0.1, 5000 | `bind` (`HOST=0.0.0.0` to listen on every interface) |
| `WEB_CONCURRENCY` | the number of cores | `workers` |
| `GUNICORN_THREADS` | 1 | `threads` (more than 1 uses the `gthread` worker) |
| `GUNICORN_TIMEOUT` | 60 | seconds a worker may spend on one request before it is replaced |
| `GUNICORN_MAX_REQUESTS` | 0 (off) | recycle a worker after this many requests (plus jitter) |

Anything else goes on the command line or in `GUNICORN_CMD_ARGS`, which win over this file.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = [f"{os.environ.get('HOST', '').strip() or '127.0.0.1'}:{_int('PORT', 5000)}"]
workers = _int("WEB_CONCURRENCY", os.cpu_count() or 1)
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 20
keepalive = 5
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
preload_app = True
wsgi_app = "wsgi:app"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"


def when_ready(server) -> None:
    """Load the audit pipeline in the master, and freeze what is loaded out of the garbage
    collector's sight, before the workers are forked from it (`planner.process`)."""
    from planner.process import ready_to_serve

    ready_to_serve()


def post_fork(server, worker) -> None:
    """A worker must not reuse database connections opened in the master (none should be)."""
    from planner.extensions import db
    from wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)
