"""Migrations are frozen: 0003 creates the search tables the search code of the day expects.

Migration 0003 writes its tables out instead of calling the search code; this test says when
the two part ways — a change to the index's tables then needs a migration of its own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, inspect, text

from cunzhao.archive import Archive
from cunzhao.ingest import complete_index
from cunzhao.search import create_search_schema, drop_search_schema

SEARCH_TABLES = ("search_docs", "search_facets", "search_fts", "search_chunks")


def _search_schema(conn: Connection) -> dict[str, Any]:
    """What a backend says of the search tables: columns, keys, indexes, virtual-table SQL."""
    found: dict[str, Any] = {}
    inspector = inspect(conn)
    for table in sorted(set(inspector.get_table_names()) & set(SEARCH_TABLES)):
        if conn.dialect.name == "sqlite" and table == "search_fts":
            found[table] = conn.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
            ).scalar_one()
            continue
        found[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"])
                        for c in inspector.get_columns(table)],
            "key": inspector.get_pk_constraint(table)["constrained_columns"],
            "unique": sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in inspector.get_indexes(table)),
        }
    if conn.dialect.name == "postgresql":
        found["pg_indexes"] = sorted(conn.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_chunks'"
        )).all())
    return found


def test_migration_0003_creates_what_the_search_code_creates(archive_location: str) -> None:
    with Archive.open(archive_location) as archive:  # a new archive: every migration ran
        with archive.engine.connect() as conn:
            migrated = _search_schema(conn)
        with archive.engine.begin() as conn:
            drop_search_schema(conn)
            create_search_schema(conn)
        with archive.engine.connect() as conn:
            assert _search_schema(conn) == migrated
            assert "search_docs" in migrated and len(migrated) >= 3


def test_complete_index_leaves_a_complete_index_alone(
    archive_location: str, seed_path: Any
) -> None:
    with Archive.open(archive_location) as archive:
        assert archive.ingest([seed_path]).failed == 0
        with archive.engine.begin() as conn:
            assert complete_index(conn) == 0
