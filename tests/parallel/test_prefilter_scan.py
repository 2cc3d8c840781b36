"""``scan``: the keyword prefilter keeps every page a full parse and extraction find facts
in (its recall on the corpus), drops pages about other things, and reports its rates."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from inputs import corpus_slice, slice_warc
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cunzhao import Capture, scan_paths
from cunzhao.capture.sources import iter_captures
from cunzhao.cli import app
from cunzhao.scale.parquet import read_partitions
from cunzhao.scale.prefilter import Prefilter
from cunzhao.scale.prepare import Prepared, prepare
from testenv import shared_location

_OTHER = ("今日天气晴朗，最高气温二十五度，适合外出散步。", "本店新推出三款甜点，欢迎品尝。",
          "The quarterly report covers revenue and hiring.")


def _elsewhere(path: Path) -> list[str]:
    """A WARC of pages about other things (what a crawl mostly holds); their URLs."""
    urls = []
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i, text in enumerate(_OTHER * 3):
            body = f"<html><head><title>第{i}页</title></head><body><p>{text}</p></body></html>"
            data = body.encode("gb18030" if i % 2 else "utf-8")
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                    protocol="HTTP/1.1")
            urls.append(f"https://elsewhere.example/{i}")
            writer.write_record(writer.create_warc_record(
                urls[-1], "response", payload=io.BytesIO(data), length=len(data),
                http_headers=http, warc_headers_dict={"WARC-Date": "2024-03-01T00:00:00Z"}))
    return urls


def _with_facts(paths: list[Path]) -> set[str]:
    """Sources of the pages in which a full parse and extraction find a fact."""
    found = set()
    for item in iter_captures(paths):
        if isinstance(item, Capture) and item.is_page:
            ready = prepare(item)
            if ready.facts and (ready.facts.stats or ready.facts.cases):
                found.add(item.source)
    return found


def test_scan_keeps_every_page_with_facts_and_drops_the_rest(tmp_path: Path) -> None:
    corpus = shared_location() / "corpus"
    folder = tmp_path / "crawl"
    folder.mkdir()
    slice_warc(folder / "corpus.warc.gz", corpus_slice(tmp_path / "pages", every=2))
    elsewhere = _elsewhere(folder / "elsewhere.warc.gz")
    expected = _with_facts([corpus]) | _with_facts([folder])
    assert len(expected) >= 5
    parts = tmp_path / "parts"
    report = scan_paths([corpus, folder], jobs=2, to_parquet=parts)
    kept = {i.source for i in read_partitions(parts) if isinstance(i, Prepared)}
    assert expected <= kept, f"missed: {sorted(expected - kept)}"
    assert not any(i.capture.target_url in elsewhere for i in read_partitions(parts)
                   if isinstance(i, Prepared))
    assert report.with_facts == len(expected)
    assert report.kept == len(kept) < report.read
    assert report.read_rate > 0 and report.failed == 0


def test_scan_command_reports_rates(tmp_path: Path) -> None:
    _elsewhere(tmp_path / "elsewhere.warc.gz")
    result = CliRunner().invoke(app, ["scan", str(tmp_path), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "9 records read" in result.output and "0 kept by the prefilter" in result.output


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "big5"])
def test_the_prefilter_reads_each_encoding_and_character_references(encoding: str) -> None:
    screen = Prefilter.from_lexicon().screen
    traditional = "國家網信辦依法約談該平台負責人".encode(encoding)
    referenced = "".join(f"&#{ord(c)};" for c in "约谈").encode("ascii")
    hexadecimal = "".join(f"&#x{ord(c):x};" for c in "约谈").encode("ascii")
    plain = "今日天气晴朗".encode(encoding)
    assert screen([traditional, referenced, hexadecimal, plain, b""]) == [
        True, True, True, False, False]
