"""Web app throughput: requests/s and latency under concurrent clients on loopback.

Starts ``cunzhao serve`` (a separate process, as users run it) on a free port of 127.0.0.1
over ARCHIVE, then for each scenario runs CLIENTS httpx async clients, each sending its next
request as soon as the last is answered, for SECONDS (bounded: every request has a timeout
and the run stops at the deadline). Scenarios, one after another:

- ``baseline``: ``/static/app.css`` — a small file through Starlette's StaticFiles (a stat
  and a read in a worker thread, no database), a reference measured in the same run;
- ``search page``: ``/search?q=…`` HTML, rotating queries, filters and pages;
- ``search API``: ``/api/search?q=…`` JSON, the same rotation;
- ``document page``: ``/doc/{id}``, random documents;
- ``fresh searches``: search pages for random character pairs, mostly never asked before,
  so the response cache (docs/web.md) seldom helps: the cost of a cold search;
- ``uncached search``: the search pages of ``bench/search.py``'s 50-query mix, each request
  made unique (``&nocache=N``) so that the response cache never answers: every request
  searches; once with CLIENTS clients, once with one (latency without queueing).

Targets: p95 under 100 ms and zero errors for the search page and API; uncached search p95
under 40 ms. Without ARCHIVE, or when it does not exist, a 10,000-document archive is built
first with ``bench/synth.py``. ``--engine`` serves it with that search engine (an archive
from ``bench/search.py`` holds both indexes of its build, so switching costs nothing; any
other is rebuilt).

    python bench/serve.py [ARCHIVE] [--seconds 30] [--clients 20] [--docs 10000]
                          [--engine tantivy|sql] [--only SCENARIO,...]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
from search_mix import QUERIES as MIX

HERE = Path(__file__).resolve().parent
QUERIES = ["约谈", "网信办", "微博", "关闭 账号", "清朗", "百度", "\"网络暴力\"", "删帖 OR 封号",
           "中国数字时代", "疫情", "审查 -微信", "404文库", "言论", "抖音", "新闻"]
FILTERS = ["", "&year=2020", "&sort=date", "&page=2", "&tag=404文库", "&action=summon"]
POOL = "网信办约谈关闭账号微博删帖审查新闻言论疫情平台封号整改处罚互联网管理舆论维权抗议记者媒体"


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


class Uncached:
    """Search pages of the bench mix, each URL made unique so that no cache can answer."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, rng: random.Random) -> str:
        self.count += 1
        query, filters, sort = MIX[self.count % len(MIX)]
        params = {"q": query, "sort": sort, "nocache": str(self.count)}
        if filters is not None:
            params.update({k: str(v) for k, v in asdict(filters).items() if v is not None})
        return "/search?" + urlencode(params)


def search_path(prefix: str, rng: random.Random) -> str:
    return f"{prefix}?q={quote(rng.choice(QUERIES))}{rng.choice(FILTERS)}"


def fresh_path(prefix: str, rng: random.Random) -> str:
    """A query seldom asked before (two random characters, ~40,000 pairs × 3 filters)."""
    query = "".join(rng.choice(POOL) for _ in range(2)) + " " + rng.choice(POOL)
    return f"{prefix}?q={quote(query)}{rng.choice(FILTERS[:3])}"


async def client(base: str, make_path: object, deadline: float, seed: int, out: Outcome) -> None:
    rng = random.Random(seed)
    assert callable(make_path)
    async with httpx.AsyncClient(base_url=base, timeout=10.0) as http:
        while time.perf_counter() < deadline:
            path = make_path(rng)
            start = time.perf_counter()
            try:
                response = await http.get(path)
                await response.aread()
            except httpx.HTTPError as problem:
                out.error(type(problem).__name__)
                continue
            elapsed = time.perf_counter() - start
            if response.status_code == 200:
                out.latencies.append(elapsed)
            else:
                out.error(f"HTTP {response.status_code} {path}")


async def scenario(base: str, make_path: object, clients: int, seconds: float) -> tuple[Outcome, float]:
    out = Outcome()
    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(*(client(base, make_path, deadline, i, out) for i in range(clients)))
    return out, time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(archive: str, port: int) -> subprocess.Popen[bytes]:
    cli = Path(sys.executable).with_name("cunzhao")
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "cunzhao.cli"]
    process = subprocess.Popen(
        [*command, "serve", "--db", archive, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"cunzhao serve exited with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/static/app.css", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    sys.exit("cunzhao serve did not answer within 60 s")


def use_engine(archive: str, engine: str) -> None:
    """Make ``engine`` the archive's search engine: by a flip of ``search_state.engine`` when
    both indexes of the current build are complete (as ``bench/search.py`` leaves them),
    else by a rebuild."""
    from sqlalchemy import func, select, text

    from cunzhao.archive import Archive
    from cunzhao.search.state import read_state, search_state
    from cunzhao.search.tables import search_docs
    from cunzhao.search.tantivy_engine import index_root
    from cunzhao.search.tantivy_folder import read_stamp

    with Archive.open(archive) as opened, opened.engine.begin() as conn:
        state = read_state(conn)
        if state.engine == engine:
            return
        indexed = conn.execute(select(func.count()).select_from(search_docs)).scalar_one()
        if engine == "sql":
            counted = ("SELECT count(*) FROM search_fts" if conn.dialect.name == "sqlite"
                       else "SELECT count(DISTINCT version_id) FROM search_chunks")
            ready = conn.execute(text(counted)).scalar_one() == indexed
        else:
            stamp = read_stamp(index_root(conn) / state.build)
            ready = stamp is not None and stamp.generation == state.generation
        if ready:
            conn.execute(search_state.update().values(engine=engine))
    if not ready:
        print(f"rebuilding the index of {archive} under {engine} …", flush=True)
        with Archive.open(archive) as opened:
            opened.reindex(engine=engine)


def document_ids(archive: str) -> list[int]:
    from cunzhao.archive import Archive

    with Archive.open(archive, create=False) as opened:
        return [d.id for d in opened.documents()]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(name: str, out: Outcome, wall: float, cpu: float, target_ms: float = 100) -> bool:
    lat = sorted(out.latencies)
    n, errors = len(lat), sum(out.errors.values())
    if n == 0:
        print(f"{name:<15} no successful request; errors: {out.errors}")
        return False
    p50 = statistics.median(lat) * 1000
    p95 = lat[min(n - 1, int(n * 0.95))] * 1000
    p99 = lat[min(n - 1, int(n * 0.99))] * 1000
    print(f"{name:<15} {n:>7} {n / wall:>9.1f} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} {errors:>7} "
          f"{1000 * cpu / n:>9.2f}")
    for what, count in sorted(out.errors.items())[:5]:
        print(f"{'':<15}   error ×{count}: {what}")
    return p95 < target_ms and errors == 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("archive", nargs="?", default=str(HERE / "out" / "serve10k.db"))
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--docs", type=int, default=10_000, help="size of a newly built archive")
    parser.add_argument("--engine", choices=["tantivy", "sql"], default=None,
                        help="search engine to serve with (default: the archive's)")
    parser.add_argument("--only", default=None,
                        help="comma-separated scenarios to run (default: all)")
    args = parser.parse_args(argv)
    if "://" not in args.archive and not Path(args.archive).exists():
        Path(args.archive).parent.mkdir(parents=True, exist_ok=True)
        print(f"building {args.archive} with {args.docs} documents (bench/synth.py) …")
        subprocess.run([sys.executable, str(HERE / "synth.py"), args.archive, str(args.docs)],
                       check=True)
    if args.engine:
        use_engine(args.archive, args.engine)
    ids = document_ids(args.archive)
    port = free_port()
    server = start_server(args.archive, port)
    base = f"http://127.0.0.1:{port}"
    scenarios = {
        "baseline": lambda rng: "/static/app.css",
        "search page": lambda rng: search_path("/search", rng),
        "search API": lambda rng: search_path("/api/search", rng),
        "document page": lambda rng: f"/doc/{rng.choice(ids)}",
        "fresh searches": lambda rng: fresh_path("/search", rng),
        "uncached search": Uncached(),
        "uncached, 1 cl.": Uncached(),
    }
    if args.only:
        scenarios = {k: v for k, v in scenarios.items() if k in args.only.split(",")}
    print(f"archive {args.archive}: {len(ids)} documents; {args.clients} clients × "
          f"{args.seconds:g} s per scenario; server pid {server.pid}, cpus {os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.1f} (other processes share these cpus)")
    print(f"{'scenario':<15} {'requests':>7} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'errors':>7} {'server CPU ms/req':>9}")
    verdicts = {}
    try:
        for name, make_path in scenarios.items():
            before = cpu_seconds(server.pid)
            clients = 1 if name.endswith("1 cl.") else args.clients
            out, wall = asyncio.run(scenario(base, make_path, clients, args.seconds))
            verdicts[name] = report(name, out, wall, cpu_seconds(server.pid) - before,
                                    target_ms=40 if name.startswith("uncached") else 100)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    met = verdicts.get("search page") and verdicts.get("search API")
    print(f"target (search page and API: p95 < 100 ms, zero errors): {'met' if met else 'NOT met'}")
    for name in ("uncached search", "uncached, 1 cl."):
        if name in verdicts:
            print(f"target ({name}: p95 < 40 ms, zero errors): "
                  f"{'met' if verdicts[name] else 'NOT met'}")


if __name__ == "__main__":
    main()
