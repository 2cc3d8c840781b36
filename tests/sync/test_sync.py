"""`sync` against real fixture sites on 127.0.0.1: first and later syncs, changes, politeness,
filters, encodings, the Wayback Machine, folders, and failures that stop nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sites import (
    ListingSite,
    SitemapSite,
    WaybackSite,
    WordPressSite,
    new_article,
    synthetic_articles,
)
from sqlalchemy import func, select

from cunzhao import Archive, FetchPolicy, Source
from cunzhao.store.schema import captures, documents, sync_runs, sync_urls, versions

FAST = FetchPolicy(rate_per_host=0, retries=0, timeout=5, backoff=0, per_host=4)
TAG = "立此存照"


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "archive.db") as opened:
        yield opened



def feed_source(site: WordPressSite, **options: object) -> Source:
    return Source(name="wp", kind="feed", url=site.tag_feed_url(TAG), **options)  # type: ignore[arg-type]


def titles(archive: Archive) -> set[str]:
    return {d.title for d in archive.documents()}


def count(archive: Archive, table: object) -> int:
    with archive.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_first_sync_takes_everything_and_the_second_asks_for_one_page(archive: Archive) -> None:
    articles = synthetic_articles(25)
    with WordPressSite(articles) as site:
        (report,) = archive.sync([feed_source(site)], FAST)
        assert (report.counts.new, report.counts.failed, report.error) == (25, 0, None)
        assert titles(archive) == {a.title for a in articles}
        site.clear_log()
        (again,) = archive.sync([feed_source(site)], FAST)
        # nothing new: the first feed page only (its links are all known), no article
        assert again.counts.new == again.counts.changed == 0
        assert site.article_requests() == 0 and site.count(f"/chinese/tag/{TAG}/feed/") <= 1
        assert again.counts.requests == len(site.logged())
    assert count(archive, versions) == 25


def test_new_articles_are_found_on_the_first_page(archive: Archive) -> None:
    with WordPressSite(synthetic_articles(25)) as site:
        archive.sync([feed_source(site)], FAST)
        fresh = site.add(new_article(1, "【立此存照】新的一篇", ["网信办约谈某平台。"],
                                     datetime(2030, 1, 1, tzinfo=UTC), tags=(TAG,)))
        site.clear_log()
        (report,) = archive.sync([feed_source(site)], FAST)
        assert (report.counts.new, report.counts.unchanged) == (1, 0)
        assert site.count(site.path_of(fresh)) == 1
    assert fresh.title in titles(archive)


def test_refresh_asks_conditionally_and_a_changed_article_is_a_new_version(
    archive: Archive,
) -> None:
    with WordPressSite(synthetic_articles(12)) as site:
        archive.sync([feed_source(site)], FAST)
        changed = site.change(900003)
        (report,) = archive.sync([feed_source(site)], FAST, refresh=True)
        assert (report.counts.changed, report.counts.unchanged, report.counts.new) == (1, 11, 0)
        assert site.statuses()[304] == 11  # the others answered "not modified"
    doc = archive.document(site.article_url(900003))
    assert doc is not None and len(doc.versions) == 2 and "已更新" in doc.body
    assert changed.version == 2


def test_a_sitemap_lastmod_change_refetches_only_that_article(archive: Archive) -> None:
    articles = synthetic_articles(8)
    with SitemapSite(articles) as site:
        source = Source(name="map", kind="sitemap", url=site.sitemap_url)
        (first,) = archive.sync([source], FAST)
        assert first.counts.new == 8
        site.change(articles[2].id)
        site.clear_log()
        (second,) = archive.sync([source], FAST)
        assert (second.counts.changed, second.counts.new) == (1, 0)
        assert site.count(site.path_of(articles[2])) == 1
        assert sum(site.count(site.path_of(a)) for a in articles) == 1


def test_gbk_listing_with_pagination_and_a_url_pattern(archive: Archive) -> None:
    articles = synthetic_articles(45)
    with ListingSite(articles) as site:
        source = Source(name="cac", kind="listing", url=site.index_url(0),
                        link_selector="ul.list li a", next_selector="a.next",
                        url_pattern=r"/\d{4}-\d{2}/\d{2}/c_\d+\.htm$")
        (report,) = archive.sync([source], FAST)
        assert (report.counts.new, report.counts.failed) == (45, 0)
    assert titles(archive) == {a.title for a in articles}  # GBK decoded to the same Chinese


def test_keyword_filter_keeps_only_matching_articles(archive: Archive) -> None:
    day = datetime(2024, 5, 1, tzinfo=UTC)
    kept = new_article(1, "【立此存照】网信办约谈三家平台", ["依法约谈并责令整改。"], day, tags=(TAG,))
    left = new_article(2, "【立此存照】天气预报", ["明天多云。"], day, tags=(TAG,))
    with WordPressSite([kept, left]) as site:
        (report,) = archive.sync([feed_source(site, keywords=("約談",))], FAST)  # traditional
    assert (report.counts.new, report.counts.filtered) == (1, 1)
    assert titles(archive) == {kept.title}


def test_robots_txt_is_honoured(archive: Archive) -> None:
    with WordPressSite(synthetic_articles(3)) as site:
        site.robots("User-agent: *\nDisallow: /chinese/9\n")
        (report,) = archive.sync([feed_source(site)], FetchPolicy(
            rate_per_host=0, retries=0, timeout=5, per_host=2))
        assert report.counts.failed == 3 and report.counts.new == 0
        assert all("blocked" in reason for _, reason in report.counts.failures)
        assert site.article_requests() == 0  # never asked


def test_rate_limit_is_honoured_per_host(archive: Archive) -> None:
    with WordPressSite(synthetic_articles(6)) as site:
        archive.sync([feed_source(site)], FetchPolicy(rate_per_host=8, retries=0, timeout=5))
        gaps = site.intervals()
    assert len(gaps) >= 6 and min(gaps) >= 1 / 8 * 0.9  # measured from the server's log


def test_per_host_concurrency_is_capped(archive: Archive) -> None:
    with WordPressSite(synthetic_articles(10)) as site:
        site.slow(0.2)
        archive.sync([feed_source(site)], FetchPolicy(rate_per_host=0, retries=0, timeout=5,
                                                      per_host=2))
        assert site.max_in_flight() <= 2


def test_wayback_recovers_deleted_pages_as_captures_of_their_original(archive: Archive) -> None:
    originals = synthetic_articles(3)
    with WaybackSite() as wayback:
        for i, article in enumerate(originals):
            wayback.add_article(article, f"http://www.cac.gov.cn/2024-01/0{i + 1}/c_{i}.htm")
        wayback.add("http://www.cac.gov.cn/2024-01/09/c_9.htm", b"<html>moved</html>",
                    at=datetime(2024, 1, 9, tzinfo=UTC), status=302, location="/")
        source = Source(name="wb", kind="wayback", url="www.cac.gov.cn/2024-01/",
                        cdx_server=wayback.cdx_url, memento_base=wayback.url("/web"))
        (report,) = archive.sync([source], FAST)
    assert (report.counts.new, report.counts.failed) == (3, 0)  # the 302 capture filtered out
    doc = archive.document("http://www.cac.gov.cn/2024-01/01/c_0.htm")
    assert doc is not None and doc.title == originals[0].title
    assert doc.versions[0].source_kind == "memento"
    assert doc.captured_at is not None and doc.captured_at.startswith("2024-01-02")


def test_a_folder_source_ingests_new_and_changed_files(archive: Archive, tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    folder = tmp_path / "pages"
    folder.mkdir()
    pages = [examples / f"cdt-{n}.md" for n in (366032, 366077, 401496)]
    for page in pages:
        (folder / page.name).write_bytes(page.read_bytes())
    source = Source(name="dir", kind="folder", path=folder)
    (first,) = archive.sync([source], FAST)
    assert first.counts.new == 3
    (second,) = archive.sync([source], FAST)
    assert (second.counts.new, second.counts.changed, second.counts.unchanged) == (0, 0, 0)
    changed = folder / pages[0].name
    changed.write_bytes(changed.read_bytes() + "\n\n（补记）".encode())
    (third,) = archive.sync([source], FAST)
    assert (third.counts.changed, third.counts.new) == (1, 0)


def test_an_unreachable_source_fails_alone(archive: Archive) -> None:
    with WordPressSite(synthetic_articles(4)) as good, WordPressSite(synthetic_articles(2)) as bad:
        bad.stop()
        broken = Source(name="down", kind="feed", url=bad.tag_feed_url(TAG))
        reports = archive.sync([broken, feed_source(good)], FAST)
    assert reports[0].error and "unreachable" in reports[0].error and reports[0].failed
    assert reports[1].counts.new == 4 and not reports[1].failed
    with archive.engine.connect() as conn:
        outcomes = dict(conn.execute(select(sync_runs.c.source, sync_runs.c.outcome)).all())
    assert outcomes == {"down": "failed", "wp": "ok"}


def test_a_failing_article_is_retried_by_the_next_sync(archive: Archive) -> None:
    articles = synthetic_articles(5)
    with WordPressSite(articles) as site:
        site.fail(site.path_of(articles[1]), times=1, status=500)
        (first,) = archive.sync([feed_source(site)], FAST)
        assert (first.counts.new, first.counts.failed) == (4, 1)
        assert "HTTP 500" in first.counts.failures[0][1]
        (second,) = archive.sync([feed_source(site)], FAST)
        assert (second.counts.new, second.counts.failed) == (1, 0)
    with archive.engine.connect() as conn:
        states = conn.execute(select(sync_urls.c.state, func.count()).group_by(sync_urls.c.state))
        assert dict(states.all()) == {"fetched": 5}
    assert count(archive, captures) == count(archive, documents) == 5
