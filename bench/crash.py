"""Kill -9 an ingest at random points, many times, and check every resumed archive.

    python bench/crash.py [--runs 20] [--backend sqlite|postgresql|both] [--every 1]
                          [--max-kills 3] [--seed N]

Each run ingests the shared corpus (``--every N``: one document in N, with all its versions)
into a fresh archive with a random batch size (3, 20 or 200), kills the ingest with SIGKILL
1 to ``--max-kills`` times at random moments — importing, creating the schema, inside a
batch, at a commit — restarting it after each kill, then lets it finish and compares every
table and a few searches with a clean ingest by natural keys (``tests/store/crashes.py``).
PostgreSQL runs use fresh databases on ``$CUNZHAO_TEST_PG``. Prints one JSON line per run
and a summary: runs, kills, kills that interrupted a running ingest, where they fell (versions
committed at the kill, from none to all), and the seeds of runs that did not recover.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path[:0] = [str(TESTS), str(TESTS / "store")]

from crashes import (
    crash_and_resume,
    crash_pages,
    differences,
    finish,
    natural_contents,
    start_ingest,
)

from testenv import fresh_pg_database


def _archive(stack: ExitStack, backend: str, folder: Path, name: str) -> str:
    if backend == "postgresql":
        return str(stack.enter_context(fresh_pg_database(name)))
    return str(folder / f"{name}.db")


def _backend(backend: str, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    pages = crash_pages(folder / "pages", args.every)
    rng = random.Random(args.seed)
    with ExitStack() as stack:
        clean_location = _archive(stack, backend, folder, "clean")
        seconds = finish(start_ingest(clean_location, pages, 200))
        clean = natural_contents(clean_location)
    total = sum(clean["versions"].values())
    kills = interrupted = 0
    buckets = {"before the schema": 0, "none committed": 0, "some committed": 0,
               "all committed": 0}
    failed: list[int] = []
    for number in range(args.runs):
        seed = rng.randrange(1 << 30)
        with ExitStack() as stack:
            location = _archive(stack, backend, folder, f"crash{number}")
            run = crash_and_resume(location, pages, seed=seed,
                                   kills=rng.randint(1, args.max_kills),
                                   longest=seconds * 1.2)
            found = differences(natural_contents(location), clean)
        kills += len(run.delays)
        interrupted += run.interrupted
        for committed in run.committed:
            key = ("before the schema" if committed < 0 else "none committed" if committed == 0
                   else "all committed" if committed == total else "some committed")
            buckets[key] += 1
        if found:
            failed.append(seed)
        print(json.dumps({"backend": backend, "seed": seed, "batch_size": run.batch_size,
                          "delays": run.delays, "committed": run.committed,
                          "recovered": not found, "differences": found[:5]},
                         ensure_ascii=False), flush=True)
    return {"backend": backend, "pages": total, "clean_seconds": round(seconds, 2),
            "runs": args.runs, "kills": kills, "interrupted": interrupted,
            "kill_points": buckets, "recovered": args.runs - len(failed),
            "failed_seeds": failed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per backend")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--every", type=int, default=1, help="one document in N")
    parser.add_argument("--max-kills", type=int, default=3)
    parser.add_argument("--seed", type=int, default=random.randrange(1 << 30))
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    summaries = []
    with tempfile.TemporaryDirectory(prefix="cunzhao-crash-") as tmp:
        for backend in backends:
            folder = Path(tmp) / backend
            folder.mkdir()
            summaries.append(_backend(backend, args, folder))
    print(json.dumps({"seed": args.seed, "summaries": summaries}, ensure_ascii=False))
    sys.exit(1 if any(s["failed_seeds"] for s in summaries) else 0)


if __name__ == "__main__":
    main()
