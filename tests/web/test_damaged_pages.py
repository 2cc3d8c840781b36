"""Real pages each damaged at one byte are all stored — bytes as captured, text equal to the
intact page's but for the damaged character, ``decode_errors`` ≥ 1 — and the API, ``show
--json`` and the document page say so (issue 15, item 6). On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from cunzhao import IngestResult
from cunzhao.archive import Archive
from cunzhao.capture.model import Capture
from cunzhao.parse import parse_capture
from cunzhao.web import create_app
from damaged import NEAR, changed_span, damage, page_files


def test_damaged_pages_are_all_stored(archive_location: str, tmp_path: Path) -> None:
    folder = tmp_path / "damaged"
    folder.mkdir()
    intact: dict[str, bytes] = {}
    for path in page_files():
        data = path.read_bytes()
        (folder / path.name).write_bytes(damage(data, path.name))
        intact[str(folder / path.name)] = data
    results: list[IngestResult] = []
    with Archive.open(archive_location) as archive:
        summary = archive.ingest([folder], on_result=results.append)
        assert summary.failed == 0, summary.failures[:3]
        assert len(results) == len(intact)
        assert {r.outcome for r in results} <= {"ingested", "new_version"}
        for result in results:
            assert result.document_id is not None and result.version_n is not None
            view = archive.document(result.document_id, version=result.version_n)
            assert view is not None
            page = parse_capture(Capture(intact[result.source], result.source))
            assert view.decode_errors >= 1 and view.to_json()["decode_errors"] >= 1
            assert changed_span(page.body, view.body) <= NEAR, result.source
            assert archive.raw(result.document_id, result.version_n) == \
                (Path(result.source)).read_bytes()
        some = results[0]
        assert some.document_id is not None
        latest = archive.document(some.document_id)
        assert latest is not None
        errors, doc_id = latest.decode_errors, latest.id

    with TestClient(create_app(archive_location)) as client:
        assert client.get(f"/api/documents/{doc_id}").json()["decode_errors"] == errors
        page = client.get(f"/doc/{doc_id}").text
        assert 'id="decode-errors"' in page and f"{errors}</p>" in page
        english = client.get(f"/doc/{doc_id}?lang=en").text
        assert "Some original bytes are damaged" in english


def test_an_intact_page_has_no_damage_note(client: TestClient, doc_ids: dict[str, int]) -> None:
    assert client.get(f"/api/documents/{doc_ids['seed']}").json()["decode_errors"] == 0
    assert 'id="decode-errors"' not in client.get(f"/doc/{doc_ids['seed']}").text
