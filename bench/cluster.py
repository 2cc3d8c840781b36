"""Dask workers 1 vs 2, and ``scan`` beside bare WARC iteration over the same files.

    python bench/cluster.py [--corpus DIR] [--copies 4] [--warc-mb 40] [--relevant 0.1]

Part 1 — the corpus copied ``--copies`` times under new URLs (as bench/ingest.py does), on a
``LocalCluster`` of 1, then 2 single-threaded worker processes (started before the clock):
  prepare — ``ingest --to-parquet``: the workers read, parse, extract, tokenise and write
            partitions; no archive, so this is the workers' rate alone;
  ingest  — ``ingest --cluster``: the same, handed back as Arrow tables and written by this
            process into a new SQLite archive.
Part 2 — WARC files of about ``--warc-mb`` MB in all, a crawl-like mix: ``--relevant`` of the
records are corpus pages, the rest pages about other things; each pass in a child process:
  warcio   — ``ArchiveIterator``, each response's payload read (decompress, no digests);
  fastwarc — the same with FastWARC (``pip install 'cunzhao[bench]'``), when installed;
  captures — ``iter_warc_captures``: digests checked, bodies decoded (what every mode reads);
  scan     — ``scan_paths`` with 1 and 2 processes: read, prefilter, parse what passes.
Records per second of wall-clock time, and of CPU time (workers' included); imports and
lexicons are loaded before the clock starts. The load average says how busy the machine
was (it is shared: read the CPU rates too).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import DEFAULT_CORPUS, build_copies  # bench/ is not a package: by path

_TOPICS = ("天气", "美食", "旅游", "足球", "电影", "音乐", "汽车", "房价", "手机", "健康")
_WORDS = ("今天", "我们", "介绍", "一种", "新的", "方法", "大家", "喜欢", "城市", "周末", "价格",
          "推荐", "经验", "分享", "朋友", "时间", "早上", "晚上", "学校", "公园", "评测", "体验")

_CHILD = """
import json, resource, sys, time
from pathlib import Path
kind, paths = sys.argv[1], [Path(p) for p in sys.argv[2:]]
if kind == "warcio":
    from warcio.archiveiterator import ArchiveIterator
elif kind == "fastwarc":
    from fastwarc.warc import ArchiveIterator
elif kind == "captures":
    from cunzhao.capture.warc import iter_warc_captures
else:
    from cunzhao import scan_paths
    from cunzhao.extract.lexicon import lexicon
    import cunzhao.scale.warm
    lexicon()
start, cpu = time.perf_counter(), time.process_time()
counts = {"records": 0}
if kind == "warcio":
    for path in paths:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    record.content_stream().read()
                counts["records"] += 1
elif kind == "fastwarc":
    for path in paths:
        for record in ArchiveIterator(str(path), fsspec_args=False):
            record.reader.read()
            counts["records"] += 1
elif kind == "captures":
    for path in paths:
        for item in iter_warc_captures(path):
            counts["records"] += 1
else:
    report = scan_paths(paths, jobs=int(kind.removeprefix("scan")))
    counts = {"records": report.read, "kept": report.kept, "with_facts": report.with_facts}
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
workers = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu += workers.ru_utime + workers.ru_stime
print(json.dumps({"seconds": seconds, "cpu": cpu, **counts}))
"""


def build_crawl(corpus: Path, folder: Path, megabytes: float, relevant: float,
                files: int = 4) -> int:
    """``files`` gzip WARCs of about ``megabytes`` in all: corpus pages (a ``relevant``
    share of the records) among generated pages about other things."""
    pages = sorted(p.read_bytes() for p in corpus.rglob("*.md") if p.name != "README.md")
    rng = random.Random(13)
    per_file = megabytes * (1 << 20) / files
    written = 0
    for f in range(files):
        with open(folder / f"crawl-{f}.warc.gz", "wb") as fh:
            writer = WARCWriter(fh, gzip=True, warc_version="1.1")
            while fh.tell() < per_file:
                if rng.random() < relevant:
                    body, kind = pages[written % len(pages)], "text/markdown; charset=utf-8"
                else:
                    body, kind = _other_page(rng), "text/html; charset=utf-8"
                http = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    f"https://crawl.example/{f}/{written}", "response",
                    payload=io.BytesIO(body), length=len(body), http_headers=http,
                    warc_headers_dict={"WARC-Date": "2024-05-01T00:00:00Z"}))
                written += 1
    return written


def _other_page(rng: random.Random) -> bytes:
    topic = rng.choice(_TOPICS)
    paragraphs = "".join(
        "<p>" + "".join(rng.choice(_WORDS) for _ in range(rng.randint(20, 60))) + "。</p>"
        for _ in range(rng.randint(5, 25))
    )
    return (f"<html><head><title>{topic}：{rng.choice(_WORDS)}{rng.choice(_WORDS)}</title></head>"
            f"<body><h1>{topic}</h1>{paragraphs}</body></html>").encode()


def child(kind: str, paths: list[Path]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", _CHILD, kind, *map(str, paths)],
                          capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def dask_rounds(files: Path, n: int, scratch: Path) -> None:
    from cunzhao import Archive, prepare_to_parquet
    from cunzhao.scale.cluster import open_client

    print(f"{'workers':>7} {'start s':>8} {'prepare docs/s':>15} {'ingest docs/s':>14}")
    rates: dict[int, tuple[float, float]] = {}
    for workers in (1, 2):
        started = time.perf_counter()
        with open_client(f"local:{workers}") as client:
            startup = time.perf_counter() - started
            address = client.scheduler.address
            start = time.perf_counter()
            prepare_to_parquet([files], scratch / f"parts{workers}", cluster=address)
            prepare = n / (time.perf_counter() - start)
            start = time.perf_counter()
            with Archive.open(scratch / f"dask{workers}.db", create=True) as archive:
                archive.ingest([files], cluster=address)
            ingest = n / (time.perf_counter() - start)
        rates[workers] = prepare, ingest
        print(f"{workers:>7} {startup:>8.1f} {prepare:>15.0f} {ingest:>14.0f}")
    (p1, i1), (p2, i2) = rates[1], rates[2]
    print(f"speed-up 1 → 2 workers: prepare {p2 / p1:.2f}×, ingest {i2 / i1:.2f}×")


def scan_rounds(paths: list[Path], records: int) -> None:
    kinds = ["warcio", "fastwarc", "captures", "scan1", "scan2"]
    print(f"{'pass':>9} {'records/s':>10} {'records/cpu s':>14} {'kept':>6} {'with facts':>10}")
    for kind in kinds:
        if kind == "fastwarc":
            try:
                import fastwarc  # noqa: F401
            except ImportError:
                print(f"{kind:>9} not installed (pip install 'cunzhao[bench]')")
                continue
        result = child(kind, paths)
        assert result["records"] >= records * 0.99, (kind, result)
        print(f"{kind:>9} {result['records'] / result['seconds']:>10.0f} "
              f"{result['records'] / result['cpu']:>14.0f} {result.get('kept', ''):>6} "
              f"{result.get('with_facts', ''):>10}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--warc-mb", type=float, default=40.0)
    parser.add_argument("--relevant", type=float, default=0.1)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        n = build_copies(args.corpus, args.copies, scratch / "files")
        print(f"\nDask: {n} files")
        dask_rounds(scratch / "files", n, scratch)
        crawl = scratch / "crawl"
        crawl.mkdir()
        records = build_crawl(args.corpus, crawl, args.warc_mb, args.relevant)
        paths = sorted(crawl.iterdir())
        size = sum(p.stat().st_size for p in paths) / (1 << 20)
        print(f"\nscan: {records} records in {len(paths)} WARC files, {size:.0f} MB, "
              f"{args.relevant:.0%} corpus pages")
        scan_rounds(paths, records)
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
