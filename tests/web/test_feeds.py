"""The Atom feeds parse cleanly (feedparser, no bozo) and list what the archive says is new:
documents, facts with their evidence, originals gone, and any saved search."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from cunzhao import Archive, Filters
from cunzhao.store.link_checks import LinkCheck, add_link_check
from cunzhao.store.schema import documents
from cunzhao.web import create_app
from testenv import EXAMPLES

HOSTILE = Path(__file__).parent / "data" / "hostile"
BASE = "http://testserver"
ATOM = "application/atom+xml; charset=utf-8"
FEEDS = ("/feed.atom", "/facts.atom", "/gone.atom", "/search.atom?q=约谈",
         "/search.atom?tag=立此存照")


@pytest.fixture(scope="module")
def location(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The examples and the hostile page, arriving one day apart (oldest publication last);
    two originals seen gone twice, three days apart, one of them later than the other."""
    path = str(tmp_path_factory.mktemp("feeds") / "archive.db")
    with Archive.open(path) as archive:
        assert archive.ingest([EXAMPLES, HOSTILE]).failed == 0
        docs = archive.documents()
        with archive.engine.begin() as conn:
            for day, doc in enumerate(docs, 10):
                conn.execute(update(documents).where(documents.c.id == doc.id)
                             .values(first_seen=f"2025-01-{day}T08:00:00Z"))
            for doc, day in ((docs[0], 1), (docs[1], 5)):
                for checked in (f"2025-03-0{day}T00:00:00Z", f"2025-03-0{day + 3}T00:00:00Z"):
                    add_link_check(conn, LinkCheck(doc.id, doc.url + "?orig", checked, "gone",
                                                   404, None, "HTTP 404"))
    return path


@pytest.fixture(scope="module")
def archive(location: str) -> Iterator[Archive]:
    with Archive.open(location, read_only=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def web(location: str) -> Iterator[TestClient]:
    with TestClient(create_app(location), raise_server_exceptions=False) as test_client:
        yield test_client


def parsed(web: TestClient, url: str) -> feedparser.FeedParserDict:
    answer = web.get(url)
    assert answer.status_code == 200, (url, answer.text[:300])
    assert answer.headers["content-type"] == ATOM
    feed = feedparser.parse(answer.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    assert feed.version == "atom10"
    return feed


def stamp(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_parses_without_bozo(web: TestClient, url: str) -> None:
    feed = parsed(web, url)
    assert feed.entries, url
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link.startswith(BASE + url.split("?")[0])
    assert feed.feed.title.startswith("立此存照 · ")
    ids = [entry.id for entry in feed.entries]
    assert len(set(ids)) == len(ids)
    for entry in feed.entries:
        assert entry.link.startswith(BASE + "/doc/")
        assert entry.updated.endswith("Z") and stamp(entry.updated)
    assert feed.feed.updated == max(entry.updated for entry in feed.entries)


def test_documents_feed_lists_arrivals_newest_first(web: TestClient, archive: Archive) -> None:
    feed = parsed(web, "/feed.atom")
    expected = archive.recent_documents(50)
    assert [e.id for e in feed.entries] == [d.url for d in expected]  # the document's URL
    assert [e.link for e in feed.entries] == [f"{BASE}/doc/{d.id}" for d in expected]
    assert [e.title for e in feed.entries] == [d.title for d in expected]  # Chinese intact
    assert [e.updated for e in feed.entries] == [d.first_seen for d in expected]
    assert [e.updated for e in feed.entries] == sorted(
        (e.updated for e in feed.entries), reverse=True)
    # arrival order, not publish order (the fixture made them opposite)
    assert [e.link for e in feed.entries] != [f"{BASE}/doc/{d.id}" for d in archive.documents()]
    seed = next(e for e in feed.entries if e.id.endswith("/704712.html"))
    assert "2024-01-31" in seed.summary and seed.tags[0].term == "立此存照"
    assert next(link.href for link in seed.links if link.rel == "related") == seed.id


def test_facts_feed_cites_the_evidence(web: TestClient, archive: Archive) -> None:
    feed = parsed(web, "/facts.atom")
    expected = archive.recent_facts(50)
    assert len(feed.entries) == len(expected) >= 10
    for entry, fact in zip(feed.entries, expected, strict=True):
        assert entry.summary == fact.fact.evidence
        assert entry.link == f"{BASE}/doc/{fact.document.id}#{fact.kind[0]}{fact.position}"
        assert entry.id.startswith(f"{fact.document.url}#{fact.kind}-")
        assert entry.title.endswith(" — " + fact.document.title)
        assert entry.tags[0].term == fact.kind
        assert entry.updated == fact.ingested_at
        view = archive.document(fact.document.id)
        assert view is not None
        stated = view.stats if fact.kind == "stat" else view.cases
        assert stated[fact.position].evidence == entry.summary  # the anchor's row
    seed_stat = next(e for e in feed.entries if e.summary == "约谈网站10646家")
    assert seed_stat.title.startswith("约谈 网站 10,646")
    assert any(e.tags[0].term == "case" and "百度" in e.title for e in feed.entries)


def test_gone_feed_lists_originals_newly_gone(web: TestClient, archive: Archive) -> None:
    feed = parsed(web, "/gone.atom")
    gone = archive.gone_documents()
    assert len(gone) == 2
    newest_first = sorted(gone, key=lambda g: g.first_gone, reverse=True)
    assert [e.link for e in feed.entries] == [f"{BASE}/doc/{g.document_id}" for g in newest_first]
    assert [e.updated for e in feed.entries] == ["2025-03-05T00:00:00Z", "2025-03-01T00:00:00Z"]
    for entry, row in zip(feed.entries, newest_first, strict=True):
        assert entry.id == f"{row.document_url}#gone-{row.first_gone}"
        assert next(link.href for link in entry.links if link.rel == "related") == row.url
        assert "HTTP 404" in entry.summary and row.first_gone in entry.summary


def test_hostile_titles_are_escaped(web: TestClient) -> None:
    for url in ("/feed.atom", "/search.atom?q=测试页", "/facts.atom"):
        raw = web.get(url).text
        assert "<script" not in raw and "&lt;script&gt;document.title=" in raw, url
        hostile = next(e for e in parsed(web, url).entries if "PWNED" in e.title)
        assert "<script>document.title='PWNED-TITLE'</script>测试页" in hostile.title
        assert hostile.title_detail.type == "text/plain"


def test_search_feed_takes_the_search_parameters(web: TestClient, archive: Archive) -> None:
    tagged = parsed(web, "/search.atom?tag=立此存照")
    expected = archive.recent_documents(50, Filters(tag="立此存照"))
    assert [e.link for e in tagged.entries] == [f"{BASE}/doc/{d.id}" for d in expected]
    assert len(expected) < archive.count_documents()
    hits = archive.search("约谈", per_page=50).hits
    found = parsed(web, "/search.atom?q=约谈")
    assert {e.link for e in found.entries} == {f"{BASE}/doc/{h.document_id}" for h in hits}
    assert all(e.summary for e in found.entries)  # the hit's snippet
    both = parsed(web, "/search.atom?q=约谈&tag=立此存照&sort=relevance&page=1")
    assert {e.link for e in both.entries} < {e.link for e in found.entries}
    assert parsed(web, "/search.atom?q=约谈&year=1999").entries == []
    self_link = next(link.href for link in both.feed.links if link.rel == "self")
    assert "sort" not in self_link and "tag=" in self_link


@pytest.mark.parametrize(("query", "status"), [
    ("q=%22unbalanced", 400), ("q=约谈+OR", 400), ("page=0", 422), ("year=1800", 422),
    ("since=yesterday", 422), ("q=" + "a" * 501, 422),
])
def test_a_bad_search_feed_is_refused_as_the_search_page(
    web: TestClient, query: str, status: int
) -> None:
    feed, page = web.get(f"/search.atom?{query}"), web.get(f"/search?{query}")
    assert feed.status_code == page.status_code == status


def test_conditional_requests_and_languages(web: TestClient) -> None:
    first = web.get("/feed.atom")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "max-age=300"
    again = web.get("/feed.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert web.get("/feed.atom", headers={"If-None-Match": '"other"'}).status_code == 200
    english = feedparser.parse(web.get("/gone.atom?lang=en").content)
    assert english.feed.title == "Cunzhao · Deleted at source"


def test_pages_announce_the_feeds(web: TestClient) -> None:
    home = web.get("/").text
    for path in ("/feed.atom", "/facts.atom", "/gone.atom"):
        assert f'type="application/atom+xml" href="{path}"' in home
    search = web.get("/search?q=约谈&tag=立此存照&page=1").text
    assert 'href="/search.atom?q=%E7%BA%A6%E8%B0%88&amp;tag=' in search
    assert "/search.atom" not in home
    assert not [p for p in web.get("/api/openapi.json").json()["paths"] if ".atom" in p]


def test_every_feed_of_the_corpus_parses(client: TestClient) -> None:
    for url in (*FEEDS, "/search.atom?q=网信办&sort=date"):
        feed = parsed(client, url)
        if url == "/feed.atom":
            assert len(feed.entries) == 50  # of the corpus's hundreds
