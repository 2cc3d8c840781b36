"""Two ingests of the same pages at once, in two real processes, on both backends.

Each writer runs ``python -m cunzhao ingest`` over the same four folders, one in the opposite
order of the other, so that both hold uncommitted captures of the same pages and versions of
the same documents at once. Neither may fail a file, no document may get the same bytes
twice, and the archive must hold what one clean ingest writes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select

from cunzhao.archive import Archive
from cunzhao.search.tables import search_docs
from cunzhao.store.schema import blobs, captures, cases, documents, stats, versions
from testenv import EXAMPLES, fresh_pg_database, missing_shared, shared_location

_URL = re.compile(rb"\]\((https?://[^)\s]+)\)")
_PARTS = 4


def _pages() -> list[tuple[str, bytes]]:
    """The shared corpus's pages, else examples/ and copies of them under new URLs and with a
    changed line (new documents, and new versions of the same documents)."""
    if missing_shared() is None:
        corpus = shared_location() / "corpus"
        return [(str(p.relative_to(corpus)).replace(os.sep, "_"), p.read_bytes())
                for p in sorted(corpus.rglob("*.md")) if p.name != "README.md"]
    seeds = [(p.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*.md"))
             if p.name != "README.md"]
    pages = list(seeds)
    for k in range(1, 12):
        for name, data in seeds:
            moved = _URL.sub(lambda m, k=k: b"](%s?copy=%d)" % (m[1], k // 2), data, count=1)
            pages.append((f"copy{k}-{name}", moved + b"\n\nrevision %d\n" % k))
    return pages


def _folders(root: Path) -> list[Path]:
    folders = [root / f"part{i}" for i in range(_PARTS)]
    for folder in folders:
        folder.mkdir(parents=True)
    for i, (name, data) in enumerate(_pages()):
        (folders[i % _PARTS] / name).write_bytes(data)
    return folders


def _ingest(location: str, folders: list[Path]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cunzhao", "ingest", "--quiet", "--db", location,
         *map(str, folders)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _contents(location: str) -> dict[str, object]:
    """The archive's rows, without ids, times, version numbers or which of two versions with
    the same capture time is the latest (all of which depend on the order of ingest)."""
    with Archive.open(location, create=False) as archive, archive.engine.connect() as conn:
        sha = captures.c.sha256
        per_version = select(documents.c.url, sha).select_from(
            versions.join(captures).join(documents, versions.c.document_id == documents.c.id))
        return {
            "blobs": sorted(conn.execute(select(blobs.c.sha256, blobs.c.size)).all()),
            "captures": Counter(conn.execute(select(sha)).scalars()),
            "documents": Counter(conn.execute(select(documents.c.url)).scalars()),
            "versions": Counter(tuple(r) for r in conn.execute(per_version)),
            "numbers": sorted(conn.execute(
                select(func.count(), func.max(versions.c.n)).group_by(versions.c.document_id)
            ).all()),
            "stats": Counter(tuple(r) for r in conn.execute(
                select(sha, stats.c.action, stats.c.object, stats.c.value, stats.c.evidence)
                .select_from(stats.join(versions).join(captures)))),
            "cases": Counter(tuple(r) for r in conn.execute(
                select(sha, cases.c.evidence).select_from(cases.join(versions).join(captures)))),
        }


def _assert_latest_indexed(location: str) -> None:
    """Each document has one latest version, one with its newest capture time, and that
    version is the one the search index holds."""
    with Archive.open(location, create=False) as archive, archive.engine.connect() as conn:
        rows = conn.execute(
            select(versions.c.id, versions.c.document_id, versions.c.captured_at,
                   versions.c.is_latest)).all()
        indexed = set(conn.execute(select(search_docs.c.version_id)).scalars())
    newest: dict[int, str] = {}
    for row in rows:
        newest[row.document_id] = max(newest.get(row.document_id, ""), row.captured_at or "")
    latest = [row for row in rows if row.is_latest]
    assert sorted(row.document_id for row in latest) == sorted(newest)
    assert all((row.captured_at or "") == newest[row.document_id] for row in latest)
    assert indexed == {row.id for row in latest}


def test_two_writers_at_once_write_what_one_writes(archive_location: str, tmp_path: Path) -> None:
    folders = _folders(tmp_path / "pages")
    writers = [_ingest(archive_location, folders), _ingest(archive_location, folders[::-1])]
    finished = [writer.communicate(timeout=600) for writer in writers]
    for writer, (stdout, stderr) in zip(writers, finished, strict=True):
        assert writer.returncode == 0, stderr
        assert "failed" not in stderr
        assert stdout.rstrip().endswith(" 0 failed"), stdout
    together = _contents(archive_location)
    _assert_latest_indexed(archive_location)

    assert all(n == 1 for n in together["versions"].values())  # type: ignore[attr-defined]
    assert all(n == 1 for n in together["documents"].values())  # type: ignore[attr-defined]
    assert all(count == last for count, last in together["numbers"])  # type: ignore[attr-defined]
    with _clean_location(archive_location, tmp_path) as clean:
        alone = _ingest(clean, folders)
        _, stderr = alone.communicate(timeout=600)
        assert alone.returncode == 0, stderr
        assert together == _contents(clean)


@contextmanager
def _clean_location(beside: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty archive on the same backend as ``beside``."""
    if "://" not in beside:
        yield str(tmp_path / "clean.db")
        return
    with fresh_pg_database() as url:
        yield url
