"""Ingest throughput and peak memory, beside the floor of reading and parsing the same files.

    python bench/ingest.py [--corpus DIR] [--copies 1,4] [--jobs 1,2] [--repeat 2]

For each size (the corpus copied N times, each copy under new URLs so that every file is a
new document), it prints:
  floor   — read every file and parse it (decode, header, card, clean text), in this process;
  ingest  — ``Archive.ingest(jobs=N)`` into a fresh SQLite file (preserve + parse + extract +
            store + index), in a child process, with that process's peak resident memory;
            ``jobs`` > 1: N forked workers prepare, the child writes (issue 13);
  startup — that process's one-off cost before the first file: imports, opening the archive,
            loading the extraction lexicons (timed apart from the rate);
  cpu     — CPU seconds of the writer (the child) and of its workers, which say what the
            speed-up would be on idle cores: serial CPU / max(writer, all CPU / cores).
The ratio ingest/floor shows how close ingest is to the cost of parsing alone; ``speed-up``
is the rate over that of ``jobs`` 1. Each (size, jobs) runs ``--repeat`` times, alternating,
and the best run is shown; the load average before and after says how busy the machine was
(a shared machine gives noisy rates: read the CPU columns too).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cunzhao.capture.model import Capture
from cunzhao.parse import parse_capture

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_URL_LINE = re.compile(rb"^((?:<!--\d+-->\n)?\[.*?\]\()([^)\s]+)(\))", re.DOTALL)

_CHILD = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from cunzhao.archive import Archive
from cunzhao.extract import extract
from cunzhao.extract.lexicon import lexicon
import cunzhao.parse, cunzhao.search.indexer, cunzhao.scale.warm
archive = Archive.open(sys.argv[1])
lexicon()
startup = time.perf_counter() - start
start, cpu = time.perf_counter(), time.process_time()
summary = archive.ingest([Path(sys.argv[2])], jobs=int(sys.argv[3]))
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
workers = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "startup": startup, "counts": summary.counts,
                  "peak_mb": peak, "cpu": cpu,
                  "workers_cpu": workers.ru_utime + workers.ru_stime}))
"""


def build_copies(corpus: Path, copies: int, out: Path) -> int:
    """Write ``copies`` copies of every corpus page under ``out``, copy k at ``url?copy=k``."""
    pages = sorted(p for p in corpus.rglob("*.md") if p.name != "README.md")
    n = 0
    for k in range(copies):
        folder = out / f"copy{k}"
        folder.mkdir(parents=True)
        for i, path in enumerate(pages):
            data = path.read_bytes()
            if k:
                suffix = f"?copy={k}".encode()
                data = _URL_LINE.sub(lambda m, s=suffix: m[1] + m[2] + s + m[3], data, 1)
            (folder / f"{i:05d}.md").write_bytes(data)
            n += 1
    return n


def floor(folder: Path) -> tuple[int, float]:
    start = time.perf_counter()
    n = 0
    for path in sorted(folder.rglob("*.md")):
        parse_capture(Capture(path.read_bytes(), str(path)))
        n += 1
    return n, time.perf_counter() - start


def ingest_run(folder: Path, archive: Path, jobs: int) -> dict[str, Any]:
    """One ingest of ``folder`` into a new SQLite ``archive`` in a child process."""
    for old in archive.parent.glob(archive.name + "*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    child = subprocess.run([sys.executable, "-c", _CHILD, str(archive), str(folder), str(jobs)],
                           check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return result


def estimate(serial: dict[str, Any], run: dict[str, Any], jobs: int) -> float:
    """The speed-up on ``jobs`` idle cores from CPU time alone: the serial run's CPU over the
    larger of the writer's CPU and all CPU spread over the cores."""
    total = run["cpu"] + run["workers_cpu"]
    return float(serial["cpu"] + serial["workers_cpu"]) / max(run["cpu"], total / jobs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--copies", default="1,4")
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    jobs = sorted({1, *(int(j) for j in args.jobs.split(","))})
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'files':>7} {'jobs':>4} {'floor docs/s':>13} {'ingest docs/s':>14} {'ratio':>6} "
          f"{'speed-up':>8} {'writer cpu':>10} {'workers cpu':>11} {'idle-core est.':>14} "
          f"{'peak MB':>8} {'startup s':>10}")
    for copies in (int(c) for c in args.copies.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            files = Path(tmp) / "files"
            n = build_copies(args.corpus, copies, files)
            _, floor_s = floor(files)
            best: dict[int, dict[str, Any]] = {}
            for _ in range(args.repeat):
                for j in jobs:
                    run = ingest_run(files, Path(tmp) / "bench.db", j)
                    if j not in best or run["seconds"] < best[j]["seconds"]:
                        best[j] = run
            for j in jobs:
                run = best[j]
                floor_rate, ingest_rate = n / floor_s, n / run["seconds"]
                print(f"{n:>7} {j:>4} {floor_rate:>13.0f} {ingest_rate:>14.0f} "
                      f"{ingest_rate / floor_rate:>6.2f} "
                      f"{best[1]['seconds'] / run['seconds']:>7.2f}× {run['cpu']:>10.2f} "
                      f"{run['workers_cpu']:>11.2f} {estimate(best[1], run, j):>13.2f}× "
                      f"{run['peak_mb']:>8.0f} {run['startup']:>10.2f}")
            print(f"        counts: {best[1]['counts']}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
