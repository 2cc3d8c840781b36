"""A WordPress-like site (as China Digital Times runs): articles at ``/chinese/{id}.html`` and
RSS 2.0 feeds of them, newest first, ``per_page`` items a page.

- ``/chinese/tag/{tag}/feed/``: the articles tagged ``tag`` (the tag percent-encoded or not);
- ``/feed/`` (also ``/chinese/feed/``): every article;
- ``?paged=N``: older pages; past the last page, or for a tag no article has, 404.

Each feed page carries ``<atom:link rel="self">`` (its own URL), and ``rel="next"`` to the next
page when the site is built with ``next_links=True``; items carry title, link, ``guid``
(``?p={id}``, not a permalink), ``pubDate``, a ``category`` per tag, an excerpt, and, with
``full_text=True``, the article's HTML in ``content:encoded``. Feeds and articles send ETag and
Last-Modified and answer 304 to a matching conditional request. robots.txt is WordPress's
default until ``robots()`` changes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from email.utils import format_datetime
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from site_articles import Article
from site_catalog import ArticleSite
from site_server import Query, not_found

from netserver import Request, Route

WORDPRESS_ROBOTS = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
SITE_NAME = "中国数字时代"
_FEED_TYPE = "application/rss+xml; charset=UTF-8"
_NAMESPACES = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:atom="http://www.w3.org/2005/Atom" '
    'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"'
)


class WordPressSite(ArticleSite):
    """``WordPressSite(articles, per_page=10, next_links=False, full_text=True)``."""

    home_title = SITE_NAME

    def __init__(
        self,
        articles: Iterable[Article],
        *,
        per_page: int = 10,
        next_links: bool = False,
        full_text: bool = True,
    ) -> None:
        super().__init__(articles)
        self.per_page = per_page
        self.next_links = next_links
        self.full_text = full_text
        self.robots_txt = WORDPRESS_ROBOTS

    def path_of(self, article: Article) -> str:
        return f"/chinese/{article.id}.html"

    def article_requests(self) -> int:
        """Requests for article pages so far, whatever their answer."""
        return sum(n for path, n in self.per_path().items()
                   if path.startswith("/chinese/") and path.endswith(".html"))

    def feed_url(self, page: int = 1) -> str:
        """The site feed's URL (page 1 without ``?paged``)."""
        return self.url("/feed/" + _paged(page))

    def tag_feed_url(self, tag: str, page: int = 1) -> str:
        """The URL of ``tag``'s feed, the tag percent-encoded (page 1 without ``?paged``)."""
        return self.url(f"/chinese/tag/{quote(tag, safe='')}/feed/" + _paged(page))

    def feed_pages(self, tag: str | None = None) -> int:
        """How many pages the feed of ``tag`` (None: the site feed) has now."""
        return -(-len(self.newest(tag)) // self.per_page)

    def respond(self, path: str, query: Query, request: Request) -> Route | None:
        if path in ("/feed/", "/chinese/feed/"):
            return self._feed(None, query, request)
        if path.startswith("/chinese/tag/") and path.endswith("/feed/"):
            tag = path.removeprefix("/chinese/tag/").removesuffix("/feed/")
            if tag and "/" not in tag:
                return self._feed(tag, query, request)
        return super().respond(path, query, request)

    def _feed(self, tag: str | None, query: Query, request: Request) -> Route:
        paged = (query.get("paged") or ["1"])[0]
        page = int(paged) if paged.isdigit() else 0
        items = self.newest(tag)[(page - 1) * self.per_page : page * self.per_page]
        if page < 1 or not items:
            return not_found()
        more = page < self.feed_pages(tag)
        xml = self._rss(tag, page, items, more)
        modified = max(item.last_modified for item in items)
        return self.conditional(request, xml.encode(), _FEED_TYPE, modified)

    def _rss(self, tag: str | None, page: int, items: list[Article], more: bool) -> str:
        here = self.feed_url(page) if tag is None else self.tag_feed_url(tag, page)
        links = [f'<atom:link href={quoteattr(here)} rel="self" type="application/rss+xml" />']
        if more and self.next_links:
            after = self.feed_url(page + 1) if tag is None else self.tag_feed_url(tag, page + 1)
            links.append(
                f'<atom:link href={quoteattr(after)} rel="next" type="application/rss+xml" />'
            )
        title = SITE_NAME if tag is None else f"{tag} – {SITE_NAME}"
        built = format_datetime(max(item.last_modified for item in items))
        head = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" {_NAMESPACES}>\n'
            f"<channel>\n<title>{escape(title)}</title>\n"
            + "\n".join(links)
            + f"\n<link>{escape(self.url('/chinese/'))}</link>\n"
            f"<description>{escape(SITE_NAME)}的文章</description>\n"
            f"<lastBuildDate>{built}</lastBuildDate>\n<language>zh-CN</language>\n"
            "<sy:updatePeriod>hourly</sy:updatePeriod>\n<sy:updateFrequency>1</sy:updateFrequency>\n"
        )
        return head + "".join(self._item(item) for item in items) + "</channel>\n</rss>\n"

    def _item(self, article: Article) -> str:
        excerpt = article.body[:110] + (" […]" if len(article.body) > 110 else "")
        categories = "".join(f"<category>{escape(tag)}</category>\n" for tag in article.tags)
        content = ""
        if self.full_text:
            html = "".join(f"<p>{escape(block.text)}</p>" for block in article.blocks)
            content = f"<content:encoded><![CDATA[{html}]]></content:encoded>\n"
        return (
            f"<item>\n<title>{escape(article.title)}</title>\n"
            f"<link>{escape(self.url(self.path_of(article)))}</link>\n"
            f"<dc:creator>{escape(SITE_NAME)}</dc:creator>\n"
            f"<pubDate>{format_datetime(article.published)}</pubDate>\n{categories}"
            f'<guid isPermaLink="false">{escape(self.url(f"/chinese/?p={article.id}"))}</guid>\n'
            f"<description>{escape(excerpt)}</description>\n{content}</item>\n"
        )


def _paged(page: int) -> str:
    return "" if page == 1 else f"?paged={page}"
