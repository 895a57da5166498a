"""Work on many workbooks at once: one process per core, the results in the order given.

A national batch is a thousand workbooks, each read, interpreted and validated on its own
(about 0,1 s of CPU each, 85 % of a batch). :func:`map_in_processes` spreads such a function
over a pool of processes, one per usable core, and gives the results in the order of the
inputs, exactly what ``[function(item) for item in items]`` gives: the function must be a
module-level function of its item alone, its item and result picklable.

It stays in this process, one item after the other, when a pool would not pay or cannot run:
fewer than :data:`MIN_ITEMS` items, one usable core, a frozen executable (its children would
start the application again), inside a pool worker, or ``THIDUA_WORKERS=1``.
``THIDUA_WORKERS=N`` sets the number of processes. If the pool itself breaks (a worker killed,
a process that cannot be started) the items are done here instead, so the run still ends with
the same results; an exception the function raises is raised as it is.

Only the parent writes files: workers compute and return. On Windows (and macOS) workers start
as fresh interpreters that import the function's module, so a module whose import has effects
would repeat them; this package's modules have none.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Generator, Sequence
from itertools import islice
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Fewer items than this are done in this process: below about a second of work, starting the
#: workers and copying the results to and fro cost about what the second core saves (measured:
#: the pool's CPU time is about 1,25 times a single process's at 10 workbooks).
MIN_ITEMS = 12
#: Items sent to a worker at a time: fewer round trips, and still an even share at the end.
CHUNK = 4
#: Chunks given out ahead per worker (see :func:`imap_in_processes`): enough that no worker
#: waits for its next chunk while the caller takes a result.
AHEAD = 2


def usable_cores() -> int:
    """The cores this process may run on (its affinity where the system tells it)."""
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        try:
            return max(1, len(affinity(0)))
        except OSError:
            pass
    return max(1, os.cpu_count() or 1)


def workers_for(count: int) -> int:
    """How many processes :func:`map_in_processes` uses for ``count`` items (1: none)."""
    chosen = os.environ.get("THIDUA_WORKERS", "").strip()
    wanted = int(chosen) if chosen.isdigit() and int(chosen) > 0 else usable_cores()
    if count < MIN_ITEMS or getattr(sys, "frozen", False) or _in_a_worker():
        return 1
    return max(1, min(wanted, count // 2, 61))  # Windows allows at most 61 workers


def map_in_processes(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    imports: Sequence[str] = (),
    each: Callable[[int, Result], object] | None = None,
) -> list[Result]:
    """``[function(item) for item in items]``, computed by a pool of processes (see the
    module for when it is not, and what a broken pool does).

    ``imports`` names the modules ``function`` imports when it runs: with a pool they are
    imported here first, so that workers started by forking this process have them already
    (else each worker imports them again: openpyxl alone is 0,2 s). ``each(n, result)`` is
    called here for every result as it arrives, in order (``n`` counts from 1): a progress
    display, or work the parent does on each result while the workers go on.
    """
    results: list[Result] = []
    for result in imap_in_processes(function, items, imports=imports):
        results.append(result)
        if each is not None:
            each(len(results), result)
    return results


def imap_in_processes(
    function: Callable[[Item], Result], items: Sequence[Item], *, imports: Sequence[str] = ()
) -> Generator[Result, None, None]:
    """The results of :func:`map_in_processes` one at a time, in order, as they arrive.

    At most :data:`AHEAD` chunks of :data:`CHUNK` items are given to the workers ahead of the
    result the caller is taking, so the results waiting for the caller stay few however many
    items there are: a caller that writes each result and lets it go keeps memory bounded
    (a national batch: a thousand workbooks, a megabyte of documents each). A caller that stops
    (an error, Ctrl-C: the generator is closed) waits for the chunks given out, no more: the
    executor has queued them for its workers already (its queue holds one call more than it has
    workers), so cancelling them would save nothing.
    """
    workers = workers_for(len(items))
    if workers == 1:
        yield from map(function, items)
        return
    import importlib
    from concurrent.futures import Future, ProcessPoolExecutor  # imported only when a pool runs
    from concurrent.futures.process import BrokenProcessPool

    for name in imports:
        importlib.import_module(name)
    given = 0
    chunks = (items[start : start + CHUNK] for start in range(0, len(items), CHUNK))
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            pending: deque[Future[list[Result]]] = deque(
                pool.submit(_chunk, function, chunk) for chunk in islice(chunks, AHEAD * workers)
            )
            while pending:
                done = pending.popleft().result()
                pending.extend(pool.submit(_chunk, function, c) for c in islice(chunks, 1))
                for result in done:
                    given += 1
                    yield result
    except (BrokenProcessPool, OSError):
        yield from map(function, items[given:])  # what the broken pool did not give, done here


def _chunk(function: Callable[[Item], Result], chunk: Sequence[Item]) -> list[Result]:
    """One chunk of items in a worker."""
    return [function(item) for item in chunk]


def _in_a_worker() -> bool:
    """Whether this process is a pool's worker (without importing :mod:`multiprocessing`, which
    a worker has always imported)."""
    multiprocessing = sys.modules.get("multiprocessing")
    return multiprocessing is not None and multiprocessing.parent_process() is not None
