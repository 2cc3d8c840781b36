"""WARC reading speed and memory, beside warcio's own bare iteration over the same file.

    python bench/warc.py [--corpus DIR] [--size-mb 200] [--ingest 1000] [--repeat 3] [--keep DIR]

Builds a gzip WARC of about ``--size-mb`` MB on disk from the corpus pages (each page many
times over under new URLs, 2 % of records as revisits, every record with a payload digest),
then times, each pass in a fresh child process with its own peak resident memory (the two
reading passes alternate ``--repeat`` times; the best run of each is shown):

  warcio   — ``for record in ArchiveIterator(f): pass`` (decompress and skip; no digests);
  cunzhao  — ``iter_warc_captures``: payload read, digest checked, body decoded, revisits
             resolved, a Capture per record;
  cunzhao¼ — the same over a WARC a quarter the size, to show memory does not grow with it;
  ingest   — ``Archive.ingest`` of a WARC of the first ``--ingest`` records into a new SQLite
             archive (parse, extract, store, index): the full pipeline's rate.

Targets (issue 6): cunzhao ≥ 0.8× warcio's records/s; peak memory under 300 MB.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from warcio.archiveiterator import ArchiveIterator
from cunzhao.capture.warc import iter_warc_captures
kind, path = sys.argv[1], sys.argv[2]
if kind == "ingest":
    from cunzhao.archive import Archive
    archive = Archive.open(sys.argv[3])
start, cpu = time.perf_counter(), time.process_time()
if kind == "warcio":
    n = 0
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            n += record.rec_type in ("response", "revisit")
    counts = {"records": n}
elif kind == "cunzhao":
    counts = {}
    for item in iter_warc_captures(path):
        name = type(item).__name__
        counts[name] = counts.get(name, 0) + 1
    counts["records"] = sum(counts.values())
else:
    summary = archive.ingest([Path(path)])
    counts = dict(summary.counts, records=sum(summary.counts.values()))
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "counts": counts, "peak_mb": peak}))
"""


def build_warc(corpus: Path, out: Path, size_mb: float, limit: int | None = None) -> int:
    """Write corpus pages as response records (2 % revisits) until ``out`` reaches the size."""
    pages = sorted(p.read_bytes() for p in corpus.rglob("*.md") if p.name != "README.md")
    target = size_mb * 1024 * 1024
    written = 0
    seen: list[tuple[str, str, str]] = []  # (uri, date, digest) of earlier responses
    with open(out, "wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(out.name, {"software": "bench"}))
        while fh.tell() < target and (limit is None or written < limit):
            page = pages[written % len(pages)]
            uri = f"https://chinadigitaltimes.net/chinese/bench/{written}.html"
            date = f"2024-{1 + written % 12:02d}-{1 + written % 28:02d}T00:00:{written % 60:02d}Z"
            if written % 50 == 49 and seen:
                refers = seen[(written * 7) % len(seen)]
                revisit = writer.create_revisit_record(
                    uri, refers[2], refers[0], refers[1], warc_headers_dict={"WARC-Date": date}
                )
                writer.write_record(revisit)
            else:
                body = page + f"<!-- bench copy {written} -->\n".encode()
                digest = "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()
                http = StatusAndHeaders(
                    "200 OK",
                    [
                        ("Content-Type", "text/html; charset=utf-8"),
                        ("Content-Length", str(len(body))),
                    ],
                    protocol="HTTP/1.1",
                )
                record = writer.create_warc_record(
                    uri,
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=http,
                    warc_headers_dict={"WARC-Date": date, "WARC-Payload-Digest": digest},
                )
                writer.write_record(record)
                if len(seen) < 5000:
                    seen.append((uri, date, digest))
            written += 1
    return written


def run(kind: str, *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, kind, *args], capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def rate(result: dict[str, object], clock: str = "seconds") -> float:
    """Records per second of wall-clock time (``clock="cpu"``: of the process's CPU time)."""
    return _num(result, "records") / _num(result, clock)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--size-mb", type=float, default=200.0)
    parser.add_argument("--ingest", type=int, default=1000, help="records for the ingest pass")
    parser.add_argument("--keep", type=Path, help="build the WARCs here and keep them")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each reading pass")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        big, quarter, small = (
            folder / n for n in ("big.warc.gz", "quarter.warc.gz", "ingest.warc.gz")
        )
        n_big = build_warc(args.corpus, big, args.size_mb)
        n_quarter = build_warc(args.corpus, quarter, args.size_mb / 4)
        n_small = build_warc(args.corpus, small, args.size_mb, limit=args.ingest)
        mb = big.stat().st_size / 2**20
        print(
            f"WARC: {mb:.0f} MB gzip, {n_big} records "
            f"(quarter: {quarter.stat().st_size / 2**20:.0f} MB, {n_quarter} records)"
        )

        # best of --repeat, alternating, so a busy machine does not favour either side
        bare_runs, our_runs = [], []
        for _ in range(args.repeat):
            bare_runs.append(run("warcio", str(big)))
            our_runs.append(run("cunzhao", str(big)))
        bare = max(bare_runs, key=rate)
        ours = max(our_runs, key=rate)
        ours_quarter = run("cunzhao", str(quarter))
        database = folder / "bench.db"
        for stale in folder.glob("bench.db*"):
            stale.unlink()
        ingest = run("ingest", str(small), str(database))
        rows = [
            ("warcio bare iteration", bare),
            ("cunzhao read + digest", ours),
            ("cunzhao, ¼ size file", ours_quarter),
            (f"full ingest ({n_small} records)", ingest),
        ]
        print(
            f"{'pass':<28}{'records':>9}{'seconds':>9}{'records/s':>11}{'per CPU s':>11}"
            f"{'peak MB':>9}"
        )
        for name, result in rows:
            print(
                f"{name:<28}{_num(result, 'records'):>9.0f}{_num(result, 'seconds'):>9.2f}"
                f"{rate(result):>11.0f}{rate(result, 'cpu'):>11.0f}"
                f"{_num(result, 'peak_mb'):>9.0f}"
            )
        best_cpu = max(rate(r, "cpu") for r in our_runs) / max(rate(r, "cpu") for r in bare_runs)
        print(
            f"cunzhao / warcio: {rate(ours) / rate(bare):.2f}× by wall clock, {best_cpu:.2f}× "
            f"by CPU time (target ≥ 0.8×); peak {_num(ours, 'peak_mb'):.0f} MB, "
            f"{_num(ours_quarter, 'peak_mb'):.0f} MB at ¼ size (target < 300 MB, flat)"
        )
        print(f"cunzhao outcomes: {ours['counts']}; ingest outcomes: {ingest['counts']}")


def _num(result: dict[str, object], key: str) -> float:
    """A figure of a child's result (``records`` is read from its counts)."""
    value = result["counts"] if key == "records" else result[key]
    if isinstance(value, dict):
        value = value["records"]
    assert isinstance(value, int | float)
    return float(value)


if __name__ == "__main__":
    main()
