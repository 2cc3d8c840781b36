"""`cunzhao export` as a user runs it: data packages, --warc, --wacz, filters, bad targets."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from cunzhao.archive import Archive
from cunzhao.cli import app
from cunzhao.export.tabular import TABLES

runner = CliRunner()


@pytest.fixture
def db(archive: Archive) -> str:
    return archive.location

def export(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["export", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_writes_a_data_package(db: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "package"
    code, output = export(str(out), "--format", fmt, "--db", db, "--quiet")
    assert code == 0, output
    assert f"wrote {fmt} data package" in output
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == list(TABLES)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["datapackage.json", *(f"{t}.{fmt}" for t in TABLES)])
    assert descriptor["cunzhao"]["rows"]["documents"] == 4


def test_csv_is_the_default_and_filters_select_documents(db: str, tmp_path: Path) -> None:
    code, output = export(str(tmp_path / "all"), "--db", db, "-q", "--all-versions")
    assert code == 0, output
    every = json.loads((tmp_path / "all" / "datapackage.json").read_text(encoding="utf-8"))
    assert every["resources"][0]["path"] == "documents.csv"
    code, output = export(str(tmp_path / "tagged"), "--db", db, "-q", "--tag", "立此存照",
                          "--since", "2024-01-01", "--until", "2024-12-31")
    assert code == 0, output
    tagged = json.loads((tmp_path / "tagged" / "datapackage.json").read_text(encoding="utf-8"))
    assert tagged["cunzhao"]["rows"]["documents"] == 1
    assert tagged["cunzhao"]["filters"] == {"tag": "立此存照", "since": "2024-01-01",
                                            "until": "2024-12-31"}
    assert every["cunzhao"]["rows"]["stats"] > tagged["cunzhao"]["rows"]["stats"] >= 6


def test_query_exports_every_matching_document(db: str, tmp_path: Path) -> None:
    with Archive.open(db) as archive:
        hits = archive.search("网信", per_page=100, facets=False)
    code, output = export(str(tmp_path / "found"), "--query", "网信", "--format", "jsonl",
                          "--db", db)
    assert code == 0, output
    assert f"{hits.total} documents match" in output
    descriptor = json.loads((tmp_path / "found" / "datapackage.json").read_text("utf-8"))
    assert descriptor["cunzhao"]["filters"] == {"document_ids": hits.total, "query": "网信"}
    lines = (tmp_path / "found" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(
        h.document_id for h in hits.hits)


def test_warc_and_wacz(db: str, tmp_path: Path) -> None:
    warc = tmp_path / "out.warc.gz"
    code, output = export(str(warc), "--warc", "--db", db, "--tag", "立此存照")
    assert code == 0, output
    with open(warc, "rb") as handle:
        kinds = [record.rec_type for record in ArchiveIterator(handle)]
    assert kinds == ["warcinfo", "response", "metadata"]  # the seed, the one tagged page
    assert f"wrote WARC {warc}: 1 records" in output
    wacz = tmp_path / "out.wacz"
    code, output = export(str(wacz), "--wacz", "--db", db)
    assert code == 0, output
    with zipfile.ZipFile(wacz) as package:
        assert "datapackage.json" in package.namelist()
    assert "7 records" in output


def test_bad_requests_get_a_clear_error(db: str, tmp_path: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "x").write_text("x")
    code, output = export(str(full), "--db", db)
    assert code == 2 and f"{full}: exists and is not empty" in output
    code, output = export(str(full / "x"), "--warc", "--db", db)
    assert code == 2 and "already exists" in output
    code, output = export(str(full / "x" / "out"), "--db", db)
    assert code == 2 and "is not a folder" in output
    code, output = export(str(tmp_path / "a.warc.gz"), "--warc", "--wacz", "--db", db)
    assert code == 2 and "choose one of --format, --warc, --wacz" in output
    code, output = export(str(tmp_path / "q"), "--query", '"open', "--db", db)
    assert code == 2 and "--query" in output and "quote" in output
    code, output = export(str(tmp_path / "d"), "--since", "2024-13-01", "--db", db)
    assert code == 2 and "not a date" in output
    code, output = export("/proc/cunzhao-export", "--db", db)
    assert code == 2 and "cannot write there" in output
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("archive.db")) == [
        "full"]
