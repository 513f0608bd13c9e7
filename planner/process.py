"""Readying a long-lived process (gunicorn's master, `flask serve`, `flask worker`) to serve.

After start-up a process holds ~180,000 objects the garbage collector can see (the app, the
spaCy pipeline, SQLAlchemy's mappers), nearly all of which live as long as the process. A
full collection walks every one of them: ~170 ms on a 2-core machine, landing on whichever
request happened to trigger it, the slowest requests under load. Frozen, they are never
walked again; what requests allocate is collected as before.

The youngest generation is collected every 10,000 objects allocated and not yet freed, not
every 700: the answer to an audit of a 2,000-word draft holds ~550 matches and findings
(objects the collector tracks) until it is written, so at 700 every such request paid a
young collection that walked them only to find them alive (~0.07 ms a request on this
2-core machine). Requests free what they build (about 8 objects each are left in
reference cycles for the collector), so at 10,000 collections are rare.
"""

from __future__ import annotations

import gc

from planner.services import audit

YOUNG_GENERATION_THRESHOLD = 10_000


def ready_to_serve() -> None:
    """Load the audit pipeline, freeze what start-up loaded out of the collector's sight
    (before forking, so workers inherit it frozen and don't touch those pages), and let
    the young generation hold a request's worth of objects."""
    audit.warm_up()
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, old)
