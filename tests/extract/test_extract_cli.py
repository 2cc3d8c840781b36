"""`cunzhao extract` and `cunzhao eval`, run through the real Typer app."""

from __future__ import annotations

import io
import json
from pathlib import Path

from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cunzhao.cli import app

runner = CliRunner()
TEXT = "今年上半年，全国网信系统依法约谈网站平台3491家。依法关闭“某某棋牌”等为网络赌博引流的网站。"


def test_extract_txt_json_with_published(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--json", "--published", "2022-08-02"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (stat,) = data["stats"]
    assert (stat["action"], stat["value"]) == ("summon", 3491)
    assert stat["period"] == {"start": "2022-01-01", "end": "2022-06-30"}
    assert TEXT[stat["start"] : stat["end"]] == stat["evidence"]
    assert data["cases"][0]["targets"] == ["某某棋牌"]


def test_extract_txt_table(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    assert "3,491" in result.stdout and "某某棋牌" in result.stdout


def test_extract_an_ingestable_page_uses_its_date(seed_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(seed_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["stats"]) == 6
    assert all(s["period"] == {"start": "2023-01-01", "end": "2023-12-31"} for s in data["stats"])


def test_missing_path_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = runner.invoke(app, ["extract", str(missing)])
    assert result.exit_code == 2
    assert str(missing) in result.stderr and "no such file" in result.stderr


def test_bad_date_and_bad_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("caf\xe9".encode("latin-1"))
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 1 and "not UTF-8" in result.stderr
    result = runner.invoke(app, ["extract", str(path), "--published", "yesterday"])
    assert result.exit_code == 2 and "--published" in result.stderr


def test_eval_gold_json(shared: Path) -> None:
    result = runner.invoke(app, ["eval", str(shared / "gold"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["documents"] >= 16
    assert {"stats", "periods", "cases", "misses", "false_positives"} <= set(data)
    assert 0.0 <= data["cases"]["f1"] <= 1.0


def test_eval_table_and_bad_folder(tmp_path: Path, shared: Path) -> None:
    result = runner.invoke(app, ["eval", str(shared / "gold")])
    assert result.exit_code == 0 and "precision" in result.stdout
    result = runner.invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 2 and str(tmp_path) in result.stderr and "no *.json" in result.stderr


def _warc(path: Path, bodies: list[bytes]) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.1")
        for i, body in enumerate(bodies):
            headers = [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
            ]
            record = writer.create_warc_record(
                f"https://example.org/{i}.html",
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
            )
            writer.write_record(record)


HTML = f"<html><body><p>{TEXT}</p></body></html>".encode()


def test_extract_html_and_warc(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(HTML)
    one, two = tmp_path / "one.warc.gz", tmp_path / "two.warc.gz"
    _warc(one, [HTML])
    _warc(two, [HTML, HTML])
    for path in (page, one):
        result = runner.invoke(app, ["extract", str(path), "--json"])
        assert result.exit_code == 0, result.output
        assert [s["value"] for s in json.loads(result.stdout)["stats"]] == [3491]
    result = runner.invoke(app, ["extract", str(two)])
    assert result.exit_code == 1 and "holds 2 pages" in result.stderr


def test_not_a_page_is_named(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"\x00\x01 not a page")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 1
    assert str(path) in result.stderr and "not a page" in result.stderr
