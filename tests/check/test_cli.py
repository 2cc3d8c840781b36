"""``cunzhao capture`` and ``cunzhao check`` end to end, against a real server on 127.0.0.1."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from cunzhao.archive import Archive
from cunzhao.capture.model import Capture
from cunzhao.capture.warc import iter_warc_captures
from cunzhao.check import gone_documents
from cunzhao.cli import app
from netserver import NetServer

runner = CliRunner()


def test_capture_from_arguments_and_file_then_check(
    server: NetServer, seed_path: Path, tmp_path: Path
) -> None:
    db = tmp_path / "cz.db"
    # a page whose 来源 is on this server too: check must never reach past 127.0.0.1
    source = server.page("/cac/c_1708373600499439.htm", b"<html><title>CAC</title></html>")
    wayback = b"https://web.archive.org/web/http://www.cac.gov.cn/2024-01/31/c_1708373600499439.htm"
    seed = seed_path.read_bytes()
    assert wayback in seed
    page = server.page("/chinese/704712.html", seed.replace(wayback, source.encode()))
    other = server.page(
        "/b.html", b"<html><title>B</title><body><p>" + ("乙" * 300).encode() + b"</p></body>"
    )
    server.remove("/c.html")
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# to fetch\n{other}\n\n{server.url('/c.html')}\n", encoding="utf-8")

    result = runner.invoke(
        app,
        [
            "capture",
            page,
            "--from-file",
            str(listing),
            "--db",
            str(db),
            "--rate",
            "100",
            "--retries",
            "0",
        ],
    )
    assert result.exit_code == 1, result.output  # one URL was gone
    assert "gone" in result.output and "ingested #1 v1" in result.output
    warcs = sorted((tmp_path / "cz.db.data" / "warc").glob("capture-*.warc.gz"))
    assert len(warcs) == 1
    read = [c for c in iter_warc_captures(warcs[0]) if isinstance(c, Capture)]
    assert [c.target_url for c in read] == [page, other]
    with Archive.open(db) as archive:
        assert archive.counts()["documents"] == 2

    server.remove("/b.html", status=410)
    checked = runner.invoke(app, ["check", "--db", str(db), "--concurrency", "2", "--rate", "100"])
    assert checked.exit_code == 0, checked.output
    assert ("2 checked: 1 alive, 0 changed, 0 redirected, 1 gone, 0 unreachable, 0 error"
            in checked.output)
    assert "0 confirmed" in checked.output and "1 seen gone, not yet confirmed" in checked.output
    with Archive.open(db) as archive:
        assert gone_documents(archive.engine) == []  # one sighting is not a deletion
        # a day earlier, the same answer (the clock is a parameter of the library's check)
        earlier = datetime.now(UTC) - timedelta(hours=25)
        assert [c.outcome for c in archive.check(recheck=True, clock=lambda: earlier)] == ["gone"]

    rechecked = runner.invoke(app, ["check", "--recheck", "--db", str(db), "--rate", "100"])
    assert rechecked.exit_code == 0, rechecked.output
    assert "1 checked: 0 alive" in rechecked.output and "1 confirmed" in rechecked.output
    strict = runner.invoke(app, ["check", "--recheck", "--db", str(db), "--rate", "100",
                                 "--gone-after", "2d", "--gone-sightings", "2"])
    assert "0 confirmed (2+ sightings, 2d apart)" in strict.output, strict.output
    with Archive.open(db) as archive:
        (gone,) = gone_documents(archive.engine)
        assert gone.url == other and gone.sightings == 4

    listed = runner.invoke(app, ["ls", "--gone", "--json", "--db", str(db)])
    rows = [json.loads(line) for line in listed.output.splitlines() if line.startswith("{")]
    assert [r["document_id"] for r in rows] == [gone.document_id]
    assert rows[0]["first_gone"] and rows[0]["url"] == other
    shown = runner.invoke(app, ["show", str(gone.document_id), "--db", str(db)])
    assert "deleted at source" in shown.output and "410" in shown.output
    as_json = json.loads(runner.invoke(app, ["show", str(gone.document_id), "--json",
                                             "--db", str(db)]).output)
    assert as_json["source_status"]["gone"] is True
    seed_id = 3 - gone.document_id  # the other of the two documents
    alive = runner.invoke(app, ["show", str(seed_id), "--json", "--db", str(db)])
    assert json.loads(alive.output)["source_status"]["gone"] is False


def test_capture_needs_a_url_and_a_readable_list(tmp_path: Path) -> None:
    none = runner.invoke(app, ["capture", "--db", str(tmp_path / "a.db")])
    assert none.exit_code == 2 and "no URL" in none.output
    missing = runner.invoke(
        app, ["capture", "--from-file", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "a.db")]
    )
    assert missing.exit_code == 2 and "nope.txt" in missing.output


def test_check_rejects_a_bad_date_and_bad_thresholds(tmp_path: Path) -> None:
    Archive.open(tmp_path / "a.db").close()
    db = ["--db", str(tmp_path / "a.db")]
    bad = runner.invoke(app, ["check", *db, "--since", "yesterday"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    soon = runner.invoke(app, ["check", *db, "--gone-after", "soon"])
    assert soon.exit_code == 2 and "--gone-after" in soon.output and "'soon'" in soon.output
    none = runner.invoke(app, ["check", *db, "--gone-sightings", "0"])
    assert none.exit_code == 2
