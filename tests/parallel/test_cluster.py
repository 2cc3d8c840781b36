"""``ingest --cluster``: Dask workers prepare, this process writes — the archive of a plain
ingest; a worker killed mid-run loses nothing; ``--to-parquet`` then ``load`` gives the same
archive again."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import dask
import pytest
from distributed import Client, LocalCluster
from inputs import corpus_slice, same_archive, slice_warc
from typer.testing import CliRunner

from cunzhao import Archive, ClusterUnavailable, IngestResult
from cunzhao.cli import app
from cunzhao.scale.cluster import cluster_map, open_client
from cunzhao.scale.parquet import MANIFEST
from cunzhao.scale.tasks import FilesTask, Task


@pytest.fixture(scope="module")
def threads() -> Iterator[str]:
    """A scheduler with two single-threaded workers inside this process (cheap to start)."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The input (files and a WARC) and the archive a plain serial ingest makes of it."""
    base = tmp_path_factory.mktemp("plain")
    folder = corpus_slice(base / "input", every=4)
    slice_warc(folder / "crawl.warc.gz", corpus_slice(base / "other", every=12, offset=1))
    location = str(base / "plain.db")
    with Archive.open(location, create=True) as archive:
        archive.ingest([folder], jobs=1)
    return folder, location


def test_a_cluster_of_two_workers_writes_the_plain_archive(
    threads: str, plain: tuple[Path, str], tmp_path: Path
) -> None:
    folder, expected = plain
    with Archive.open(tmp_path / "dask.db", create=True) as archive:
        summary = archive.ingest([folder], cluster=threads)
    assert summary.counts["ingested"] > 80 and not summary.failed
    same_archive(str(tmp_path / "dask.db"), expected)


@pytest.mark.filterwarnings("ignore:Port 8787 is already in use")
def test_a_worker_killed_mid_run_loses_nothing(plain: tuple[Path, str], tmp_path: Path) -> None:
    folder, expected = plain
    killed: list[tuple[int, int]] = []  # (pid, keys it held or was running)
    with open_client("local:2") as client:
        def kill_one(result: IngestResult) -> None:
            if killed:
                return
            pids = client.run(os.getpid)
            busy = {a: len(keys) for a, keys in client.processing().items()}
            for address, keys in client.has_what().items():
                busy[address] = busy.get(address, 0) + len(keys)
            victim = max(pids, key=lambda a: busy.get(a, 0))
            os.kill(pids[victim], signal.SIGKILL)
            killed.append((pids[victim], busy.get(victim, 0)))

        with Archive.open(tmp_path / "killed.db", create=True) as archive:
            summary = archive.ingest([folder], kill_one, cluster=client.scheduler.address,
                                     batch_size=10)
        client.wait_for_workers(2, timeout=60)
        after = set(client.run(os.getpid).values())
    assert killed and killed[0][1] > 0, "the worker killed had work in hand"
    assert killed[0][0] not in after
    assert not summary.failed
    same_archive(str(tmp_path / "killed.db"), expected)


def test_to_parquet_then_load_writes_the_plain_archive(
    threads: str, plain: tuple[Path, str], tmp_path: Path
) -> None:
    folder, expected = plain
    parts = tmp_path / "parts"
    runner = CliRunner()
    wrote = runner.invoke(app, ["ingest", str(folder), "--cluster", threads,
                                "--to-parquet", str(parts)])
    assert wrote.exit_code == 0, wrote.output
    assert "partitions" in wrote.output and (parts / MANIFEST).is_file()
    assert len(list(parts.glob("part-*.parquet"))) >= 4
    loaded = runner.invoke(app, ["load", str(parts), "--db", str(tmp_path / "loaded.db")])
    assert loaded.exit_code == 0, loaded.output
    same_archive(str(tmp_path / "loaded.db"), expected)
    again = runner.invoke(app, ["load", str(parts), "--db", str(tmp_path / "loaded.db")])
    assert again.exit_code == 0 and "0 ingested" in again.output  # idempotent by sha256


def test_load_refuses_partitions_of_a_run_that_did_not_finish(
    plain: tuple[Path, str], tmp_path: Path
) -> None:
    folder, _ = plain
    parts = tmp_path / "parts"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(folder), "-j", "2", "--to-parquet",
                               str(parts)]).exit_code == 0
    db = str(tmp_path / "a.db")
    (parts / "part-000001.parquet").unlink()
    missing = runner.invoke(app, ["load", str(parts), "--db", db])
    assert missing.exit_code == 2 and "part-000001.parquet" in missing.output
    (parts / MANIFEST).unlink()
    unfinished = runner.invoke(app, ["load", str(parts), "--db", db])
    assert unfinished.exit_code == 2 and "did not finish" in unfinished.output


def test_a_cluster_that_cannot_be_used_is_named(tmp_path: Path) -> None:
    with pytest.raises(ClusterUnavailable, match="number of workers"), open_client("local:x"):
        pass
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = CliRunner().invoke(app, ["ingest", str(tmp_path), "--db",
                                          str(tmp_path / "a.db"), "--cluster", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2 and "no Dask scheduler at tcp://127.0.0.1:9" in result.output


def _die_on_the_second(index: int, task: Task) -> int:
    if index == 1:
        os._exit(1)  # the worker process dies, every time it runs this task
    return index


def test_a_task_that_keeps_killing_workers_is_named_and_the_rest_go_on() -> None:
    with dask.config.set({"distributed.scheduler.allowed-failures": 2}), LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, Client(cluster) as client:
        tasks = [FilesTask(()) for _ in range(4)]
        got = list(cluster_map(client, _die_on_the_second, tasks, lambda task, why: why))
    assert isinstance(got[1], str) and "workers died" in got[1]
    # a task queued on a worker as it died counts that death too: it may fail with the poison
    # (named the same way), and never comes back as another task's result
    assert all(g == i or (isinstance(g, str) and "workers died" in g) for i, g in enumerate(got))
    assert any(g == i for i, g in enumerate(got))
