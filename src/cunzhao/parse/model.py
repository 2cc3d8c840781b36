"""The value the parse stage hands on: a page's metadata and clean text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal


@dataclass(frozen=True)
class Block:
    """A paragraph (``p``) or heading (``h``, with its level 1–6) of clean body text."""

    kind: Literal["p", "h"]
    text: str
    level: int = 0


@dataclass(frozen=True)
class Link:
    text: str
    url: str | None


@dataclass(frozen=True)
class Card:
    """CDT's 档案卡, field by field as written; any field may be missing (None / empty)."""

    title: str | None = None
    author: str | None = None
    author_url: str | None = None
    published_text: str | None = None  # as written, e.g. "2024.1.31"
    published: date | None = None
    sources: tuple[Link, ...] = ()  # 来源: name and link as written
    archive_url: str | None = None  # the first 来源 link that goes through a web archive
    original_url: str | None = None  # that link unwrapped (or a direct 来源 link)
    topics: tuple[Link, ...] = ()  # 主题归类
    collection: str | None = None  # CDS收藏, e.g. 真理馆
    collection_url: str | None = None
    copyright: str | None = None  # 版权说明


@dataclass(frozen=True)
class Page:
    """A parsed capture. ``body`` is the blocks' texts joined by newlines; fact offsets index it."""

    title: str
    series_tag: str | None  # the leading 【…】 of the title, without brackets
    url: str | None
    captured_at: datetime | None  # UTC
    published: date | None
    blocks: tuple[Block, ...]
    card: Card | None
    encoding: str  # the encoding the bytes were decoded with, e.g. "utf-8", "gb18030", "big5"
    header_format: str  # "epoch", "legacy-rss", "html", "text"
    warnings: tuple[str, ...] = field(default=())
    decode_errors: int = 0  # undecodable byte sequences (damage) read as U+FFFD

    @property
    def body(self) -> str:
        return "\n".join(b.text for b in self.blocks)
