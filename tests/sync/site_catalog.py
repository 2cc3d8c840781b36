"""A fixture site that serves articles: the part the WordPress, listing and sitemap sites share.

Each article is served at ``path_of(article)`` (the subclass's URL scheme) in the site's
charset, with ETag and Last-Modified, answering 304 to a matching conditional request. The
test changes the site while it runs: ``add`` an article (the newest), ``change`` one (a new
version: new ETag, later Last-Modified), ``delete`` one (404 from then on, or 410, a redirect to
the home page, or a soft 404: a 200 page saying it is gone). ``/`` is a home page linking the
newest articles.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html import escape

from site_articles import Article, render_article
from site_server import Query, Site

from cunzhao import Block
from netserver import Request, Route

GONE_HOW = ("404", "410", "home", "soft404")
SOFT_404_TITLE = "页面不存在"
SOFT_404_TEXT = "抱歉，您访问的页面不存在或已被删除。"


class ArticleSite(Site):
    """Articles at ``path_of(article)``; subclasses add their index pages in ``respond``."""

    charset = "utf-8"  # the codec pages are encoded with (characters it lacks: &#NNNN;)
    meta_charset = "utf-8"  # what their <meta charset> says ("": no such tag)
    content_type = "text/html; charset=utf-8"
    home_title = "首页"

    def __init__(self, articles: Iterable[Article]) -> None:
        super().__init__()
        self._store = threading.RLock()
        self._articles = {article.id: article for article in articles}
        self._gone: dict[int, str] = {}
        self._paths: dict[str, int] | None = None
        self._newest: dict[str | None, list[Article]] = {}

    def path_of(self, article: Article) -> str:
        """Where ``article`` is served (the subclass's URL scheme)."""
        raise NotImplementedError

    # --- reading the catalogue ----------------------------------------------------------------

    def article(self, id: int) -> Article:
        """The article with ``id``, as now served (deleted ones too)."""
        with self._store:
            return self._articles[id]

    def article_url(self, id: int) -> str:
        return self.url(self.path_of(self.article(id)))

    def newest(self, tag: str | None = None) -> list[Article]:
        """The live (not deleted) articles, newest first; only those tagged ``tag`` if given."""
        with self._store:
            if tag not in self._newest:
                live = [a for a in self._articles.values() if a.id not in self._gone]
                chosen = [a for a in live if tag is None or tag in a.tags]
                self._newest[tag] = sorted(chosen, key=lambda a: (a.published, a.id), reverse=True)
            return self._newest[tag]

    def tags(self) -> list[str]:
        """Every tag of a live article, sorted."""
        return sorted({tag for article in self.newest() for tag in article.tags})

    # --- changing it while it runs -------------------------------------------------------------

    def add(self, article: Article) -> Article:
        """Publish ``article`` (its id must be new); returns it."""
        with self._store:
            if article.id in self._articles:
                raise ValueError(f"article {article.id} already exists")
            self._articles[article.id] = article
            self._changed()
        return article

    def change(self, id: int, paragraphs: Sequence[str] | None = None) -> Article:
        """A new version of article ``id``: its body replaced by ``paragraphs``, or by default
        one paragraph added; modified now (always at least a second after the last version)."""
        with self._store:
            old = self._articles[id]
            if paragraphs is None:
                blocks = (*old.blocks, Block("p", f"（第{old.version + 1}版）本文内容已更新。"))
            else:
                blocks = tuple(Block("p", text) for text in paragraphs)
            now = datetime.now(UTC).replace(microsecond=0)
            modified = max(now, old.last_modified.replace(microsecond=0) + timedelta(seconds=1))
            new = replace(old, blocks=blocks, version=old.version + 1, modified=modified)
            self._articles[id] = new
            self._changed()
        return new

    def delete(self, id: int, how: str = "404") -> None:
        """Take article ``id`` down: from now on it answers as ``how`` says — ``404``,
        ``410``, ``home`` (302 to /) or ``soft404`` (200, a page saying it is gone) — and
        leaves every index page and feed."""
        if how not in GONE_HOW:
            raise ValueError(f"delete(how={how!r}): expected one of {', '.join(GONE_HOW)}")
        with self._store:
            if id not in self._articles:
                raise KeyError(f"no article {id}")
            self._gone[id] = how
            self._changed()

    def _changed(self) -> None:
        self._paths = None
        self._newest.clear()

    # --- answering -----------------------------------------------------------------------------

    def respond(self, path: str, query: Query, request: Request) -> Route | None:
        if path == "/":
            return self.html(self.home_page())
        with self._store:
            if self._paths is None:
                self._paths = {self.path_of(a): a.id for a in self._articles.values()}
            id = self._paths.get(path)
            if id is None:
                return None
            article, how = self._articles[id], self._gone.get(id)
        if how is not None:
            return self._gone_answer(how)
        page = render_article(article, charset=self.meta_charset, canonical=self.url(path))
        return self.conditional(
            request, self.encode(page), self.content_type, article.last_modified
        )

    def _gone_answer(self, how: str) -> Route:
        if how == "home":
            return Route(302, b"", {"Location": self.url("/")})
        if how == "soft404":
            return self.html(self.html_page(SOFT_404_TITLE, f"<p>{SOFT_404_TEXT}</p>"))
        page = self.html_page(f"{how} {SOFT_404_TITLE}", f"<p>{SOFT_404_TEXT}</p>")
        return self.html(page, int(how))

    def home_page(self) -> str:
        items = "".join(
            f'<li><a href="{escape(self.path_of(a))}">{escape(a.title)}</a></li>\n'
            for a in self.newest()[:20]
        )
        return self.html_page(self.home_title, f"<ul>\n{items}</ul>")

    def html_page(self, title: str, body: str) -> str:
        """A page of this site: ``title``, then ``body`` (HTML), declaring ``meta_charset``."""
        meta = f'<meta charset="{self.meta_charset}">' if self.meta_charset else ""
        return (
            f'<!DOCTYPE html>\n<html lang="zh-CN"><head>{meta}'
            f"<title>{escape(title)}</title></head>\n<body>{body}</body></html>\n"
        )

    def encode(self, text: str) -> bytes:
        return text.encode(self.charset, "xmlcharrefreplace")

    def html(self, text: str, status: int = 200) -> Route:
        return Route(status, self.encode(text), {"Content-Type": self.content_type})
