"""The index follows the archive: new versions replace old, unindex, rebuild, migration."""

from __future__ import annotations

from pathlib import Path

import pytest
from search_oracle import corpus_dir, search_on
from sqlalchemy import Engine, func, select

from cunzhao.archive import Archive
from cunzhao.capture.model import Capture
from cunzhao.fold import fold
from cunzhao.parse import parse_capture
from cunzhao.search import index_version, rebuild_index, unindex_document
from cunzhao.search.tables import search_docs, search_facets
from cunzhao.store.schema import versions


def _pairs() -> list[tuple[Path, Path]]:
    """Two captures of one page (a ``.v2`` file and its sibling) whose texts differ."""
    found = []
    for older in sorted(corpus_dir().rglob("*.v2.md")):
        page_id = older.name.split("_", 1)[0]
        for newer in older.parent.glob(f"{page_id}_*.md"):
            if ".v" in newer.name.rsplit("_", 1)[-1]:
                continue
            a, b = (parse_capture(Capture(p.read_bytes(), str(p))) for p in (older, newer))
            if a.url == b.url and only_in(a.body, b.body + b.title) and only_in(
                b.body, a.body + a.title
            ):
                found.append((older, newer))
    return found


def only_in(body: str, other: str) -> str | None:
    """A two-character CJK string of ``body`` that ``other`` lacks."""
    a, b = fold(body), fold(other)
    for i in range(len(a) - 1):
        pair = a[i : i + 2]
        if all("\u4e00" <= c <= "\u9fff" for c in pair) and pair not in b:
            return pair
    return None


@pytest.mark.parametrize("batch_size", [1, 200], ids=["one-per-batch", "one-batch"])
def test_latest_version_replaces_the_older_in_the_index(
    fresh_archive: Archive, batch_size: int
) -> None:
    """Whether the older capture was indexed in an earlier batch or replaced within one."""
    pairs = _pairs()
    assert pairs, "the corpus should hold a page captured twice with different texts"
    older, newer = pairs[0]
    summary = fresh_archive.ingest([older, newer], batch_size=batch_size)
    assert summary.failed == 0
    with fresh_archive.engine.connect() as conn:
        rows = conn.execute(select(versions.c.id, versions.c.is_latest, versions.c.title,
                                   versions.c.body)).all()
        indexed = conn.execute(select(search_docs.c.version_id)).scalars().all()
    latest = next(r for r in rows if r.is_latest)
    stale = next(r for r in rows if not r.is_latest)
    assert indexed == [latest.id]
    fresh_word = only_in(latest.body, stale.body + stale.title)
    stale_word = only_in(stale.body, latest.body + latest.title)
    assert fresh_word and stale_word
    assert [h.version_id for h in search_on(fresh_archive.engine, fresh_word).hits] == [latest.id]
    assert search_on(fresh_archive.engine, stale_word).total == 0
    assert search_on(fresh_archive.engine, "").total == 1


def _index_rows(engine: Engine) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with engine.connect() as conn:
        docs = conn.execute(select(search_docs).order_by(search_docs.c.version_id)).all()
        facets = conn.execute(
            select(search_facets).order_by(*search_facets.c)
        ).all()
    return [tuple(r) for r in docs], [tuple(r) for r in facets]


def test_ingest_indexes_what_a_rebuild_from_stored_rows_gives(fresh_archive: Archive) -> None:
    """Ingest builds index entries from what it just wrote; a rebuild reads them back."""
    corpus = corpus_dir()
    files = sorted((corpus / "cdt").rglob("*.md"))[:120] + [corpus / "seed" / "704712.md"]
    assert fresh_archive.ingest(files, batch_size=50).failed == 0
    engine = fresh_archive.engine
    ingested = _index_rows(engine)
    queries = ["网信", "约谈", "罚款", "微博", "网"]
    found = [search_on(engine, q).hits for q in queries]
    kinds = {row[1] for row in ingested[1]}
    assert {"year", "tag", "source", "action", "target", "category"} <= kinds
    assert all(found)
    with engine.begin() as conn:
        assert rebuild_index(conn) == len(ingested[0])
    assert _index_rows(engine) == ingested
    assert [search_on(engine, q).hits for q in queries] == found


def test_unindex_reindex_and_rebuild(fresh_archive: Archive, seed_path: Path) -> None:
    assert fresh_archive.ingest([seed_path]).failed == 0
    engine = fresh_archive.engine
    before = search_on(engine, "知网")
    assert before.total == 1
    with engine.begin() as conn:
        version_id, document_id = conn.execute(
            select(search_docs.c.version_id, search_docs.c.document_id)).one()
        unindex_document(conn, document_id)
    assert search_on(engine, "知网").total == 0
    with engine.begin() as conn:
        index_version(conn, version_id)
        index_version(conn, version_id)  # idempotent
        assert conn.execute(select(func.count()).select_from(search_docs)).scalar_one() == 1
    assert search_on(engine, "知网").hits == before.hits
    with engine.begin() as conn:
        assert rebuild_index(conn, batch=1) == 1
    assert search_on(engine, "知网").hits == before.hits
    assert search_on(engine, "知网").facets == before.facets


def test_migration_indexes_an_archive_written_before_search(
    tmp_path: Path, seed_path: Path
) -> None:
    from alembic import command

    from cunzhao.store.migrate import alembic_config, upgrade

    location = str(tmp_path / "old.db")
    archive = Archive.open(location)
    engine = archive.engine
    # a document written without the index (the writer's functions do not index) …
    from cunzhao.store.blobs import put_blob
    from cunzhao.store.writer import add_capture, add_version, document_for

    capture = Capture(seed_path.read_bytes(), str(seed_path))
    page = parse_capture(capture)
    with engine.begin() as conn:
        sha = put_blob(conn, capture.data)
        capture_id = add_capture(conn, capture, sha, ingested_at="2024-01-01T00:00:00Z",
                                 tool_version="0", captured_at=page.captured_at)
        document_id, _ = document_for(conn, page.url or "file:seed", now="2024-01-01T00:00:00Z")
        add_version(conn, document_id, capture_id, page, parser_version="0", first=True)
    # … in an archive as a pre-search cunzhao left it: no search tables at all
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0002_facts")
    assert upgrade(engine)[0] == "0002_facts"
    assert search_on(engine, "知网").total == 0  # migration 0003 leaves the index empty …
    Archive.migrate(location)  # … for the facade's migrate to build with today's indexer
    assert search_on(engine, "知网").total == 1
    archive.close()

