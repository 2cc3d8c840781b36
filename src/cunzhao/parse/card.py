"""CDT's 档案卡 (archive card): a ``su-spoiler`` box titled "CDT 档案卡".

Its content is a run of ``<strong>LABEL：</strong>`` followed by text and links up to the next
label, separated by ``<br>`` (sometimes ``<p>``, sometimes nothing). Fields are read by label,
so their order, missing fields, empty values and stray whitespace do not matter.

来源 links: the first one through a web archive is kept as ``archive_url`` and unwrapped to
``original_url`` (Wayback ``/web/*/URL``, ``/web/URL``, ``/web/TIMESTAMP/URL``; archive.today
``?url=URL`` or ``/newest/URL``; a short archive.today code cannot be unwrapped). Without an
archive link, the first direct link that is not CDT's own site is the ``original_url``.
Template placeholders that leaked into published cards (作者 → ``/space/作者名``, 主题归类
``标签名称``) are dropped with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cunzhao.parse.model import Card, Link

__all__ = ["CardMatch", "find_card", "parse_card_date", "unwrap_archive_url"]

_CARD_MARK = "档案卡"
_PLACEHOLDERS = frozenset({"作者名", "标签名称"})
_ORIGINAL_TITLE = re.compile(r"^原标题\s*[：:]\s*")
_CARD_DATE = re.compile(r"(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})")
_WAYBACK_HOSTS = frozenset({"web.archive.org", "wayback.archive.org"})
_ARCHIVE_TODAY = re.compile(r"^(?:www\.)?archive\.(?:ph|is|today|li|vn|md|fo)$")
_WAYBACK_PREFIX = re.compile(r"^/web/(?:\*|\d{1,14}(?:[a-z]{2}_)?\*?)/")
_SCHEME = re.compile(r"^(https?):/+", re.IGNORECASE)
_OWN_HOSTS = frozenset({"chinadigitaltimes.net", "www.chinadigitaltimes.net"})


@dataclass(frozen=True)
class CardMatch:
    card: Card
    node: LexborNode  # the card's outermost box, to leave out of the body text
    warnings: tuple[str, ...]


@dataclass
class _Field:
    text: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    @property
    def value(self) -> str | None:
        return " ".join("".join(self.text).split()) or None


def find_card(tree: LexborHTMLParser) -> CardMatch | None:
    """The page's archive card, or None when it has none."""
    for box in tree.css("div.su-spoiler"):
        title = box.css_first(".su-spoiler-title")
        if title is None or _CARD_MARK not in title.text(deep=True):
            continue
        content = box.css_first(".su-spoiler-content")
        fields: dict[str, _Field] = {}
        if content is not None:
            _read_fields(content, fields)
        card, warnings = _card(fields)
        return CardMatch(card, _outer_box(box), warnings)
    return None


def _read_fields(node: LexborNode, fields: dict[str, _Field]) -> None:
    """Collect each label's text and links, in document order (an explicit stack: a card
    nested however deep is read without recursion)."""
    label: str | None = None
    stack: list[LexborNode | None] = [node.child]
    while stack:
        child = stack.pop()
        if child is None:
            continue
        stack.append(child.next)  # after this child (and all below it), its next sibling
        tag = child.tag
        if tag == "-text":
            if label is not None:
                fields[label].text.append(child.text_content or "")
        elif tag in ("strong", "b"):
            text = " ".join(child.text(deep=True).split())
            if text.endswith(("：", ":")):
                label = text.rstrip("：:").strip()
                fields.setdefault(label, _Field())
            elif label is not None:
                fields[label].text.append(text)
        elif tag == "a":
            if label is not None:
                text = child.text(deep=True)
                href = (child.attributes.get("href") or "").strip() or None
                fields[label].text.append(text)
                fields[label].links.append(Link(" ".join(text.split()), href))
        elif tag == "br":
            if label is not None:
                fields[label].text.append(" ")
        else:
            stack.append(child.child)


def _card(fields: dict[str, _Field]) -> tuple[Card, tuple[str, ...]]:
    warnings: list[str] = []
    empty = _Field()
    title = fields.get("标题", empty).value
    if title is not None:
        title = _ORIGINAL_TITLE.sub("", title) or None
    author_field = fields.get("作者", empty)
    author = author_field.value
    author_url = author_field.links[0].url if author_field.links else None
    if author_url is not None and _slug(author_url) in _PLACEHOLDERS:
        warnings.append(f"card 作者 links to a template placeholder: {author_url}")
        author_url = None
    published_text = fields.get("发表日期", empty).value
    published = parse_card_date(published_text) if published_text else None
    if published_text and published is None:
        warnings.append(f"card 发表日期 is not a date: {published_text}")
    source_field = fields.get("来源", empty)
    sources = tuple(source_field.links)
    if not sources and source_field.value:
        sources = (Link(source_field.value, None),)
    archive_url, original_url = _source_urls(sources)
    topics: list[Link] = []
    topic_field = fields.get("主题归类", empty)
    for link in topic_field.links:
        if link.text in _PLACEHOLDERS:
            warnings.append(f"card 主题归类 is a template placeholder: {link.text}")
        else:
            topics.append(link)
    if not topic_field.links and topic_field.value:
        topics.append(Link(topic_field.value, None))
    collection_field = fields.get("CDS收藏", empty)
    collection_links = collection_field.links
    card = Card(
        title=title,
        author=author,
        author_url=author_url,
        published_text=published_text,
        published=published,
        sources=sources,
        archive_url=archive_url,
        original_url=original_url,
        topics=tuple(topics),
        collection=collection_field.value,
        collection_url=collection_links[0].url if collection_links else None,
        copyright=fields.get("版权说明", empty).value,
    )
    return card, tuple(warnings)


def parse_card_date(text: str) -> date | None:
    """``2024.1.31`` (or ``2022.11.05``, ``2024-1-31``, ``2024年1月31日``) → a date."""
    match = _CARD_DATE.search(text)
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def unwrap_archive_url(url: str) -> tuple[bool, str | None]:
    """``(is_archive, original)``: whether ``url`` is a web-archive link, and its target URL."""
    parts = _split(url)
    if parts is None:
        return False, None
    host = parts.netloc.lower()
    if host in _WAYBACK_HOSTS:
        target = url.split(parts.netloc, 1)[1]
        prefix = _WAYBACK_PREFIX.match(target)
        if prefix is None and not target.startswith("/web/"):
            return True, None
        rest = target[prefix.end() :] if prefix else target[len("/web/") :]
        return True, _absolute(rest)
    if _ARCHIVE_TODAY.match(host):
        if parts.query.startswith("url="):  # the rest of the query is the target's own
            wanted = parts.query[len("url=") :]
            if not _SCHEME.match(wanted):
                wanted = unquote(wanted)
            return True, _absolute(wanted)
        named = parse_qs(parts.query).get("url")
        if named:
            return True, _absolute(named[0])
        path = parts.path.lstrip("/")
        for lead in ("newest/", "oldest/"):
            path = path.removeprefix(lead)
        path = re.sub(r"^\d{14}/", "", path)
        if _SCHEME.match(path):
            rest = path + (f"?{parts.query}" if parts.query else "")
            return True, _absolute(rest)
        return True, None
    return False, None


def _source_urls(sources: tuple[Link, ...]) -> tuple[str | None, str | None]:
    direct = None
    for link in sources:
        if link.url is None:
            continue
        is_archive, original = unwrap_archive_url(link.url)
        if is_archive:
            return link.url, original
        parts = _split(link.url)
        if direct is None and parts is not None and parts.netloc.lower() not in _OWN_HOSTS:
            direct = link.url
    return None, direct


def _absolute(rest: str) -> str | None:
    rest = rest.strip()
    if not rest:
        return None
    scheme = _SCHEME.match(rest)
    if scheme:
        return f"{scheme.group(1).lower()}://{rest[scheme.end() :]}"
    return f"http://{rest}"


def _slug(url: str) -> str:
    parts = _split(url)
    return unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) if parts else ""


def _split(url: str) -> SplitResult | None:
    """``urlsplit(url)``, or None where no URL can be read (``https://[``, a host that
    Unicode normalisation turns into ``/``, ``?`` or ``@``: urlsplit raises)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _outer_box(box: LexborNode) -> LexborNode:
    """The floated ``<div style=…>`` wrapping the card, when it wraps nothing else."""
    parent = box.parent
    if parent is None or parent.tag != "div":
        return box
    if any(
        child.tag not in ("-text", "-comment") and child.mem_id != box.mem_id
        for child in parent.iter(include_text=False)
    ):
        return box
    if (parent.text(deep=False) or "").strip():
        return box
    return parent
