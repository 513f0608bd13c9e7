"""The process pool that parses and audits fetched feeds for a batch poll (`poll_due`).

Parsing and auditing are CPU-bound Python, so threads would share one core; processes
scale with the cores. The pool is made on first use and kept for the life of the
process (the embedded poller polls every few minutes), because each worker loads spaCy
once, in its initializer (~1 s), and keeps its compiled matchers between jobs.

Workers start from a fork server that has already imported the engine's modules, not by
forking the caller: the caller runs fetch threads (and, embedded, a web server), and a
fork of a threaded process can inherit a held lock. A worker that dies (killed, out of
memory) breaks the pool; `discard` drops it and the next `shared` call makes a new one.
With Redis configured the queue's `flask worker` processes do this work instead, one
feed per job (`planner.tasks.poll_feed_job`).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import Executor, ProcessPoolExecutor

import nlp
from nlp import settings as nlp_settings

# More processes than cores only adds memory (~150 MB each with the pipeline loaded).
MAX_PROCESSES = 4
_PRELOAD = ["planner.services.feeds.digest", "nlp.pipeline"]

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def default_processes() -> int:
    """One worker per core, at most `MAX_PROCESSES`."""
    return max(1, min(os.cpu_count() or 1, MAX_PROCESSES))


def _initialize(model: str | None, max_new_strings: int) -> None:
    """Configure the engine as the app did and load the pipeline before the first job."""
    nlp.configure(model=model, max_new_strings=max_new_strings)
    _ = nlp.default_engine().nlp


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def shared(processes: int) -> Executor:
    """The process pool, made on first use with `processes` workers and then reused."""
    global _pool, _pool_size
    with _lock:
        if _pool is None or _pool_size != processes:
            if _pool is not None:
                _pool.shutdown(wait=False, cancel_futures=True)
            _pool = ProcessPoolExecutor(
                max_workers=processes,
                mp_context=_context(),
                initializer=_initialize,
                initargs=(nlp_settings.model(), nlp_settings.max_new_strings()),
            )
            _pool_size = processes
        return _pool


def _ready() -> int:
    return os.getpid()


def warm_up(processes: int) -> None:
    """Start every worker now (each loads spaCy once), e.g. before a timed or large batch."""
    pool = shared(processes)
    for future in [pool.submit(_ready) for _ in range(processes)]:
        future.result()


def discard(pool: Executor) -> None:
    """Drop a broken pool (a worker died), so the next `shared` call starts a fresh one."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)
