"""Atom feeds of what is new: ``/feed.atom`` (documents the archive got), ``/facts.atom``
(counts and cases, each citing its evidence), ``/gone.atom`` (originals newly gone) and
``/search.atom?q=…`` (any saved search: the search page's parameters and checks).

Built with the standard library's ElementTree, so every text is escaped; characters XML 1.0
forbids are dropped. Entry ids are the document's URL (a document), with ``#stat-…`` /
``#case-…`` and a digest of the fact (a fact: the same fact restated by a later version keeps
its id) or ``#gone-`` and the first sighting (an original gone). Links are absolute, built
from the request's base URL. Answers carry an ETag and are revalidated after five minutes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from cunzhao import (
    Archive,
    DocumentSummary,
    Filters,
    GoneDocument,
    RecentFact,
    Stat,
    __version__,
    public_source,
)
from cunzhao.web.app import archive_of
from cunzhao.web.i18n import Lang, action_label, label, object_label, request_lang
from cunzhao.web.params import SearchState, search_state
from cunzhao.web.render import query_url
from cunzhao.web.routes.search import run_search

router = APIRouter(include_in_schema=False)
ArchiveDep = Annotated[Archive, Depends(archive_of)]

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
ENTRIES = 50
CACHE_CONTROL = "max-age=300"
EPOCH = "1970-01-01T00:00:00Z"  # the ``updated`` of a feed without entries
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_URI_SAFE = ":/?[]@!$&'()*+,;=%~"  # kept as they are in an id or link; the rest %-encoded
_QUALIFIER = {"at_least": "≥", "at_most": "≤", "approx": "≈"}


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    updated: str  # RFC 3339
    link: str  # the page in this archive
    summary: str
    related: str | None = None  # the original, when it is http(s)
    category: str | None = None


@router.get("/feed.atom")
def documents_feed(request: Request, archive: ArchiveDep) -> Response:
    """The documents the archive got last, newest first."""
    lang = request_lang(request)
    entries = [document_entry(request, doc, lang) for doc in archive.recent_documents(ENTRIES)]
    return atom(request, label("recent", lang), "/", entries)


@router.get("/facts.atom")
def facts_feed(request: Request, archive: ArchiveDep) -> Response:
    """The newest counts and cases, each with its evidence sentence and document."""
    lang = request_lang(request)
    entries = [fact_entry(request, fact, lang) for fact in archive.recent_facts(ENTRIES)]
    return atom(request, label("facts", lang), "/stats", _unique(entries))


@router.get("/gone.atom")
def gone_feed(request: Request, archive: ArchiveDep) -> Response:
    """Originals confirmed gone at their source, the most recently gone first."""
    lang = request_lang(request)
    gone = sorted(archive.gone_documents(), key=lambda g: (g.first_gone, g.document_id),
                  reverse=True)[:ENTRIES]
    return atom(request, label("deleted_at_source", lang), "/gone",
                [gone_entry(request, g, lang) for g in gone])


@router.get("/search.atom")
def search_feed(
    request: Request, archive: ArchiveDep, state: Annotated[SearchState, Depends(search_state)]
) -> Response:
    """A saved search: with ``q``, its 50 most recently published hits; without, the 50
    documents the archive got last that pass the filters. Newest in the archive first;
    ``sort``, ``page`` and ``per_page`` are checked but do not apply."""
    lang = request_lang(request)
    state = replace(state, sort="date", page=1, per_page=ENTRIES)
    snippets: dict[int, str] = {}
    if state.q:
        results = run_search(archive, state, facets=False)  # 400 for a query it cannot read
        snippets = {hit.document_id: hit.snippet.text for hit in results.hits}
        hits = Filters(document_ids=frozenset(snippets))
        docs = archive.recent_documents(ENTRIES, hits) if snippets else []
    else:
        docs = archive.recent_documents(ENTRIES, state.filters())
    params = {k: v for k, v in state.params().items() if k not in ("sort", "page", "per_page")}
    parts = [label("nav_search", lang), state.q, *(f"{k}={v}" for k, v in state.active_filters())]
    title = " ".join(part for part in parts if part)
    entries = [document_entry(request, doc, lang, snippets.get(doc.id)) for doc in docs]
    return atom(request, title, query_url("/search", params), entries,
                self_path=query_url("/search.atom", params))


def document_entry(
    request: Request, doc: DocumentSummary, lang: Lang, summary: str | None = None
) -> FeedEntry:
    about = [f"{label('published', lang)} {doc.published or label('undated', lang)}",
             doc.series_tag, doc.source_site]
    return FeedEntry(
        id=_iri(doc.url), title=doc.title or doc.url, updated=rfc3339(doc.first_seen),
        link=_absolute(request, f"/doc/{doc.id}"),
        summary=summary or " · ".join(part for part in about if part),
        related=_http(doc.url), category=doc.series_tag,
    )


def fact_entry(request: Request, found: RecentFact, lang: Lang) -> FeedEntry:
    fact, doc = found.fact, found.document
    if isinstance(fact, Stat):
        what = (f"{action_label(fact.action, lang)} {object_label(fact.object, lang)} "
                f"{_QUALIFIER.get(fact.qualifier, '')}{fact.value:,}")
    else:
        what = " ".join(["、".join(action_label(m, lang) for m in fact.measures),
                         "、".join(fact.targets)]).strip()
    content = {k: v for k, v in fact.to_json().items() if k not in ("start", "end")}
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True)
                            .encode()).hexdigest()[:16]
    anchor = f"{found.kind[0]}{found.position}"  # the row of the document page's facts table
    return FeedEntry(
        id=f"{_iri(doc.url)}#{found.kind}-{digest}", title=f"{what} — {doc.title}",
        updated=rfc3339(found.ingested_at),
        link=_absolute(request, f"/doc/{doc.id}#{anchor}"), summary=fact.evidence,
        related=_http(doc.url), category=found.kind,
    )


def gone_entry(request: Request, gone: GoneDocument, lang: Lang) -> FeedEntry:
    when = [f"{label('first_seen_gone', lang)} {gone.first_gone}",
            f"{label('last_seen_alive', lang)} {gone.last_alive or '—'}", gone.detail]
    return FeedEntry(
        id=f"{_iri(gone.document_url)}#gone-{gone.first_gone}",
        title=f"{label('deleted_at_source', lang)}: {gone.title or gone.url}",
        updated=rfc3339(gone.first_gone),
        link=_absolute(request, f"/doc/{gone.document_id}"),
        summary=" · ".join(part for part in when if part), related=_http(gone.url),
    )


def atom(
    request: Request, title: str, alternate: str | None, entries: list[FeedEntry], *,
    self_path: str | None = None,
) -> Response:
    """The feed as an ``application/atom+xml`` answer (304 when the client has it)."""
    self_url = _absolute(request, self_path or request.url.path)
    feed = ET.Element("feed", xmlns=ATOM)  # children unqualified: in the Atom namespace
    _add(feed, "id", self_url)
    _add(feed, "title", f"{label('site_name', request_lang(request))} · {title}")
    _add(feed, "updated", max((e.updated for e in entries), default=EPOCH))
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    if alternate is not None:
        _add(feed, "link", rel="alternate", type="text/html", href=_absolute(request, alternate))
    _add(_add(feed, "author"), "name", "cunzhao")
    _add(feed, "generator", "cunzhao", version=__version__)
    for item in entries:
        entry = _add(feed, "entry")
        _add(entry, "id", item.id)
        _add(entry, "title", item.title, type="text")
        _add(entry, "updated", item.updated)
        _add(entry, "link", rel="alternate", type="text/html", href=item.link)
        if item.related:
            _add(entry, "link", rel="related", type="text/html", href=item.related)
        if item.category:
            _add(entry, "category", term=item.category)
        _add(entry, "summary", item.summary, type="text")
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=MEDIA_TYPE, headers=headers)


def rfc3339(stamp: str) -> str:
    """An archive timestamp (ISO-8601, UTC when it names no zone) in RFC 3339, UTC."""
    moment = datetime.fromisoformat(stamp)
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag,
                            {k: _NOT_XML.sub("", v) for k, v in attrs.items()})
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def _absolute(request: Request, path: str) -> str:
    return str(request.base_url).rstrip("/") + path


def _iri(url: str) -> str:
    """``url`` as a valid URI without a fragment (spaces, ``#`` and other characters
    percent-encoded), so that an entry id may add one."""
    if url.startswith("file:"):  # a page without a URL: its file name, no local folder
        url = "file:" + public_source(url)
    return quote(url, safe=_URI_SAFE)


def _http(url: str) -> str | None:
    if not url.lower().startswith(("http://", "https://")):
        return None
    return quote(url, safe=_URI_SAFE + "#")


def _unique(entries: Iterable[FeedEntry]) -> list[FeedEntry]:
    """The entries, a repeated id (the same fact stated twice in one text) made distinct."""
    seen: dict[str, int] = {}
    out = []
    for entry in entries:
        n = seen[entry.id] = seen.get(entry.id, 0) + 1
        out.append(entry if n == 1 else replace(entry, id=f"{entry.id}-{n}"))
    return out
