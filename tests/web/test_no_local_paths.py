"""No path of the machine that ingested leaks: not through the API, the pages, the downloads,
an exported data package or a WARC's provenance — only the operator's own ``show`` prints it (both
backends)."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cunzhao import Archive
from cunzhao.cli import app as cli
from cunzhao.web import create_app

REPO = Path(__file__).resolve().parents[2]
NO_URL = REPO / "tests" / "data" / "bad" / "gb18030.html"  # a page stating no URL of its own


@pytest.fixture
def ingested(archive_location: str, tmp_path: Path) -> tuple[str, Path]:
    """The examples and a URL-less page, ingested from a deep folder of this machine."""
    root = tmp_path / "home" / "someone" / "corpus"
    shutil.copytree(REPO / "examples", root / "examples")
    shutil.copy(NO_URL, root / "plain.html")
    with Archive.open(archive_location) as archive:
        assert archive.ingest([root]).failed == 0
    return archive_location, root


def _leaks(text: str, root: Path) -> list[str]:
    return [p for p in (str(root), str(root.parent), "file://") if p in text]


def test_api_pages_and_downloads_publish_file_names_only(ingested: tuple[str, Path]) -> None:
    location, root = ingested
    with TestClient(create_app(location)) as client:
        listing = client.get("/api/documents?per_page=100")
        assert _leaks(listing.text, root) == []
        ids = [d["id"] for d in listing.json()["items"]]
        assert len(ids) == 7
        names = set()
        for doc_id in ids:
            answer = client.get(f"/api/documents/{doc_id}")
            assert _leaks(answer.text, root) == [], doc_id
            names |= {v["source"] for v in answer.json()["versions"]}
            assert _leaks(client.get(f"/doc/{doc_id}").text, root) == [], doc_id
        assert {"seed-704712.md", "cdt-401269.v2.md", "plain.html"} <= names
        for path in ("/api/search?q=网信", "/download/search.csv?q=的", "/download/cases.csv",
                     "/feed.atom", "/"):
            assert _leaks(client.get(path).text, root) == [], path
    with Archive.open(location, read_only=True) as archive:  # the record keeps the path
        seed = archive.document("https://chinadigitaltimes.net/chinese/704712.html")
        assert seed is not None and seed.versions[0].source.startswith(str(root))


def test_exports_publish_file_names_only(ingested: tuple[str, Path], tmp_path: Path) -> None:
    location, root = ingested
    runner = CliRunner()
    package = tmp_path / "package"
    done = runner.invoke(cli, ["export", str(package), "--db", location, "-q"])
    assert done.exit_code == 0, done.output
    for path in package.iterdir():
        assert _leaks(path.read_text(encoding="utf-8"), root) == [], path.name
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "ODC-By-1.0"
    titles = [s["title"] for s in descriptor["sources"]]
    assert titles[0].startswith("cunzhao archive") and "chinadigitaltimes.net (" in titles[1]
    warc = tmp_path / "all.warc.gz"
    assert runner.invoke(cli, ["export", "--warc", str(warc), "--db", location, "-q"]).exit_code == 0
    records = gzip.decompress(warc.read_bytes()).decode("utf-8", "replace")
    sources = [line for line in records.splitlines() if line.startswith("cunzhao-source:")]
    assert len(sources) == 8 and _leaks("\n".join(sources), root) == []
    # (a page without a URL keeps its file: URI as the record's target: the WARC's identity)
    shown = runner.invoke(cli, ["show", "https://chinadigitaltimes.net/chinese/704712.html",
                                "--db", location])
    assert str(root) in shown.output.replace("\n", "")  # the operator's own view keeps it
