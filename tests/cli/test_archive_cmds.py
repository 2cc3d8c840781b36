"""The archive commands as a user runs them: ingest, ls, show, raw, stats, migrate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from cunzhao.archive import Archive
from cunzhao.cli import app
from cunzhao.store.engine import open_engine
from cunzhao.store.migrate import NeedsMigration, upgrade

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
runner = CliRunner()


def cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "cunzhao", *args], capture_output=True, check=False, cwd=REPO
    )


@pytest.fixture
def db(tmp_path: Path) -> str:
    location = str(tmp_path / "cli.db")
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", location, "--quiet"])
    assert result.exit_code == 0, result.output
    assert "6 ingested" in result.output and "1 new versions" in result.output
    return location


def test_ls_lists_newest_first_and_filters(db: str) -> None:
    result = runner.invoke(app, ["ls", "--db", db, "--json"])
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    dates = [r["published"] for r in rows if r["published"]]
    assert dates == sorted(dates, reverse=True) and len(rows) == 6
    tagged = runner.invoke(app, ["ls", "--db", db, "--json", "--tag", "立此存照"]).output
    assert all(json.loads(x)["series_tag"] == "立此存照" for x in tagged.splitlines() if x)
    since = runner.invoke(app, ["ls", "--db", db, "--json", "--since", "2024-01-01"]).output
    assert [json.loads(x)["published"] for x in since.splitlines() if x] == ["2024-01-31"]
    bad = runner.invoke(app, ["ls", "--db", db, "--since", "last week"])
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_show_json_is_the_documented_object(db: str) -> None:
    url = "https://chinadigitaltimes.net/chinese/704712.html"
    result = runner.invoke(app, ["show", url, "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert set(doc) == {
        "id", "url", "title", "series_tag", "published", "captured_at", "first_seen", "card",
        "original_url", "archive_url", "encoding", "header_format", "parser_version",
        "versions", "blocks", "body", "stats", "cases", "source_status", "decode_errors",
    }
    assert doc["original_url"] == "http://www.cac.gov.cn/2024-01/31/c_1708373600499439.htm"
    assert doc["card"]["collection"] == "真理馆"
    assert doc["decode_errors"] == 0
    assert {(s["action"], s["value"]) for s in doc["stats"]} >= {("summon", 10646)}
    text_view = runner.invoke(app, ["show", str(doc["id"]), "--db", db])
    assert "CDT 档案卡" in text_view.output and "真理馆" in text_view.output
    missing = runner.invoke(app, ["show", "99999", "--db", db])
    assert missing.exit_code == 1 and "no document" in missing.output


def test_show_lists_versions_and_raw_returns_each_byte_exact(db: str) -> None:
    listing = [json.loads(x) for x in runner.invoke(app, ["ls", "--db", db, "--json"]).output.splitlines() if x]
    two = next(r for r in listing if r["versions"] == 2)
    doc = json.loads(runner.invoke(app, ["show", str(two["id"]), "--db", db, "--json"]).output)
    assert [v["n"] for v in doc["versions"]] == [1, 2]
    for version, name in ((1, "cdt-401269.md"), (2, "cdt-401269.v2.md")):
        out = cli("raw", str(two["id"]), "--version", str(version), "--db", db)
        assert out.returncode == 0, out.stderr
        assert out.stdout == (EXAMPLES / name).read_bytes()


def test_ingest_reports_failures_and_exits_non_zero(db: str, tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(tmp_path / "empty.html"), str(EXAMPLES),
                                 "--db", db, "--quiet"])
    assert result.exit_code == 1
    assert "empty.html" in result.output
    assert "0 ingested, 7 unchanged" in result.output and "1 failed" in result.output


def test_stats_prints_consolidated_counts(db: str) -> None:
    rows = [json.loads(x) for x in runner.invoke(app, ["stats", "--db", db, "--json"]).output.splitlines() if x]
    summon = [r for r in rows if r["action"] == "summon" and r["value"] == 10646]
    assert len(summon) == 1 and summon[0]["period"] == {"start": "2023-01-01", "end": "2023-12-31"}


def test_old_archive_needs_migrate_and_migrate_upgrades_it(tmp_path: Path) -> None:
    location = str(tmp_path / "old.db")
    engine = open_engine(location)
    from alembic import command

    from cunzhao.store.migrate import alembic_config

    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0001_core")
    engine.dispose()
    with pytest.raises(NeedsMigration, match="cunzhao migrate"):
        Archive.open(location)
    refused = runner.invoke(app, ["ls", "--db", location])
    assert refused.exit_code == 2 and "cunzhao migrate" in refused.output
    done = runner.invoke(app, ["migrate", "--db", location])
    assert done.exit_code == 0 and "upgraded 0001_core" in done.output
    assert runner.invoke(app, ["ls", "--db", location]).exit_code == 0
    with open_engine(location).connect() as conn:
        assert conn.execute(text("select count(*) from documents")).scalar() == 0
    assert upgrade(open_engine(location))[0] == upgrade(open_engine(location))[1]
