"""Sync throughput and peak memory against a local WordPress-like site, beside a plain loop.

    python bench/sync.py [--articles 10000] [--connections 4] [--per-page 10]

A fixture site on 127.0.0.1 (``tests/sync``: synthetic articles made of corpus sentences, a
tag feed paged like WordPress) serves N articles. Each measurement runs in its own process,
into a fresh SQLite archive, with no rate limit and ``--connections`` requests in flight:
  sync      — ``Archive.sync`` of the tag feed: walk every feed page, fetch every article
              (WARC-logged, robots.txt checked), ingest; articles/s and peak RSS;
  baseline  — the same article URLs (given, no listing) fetched by a plain httpx thread pool
              and ingested with ``Archive.ingest_capture``: what a user's own loop would do;
  again     — a second sync of the same archive with nothing new: requests and seconds.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path[:0] = [str(TESTS), str(TESTS / "sync")]

from sites import WordPressSite, synthetic_articles

_SYNC = """
import json, resource, sys, time
from cunzhao import Archive, FetchPolicy, Source
db, feed, connections = sys.argv[1], sys.argv[2], int(sys.argv[3])
policy = FetchPolicy(rate_per_host=0, per_host=connections, retries=0, timeout=30)
source = Source(name="bench", kind="feed", url=feed)
with Archive.open(db) as archive:
    start = time.perf_counter()
    (report,) = archive.sync([source], policy)
    seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, **report.to_json()}))
"""

_BASELINE = """
import json, resource, sys, time
from concurrent.futures import ThreadPoolExecutor
import httpx
from cunzhao import Archive, Capture
db, urls_file, connections = sys.argv[1], sys.argv[2], int(sys.argv[3])
urls = open(urls_file, encoding="utf-8").read().split()
client = httpx.Client(timeout=30)
def get(url):
    r = client.get(url)
    return Capture(r.content, url, "http", url, None, r.headers.get("content-type"))
new = 0
with Archive.open(db) as archive, ThreadPoolExecutor(connections) as pool:
    start = time.perf_counter()
    for capture in pool.map(get, urls):
        new += archive.ingest_capture(capture).outcome == "ingested"
    seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "new": new, "requests": len(urls)}))
"""


def child(code: str, *args: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"child failed:\n{done.stderr[-2000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--per-page", type=int, default=10)
    args = parser.parse_args()
    started = time.perf_counter()
    articles = synthetic_articles(args.articles)
    print(f"site: {args.articles:,} synthetic articles, {args.per_page} per feed page "
          f"(built in {time.perf_counter() - started:.1f} s); {args.connections} connections")
    with WordPressSite(articles, per_page=args.per_page) as site, \
            tempfile.TemporaryDirectory() as work:
        feed = site.tag_feed_url("立此存照")
        urls = Path(work) / "urls.txt"
        urls.write_text("\n".join(site.article_url(a.id) for a in articles), encoding="utf-8")
        conn = str(args.connections)
        sync = child(_SYNC, str(Path(work) / "sync.db"), feed, conn)
        site.clear_log()
        again = child(_SYNC, str(Path(work) / "sync.db"), feed, conn)
        base = child(_BASELINE, str(Path(work) / "base.db"), str(urls), conn)
    rate = lambda r: float(r["new"]) / float(r["seconds"])
    print(f"{'':10} {'articles':>9} {'requests':>9} {'seconds':>8} {'articles/s':>11} "
          f"{'peak MB':>8}")
    for name, r in (("sync", sync), ("baseline", base)):
        print(f"{name:10} {r['new']:>9} {r['requests']:>9} {float(r['seconds']):>8.1f} "
              f"{rate(r):>11.1f} {float(r['peak_mb']):>8.0f}")
    print(f"{'again':10} {again['new']:>9} {again['requests']:>9} {float(again['seconds']):>8.2f}"
          f" {'':>11} {float(again['peak_mb']):>8.0f}")
    print(f"sync / baseline: {rate(sync) / rate(base):.2f}× the rate, "
          f"{float(sync['peak_mb']) / float(base['peak_mb']):.2f}× the memory")


if __name__ == "__main__":
    main()
