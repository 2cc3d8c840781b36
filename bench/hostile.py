"""Hostile pages through ``cunzhao ingest``: wall time and peak memory of each, one process each.

    python bench/hostile.py [--only NAME ...] [--timeout 60]

The files are those of the hostile-input tests (``tests/hardening/hostile_pages.py``: long
unpunctuated clauses, deep nesting, a 2 MB single-line page, a 50 MB page, damaged and
truncated bytes …), generated into a temporary folder. Each is ingested into a fresh SQLite
archive by a child process; the table shows the ingest's wall time, the process's CPU time
(start-up included) and peak RSS, and what came of the file.
A file still running after ``--timeout`` seconds is killed and shown as such.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "hardening"))

import hostile_pages  # the test suite's generator, found on the path above


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", nargs="*", help="builder names (default: all)")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    names = args.only or list(hostile_pages.BUILDERS)
    print(f"{'file':28} {'bytes':>11} {'seconds':>8} {'CPU s':>7} {'peak MB':>8}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in names:
            case = hostile_pages.BUILDERS[name](folder)
            size = case.path.stat().st_size
            got = hostile_pages.measure(case.path, folder / f"{case.path.name}.db", args.timeout)
            if got.timed_out:
                outcome = f"still running after {args.timeout:.0f} s: killed"
            elif not got.counts:
                outcome = f"crashed: {got.stderr.strip().splitlines()[-1:]}"
            else:
                outcome = ", ".join(f"{k} {v}" for k, v in got.counts.items())
                outcome += "".join(f" — {e}" for e in got.errors)
            print(f"{name:28} {size:>11,} {got.seconds:>8.2f} {got.cpu_seconds:>7.2f} "
                  f"{got.rss_mb:>8.0f}  {outcome}", flush=True)
            case.path.unlink()


if __name__ == "__main__":
    main()
