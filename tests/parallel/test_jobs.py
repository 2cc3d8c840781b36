"""``ingest --jobs N``: worker processes prepare, this process writes — the archive of a
serial ingest, table by table, on both backends; results come back in plan order."""

from __future__ import annotations

import os
import time
from pathlib import Path

from inputs import corpus_slice, same_archive, slice_warc
from typer.testing import CliRunner

from cunzhao import Archive
from cunzhao.cli import app
from cunzhao.scale.pool import pool_map
from cunzhao.scale.tasks import FilesTask, Task, plan


def _input(tmp_path: Path) -> Path:
    """A corpus slice as files (several tasks of 32) and a WARC of another slice."""
    folder = corpus_slice(tmp_path / "input")
    slice_warc(folder / "crawl.warc.gz", corpus_slice(tmp_path / "other", every=9, offset=1))
    return folder


def test_jobs_2_writes_the_archive_of_jobs_1(archive_location: str, other_location: str,
                                            tmp_path: Path) -> None:
    folder = _input(tmp_path)
    assert len(list(plan([folder]))) >= 4
    with Archive.open(archive_location, create=True) as archive:
        serial = archive.ingest([folder], jobs=1)
    with Archive.open(other_location, create=True) as archive:
        parallel = archive.ingest([folder], jobs=2)
    assert serial.counts == parallel.counts
    assert serial.counts["ingested"] > 100 and serial.counts["stored"] == 1
    same_archive(archive_location, other_location)


def test_cli_ingest_takes_jobs(tmp_path: Path) -> None:
    folder = _input(tmp_path)
    runner = CliRunner()
    one = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "a.db"), "-j", "1"])
    two = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "b.db"), "--jobs",
                              "2"])
    assert one.exit_code == two.exit_code == 0, one.output + two.output
    assert one.output == two.output and " ingested" in one.output
    same_archive(str(tmp_path / "a.db"), str(tmp_path / "b.db"))


def _where(index: int, task: Task) -> tuple[int, int]:
    time.sleep(0.05 * (index % 3 == 0))  # some finish late: order must not follow finishing
    return index, os.getpid()


def test_workers_are_other_processes_and_results_come_in_order() -> None:
    tasks = [FilesTask(()) for _ in range(9)]
    results = list(pool_map(_where, tasks, 2))
    assert [i for i, _ in results] == list(range(9))
    assert os.getpid() not in {pid for _, pid in results}
    assert [i for i, pid in pool_map(_where, tasks[:1], 2)] == [0]  # one task: done here
    assert {pid for _, pid in pool_map(_where, tasks[:1], 2)} == {os.getpid()}
