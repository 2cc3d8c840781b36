"""The articles the fixture sites serve, and the plain HTML page each is served as.

An article is read from a shared-corpus page with ``cunzhao.parse`` (its title, publish date
and body blocks: ``corpus_articles``, or ``example_articles`` for the pages in ``examples/``),
or generated from corpus sentences (``synthetic_articles``, for thousands of them). Every site
renders it the same way (``render_article``): the title in ``<title>`` and ``<h1>``, a
``<time datetime>`` line, then the blocks as ``<p>``/``<hN>``. Any parser that follows the
page rule reads back ``title``, ``published.date()`` and ``page_body`` (the heading line, then
``body``: the corpus page's own body).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import cache
from html import escape
from pathlib import Path

from cunzhao import Block, Capture, parse_capture
from testenv import EXAMPLES, missing_shared, shared_location

# The duty-machine file id of a CDT page is 1048575 - its WordPress post id (corpus README).
_ID_BASE = 1048575
_FILE_ID = re.compile(r"^(\d+)_")
_POST_URL = re.compile(r"/chinese/(\d+)\.html$")
_VERSION_SUFFIX = re.compile(r"\.v\d+\.md$")
_SENTENCE_END = re.compile(r"(?<=[。！？])")
SYNTHETIC_START = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Article:
    """One article of a fixture site; ``version`` grows with each change."""

    id: int
    title: str
    published: datetime  # UTC
    blocks: tuple[Block, ...]
    tags: tuple[str, ...] = ()
    modified: datetime | None = None  # None: never changed since ``published``
    version: int = 1
    source: str = field(default="synthetic", compare=False)  # the corpus file, if any

    @property
    def last_modified(self) -> datetime:
        return self.modified or self.published

    @property
    def body(self) -> str:
        """The blocks' texts, one per line: the corpus page's body."""
        return "\n".join(block.text for block in self.blocks)

    @property
    def page_body(self) -> str:
        """The body a parser reads from the rendered page: the ``<h1>`` title, then ``body``."""
        return f"{self.title}\n{self.body}"


def new_article(
    id: int,
    title: str,
    paragraphs: Sequence[str],
    published: datetime,
    tags: Iterable[str] = (),
) -> Article:
    """An article with plain paragraphs (e.g. one carrying a keyword a filter looks for)."""
    blocks = tuple(Block("p", text) for text in paragraphs)
    return Article(id, title, published.astimezone(UTC), blocks, tuple(tags))


def render_article(article: Article, *, charset: str = "utf-8", canonical: str = "") -> str:
    """The article as a small HTML page declaring ``charset`` in a ``<meta>`` ("": none)."""
    title = escape(article.title)
    meta = f'<meta charset="{charset}">' if charset else ""
    stamp = article.published.isoformat(timespec="seconds")
    shown = article.published.strftime("%Y-%m-%d %H:%M")
    link = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    blocks = "".join(_block_html(block) for block in article.blocks)
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head>{meta}'
        f"<title>{title}</title>{link}</head>\n<body><article><h1>{title}</h1>\n"
        f'<p class="date"><time datetime="{stamp}">{shown}</time></p>\n'
        f'<div class="entry-content">{blocks}</div></article></body></html>\n'
    )


def _block_html(block: Block) -> str:
    tag = f"h{block.level}" if block.kind == "h" else "p"
    return f"<{tag}>{escape(block.text)}</{tag}>\n"


def corpus_articles(folder: Path, limit: int | None = None) -> list[Article]:
    """The pages of ``folder`` (e.g. ``corpus/cdt``) as articles, one per id (``.vN`` files,
    other captures of a page, left out), skipping pages with no body or no date; by file name."""
    articles: dict[int, Article] = {}
    for path in sorted(folder.glob("*.md")):
        if limit is not None and len(articles) >= limit:
            break
        found = _FILE_ID.match(path.name)
        if found is None or _VERSION_SUFFIX.search(path.name):
            continue
        article = _read_page(path, int(found.group(1)))
        if article is not None:
            articles.setdefault(article.id, article)
    return list(articles.values())


def example_articles() -> list[Article]:
    """The pages in ``examples/`` as articles (no shared corpus needed); by file name."""
    paths = sorted(p for p in EXAMPLES.glob("*-*.md") if not _VERSION_SUFFIX.search(p.name))
    articles = []
    for path in paths:
        article = _read_page(path, int(path.stem.split("-")[1]))
        if article is not None:
            articles.append(article)
    return articles


def _read_page(path: Path, file_id: int) -> Article | None:
    """The page at ``path``; its id is the post id in its URL, else derived from ``file_id``."""
    page = parse_capture(Capture(path.read_bytes(), str(path)))
    post = _POST_URL.search(page.url or "")
    id = int(post.group(1)) if post else _ID_BASE - file_id
    day = page.published or (page.captured_at.date() if page.captured_at else None)
    if not page.blocks or day is None:
        return None
    noon = datetime.combine(day, time(12), tzinfo=UTC) + timedelta(seconds=id % 3600)
    tags = (page.series_tag,) if page.series_tag else ()
    title = " ".join(page.title.split())  # as an HTML <title> reads: runs of spaces folded
    return Article(id, title, noon, page.blocks, tags, source=str(path))


def synthetic_articles(
    count: int,
    *,
    tags: Sequence[str] = ("立此存照",),
    start: datetime = SYNTHETIC_START,
    first_id: int = 900000,
    seed: int = 0,
) -> list[Article]:
    """``count`` generated articles: ids from ``first_id``, one an hour from ``start``, the
    i-th tagged ``tags[i % len(tags)]`` (its title opens with 【tag】), 3 to 6 paragraphs of
    corpus sentences; the same arguments give the same articles."""
    pool = sentence_pool()
    articles = []
    for i in range(count):
        rng = random.Random(seed * 1_000_003 + i)
        tag = tags[i % len(tags)] if tags else ""
        headline = rng.choice(pool).rstrip("。！？")[:24]
        title = f"【{tag}】{headline}（{i + 1}）" if tag else f"{headline}（{i + 1}）"
        paragraphs = [
            "".join(rng.choice(pool) for _ in range(rng.randint(1, 4)))
            for _ in range(rng.randint(3, 6))
        ]
        moment = start + timedelta(hours=i)
        articles.append(new_article(first_id + i, title, paragraphs, moment, (tag,) if tag else ()))
    return articles


@cache
def sentence_pool() -> tuple[str, ...]:
    """Chinese sentences (8 to 80 characters) from the shared corpus, else from ``examples/``."""
    if missing_shared() is None:
        pages = corpus_articles(shared_location() / "corpus" / "cdt")
    else:
        pages = example_articles()
    found = {
        sentence.strip()
        for article in pages
        for block in article.blocks
        for sentence in _SENTENCE_END.split(block.text)
        if 8 <= len(sentence.strip()) <= 80 and _mostly_chinese(sentence)
    }
    return tuple(sorted(found))


def _mostly_chinese(text: str) -> bool:
    return sum("\u4e00" <= char <= "\u9fff" for char in text) * 2 > len(text)
