"""The app on both backends: a fresh SQLite file and a real PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from cunzhao import Archive, ReadOnlyArchive
from cunzhao.web import create_app


def test_serves_and_stays_read_only(archive_location: str, seed_path: Path) -> None:
    with Archive.open(archive_location) as archive:
        assert archive.ingest([seed_path]).counts == {"ingested": 1}
    app = create_app(archive_location)
    with TestClient(app) as client:
        hits = client.get("/api/search?q=约谈").json()["hits"]
        assert [h["url"] for h in hits] == ["https://chinadigitaltimes.net/chinese/704712.html"]
        doc = client.get(f"/doc/{hits[0]['document_id']}")
        assert doc.status_code == 200 and doc.text.count('class="stat"') >= 6
        assert client.get("/api/stats").json()["total"] == 6
        with pytest.raises(ReadOnlyArchive), app.state.archive.engine.begin() as conn:
            conn.execute(text("UPDATE documents SET url = url || 'x'"))
        for _ in range(3):  # pooled connections stay read-only and usable after the error
            assert client.get("/api/documents").json()["total"] == 1


def test_missing_archive_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no archive at"):
        create_app(tmp_path / "absent.db")
    assert not (tmp_path / "absent.db").exists()


def test_cached_pages_follow_changes_to_the_archive(tmp_path: Path, seed_path: Path) -> None:
    location = str(tmp_path / "archive.db")
    with Archive.open(location) as archive:
        archive.ingest([seed_path])
    with TestClient(create_app(location)) as client:
        first = client.get("/search?q=约谈")
        assert client.get("/search?q=约谈").content == first.content
        assert client.get("/api/search?q=约谈").json()["total"] == 1
        with Archive.open(location) as archive:  # another writer, as an ingest would be
            archive.ingest([Path(__file__).parent / "data" / "hostile"])
        assert client.get("/api/search?q=约谈").json()["total"] == 2
        assert client.get("/search?q=约谈").content != first.content


def test_original_keeps_its_bytes_and_declares_their_encoding(tmp_path: Path) -> None:
    page = Path(__file__).parents[1] / "data" / "bad" / "gb18030.html"
    location = str(tmp_path / "archive.db")
    with Archive.open(location) as archive:
        result = archive.ingest([page])
        assert result.counts == {"ingested": 1}
        doc = archive.documents()[0]
    with TestClient(create_app(location)) as client:
        original = client.get(f"/doc/{doc.id}/original")
        assert original.content == page.read_bytes()
        charset = original.headers["content-type"].split("charset=")[1].lower()
        assert charset.replace("-", "") in ("gb18030", "gbk", "gb2312")
        assert "网信办" in original.content.decode(charset)
        assert "网信办" in client.get(f"/doc/{doc.id}").text
