"""A Dask cluster as the workers (``ingest --cluster``, ``scan --cluster``).

``--cluster tcp://HOST:PORT`` connects to a running ``dask.distributed`` scheduler (every
worker must see the input paths, and the Parquet folder if one is written: shared storage);
``--cluster local:N`` starts a ``LocalCluster`` of N single-threaded worker processes here.
Dask schedules; nothing here does. Tasks are submitted a few per worker thread ahead of the
one whose result is awaited, and results are taken in plan order.

A worker that dies takes no record with it: the scheduler runs its tasks again elsewhere
(``distributed.scheduler.allowed-failures`` times), a task that raises is retried
(:data:`RETRIES`), and everything downstream is idempotent — the writer skips bytes it holds
(by sha256), a partition is rewritten whole. A task that keeps killing its workers is
reported as the failure of its input, and the run goes on.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from cunzhao.scale.tasks import Task

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = ["AHEAD", "RETRIES", "ClusterUnavailable", "cluster_map", "open_client"]

R = TypeVar("R")

RETRIES = 2
AHEAD = 3
"""Tasks submitted per worker thread beyond those running."""


class ClusterUnavailable(RuntimeError):
    """The cluster named cannot be used (a bad ``--cluster`` value, no scheduler there, Dask
    not installed); the message says why."""


@contextmanager
def open_client(spec: str) -> Iterator[Client]:
    """A client of the cluster ``spec``: ``local:N`` or a scheduler address."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterUnavailable(
            "Dask is not installed: pip install 'cunzhao[cluster]'"
        ) from None
    if spec.startswith("local:"):
        count = spec.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            raise ClusterUnavailable(f"--cluster {spec!r}: local:N needs a number of workers ≥ 1")
        with LocalCluster(n_workers=int(count), threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(spec)  # waits distributed.comm.timeouts.connect (30 s by default)
    except (OSError, ValueError, TimeoutError) as error:
        raise ClusterUnavailable(f"no Dask scheduler at {spec}: {error}") from None
    with client:
        yield client


def cluster_map(
    client: Client, fn: Callable[[int, Task], R], tasks: Iterable[Task],
    failed: Callable[[Task, str], R],
) -> Iterator[R]:
    """``fn(i, task)`` for each task on the cluster, in order; ``failed(task, why)`` stands
    for a task the cluster gave up on."""
    from distributed import KilledWorker

    run = uuid.uuid4().hex[:12]
    threads = max(1, sum(client.nthreads().values()))
    window: deque[tuple[Task, Future]] = deque()

    def settle() -> R:
        task, future = window.popleft()
        try:
            return future.result()  # type: ignore[no-any-return]
        except KilledWorker as error:
            return failed(task, f"Dask workers died running it: {error}")
        finally:
            future.release()

    for i, task in enumerate(tasks):
        window.append((task, client.submit(fn, i, task, key=f"cunzhao-{run}-{i}",
                                           retries=RETRIES, pure=False)))
        if len(window) > threads * (AHEAD + 1):
            yield settle()
    while window:
        yield settle()
