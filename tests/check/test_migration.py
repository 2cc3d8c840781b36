"""Migration 0006 corrects archives written by older versions, which recorded network
failures as ``gone``: on SQLite and PostgreSQL, rows of the old shape are rewritten to
``unreachable`` with their detail kept, and real deletions stay ``gone``."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from originals import html, stamp
from sqlalchemy import insert, select

from cunzhao.archive import Archive
from cunzhao.capture.model import Capture
from cunzhao.store.migrate import alembic_config, head_revision
from cunzhao.store.schema import link_checks

# (document, hours after T0, outcome, HTTP status, detail) as an older cunzhao wrote them
OLD_ROWS = [
    ("offline", 0, "gone", None, "DNS failure: ConnectError: [Errno -3] name resolution"),
    ("offline", 30, "gone", None, "DNS failure: ConnectError: [Errno -3] name resolution"),
    ("busy", 0, "gone", 503, "HTTP 503"),
    ("busy", 30, "gone", 500, "HTTP 500"),
    ("deleted", 0, "alive", 200, None),
    ("deleted", 1, "gone", 404, "HTTP 404"),
    ("deleted", 2, "error", None, "ConnectError: [Errno 111] Connection refused"),
    ("deleted", 30, "gone", 200, "redirected to the home page http://a.cn/"),
]


def test_migration_0006_rewrites_false_gone_rows(archive_location: str, tmp_path: Path) -> None:
    with Archive.open(archive_location) as archive:
        docs = {}
        for name in ("offline", "busy", "deleted"):
            page = Capture(html(name, "正文" * 80 + name), str(tmp_path / f"{name}.html"))
            result = archive.ingest_capture(page)
            assert result.document_id is not None, result
            docs[name] = result.document_id
        with archive.engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "0005_sync")
        with archive.engine.begin() as conn:
            for name, at, outcome, status, detail in OLD_ROWS:
                conn.execute(insert(link_checks).values(
                    document_id=docs[name], url=f"http://{name}.example/a.html",
                    checked_at=stamp(at), outcome=outcome, http_status=status, detail=detail,
                ))
    assert Archive.migrate(archive_location) == ("0005_sync", head_revision())

    with Archive.open(archive_location) as archive:
        with archive.engine.connect() as conn:
            rows = conn.execute(
                select(link_checks.c.outcome, link_checks.c.http_status, link_checks.c.detail)
                .order_by(link_checks.c.id)
            ).all()
        assert [tuple(r) for r in rows] == [
            ("unreachable", None, OLD_ROWS[0][4]),
            ("unreachable", None, OLD_ROWS[1][4]),
            ("unreachable", 503, "HTTP 503"),
            ("unreachable", 500, "HTTP 500"),
            ("alive", 200, None),
            ("gone", 404, "HTTP 404"),
            ("error", None, OLD_ROWS[6][4]),
            ("gone", 200, OLD_ROWS[7][4]),
        ]
        assert [g.document_id for g in archive.gone_documents()] == [docs["deleted"]]
