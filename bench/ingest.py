"""Ingest throughput and peak memory, beside the floor of reading and parsing the same files.

    python bench/ingest.py [--corpus DIR] [--copies 1,4]

For each size (the corpus copied N times, each copy under new URLs so that every file is a
new document), it prints:
  floor   — read every file and parse it (decode, header, card, clean text), in this process;
  ingest  — ``Archive.ingest`` into a fresh SQLite file (preserve + parse + extract + store +
            index), in a child process, with that process's peak resident memory;
  startup — that process's one-off cost before the first file: imports, opening the archive,
            loading the extraction lexicons (timed apart from the rate).
The ratio ingest/floor shows how close ingest is to the cost of parsing alone.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
import cunzhao.parse, cunzhao.search.indexer
archive = Archive.open(sys.argv[1])
lexicon()
startup = time.perf_counter() - start
start = time.perf_counter()
summary = archive.ingest([Path(sys.argv[2])])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "startup": startup, "counts": summary.counts,
                  "peak_mb": peak}))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--copies", default="1,4")
    args = parser.parse_args()
    print(f"{'files':>7} {'floor docs/s':>13} {'ingest docs/s':>14} {'ratio':>6} {'peak MB':>8} "
          f"{'startup s':>10}")
    for copies in (int(c) for c in args.copies.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            files = Path(tmp) / "files"
            n = build_copies(args.corpus, copies, files)
            _, floor_s = floor(files)
            child = subprocess.run(
                [sys.executable, "-c", _CHILD, str(Path(tmp) / "bench.db"), str(files)],
                check=True, capture_output=True, text=True,
            )
            result = json.loads(child.stdout.strip().splitlines()[-1])
            floor_rate, ingest_rate = n / floor_s, n / result["seconds"]
            print(f"{n:>7} {floor_rate:>13.0f} {ingest_rate:>14.0f} "
                  f"{ingest_rate / floor_rate:>6.2f} {result['peak_mb']:>8.0f} "
                  f"{result['startup']:>10.2f}")
            print(f"        counts: {result['counts']}")


if __name__ == "__main__":
    main()
