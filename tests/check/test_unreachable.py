"""Offline, refused, slow or failing is not deleted: such answers are ``unreachable``, never
``gone``, however often they come, and they neither confirm nor break a run of sightings."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from originals import ARTICLE, add_page, check_at, html

from cunzhao.archive import Archive
from cunzhao.check import gone_documents, link_status
from netserver import NetServer


def test_a_closed_port_a_503_and_a_timeout_are_unreachable_not_gone(
    archive_location: str, server: NetServer, tmp_path: Path
) -> None:
    with Archive.open(archive_location) as archive:
        with NetServer() as closing:  # a host that goes away: its port is closed after this
            offline = add_page(archive, closing, "/o.html", ARTICLE, tmp_path)
        busy = add_page(archive, server, "/busy.html", html("忙", "正文" * 80), tmp_path)
        slow = add_page(archive, server, "/slow.html", html("慢", "正文" * 90), tmp_path)
        server.page("/busy.html", b"busy", "text/plain", status=503)
        server.page("/slow.html", b"late", delay=2.0)
        expected = {offline: "unreachable", busy: "unreachable", slow: "unreachable"}
        for at in (0, 25, 50):  # three days of the same answers
            assert check_at(archive, tmp_path, at, timeout=0.5) == expected
        assert gone_documents(archive.engine) == []
        assert gone_documents(archive.engine, sightings=1, after=timedelta(0)) == []
        refused = link_status(archive.engine, offline)
        assert refused is not None and not refused.gone and refused.first_gone is None
        assert refused.http_status is None and "refused" in (refused.detail or "").lower()
        answered = link_status(archive.engine, busy)
        assert answered is not None and answered.http_status == 503 and not answered.gone
        late = link_status(archive.engine, slow)
        assert late is not None and (late.detail or "").startswith("timeout")
        view = archive.document(offline)
        assert view is not None and view.source_status is not None
        assert view.source_status["gone"] is False


def test_unreachable_between_sightings_neither_confirms_nor_breaks(
    server: NetServer, tmp_path: Path
) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        doc = add_page(archive, server, "/x.html", ARTICLE, tmp_path)
        server.remove("/x.html")
        assert check_at(archive, tmp_path, 0) == {doc: "gone"}
        server.page("/x.html", b"busy", "text/plain", status=503)
        assert check_at(archive, tmp_path, 30) == {doc: "unreachable"}
        status = link_status(archive.engine, doc)
        assert status is not None and status.outcome == "unreachable"
        assert status.sightings == 1 and not status.gone  # the 503 did not confirm it
        server.remove("/x.html")
        assert check_at(archive, tmp_path, 31) == {doc: "gone"}
        status = link_status(archive.engine, doc)
        assert status is not None and status.gone and status.sightings == 2
        server.page("/x.html", b"busy", "text/plain", status=500)
        assert check_at(archive, tmp_path, 40) == {doc: "unreachable"}
        assert [g.document_id for g in gone_documents(archive.engine)] == [doc]  # nor revived
        server.page("/x.html", ARTICLE)
        assert check_at(archive, tmp_path, 41) == {doc: "alive"}
        assert gone_documents(archive.engine) == []
