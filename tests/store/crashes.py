"""Kill an ingest with SIGKILL at random points, resume it, and compare the archive with a
clean ingest of the same pages, table by table (``test_crash_resume.py``, ``bench/crash.py``).

Ids, wall-clock times and the search engine's bookkeeping depend on the run, so rows are
compared by natural keys: a document by its URL, a version by (URL, n), a capture by
(sha256, source), a case by (version, its place among the version's cases); every column
that refers to one of them by id holds that key instead. Every table in the database is
compared (SQLite's full-text shadow tables through their virtual table), and a few searches
must find the same hits.
"""

from __future__ import annotations

import random
import re
import signal
import subprocess
import sys
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, Table, inspect, select, text

from cunzhao import NeedsMigration
from cunzhao.archive import Archive
from testenv import EXAMPLES, missing_shared, shared_location

# Columns that refer to a row of another table by its id, and that table.
REFERENCES = {"document_id": "documents", "version_id": "versions", "capture_id": "captures",
              "case_id": "cases"}
# Wall-clock times of the run that wrote a row.
VOLATILE = {"first_seen", "ingested_at"}
# The search engine's bookkeeping, per table: the columns that count builds and batches (a
# resumed ingest commits in other batches), or None to leave the table out.
BOOKKEEPING: dict[str, set[str] | None] = {
    "search_state": {"build", "generation", "journal_start"},
    "search_journal": None,
}
SEARCHES = ("约谈", "网信办", "关闭 账号", "")
_FTS_SHADOW = re.compile(r"_(data|idx|content|docsize|config)$")
_INGEST = """
import sys
from pathlib import Path
from cunzhao import Archive
with Archive.open(sys.argv[1]) as archive:
    summary = archive.ingest([Path(p) for p in sys.argv[3:]], batch_size=int(sys.argv[2]))
sys.exit(1 if summary.failed or summary.stopped else 0)
"""


def crash_pages(folder: Path | None = None, every: int = 1) -> Path:
    """The folder to ingest: ``examples/`` without the shared corpus; else the corpus, or
    with ``every`` > 1 the pages of one document in ``every`` (all versions of each: the id
    before the first ``_`` or ``.`` of the name) and the seed page (it has facts), copied
    into ``folder``."""
    if missing_shared():
        return EXAMPLES
    source = shared_location() / "corpus"
    if every == 1 or folder is None:
        return source
    for path in sorted(source.rglob("*.md")):
        document = re.split(r"[_.]", path.name, maxsplit=1)[0]
        chosen = zlib.crc32(document.encode()) % every == 0 or "704712" in path.name
        if path.name != "README.md" and chosen:
            target = folder / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    return folder


def start_ingest(location: str, pages: Path, batch_size: int) -> subprocess.Popen[bytes]:
    """An ingest of ``pages`` in its own process (``Archive.ingest``, ``batch_size``)."""
    return subprocess.Popen([sys.executable, "-c", _INGEST, location, str(batch_size),
                             str(pages)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def finish(process: subprocess.Popen[bytes], timeout: float = 300) -> float:
    """Wait for an ingest; fail with its stderr unless it ends well. Returns seconds taken."""
    start = time.monotonic()
    _, stderr = process.communicate(timeout=timeout)
    if process.returncode != 0:
        raise AssertionError(f"ingest exited {process.returncode}: {stderr.decode()[-2000:]}")
    return time.monotonic() - start


@dataclass
class CrashRun:
    """One archive ingested through ``kills`` SIGKILLs, then resumed to the end."""

    seed: int
    batch_size: int
    delays: list[float] = field(default_factory=list)  # seconds after each start
    interrupted: int = 0  # kills that found the ingest still running
    committed: list[int] = field(default_factory=list)  # versions stored after each kill


def crash_and_resume(location: str, pages: Path, *, seed: int, kills: int,
                     longest: float) -> CrashRun:
    """Start the ingest and kill it ``kills`` times, each at a random moment within
    ``longest`` seconds of its start (import, schema creation, any batch or commit), then
    run it to the end."""
    rng = random.Random(seed)
    run = CrashRun(seed, rng.choice((3, 20, 200)))
    for _ in range(kills):
        delay = rng.uniform(0.0, longest)
        victim = start_ingest(location, pages, run.batch_size)
        time.sleep(delay)
        running = victim.poll() is None
        victim.send_signal(signal.SIGKILL)
        victim.communicate()
        run.delays.append(round(delay, 3))
        run.interrupted += running
        run.committed.append(_versions(location))
    finish(start_ingest(location, pages, run.batch_size))
    return run


def _versions(location: str) -> int:
    """Versions committed so far (-1 before the schema exists)."""
    try:
        with Archive.open(location, create=False) as archive:
            return archive.counts().get("versions", 0)
    except (FileNotFoundError, NeedsMigration):  # killed before the schema was committed
        return -1


def natural_contents(location: str) -> dict[str, Counter[tuple[Any, ...]]]:
    """Every table's rows with ids replaced by natural keys, and the hits of a few searches."""
    with Archive.open(location, create=False) as archive:
        found = _tables(archive)
        for query in SEARCHES:
            found[f"search {query!r}"] = Counter(
                tuple(sorted((k, v) for k, v in row.items()
                             if k not in ("rank", "score") and not k.endswith("_id")))
                for row in archive.search_rows(query))
    return found


def differences(a: dict[str, Counter[tuple[Any, ...]]],
                b: dict[str, Counter[tuple[Any, ...]]]) -> list[str]:
    """What differs between two ``natural_contents``, a line per table (empty: the same)."""
    lines = []
    for table in sorted(set(a) | set(b)):
        extra, missing = a.get(table, Counter()) - b.get(table, Counter()), \
            b.get(table, Counter()) - a.get(table, Counter())
        if extra or missing:
            lines.append(f"{table}: {sum(extra.values())} rows only in the first "
                         f"({list(extra)[:2]!r:.300}), {sum(missing.values())} only in the "
                         f"second ({list(missing)[:2]!r:.300})")
    return lines


def _tables(archive: Archive) -> dict[str, Counter[tuple[Any, ...]]]:
    with archive.engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        virtual = _virtual_tables(conn)
        keys = _natural_keys(conn)
        meta = MetaData()
        found: dict[str, Counter[tuple[Any, ...]]] = {}
        for name in sorted(names | virtual):
            skipped = BOOKKEEPING.get(name, set())
            if skipped is None or any(_is_shadow(name, v) for v in virtual):
                continue
            if name in virtual:  # contentless full-text table: which versions it holds
                rowids = conn.execute(text(f'SELECT rowid FROM "{name}"')).scalars()
                found[name] = Counter((keys["versions"][r],) for r in rowids)
                continue
            table = Table(name, meta, autoload_with=conn)
            columns = [c.name for c in table.columns
                       if c.name != "id" and c.name not in VOLATILE | skipped]
            rows = conn.execute(select(*[table.c[c] for c in columns])).all()
            found[name] = Counter(
                tuple((c, keys[REFERENCES[c]][v] if c in REFERENCES and v is not None else v)
                      for c, v in zip(columns, row, strict=True))
                for row in rows)
        return found


def _is_shadow(name: str, virtual: str) -> bool:
    """SQLite keeps a full-text table's index in shadow tables (``search_fts_data`` …)."""
    return name.startswith(virtual + "_") and _FTS_SHADOW.search(name) is not None


def _virtual_tables(conn: Connection) -> set[str]:
    if conn.dialect.name != "sqlite":
        return set()
    return set(conn.execute(text(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
    )).scalars())


def _natural_keys(conn: Connection) -> dict[str, dict[int, Any]]:
    """id → natural key, for each table that others refer to by id."""
    documents = {row.id: row.url for row in conn.execute(text("SELECT id, url FROM documents"))}
    versions = {row.id: (documents[row.document_id], row.n) for row in conn.execute(
        text("SELECT id, document_id, n FROM versions"))}
    captures = {row.id: (row.sha256, row.source) for row in conn.execute(
        text("SELECT id, sha256, source FROM captures"))}
    cases: dict[int, Any] = {}
    place: Counter[int] = Counter()
    for row in conn.execute(text("SELECT id, version_id FROM cases ORDER BY id")):
        cases[row.id] = (versions[row.version_id], place[row.version_id])
        place[row.version_id] += 1
    return {"documents": documents, "versions": versions, "captures": captures,
            "cases": cases}
