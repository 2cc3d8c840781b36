"""The CDX query a wayback source sends, and its answers (JSON, text, pywb) → Memento entries."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

import pytest

from cunzhao.sources import Entry, FetchedPage, PageError, Source, cdx_query_url, parse_cdx

GONE = Source("gone", "wayback", url="www.cac.gov.cn/2017-06/", date_from="20170601",
              date_to="2017")
RESUME = "cn%2Cgov%2Ccac%29%2F2017-06%2F02%2Fc_1122.htm+20170602101530"


def _query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def test_the_query_asks_for_a_prefix_a_date_range_and_distinct_contents() -> None:
    url = cdx_query_url(GONE)
    assert url.startswith("https://web.archive.org/cdx/search/cdx?")
    assert _query(url) == {
        "url": "www.cac.gov.cn/2017-06/", "matchType": "prefix", "from": "20170601",
        "to": "2017", "filter": "statuscode:200", "collapse": "digest", "output": "json",
        "limit": "10000", "showResumeKey": "true",
    }


def test_several_statuses_and_a_resume_key() -> None:
    source = Source("s", "wayback", url="example.org/", statuses=("200", "301"),
                    cdx_server="http://127.0.0.1:9/cdx")
    url = cdx_query_url(source, RESUME)
    query = _query(url)
    assert url.startswith("http://127.0.0.1:9/cdx?") and "from" not in query
    assert query["filter"] == "statuscode:(200|301)"
    assert query["resumeKey"] == "cn,gov,cac)/2017-06/02/c_1122.htm 20170602101530"
    assert f"resumeKey={RESUME}" in url  # sent as the server printed it, not encoded twice


def _answer(data: Callable[[str], bytes], name: str, source: Source = GONE) -> tuple[
    list[Entry], str | None
]:
    listing = parse_cdx(FetchedPage(cdx_query_url(source), 200, {}, data(name)), source)
    return listing.entries, listing.next_url


def test_the_json_answer_gives_raw_mementos_and_the_next_query(
    data: Callable[[str], bytes],
) -> None:
    entries, next_url = _answer(data, "cdx-1.json")
    assert entries[0] == Entry(
        "https://web.archive.org/web/20170601093012id_/http://www.cac.gov.cn/2017-06/01/c_1121.htm",
        "http://www.cac.gov.cn/2017-06/01/c_1121.htm", None, "2017-06-01T09:30:12Z",
    )
    assert [e.url.split("/web/")[1][:17] for e in entries] == [
        "20170601093012id_", "20190315221500id_", "20170602101530id_",
    ]
    assert next_url == cdx_query_url(GONE, RESUME)


def test_rows_of_a_status_not_asked_for_are_dropped(data: Callable[[str], bytes]) -> None:
    entries, next_url = _answer(data, "cdx-2.json")
    assert [e.original_url for e in entries] == ["http://www.cac.gov.cn/2017-06/05/c_1123.htm"]
    assert next_url is None
    redirects = Source("gone", "wayback", url="www.cac.gov.cn/", statuses=("200", "301"))
    assert len(_answer(data, "cdx-2.json", redirects)[0]) == 2


def test_the_text_answer_and_its_resume_key(data: Callable[[str], bytes]) -> None:
    local = Source("gone", "wayback", url="www.cac.gov.cn/", memento_base="http://127.0.0.1:9/web/")
    entries, next_url = _answer(data, "cdx.txt", local)
    assert [e.url for e in entries] == [  # the revisit (status "-") is dropped
        "http://127.0.0.1:9/web/20170601093012id_/http://www.cac.gov.cn/2017-06/01/c_1121.htm",
        "http://127.0.0.1:9/web/20170602101530id_/http://www.cac.gov.cn/2017-06/02/c_1122.htm",
    ]
    assert next_url is not None
    assert _query(next_url)["resumeKey"] == "cn,gov,cac)/2017-06/03/c_1125.htm 20170603000000"


def test_pywb_json_lines_and_cdxj(data: Callable[[str], bytes]) -> None:
    entries, next_url = _answer(data, "cdx-pywb.jsonl")
    assert [e.original_url for e in entries] == ["http://www.cac.gov.cn/2017-06/01/c_1121.htm"]
    assert next_url is None
    cdxj = (
        b'cn,gov,cac)/a.htm 20200101000000 {"url": "http://www.cac.gov.cn/a.htm", '
        b'"status": "200"}\n'
    )
    listing = parse_cdx(FetchedPage("http://x/cdx", 200, {}, cdxj), GONE)
    assert [e.updated for e in listing.entries] == ["2020-01-01T00:00:00Z"]


@pytest.mark.parametrize("body", [b"", b"[]\n", b"\n"])
def test_an_empty_answer_lists_nothing(body: bytes) -> None:
    listing = parse_cdx(FetchedPage("http://x/cdx", 200, {}, body), GONE)
    assert listing.entries == [] and listing.next_url is None


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Service unavailable</body></html>",
        b'[["timestamp","original"],["20200101000000"]]',
        b'[["timestamp","original"],["2020","http://x/"]]',
        b'{"url": "http://x/"}',
        b"[1, 2",
        b"\xff\xfe\x00garbage",
    ],
)
def test_what_is_not_a_cdx_answer_is_a_page_error(body: bytes) -> None:
    with pytest.raises(PageError) as caught:
        parse_cdx(FetchedPage("http://x/cdx?url=a", 200, {}, body), GONE)
    assert caught.value.url == "http://x/cdx?url=a"
