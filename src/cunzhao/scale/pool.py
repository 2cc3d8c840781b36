"""Worker processes on this machine (``cunzhao ingest --jobs N``).

The caller's process stays the one writer; ``jobs`` worker processes take the tasks of
:func:`~cunzhao.scale.tasks.plan` — read, decode, parse, extract, tokenise — a few ahead of
the writer, and their items come back in plan order, so the archive is the one a serial
ingest writes. Input too small to be worth the workers' start (a single task) is prepared
here. On Linux the workers are forked from the writer once it has imported the pipeline and
loaded the lexicons (``scale.warm``), so each costs a fork, not an interpreter; they are all
started before the writer opens a transaction, and touch nothing of the writer's but the
task queue. Elsewhere they are spawned (the calling script needs the usual
``if __name__ == "__main__":`` guard).
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from multiprocessing.context import BaseContext
from typing import TypeVar

from cunzhao.scale.tasks import Task

__all__ = ["AHEAD", "default_jobs", "pool_map"]

R = TypeVar("R")

AHEAD = 2
"""Tasks queued per worker beyond the one it works on: enough to keep it busy while the
writer commits, few enough to keep memory flat."""


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def pool_map(fn: Callable[[int, Task], R], tasks: Iterable[Task], jobs: int) -> Iterator[R]:
    """``fn(i, task)`` for each task, in order, run by ``jobs`` worker processes (here, when
    ``jobs`` is 1 or there is only one task). ``fn`` must pickle (a module's function, or a
    ``functools.partial`` of one)."""
    pending = enumerate(tasks)
    head = list(islice(pending, 2))
    if jobs <= 1 or len(head) < 2:
        for i, task in chain(head, pending):
            yield fn(i, task)
        return
    pool = ProcessPoolExecutor(jobs, mp_context=_context())
    window: deque[Future[R]] = deque()
    try:
        for i, task in chain(head, pending):
            window.append(pool.submit(fn, i, task))
            if len(window) > jobs * (AHEAD + 1):
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _context() -> BaseContext:
    """Fork on Linux, once what a worker needs is loaded here; spawn elsewhere."""
    if sys.platform != "linux":
        return multiprocessing.get_context("spawn")
    importlib.import_module("cunzhao.scale.warm")
    return multiprocessing.get_context("fork")
