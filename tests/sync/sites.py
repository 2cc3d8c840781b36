"""Fixture sites for the sync tests and bench, on 127.0.0.1: import them from here.

    with WordPressSite(synthetic_articles(25)) as wp:
        feed = wp.tag_feed_url("立此存照")

Every site is a context manager (started on enter, port closed on exit) and a ``Site``: the
switches ``stop``/``start``/``offline``, ``fail``, ``slow``, ``robots`` and the log summaries
(``count``, ``per_path``, ``statuses``, ``intervals``, ``max_in_flight``, ``clear_log``) of
``site_server``. The article sites (``WordPressSite``, ``ListingSite``, ``SitemapSite``) share
``add``/``change``/``delete`` from ``site_catalog``; ``WaybackSite`` serves CDX and Memento;
``WebhookSink`` receives the JSON a notifier POSTs. See README.md for what each imitates.
"""

from __future__ import annotations

import json

from site_articles import (
    Article,
    corpus_articles,
    example_articles,
    new_article,
    render_article,
    synthetic_articles,
)
from site_catalog import GONE_HOW, ArticleSite
from site_listing import ListingSite
from site_server import Query, Site, intervals_by_host, requests_by_host
from site_sitemap import SitemapSite
from site_wayback import Snapshot, WaybackSite, wayback_timestamp
from site_wordpress import WordPressSite

from netserver import Request, Route
from testenv import shared_dir

__all__ = [
    "GONE_HOW",
    "Article",
    "ArticleSite",
    "ListingSite",
    "Site",
    "SitemapSite",
    "Snapshot",
    "WaybackSite",
    "WebhookSink",
    "WordPressSite",
    "corpus_articles",
    "example_articles",
    "intervals_by_host",
    "new_article",
    "render_article",
    "requests_by_host",
    "shared_corpus_articles",
    "synthetic_articles",
    "wayback_timestamp",
]


def shared_corpus_articles(limit: int | None = None) -> list[Article]:
    """The shared corpus's CDT pages as articles; the calling test skips (fails under CI)
    when the shared corpus is absent."""
    return corpus_articles(shared_dir() / "corpus" / "cdt", limit)


class WebhookSink(Site):
    """Answers 204 to every POST to ``/hook`` (``hook_url``); ``payloads()`` are the JSON
    bodies received, in order. ``fail``/``stop`` make the notifier's POST fail."""

    @property
    def hook_url(self) -> str:
        return self.url("/hook")

    def respond(self, path: str, query: Query, request: Request) -> Route | None:
        if path == "/hook" and request.method == "POST":
            return Route(204, b"", {})
        return None

    def payloads(self) -> list[object]:
        """The JSON body of every POST to /hook, whatever was answered."""
        posts = [r for r in self.logged() if r.method == "POST" and r.path == "/hook"]
        return [json.loads(r.body) for r in posts]
