"""The Frictionless data package: `frictionless validate` accepts it; it describes every column,
states licence and provenance, and records each file's size and hash."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from frictionless import Package

from cunzhao import TABLES, Archive, __version__
from cunzhao.export.datapackage import ExportTargetError, check_target, redact_location
from cunzhao.extract import EXTRACTOR_VERSION

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def frictionless_validate(package: Path, *skip: str) -> dict[str, Any]:
    """The JSON report of the real `frictionless validate` command."""
    assert FRICTIONLESS.exists(), f"{FRICTIONLESS} missing: install the test extra"
    command = [str(FRICTIONLESS), "validate", "--json", str(package / "datapackage.json")]
    if skip:
        command += ["--skip-errors", ",".join(skip)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def errors_of(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(t["name"], e["type"], e["message"]) for t in report["tasks"] for e in t["errors"]]


def test_csv_package_is_valid_and_holds_the_archive(archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "package"
    result = archive.export_package(out, fmt="csv")
    report = frictionless_validate(out)
    assert report["valid"], errors_of(report)
    assert sorted(t["name"] for t in report["tasks"]) == sorted(TABLES)
    for table in TABLES:
        with open(out / f"{table}.csv", encoding="utf-8", newline="") as handle:
            read = list(csv.DictReader(handle))
        expected = list(archive.rows(table))
        assert len(read) == len(expected) == result.rows[table]
        assert read == [{k: _text(v) for k, v in r.items()} for r in expected]
    assert result.rows["stats"] >= 6 and result.rows["versions"] == 7
    assert not list(tmp_path.glob(".*partial"))  # the work folder was renamed into place


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def test_descriptor_describes_every_column_licence_and_provenance(
    archive: Archive, tmp_path: Path
) -> None:
    out = tmp_path / "package"
    archive.export_package(out, fmt="csv", all_versions=True)
    text = (out / "datapackage.json").read_text(encoding="utf-8")
    descriptor = json.loads(text)
    for resource in descriptor["resources"]:
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == [c.name for c in TABLES[resource["name"]]]
        assert all(f["description"] and f["type"] for f in fields)
        data = (out / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert descriptor["licenses"][0]["name"] == "ODC-By-1.0"
    assert "该作品版权归原作者所有" in descriptor["description"]
    provenance = descriptor["cunzhao"]
    assert provenance["version"] == __version__
    assert provenance["extractor_version"] == EXTRACTOR_VERSION
    assert provenance["extractor_versions_in_archive"] == [EXTRACTOR_VERSION]
    assert provenance["archive_counts"] == archive.counts()
    assert provenance["filters"] == {"all_versions": True}
    if "://" in archive.location:  # PostgreSQL: the URL, never its password
        password = archive.engine.url.password
        assert password and f":{password}@" not in text
        assert provenance["archive"] == redact_location(archive.location)
        assert "***" in provenance["archive"]
    else:  # a SQLite file: its name, no folder of the exporting machine
        assert provenance["archive"] == Path(archive.location).name


def test_a_tampered_file_fails_validation(archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "package"
    archive.export_package(out, fmt="csv")
    stats_csv = out / "stats.csv"
    lines = stats_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = "99999" + lines[1][lines[1].index(","):]  # a stat of no known version
    stats_csv.write_text("".join(lines), encoding="utf-8")
    report = frictionless_validate(out)
    assert not report["valid"]
    kinds = {(name, kind) for name, kind, _ in errors_of(report)}
    assert ("stats", "foreign-key") in kinds and ("stats", "hash-count") in kinds


def test_jsonl_package_is_valid(archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "package"
    result = archive.export_package(out, fmt="jsonl")
    report = frictionless_validate(out)
    # frictionless 5.21 cannot open an empty JSONL file; every table with rows must be valid
    empty = {t for t, n in result.rows.items() if n == 0}
    assert all(kind == "source-error" and name in empty for name, kind, _ in errors_of(report))
    assert len(empty) < len(TABLES) - 1
    for resource in result.descriptor["resources"]:
        lines = (out / resource["path"]).read_text(encoding="utf-8").splitlines()
        assert [json.loads(line) for line in lines] == list(
            archive.rows(resource["name"]))


def test_parquet_package_is_described_truly(archive: Archive, tmp_path: Path) -> None:
    """frictionless 5.21 reads Parquet only through pandas, which turns a null integer into NaN
    and then fails it, so the data are checked here with pyarrow against the descriptor, and
    frictionless checks the descriptor itself."""
    out = tmp_path / "package"
    result = archive.export_package(out, fmt="parquet")
    assert Package.validate_descriptor(result.descriptor).valid
    arrow_types = {"integer": "int64", "number": "double", "string": "string", "boolean": "bool",
                   "date": "date32[day]", "datetime": "timestamp[us, tz=UTC]"}
    for resource in result.descriptor["resources"]:
        data = (out / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        table = pq.read_table(out / resource["path"])
        fields = resource["schema"]["fields"]
        assert [(f.name, str(f.type)) for f in table.schema] == [
            (f["name"], arrow_types[f["type"]]) for f in fields]
        required = [f["name"] for f in fields if f.get("constraints", {}).get("required")]
        assert all(table.column(name).null_count == 0 for name in required)
        assert [{k: _iso(v) for k, v in r.items()} for r in table.to_pylist()] == list(
            archive.rows(resource["name"]))


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_bad_targets_are_refused_and_left_alone(archive: Archive, tmp_path: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine")
    with pytest.raises(ExportTargetError, match="not empty"):
        archive.export_package(full)
    assert [p.name for p in full.iterdir()] == ["keep.txt"]
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(ExportTargetError, match="is not a folder"):
        archive.export_package(afile / "package")
    with pytest.raises(ExportTargetError, match="already exists"):
        check_target(afile, folder=False)
    with pytest.raises(ExportTargetError, match="does not exist"):
        check_target(tmp_path / "missing" / "out.warc.gz", folder=False)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert archive.export_package(empty, fmt="jsonl").rows["documents"] == 4
    assert not list(tmp_path.glob(".*partial"))


def test_redact_location() -> None:
    assert redact_location("/data/cunzhao.db") == "cunzhao.db"
    shown = redact_location("postgresql://me:s3cret@db.example:5432/arch?password=s3cret&x=1")
    assert "s3cret" not in shown
    assert shown.startswith("postgresql://me:***@db.example:5432/arch")
