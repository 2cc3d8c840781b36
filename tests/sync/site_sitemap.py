"""A site known by its sitemaps: ``/sitemap.xml`` is a sitemap index naming two urlsets,
``/sitemap-posts-1.xml`` (the newer half of the articles) and ``/sitemap-posts-2.xml.gz`` (the
older half, a gzip file: ``application/gzip``, no Content-Encoding), each ``<url>`` with
``<loc>`` and ``<lastmod>`` (the article's last change, W3C datetime). Articles live at
``/news/{YYYY}/{MM}/{id}.html``. robots.txt names the index in a ``Sitemap:`` line.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from site_articles import Article
from site_catalog import ArticleSite
from site_server import Query

from netserver import Request, Route

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
INDEX_PATH = "/sitemap.xml"
CHILD_PATHS = ("/sitemap-posts-1.xml", "/sitemap-posts-2.xml.gz")
_XML_TYPE = "application/xml; charset=UTF-8"
_NEVER = datetime(2000, 1, 1, tzinfo=UTC)


class SitemapSite(ArticleSite):
    """``SitemapSite(articles)``: ``sitemap_url`` is the index; ``CHILD_PATHS`` its urlsets."""

    def __init__(self, articles: Iterable[Article]) -> None:
        super().__init__(articles)
        self.robots_txt = f"User-agent: *\nAllow: /\n\nSitemap: {self.sitemap_url}\n"

    @property
    def sitemap_url(self) -> str:
        return self.url(INDEX_PATH)

    def path_of(self, article: Article) -> str:
        return article.published.strftime(f"/news/%Y/%m/{article.id}.html")

    def halves(self) -> tuple[list[Article], list[Article]]:
        """The articles of each urlset: the newer half, then the older."""
        live = self.newest()
        middle = (len(live) + 1) // 2
        return live[:middle], live[middle:]

    def respond(self, path: str, query: Query, request: Request) -> Route | None:
        if path == INDEX_PATH:
            xml = self._index().encode()
            return self.conditional(request, xml, _XML_TYPE, _latest(self.newest()))
        if path in CHILD_PATHS:
            chosen = self.halves()[CHILD_PATHS.index(path)]
            xml, kind = self._urlset(chosen).encode(), _XML_TYPE
            if path.endswith(".gz"):
                xml, kind = gzip.compress(xml, mtime=0), "application/gzip"
            return self.conditional(request, xml, kind, _latest(chosen))
        return super().respond(path, query, request)

    def _index(self) -> str:
        entries = "".join(
            f"<sitemap><loc>{escape(self.url(path))}</loc>"
            f"<lastmod>{_w3c(_latest(chosen))}</lastmod></sitemap>\n"
            for path, chosen in zip(CHILD_PATHS, self.halves(), strict=True)
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
            f"{entries}</sitemapindex>\n"
        )

    def _urlset(self, articles: list[Article]) -> str:
        urls = "".join(
            f"<url><loc>{escape(self.url(self.path_of(a)))}</loc>"
            f"<lastmod>{_w3c(a.last_modified)}</lastmod></url>\n"
            for a in articles
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n'
            f"{urls}</urlset>\n"
        )


def _latest(articles: list[Article]) -> datetime:
    """When the newest of ``articles`` last changed (a fixed old date for none)."""
    return max((a.last_modified for a in articles), default=_NEVER)


def _w3c(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
