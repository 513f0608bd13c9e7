"""Readying a long-lived process (gunicorn's master, `flask serve`, `flask worker`) to serve.

After start-up a process holds ~180,000 objects the garbage collector can see (the app, the
spaCy pipeline, SQLAlchemy's mappers), nearly all of which live as long as the process. A
full collection walks every one of them: ~170 ms on a 2-core machine, landing on whichever
request happened to trigger it, the slowest requests under load. Frozen, they are never
walked again; what requests allocate is collected as before.
"""

from __future__ import annotations

import gc

from planner.services import audit


def ready_to_serve() -> None:
    """Load the audit pipeline, then freeze what start-up loaded out of the collector's
    sight (before forking, so workers inherit it frozen and don't touch those pages)."""
    audit.warm_up()
    gc.collect()
    gc.freeze()
