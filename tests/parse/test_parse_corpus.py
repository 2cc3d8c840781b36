"""Every page of the shared corpus parses, with the header formats, cards and clean bodies
that the corpus README describes."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from cunzhao.capture.model import Capture
from cunzhao.parse import Page, parse_capture

# Text that only boilerplate carries: share widgets, the card, feed footers, markup, scripts.
LEAKS = (
    "get_post_time",
    "Permalink",
    "Post tags",
    "Feed enhanced",
    "Better Feed",
    "档案卡",
    "CDS收藏",
    "版权说明：",
    "addtoany",
    "a2a_",
    "获取更多RSS",
    "jtg-",
    "@context",
    "data:image",
    "<p",
    "<div",
    "&nbsp;",
    "&amp;",
    "&#",
)


@pytest.fixture(scope="module")
def pages(manifest_paths: list[Path]) -> dict[Path, Page]:
    return {p: parse_capture(Capture(p.read_bytes(), str(p))) for p in manifest_paths}


def test_manifest_lists_383_files(manifest_paths: list[Path]) -> None:
    assert len(manifest_paths) == 383
    assert all(p.is_file() for p in manifest_paths)


def test_every_page_parses_with_title_url_and_body(pages: dict[Path, Page]) -> None:
    for path, page in pages.items():
        assert page.title, path
        assert page.url and page.url.startswith("http"), path
        assert page.blocks, path
        assert page.encoding == "utf-8", path
        assert all(
            b.text and b.text == b.text.strip() and "\n" not in b.text for b in page.blocks
        ), path


def test_header_formats(pages: dict[Path, Page]) -> None:
    formats = Counter(page.header_format for page in pages.values())
    assert formats == {"legacy-rss": 318, "epoch": 65}
    for path, page in pages.items():
        assert (page.captured_at is not None) == (page.header_format == "epoch"), path


def test_no_boilerplate_in_any_body(pages: dict[Path, Page]) -> None:
    for path, page in pages.items():
        for leak in LEAKS:
            assert leak not in page.body, (path.name, leak)


def test_better_feed_footer_removed_from_258_pages(pages: dict[Path, Page]) -> None:
    with_footer = [p for p in pages if "get_post_time" in p.read_text(encoding="utf-8")]
    assert len(with_footer) == 258
    for path in with_footer:
        assert "NMSLESE" not in pages[path].body, path


def test_49_cards_where_the_readme_says(pages: dict[Path, Page]) -> None:
    carded = {p for p, page in pages.items() if page.card is not None}
    assert len(carded) == 49
    assert sum(p.parent.name == "cdt" for p in carded) == 48
    assert any(p.parent.name == "seed" for p in carded)
    for path in carded:
        assert path.read_text(encoding="utf-8").count("CDT 档案卡") == 1
        card = pages[path].card
        assert card is not None and card.title and card.copyright, path
    for path, page in pages.items():
        if page.card is None:
            assert "档案卡" not in path.read_text(encoding="utf-8"), path


def test_cardless_cdt_pages_of_the_card_era(pages: dict[Path, Page]) -> None:
    cardless = sorted(
        p.name.split("_")[0]
        for p, page in pages.items()
        if page.card is None
        and "/chinese/" in (page.url or "")
        and re.search(r"/chinese/\d+\.html$", page.url or "")
    )
    assert cardless == ["332717", "340001", "366230"]


def test_card_field_counts(pages: dict[Path, Page]) -> None:
    cards = [page.card for page in pages.values() if page.card is not None]
    assert sum(not c.sources for c in cards) == 5
    assert sum(c.author is None for c in cards) == 2
    assert sum(c.author_url is not None for c in cards) == 30  # 31 /space/ links, 1 placeholder
    assert Counter(c.collection for c in cards) == {
        "公民馆": 33,
        "真理馆": 8,
        "话语馆": 5,
        "老大哥馆": 1,
        "时间馆": 1,
        None: 1,
    }
    wayback = [c for c in cards if c.archive_url and "web.archive.org" in c.archive_url]
    assert len(wayback) == 16
    assert all(c.original_url and c.original_url.startswith("http") for c in wayback)
    archive_today = [c for c in cards if c.archive_url and "web.archive.org" not in c.archive_url]
    assert len(archive_today) == 7
    assert sum(c.original_url is not None for c in archive_today) == 4  # the ?url= form


def test_series_tags(pages: dict[Path, Page]) -> None:
    for page in pages.values():
        if page.title.startswith("【"):
            assert page.series_tag and page.title.startswith(f"【{page.series_tag}】")
        else:
            assert page.series_tag is None
    tags = Counter(page.series_tag for page in pages.values())
    assert tags["立此存照"] > 10


def test_publish_dates_are_within_the_corpus_range(pages: dict[Path, Page]) -> None:
    for path, page in pages.items():
        if page.published is None:
            continue
        assert "2020-06-12" <= page.published.isoformat() <= "2025-02-14", path
        if page.captured_at is not None:
            assert page.published <= page.captured_at.date() + timedelta(days=1), path
