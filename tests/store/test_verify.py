"""`cunzhao verify`, the archive's fsck: each kind of damage is found and named precisely, on
SQLite and on PostgreSQL, under both search engines (tantivy, the default; sql), and a sound
archive passes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from typer.testing import CliRunner

from cunzhao import Archive, VerifyReport
from cunzhao.cli import app
from cunzhao.search import index_version, unindex_document
from cunzhao.store.schema import blobs, captures, versions

LATER = "<!--1706930342000-->"


@pytest.fixture
def engine() -> str:
    """The search engine of the ``archive`` fixture (tests parametrize it to try both)."""
    return "tantivy"


@pytest.fixture
def archive(
    archive_location: str, corpus: Path, seed_path: Path, tmp_path: Path, engine: str
) -> Iterator[Archive]:
    """Twelve corpus pages and the seed, which has a second, later version."""
    later = tmp_path / "later.md"
    later.write_bytes(seed_path.read_bytes().replace(b"<!--1706843942000-->", LATER.encode(), 1)
                      .replace("关闭".encode(), "关停".encode(), 1))
    opened = Archive.open(archive_location)
    pages = sorted((corpus / "cdt").glob("*.md"))[:12] + [seed_path, later]
    assert opened.ingest(pages).failed == 0
    if engine != "tantivy":
        opened.reindex(engine=engine)
    with opened:
        yield opened


def _problems(report: VerifyReport) -> list[str]:
    return [str(p) for p in report.problems]


def _blob_of(archive: Archive, version_id: int) -> str:
    with archive.engine.connect() as conn:
        return str(conn.execute(
            select(captures.c.sha256).join(versions, versions.c.capture_id == captures.c.id)
            .where(versions.c.id == version_id)
        ).scalar_one())


@pytest.mark.parametrize("engine", ["tantivy", "sql"])
def test_a_sound_archive_passes(archive: Archive, engine: str) -> None:
    report = archive.verify()
    assert report.ok, _problems(report)
    assert report.checked == {"blobs": 14, "documents": 13, "versions": 14,
                              "versions re-parsed": 14, "index entries": 13,
                              **({"tantivy documents": 13} if engine == "tantivy" else {})}
    assert archive.verify(quick=True).checked.get("versions re-parsed") is None


def test_a_corrupt_blob_and_its_version_are_named(archive: Archive) -> None:
    flipped, unreadable = _blob_of(archive, 1), _blob_of(archive, 2)
    with archive.engine.begin() as conn:
        conn.execute(update(blobs).where(blobs.c.sha256 == flipped)
                     .values(data=b"tampered bytes", compression="none"))
        data = conn.execute(select(blobs.c.data, blobs.c.compression)
                            .where(blobs.c.sha256 == unreadable)).one()
        assert data.compression == "zlib"
        conn.execute(update(blobs).where(blobs.c.sha256 == unreadable)
                     .values(data=data.data[: len(data.data) // 2]))
    problems = _problems(archive.verify())
    rehashed = hashlib.sha256(b"tampered bytes").hexdigest()
    assert (f"blob {flipped}: its bytes hash to {rehashed}: they are not the bytes it was "
            "stored with") in problems
    assert (f"blob {unreadable}: cannot be read back (zlib: Error -5 while decompressing "
            "data: incomplete or truncated stream)") in problems
    assert f"version 1: its blob {flipped} is corrupt" in problems
    assert f"version 2: its blob {unreadable} is corrupt" in problems
    assert len(problems) == 4


@pytest.mark.parametrize("engine", ["sql"])
def test_a_version_whose_text_no_longer_matches_its_blob(archive: Archive) -> None:
    with archive.engine.begin() as conn:
        conn.execute(update(versions).where(versions.c.id == 3)
                     .values(body=versions.c.body + "（补记）"))
        conn.execute(update(versions).where(versions.c.id == 4)
                     .values(blocks='[["p", 0, "另一段"]]'))
    problems = _problems(archive.verify())
    assert any(p.startswith("version 3: its stored body differ from what its blob") and
               "（补记）" in p for p in problems), problems
    assert any(p.startswith("version 4: its stored blocks differ") and "另一段" in p
               for p in problems), problems
    # the sql engine's index was built from the body as it was: its tokens no longer match
    assert any(p.startswith("search index version 3: the full-text index holds") for p in problems)
    quick = _problems(archive.verify(quick=True))
    assert not [p for p in quick if p.startswith("version ")]


def test_two_latest_versions_of_one_document(archive: Archive) -> None:
    with archive.engine.begin() as conn:
        conn.execute(update(versions).where(versions.c.n == 1, versions.c.document_id == 13)
                     .values(is_latest=1))
    problems = _problems(archive.verify(quick=True))
    assert ("document 13: 2 versions are marked latest (13, 14), not one "
            "(version 14 should be)") in problems
    assert ("search index version 13: the latest version of document 13 is not in the "
            "search index") in problems


@pytest.mark.parametrize("engine", ["tantivy", "sql"])
def test_missing_and_stale_index_entries(archive: Archive) -> None:
    with archive.engine.begin() as conn:
        unindex_document(conn, 5)
        index_version(conn, 13)  # document 13's first version, not its latest
    problems = _problems(archive.verify(quick=True))
    assert problems == [
        "search index version 5: the latest version of document 5 is not in the search index",
        "search index version 14: the latest version of document 13 is not in the search index",
        ("search index version 13: indexed for document 13, but not the latest version of any "
         "document"),
        "search index version 5: its text is not in the full-text index",
        "search index version 14: its text is not in the full-text index",
        ("search index version 13: its text is in the full-text index, but it is not a latest "
         "version"),
    ]


@pytest.mark.parametrize("engine", ["tantivy", "sql"])
def test_index_rows_that_disagree_with_the_version(archive: Archive, engine: str) -> None:
    with archive.engine.begin() as conn:
        conn.execute(text("UPDATE search_docs SET published = '1999-01-01' WHERE version_id = 6"))
        conn.execute(text("DELETE FROM search_facets WHERE version_id = 7 AND facet = 'year'"))
        if conn.dialect.name == "postgresql" and engine == "sql":
            conn.execute(text("UPDATE search_chunks SET tsv = 'x' WHERE version_id = 8"))
        published = conn.execute(select(versions.c.published).where(versions.c.id == 9)).scalar()
        conn.execute(update(versions).where(versions.c.id == 9).values(published="2001-02-03"))
    problems = _problems(archive.verify(quick=True))
    assert "search index version 6: search_docs has other published than the version" in problems
    assert any(p.startswith("search index version 7: facets lack [('year', '") for p in problems)
    assert "search index version 9: search_docs has other published than the version" in problems
    if engine == "tantivy":  # its documents carry the publish day, for the date order
        day = published.replace("-", "") if published else "none"
        assert (f"search index version 9: the full-text index holds it under publish day {day}, "
                "the version has 20010203") in problems
    if archive.engine.dialect.name == "postgresql" and engine == "sql":
        assert ("search index version 8: the full-text index holds other tokens than the "
                "version (chunks 0, 1)") in problems


def test_a_tantivy_index_that_lost_a_document(archive: Archive) -> None:
    import tantivy

    from cunzhao.search.state import read_state
    from cunzhao.search.tantivy_doc import make_schema
    from cunzhao.search.tantivy_engine import index_root
    from cunzhao.search.tantivy_folder import folder_at

    assert archive.verify(quick=True).ok
    with archive.engine.connect() as conn:
        folder = folder_at(index_root(conn) / read_state(conn).build)
    assert folder is not None
    with folder.writer(10) as writer:  # the folder alone loses it; the database is intact
        writer.delete_documents_by_query(tantivy.Query.term_query(make_schema(), "vid", 4))
        writer.commit()
    assert _problems(archive.verify(quick=True)) == [
        "search index version 4: its text is not in the full-text index"]


def test_verify_command(archive: Archive, archive_location: str) -> None:
    runner = CliRunner()
    clean = runner.invoke(app, ["verify", "--db", archive_location])
    assert clean.exit_code == 0, clean.output
    assert "verified, no problems: 14 blobs, 13 documents, 14 versions" in clean.output
    with archive.engine.begin() as conn:
        unindex_document(conn, 2)
    found = runner.invoke(app, ["verify", "--quick", "--db", archive_location])
    assert found.exit_code == 1
    assert "search index version 2: the latest version of document 2 is not in" in found.output
    assert "2 problems" in found.output
