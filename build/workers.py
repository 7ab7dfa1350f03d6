"""Per-document work spread over the machine's cores, in the order given.

Documents are parsed independently of each other, so the two costly
per-document steps (blocks of a body, provisions of a text) can run in one
process per core. Results come back in input order and are merged exactly as
a sequential run would merge them, so the output does not depend on how many
processes did the work (``tests/test_build.py`` builds both ways and compares).

Small sources stay in one process: starting the workers costs more than
they save below :data:`PARALLEL_FROM_DOCUMENTS` documents with text.

>>> with Workers(1) as w:
...     w.map(abs, [-1, 2, -3])
[1, 2, 3]
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from .errors import BuildError

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM_DOCUMENTS = 40
# Items sent to a worker at once: fewer round trips, still balanced.
_CHUNKSIZE = 4


def worker_count(documents_with_text: int, requested: int | None = None) -> int:
    """How many processes to use: ``requested`` if given, else one per core for a large source."""
    if requested is not None:
        if requested < 1:
            raise ValueError(f"workers must be at least 1, found {requested}")
        return requested
    if documents_with_text < PARALLEL_FROM_DOCUMENTS:
        return 1
    return usable_cpus()


def usable_cpus() -> int:
    """The CPUs this process may run on (a container's limit, not the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def init_worker() -> None:
    """Run in every worker process first.

    A forked worker inherits the build's SIGTERM handler, which unwinds
    instead of exiting; the pool ends workers with SIGTERM when one of them
    dies, so the handler would leave them blocked on a pipe nobody reads.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def broken(exc: BrokenProcessPool) -> BuildError:
    """The error a build reports when a worker process died (killed, out of memory)."""
    return BuildError(f"a worker process died ({exc}); nothing was written. Rerun with --workers 1 to parse "
                      "in one process (and call build() from a script under "
                      "`if __name__ == \"__main__\":`, as workers are started afresh)")


class Workers:
    """``map`` in this process (one worker) or in a process pool (several)."""

    def __init__(self, count: int, setup: Callable[..., None] = init_worker, setup_args: tuple = ()) -> None:
        """``setup(*setup_args)`` runs first in each worker process; it must call :func:`init_worker`."""
        self.count = count
        self._setup = setup
        self._setup_args = setup_args
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        if self.count > 1:
            # Fresh interpreters, not forks: the build may run in a process with
            # other libraries' threads (DuckDB's, pyarrow's, numpy's), and a forked
            # child of such a process can crash on a lock one of them held (a test
            # run once died of SIGSEGV that way). Python 3.14 no longer forks by
            # default either.
            self._pool = ProcessPoolExecutor(max_workers=self.count, initializer=self._setup,
                                             initargs=self._setup_args,
                                             mp_context=multiprocessing.get_context("spawn"))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def map(self, func: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """``[func(x) for x in items]``; ``func`` must be a module-level function (it is pickled)."""
        items = list(items)
        if self._pool is None:
            return [func(x) for x in items]
        try:
            return list(self._pool.map(func, items, chunksize=_CHUNKSIZE))
        except BrokenProcessPool as exc:
            raise broken(exc) from None

