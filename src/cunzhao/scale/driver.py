"""The runs built on the tasks: prepared items for the writer, Parquet partitions, ``scan``.

Each run plans the input (``scale.tasks.plan``) and has the tasks done by worker processes
here (``jobs``) or by a Dask cluster (``cluster``); :func:`work` is what a worker does with
one task in either case. Results come back in plan order. Arrow and Parquet are loaded only
by the runs that use them (``--jobs`` hands Python objects back).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from cunzhao.capture.model import CaptureError
from cunzhao.scale.cluster import cluster_map, open_client
from cunzhao.scale.pool import pool_map
from cunzhao.scale.prepare import Prepared
from cunzhao.scale.tasks import Output, Ready, Screen, Task, plan, run_task

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Done", "ScanReport", "prepared_items", "scan", "work", "write_parquet"]


@dataclass
class Done:
    """What a worker reports for one task: counts, and the items as an Arrow table unless
    it wrote them to a partition."""

    read: int
    passed: int
    with_facts: int
    failed: int
    items: int
    table: pa.Table | None = None


@dataclass(frozen=True)
class ScanReport:
    """What a scan (or a ``--to-parquet`` run) did: captures ``read``, pages ``kept`` (that
    passed the prefilter; every capture without one), kept pages ``with_facts``, sources
    that ``failed``; ``partitions`` written (0: none asked for); wall-clock ``seconds``."""

    read: int
    kept: int
    with_facts: int
    failed: int
    partitions: int
    seconds: float

    @property
    def read_rate(self) -> float:
        """Captures read per second."""
        return self.read / self.seconds if self.seconds else 0.0

    @property
    def kept_rate(self) -> float:
        """Pages kept per second."""
        return self.kept / self.seconds if self.seconds else 0.0


def work(index: int, task: Task, *, screen: Screen | None = None, folder: str | None = None,
         hand_back: bool = True) -> Done:
    """Do task ``index``: read, screen, prepare; write partition ``index`` to ``folder`` or
    hand the items back as a table (``hand_back``), or only count them."""
    from cunzhao.scale.arrow import to_table
    from cunzhao.scale.parquet import write_partition

    out = run_task(task, screen)
    done = Done(out.read, out.passed, _with_facts(out), out.failed, len(out.items))
    if folder is not None:
        write_partition(Path(folder), index, to_table(out.items))
    elif hand_back:
        done.table = to_table(out.items)
    return done


def prepared_items(paths: Iterable[Path], *, jobs: int = 1,
                   cluster: str | None = None) -> Generator[Ready, None, None]:
    """The items of ``paths``, prepared by ``jobs`` processes here or on ``cluster``, in
    the order a serial ingest reads them (``cunzhao.ingest.ingest_items`` writes them)."""
    tasks = plan(paths)
    if cluster is None:
        for output in pool_map(_prepare, tasks, jobs):
            yield from output.items
        return
    from cunzhao.scale.arrow import from_table

    for done in _done(work, tasks, jobs=jobs, cluster=cluster):
        if done.table is not None:
            yield from from_table(done.table)


def write_parquet(paths: Iterable[Path], folder: Path, *, jobs: int = 1,
                  cluster: str | None = None, screen: Screen | None = None) -> ScanReport:
    """Prepare ``paths`` into Parquet partitions in ``folder`` (``cunzhao load`` reads
    them); with ``screen``, only the pages it passes."""
    start = time.perf_counter()
    fn = partial(work, screen=screen, folder=str(folder.resolve()))
    return _report(_done(fn, plan(paths), jobs=jobs, cluster=cluster), start, folder)


def scan(paths: Iterable[Path], *, jobs: int = 1, cluster: str | None = None,
         to_parquet: Path | None = None) -> ScanReport:
    """Read ``paths`` through the extractor's keyword prefilter and prepare the pages that
    pass (into ``to_parquet`` partitions, when given); report the rates."""
    from cunzhao.scale.prefilter import Prefilter

    screen = Prefilter.from_lexicon().screen
    if to_parquet is not None:
        return write_parquet(paths, to_parquet, jobs=jobs, cluster=cluster, screen=screen)
    start = time.perf_counter()
    fn = partial(work, screen=screen, hand_back=False)
    return _report(_done(fn, plan(paths), jobs=jobs, cluster=cluster), start, None)


def _prepare(index: int, task: Task) -> Output:
    return run_task(task)


def _done(fn: Callable[[int, Task], Done], tasks: Iterable[Task], *, jobs: int,
          cluster: str | None) -> Iterator[Done]:
    if cluster is None:
        yield from pool_map(fn, tasks, jobs)
        return
    with open_client(cluster) as client:
        yield from cluster_map(client, fn, tasks, _lost)


def _lost(task: Task, why: str) -> Done:
    """A task the cluster gave up on: its input, as one failure."""
    from cunzhao.scale.arrow import to_table

    return Done(0, 0, 0, 1, 1, to_table([CaptureError(task.label, f"not read: {why}")]))


def _report(done: Iterable[Done], start: float, folder: Path | None) -> ScanReport:
    """Add the counts up; with ``folder``, write the partition of a task the cluster gave up
    on (its failure, so that ``load`` reports it) and, last, the manifest."""
    from cunzhao.scale.parquet import write_manifest, write_partition

    read = kept = with_facts = failed = partitions = 0
    for index, result in enumerate(done):
        read, kept = read + result.read, kept + result.passed
        with_facts, failed = with_facts + result.with_facts, failed + result.failed
        partitions += 1
        if folder is not None and result.table is not None:
            write_partition(folder, index, result.table)
    report = ScanReport(read, kept, with_facts, failed, partitions if folder else 0,
                        time.perf_counter() - start)
    if folder is not None:
        write_manifest(folder, partitions, {"read": read, "kept": kept,
                                            "with_facts": with_facts, "failed": failed})
    return report


def _with_facts(out: Output) -> int:
    return sum(1 for item in out.items
               if isinstance(item, Prepared) and item.facts and (item.facts.stats
                                                                 or item.facts.cases))
