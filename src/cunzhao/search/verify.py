"""The archive's fsck, search half: does the index hold every latest version once, and
nothing else, as today's indexer would write it?

Compared with the entries the indexer would build from the stored rows
(:func:`~cunzhao.search.entries.entries_for_versions`):

- ``search_docs``: one row per document, for its latest version, with that version's filter
  columns; no row for any other version;
- ``search_facets``: exactly the version's facet values;
- the full-text index, every latest version present once and nothing else — under the
  ``sql`` engine the database's own table: on PostgreSQL each ``search_chunks`` row equal to
  the tsvector the indexer would write, on SQLite (whose contentless FTS5 table keeps no
  text) the number of tokens of title and body, from FTS5's own ``search_fts_docsize``;
  under ``tantivy`` the folder of the archive's build (:mod:`cunzhao.search.verify_tantivy`).

Nothing is written to the database: it runs on the caller's (read-only) snapshot, after
:func:`catch_up` let a tantivy folder follow the database, as the next search would.
Problems go into the store's ``VerifyReport`` as ``search index version <id>: why``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select, text

from cunzhao.search.entries import IndexEntry, entries_for_versions
from cunzhao.search.indexer import follow
from cunzhao.search.postgres_index import _chunk_rows
from cunzhao.search.state import read_state
from cunzhao.search.tables import search_docs, search_facets
from cunzhao.search.tokenize import index_tokens
from cunzhao.store.schema import versions
from cunzhao.store.verify import OnProgress, VerifyProblem, VerifyReport

__all__ = ["catch_up", "index_problem", "verify_index"]

_BATCH = 200
_COLUMNS = ("document_id", "published", "series_tag", "source_site", "collection")
_PG_CHUNKS = text(
    "SELECT e.id, e.part FROM unnest(CAST(:ids AS integer[]), CAST(:parts AS integer[]), "
    "CAST(:tsvs AS text[])) AS e(id, part, tsv) LEFT JOIN search_chunks c "
    "ON c.version_id = e.id AND c.part = e.part "
    "WHERE c.tsv IS DISTINCT FROM CAST(e.tsv AS tsvector)"
)
_SQLITE_SIZES = text("SELECT id, sz FROM search_fts_docsize WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
_PG_PARTS = text(
    "SELECT version_id, count(*) FROM search_chunks "
    "WHERE version_id = ANY(CAST(:ids AS integer[])) GROUP BY version_id"
)


def catch_up(engine: Engine) -> VerifyProblem | None:
    """Let an index kept outside the database (tantivy) catch up with it, as the next search
    would, before a snapshot is verified; a problem saying why when it cannot."""
    try:
        with engine.connect() as conn:
            follow(conn)
    except Exception as error:  # noqa: BLE001 — reported as what verify found
        return VerifyProblem("search index", "of this archive", "cannot be brought up to date: "
                             f"{type(error).__name__}: {error}")
    return None


def verify_index(
    conn: Connection, report: VerifyReport, on_progress: OnProgress | None = None
) -> VerifyReport:
    """Add every way the search index differs from the store to ``report``."""
    state = read_state(conn)
    latest = dict(conn.execute(
        select(versions.c.id, versions.c.document_id).where(versions.c.is_latest == 1)
    ).all())
    indexed = {row.version_id: row for row in conn.execute(select(search_docs))}
    problems = report.problems
    for vid in sorted(latest.keys() - indexed.keys()):
        problems.append(index_problem(vid, f"the latest version of document {latest[vid]} is "
                                           "not in the search index"))
    for vid in sorted(indexed.keys() - latest.keys()):
        problems.append(index_problem(vid, f"indexed for document {indexed[vid].document_id}, "
                                           "but not the latest version of any document"))
    in_text = _sql_text_ids(conn) if state.engine == "sql" else set()
    if state.engine == "sql":
        problems.extend(_presence_problems(latest.keys(), in_text))
    stray = conn.execute(select(search_facets.c.version_id).distinct().where(
        search_facets.c.version_id.not_in(select(search_docs.c.version_id)))).scalars().all()
    problems.extend(index_problem(vid, "has facet rows but no search_docs row") for vid in stray)
    published: dict[int, str | None] = {}
    both = sorted(latest.keys() & indexed.keys())
    for start in range(0, len(both), _BATCH):
        entries = entries_for_versions(conn, both[start : start + _BATCH])
        problems.extend(_entry_problems(conn, entries, indexed))
        if state.engine == "sql":
            problems.extend(_text_problems(conn, [e for e in entries if e.version_id in in_text]))
        else:
            published.update((e.version_id, e.published) for e in entries)
        report.count("index entries", len(entries))
        if on_progress:
            on_progress("index entries", report.checked["index entries"])
    if state.engine == "tantivy":
        from cunzhao.search.verify_tantivy import tantivy_problems

        problems.extend(tantivy_problems(conn, state, latest.keys(), published, report))
    return report


def index_problem(version_id: int, why: str) -> VerifyProblem:
    """A problem of the search index with one version."""
    return VerifyProblem("search index", f"version {version_id}", why)


def _presence_problems(latest: Collection[int], in_text: set[int]) -> Iterator[VerifyProblem]:
    for vid in sorted(set(latest) - in_text):
        yield index_problem(vid, "its text is not in the full-text index")
    for vid in sorted(in_text - set(latest)):
        yield index_problem(vid, "its text is in the full-text index, but it is not a latest "
                                 "version")


def _sql_text_ids(conn: Connection) -> set[int]:
    """The versions in the database's own full-text table (the ``sql`` engine's)."""
    if conn.dialect.name == "sqlite":
        return set(conn.execute(text("SELECT rowid FROM search_fts")).scalars())
    return set(conn.execute(text("SELECT DISTINCT version_id FROM search_chunks")).scalars())


def _entry_problems(
    conn: Connection, entries: Sequence[IndexEntry], indexed: dict[int, Any]
) -> Iterator[VerifyProblem]:
    ids = [e.version_id for e in entries]
    stored: dict[int, set[tuple[str, str]]] = {vid: set() for vid in ids}
    for vid, facet, value in conn.execute(
        select(search_facets.c.version_id, search_facets.c.facet, search_facets.c.value)
        .where(search_facets.c.version_id.in_(ids))
    ):
        stored[vid].add((facet, value))
    for entry in entries:
        row = indexed[entry.version_id]
        differ = [c for c in _COLUMNS if getattr(row, c) != getattr(entry, c)]
        if differ:
            yield index_problem(entry.version_id, f"search_docs has other {', '.join(differ)} than "
                                             "the version")
        expected = set(entry.facets())
        if stored[entry.version_id] != expected:
            lacking = sorted(expected - stored[entry.version_id])
            extra = sorted(stored[entry.version_id] - expected)
            yield index_problem(entry.version_id, f"facets lack {lacking or 'nothing'} and hold "
                                             f"{extra or 'nothing'} too many")


def _text_problems(conn: Connection, entries: Sequence[IndexEntry]) -> Iterator[VerifyProblem]:
    if not entries:
        return
    if conn.dialect.name == "sqlite":
        yield from _sqlite_text_problems(conn, entries)
    else:
        yield from _postgres_text_problems(conn, entries)


def _sqlite_text_problems(
    conn: Connection, entries: Sequence[IndexEntry]
) -> Iterator[VerifyProblem]:
    ids = [e.version_id for e in entries]
    sizes: dict[int, bytes] = dict(conn.execute(_SQLITE_SIZES, {"ids": ids}).all())
    for entry in entries:
        expected = [len(index_tokens(entry.title)),
                    len(index_tokens(entry.body, folded=entry.body_folded))]
        found = _varints(sizes[entry.version_id]) if entry.version_id in sizes else None
        if found != expected:
            yield index_problem(entry.version_id, f"the full-text index holds {found or 'no'} "
                                                  f"tokens of title and body, the version has "
                                                  f"{expected}")


def _varints(data: bytes) -> list[int]:
    """SQLite's varints, one after another (FTS5's per-column token counts)."""
    values, value, i = [], 0, 0
    while i < len(data):
        byte = data[i]
        i += 1
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            values.append(value)
            value = 0
    return values


def _postgres_text_problems(
    conn: Connection, entries: Sequence[IndexEntry]
) -> Iterator[VerifyProblem]:
    rows = [row for e in entries
            for row in _chunk_rows(e.version_id, e.title, e.body, e.body_folded)]
    ids = [e.version_id for e in entries]
    parts: dict[int, int] = dict(conn.execute(_PG_PARTS, {"ids": ids}).all())
    expected = Counter(r["id"] for r in rows)
    differ: dict[int, list[int]] = {}
    for vid, part in conn.execute(_PG_CHUNKS, {
        "ids": [r["id"] for r in rows], "parts": [r["part"] for r in rows],
        "tsvs": [r["tsv"] for r in rows],
    }):
        differ.setdefault(vid, []).append(part)
    for vid in ids:
        if parts.get(vid, 0) != expected[vid]:
            yield index_problem(vid, f"the full-text index holds {parts.get(vid, 0)} chunks, the "
                                f"version makes {expected[vid]}")
        elif vid in differ:
            yield index_problem(vid, "the full-text index holds other tokens than the version "
                                f"(chunks {', '.join(map(str, differ[vid]))})")
