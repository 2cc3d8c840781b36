"""``check --recheck`` asks again only about originals now gone or unreachable; the server's
request log is the witness."""

from __future__ import annotations

from pathlib import Path

from originals import add_page, check_at, html

from cunzhao.archive import Archive
from netserver import NetServer


def test_recheck_requests_only_gone_and_unreachable(server: NetServer, tmp_path: Path) -> None:
    paths = ["/alive.html", "/gone.html", "/busy.html", "/back.html", "/moved.html"]
    with Archive.open(tmp_path / "a.db") as archive:
        docs = {
            path: add_page(archive, server, path, html(path, "正文" * 60 + path), tmp_path)
            for path in paths
        }
        server.remove("/gone.html")
        server.remove("/back.html")
        server.page("/busy.html", b"busy", "text/plain", status=502)
        server.page("/elsewhere.html", html("/moved.html", "正文" * 60 + "/moved.html"))
        server.redirect("/moved.html", "/elsewhere.html", status=301)
        first = check_at(archive, tmp_path, 0)
        assert first == {
            docs["/alive.html"]: "alive", docs["/gone.html"]: "gone",
            docs["/busy.html"]: "unreachable", docs["/back.html"]: "gone",
            docs["/moved.html"]: "redirected",
        }
        server.page("/back.html", html("/back.html", "正文" * 60 + "/back.html"))
        # /back.html came back: a full check sees it, and then it is no longer rechecked
        assert check_at(archive, tmp_path, 1)[docs["/back.html"]] == "alive"

        before = {path: len(server.requests_for(path)) for path in paths}
        again = check_at(archive, tmp_path, 25, recheck=True)
        asked = {path: len(server.requests_for(path)) - before[path] for path in paths}
        assert asked == {"/alive.html": 0, "/gone.html": 1, "/busy.html": 1, "/back.html": 0,
                         "/moved.html": 0}
        assert again == {docs["/gone.html"]: "gone", docs["/busy.html"]: "unreachable"}
        assert [g.document_id for g in archive.gone_documents()] == [docs["/gone.html"]]

        with Archive.open(tmp_path / "empty.db") as empty:
            assert empty.check(recheck=True) == []  # nothing checked yet: nothing to recheck
