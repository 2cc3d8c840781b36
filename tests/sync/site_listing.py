"""A CAC-like news listing: paginated HTML index pages and the articles they link, in GBK.

Index pages: ``{section}index.htm`` (newest), ``{section}index_1.htm``, ``index_2.htm`` … each
linking ``per_page`` articles inside ``ul.list`` (selector ``ul.list li a``), with a pager
whose ``a.next`` ("下一页") names the next index page, relatively (``index_2.htm``); the last
page has no ``a.next``; past it, 404. A navigation bar outside the list links the home page
and the section, so only the selector picks out articles. Articles live at
``/{YYYY-MM}/{DD}/c_{id}.htm`` (their publish date, UTC); index links to them are
root-relative (``links="root"``), relative to the section (``"relative"``: ``../2024-01/…``)
or absolute (``"absolute"``).

Encoding: every page is encoded with ``encoding`` (GBK by default; characters it lacks as
``&#NNNN;``) and declared as ``declare`` says: ``"meta"`` — ``<meta charset="gb2312">``, as
such sites write, and a bare ``text/html`` header; ``"header"`` — ``text/html; charset=GBK``
and no meta; ``"both"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from site_articles import Article
from site_catalog import ArticleSite
from site_server import Query, not_found

from netserver import Request, Route

DECLARE = ("meta", "header", "both")
LINKS = ("root", "relative", "absolute")


class ListingSite(ArticleSite):
    """``ListingSite(articles, section="/wxzf/", name="网信执法", per_page=20,
    encoding="gbk", declare="meta", links="root")``."""

    home_title = "中国网信网"

    def __init__(
        self,
        articles: Iterable[Article],
        *,
        section: str = "/wxzf/",
        name: str = "网信执法",
        per_page: int = 20,
        encoding: str = "gbk",
        declare: str = "meta",
        links: str = "root",
    ) -> None:
        if declare not in DECLARE or links not in LINKS:
            raise ValueError(f"ListingSite: declare in {DECLARE}, links in {LINKS}")
        if not (section.startswith("/") and section.endswith("/")):
            raise ValueError(f"ListingSite: section {section!r} must start and end with /")
        super().__init__(articles)
        self.section, self.name, self.per_page, self.links = section, name, per_page, links
        self.charset = encoding
        declared = "gb2312" if encoding == "gbk" else encoding  # what such sites write
        self.meta_charset = "" if declare == "header" else declared
        self.content_type = "text/html" if declare == "meta" else f"text/html; charset={encoding}"

    def path_of(self, article: Article) -> str:
        return article.published.strftime(f"/%Y-%m/%d/c_{article.id}.htm")

    def index_url(self, page: int = 0) -> str:
        """The URL of index page ``page`` (0: ``index.htm``, the newest)."""
        return self.url(self.section + _index_name(page))

    def index_pages(self) -> int:
        """How many index pages there are now."""
        return max(1, -(-len(self.newest()) // self.per_page))

    def respond(self, path: str, query: Query, request: Request) -> Route | None:
        if path.startswith(self.section):
            name = path.removeprefix(self.section)
            number = name.removeprefix("index_").removesuffix(".htm")
            if name in ("", "index.htm"):
                return self._index(0)
            if name.startswith("index_") and name.endswith(".htm") and number.isdigit():
                return self._index(int(number)) if int(number) > 0 else not_found()
        return super().respond(path, query, request)

    def _index(self, page: int) -> Route:
        if page >= self.index_pages():
            return not_found()
        shown = self.newest()[page * self.per_page : (page + 1) * self.per_page]
        items = "".join(
            f'<li><a href="{escape(self._link(a))}" target="_blank">{escape(a.title)}</a>'
            f'<span class="date">{a.published:%Y-%m-%d}</span></li>\n'
            for a in shown
        )
        nav = (
            f'<div class="nav"><a href="/">首页</a> '
            f'<a href="{self.section}index.htm">{escape(self.name)}</a></div>\n'
        )
        body = (
            f'{nav}<div class="main"><h2>{escape(self.name)}</h2>\n'
            f'<ul class="list">\n{items}</ul>\n{self._pager(page)}</div>'
        )
        return self.html(self.html_page(f"{self.name}_{self.home_title}", body))

    def _pager(self, page: int) -> str:
        last = self.index_pages() - 1
        parts = [f'<a href="{_index_name(0)}">首页</a>']
        if page > 0:
            parts.append(f'<a class="prev" href="{_index_name(page - 1)}">上一页</a>')
        parts.append(f'<span class="current">{page + 1}/{last + 1}</span>')
        if page < last:
            parts.append(f'<a class="next" href="{_index_name(page + 1)}">下一页</a>')
        parts.append(f'<a href="{_index_name(last)}">尾页</a>')
        return '<div class="pages">' + " ".join(parts) + "</div>\n"

    def _link(self, article: Article) -> str:
        path = self.path_of(article)
        if self.links == "absolute":
            return self.url(path)
        if self.links == "relative":
            return "../" * (self.section.count("/") - 1) + path.lstrip("/")
        return path


def _index_name(page: int) -> str:
    return "index.htm" if page == 0 else f"index_{page}.htm"
