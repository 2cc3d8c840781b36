"""Downloads say what they hold: file names (RFC 6266 for Chinese), Excel's BOM on request,
cases with their document's title, date and URL; diffs compare different versions."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

from fastapi.testclient import TestClient

from cunzhao import Archive
from cunzhao.web import create_app
from cunzhao.web.routes.downloads import BOM, disposition, file_name
from pages import write_page

TODAY = datetime.now(UTC).date().isoformat()


def _name(response: object) -> str:
    header = response.headers["content-disposition"]  # type: ignore[attr-defined]
    star = re.search(r"filename\*=UTF-8''([^;]+)", header)
    return unquote(star[1]) if star else re.search(r'filename="([^"]+)"', header)[1]  # type: ignore[index]


def test_file_names_and_their_header() -> None:
    assert file_name("cases", ["百度", None], "csv") == f"cunzhao-cases-百度-{TODAY}.csv"
    assert file_name("search", ['"a/b" c:d', ""], "jsonl") == f"cunzhao-search-a_b_c_d-{TODAY}.jsonl"
    assert disposition("cunzhao-stats-2024-01-01.csv") == \
        'attachment; filename="cunzhao-stats-2024-01-01.csv"'
    assert disposition("cunzhao-cases-百度-2024-01-01.csv") == (
        'attachment; filename="cunzhao-cases-2024-01-01.csv"; '
        "filename*=UTF-8''cunzhao-cases-%E7%99%BE%E5%BA%A6-2024-01-01.csv")


def test_cases_download_names_its_target_and_carries_documents(client: TestClient) -> None:
    answer = client.get("/download/cases.csv?target=百度&bom=1")
    assert answer.status_code == 200 and _name(answer) == f"cunzhao-cases-百度-{TODAY}.csv"
    assert answer.content.startswith(BOM) and not answer.content[3:].startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows and all("百度" in r["targets"] for r in rows)
    first = rows[0]
    assert first["title"].startswith("【立此存照】中央网信办") and first["published"] == "2024-01-31"
    assert first["url"] == "https://chinadigitaltimes.net/chinese/704712.html"
    everything = client.get("/download/cases.csv").content
    assert not everything.startswith(BOM)  # no BOM unless asked: the export stage's bytes
    assert len(list(csv.DictReader(io.StringIO(everything.decode())))) > len(rows)
    assert not client.get("/download/cases.jsonl?bom=1").content.startswith(BOM)  # CSV only


def test_search_and_stats_downloads_name_their_filters(client: TestClient) -> None:
    assert _name(client.get("/download/search.parquet?q=约谈&tag=立此存照")) == \
        f"cunzhao-search-约谈-立此存照-{TODAY}.parquet"
    assert _name(client.get("/download/consolidated_stats.csv?action=summon")) == \
        f"cunzhao-consolidated-stats-summon-{TODAY}.csv"
    page = client.get("/search?q=约谈").text
    assert re.search(r'id="download-csv" href="/download/search\.csv\?q=[^"]*bom=1"', page)


def test_diff_defaults_to_the_latest_different_versions(tmp_path: Path) -> None:
    url = "https://example.org/n/2.html"
    pages = tmp_path / "pages"
    paths = [write_page(pages / "a.md", url, "通报", ["原文。"], captured_ms=1_700_000_000_000),
             write_page(pages / "b.md", url, "通报", ["改过的文字。"],
                        captured_ms=1_710_000_000_000),
             # a later capture with the same text (other bytes: another version)
             write_page(pages / "c.md", url, "通报", ["改过的文字。 "],
                        captured_ms=1_720_000_000_000)]
    location = str(tmp_path / "a.db")
    with Archive.open(location) as archive:
        for path in paths:
            archive.ingest([path])
        view = archive.document(url)
        assert view is not None and [v.n for v in view.versions] == [1, 2, 3]
    with TestClient(create_app(location)) as client:
        html = client.get(f"/doc/{view.id}/diff?lang=en").text
        # 3 and 2 hold the same text: the default compares 3 with 1
        assert re.search(r'name="a".*?<option value="1" selected>', html, re.DOTALL)
        assert re.search(r'name="b".*?<option value="3" selected>', html, re.DOTALL)
        assert "<del>原</del>" in html and "Version 1 · Captured 2023-11-14T22:13:20Z" in html
        assert client.get(f"/doc/{view.id}/diff?a=2&b=3").text.count('id="diff-same"') == 1
        auto = client.get(f"/doc/{view.id}/diff?a=&b=2").text  # the form's "latest different"
        assert re.search(r'name="a".*?<option value="1" selected>', auto, re.DOTALL)
