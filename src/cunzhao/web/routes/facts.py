"""Permalinks: ``/fact/{id}`` (a count) and ``/case/{id}`` (a named case), with citations.

A permalink page shows the fact, its evidence sentence highlighted in its paragraph, the
document and version stating it with their provenance (original URL, its Wayback copy,
capture time, SHA-256), the other documents reporting the same, and "cite this". Ids are
:func:`cunzhao.fact_id`'s, stable across ``reextract`` and ``copy``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path
from starlette.requests import Request
from starlette.responses import HTMLResponse

from cunzhao import Archive, DocumentView, FactKind, VersionInfo
from cunzhao.web.app import archive_of
from cunzhao.web.citation import Citation, bibtex, csl_json, plain_text
from cunzhao.web.render import render

router = APIRouter(include_in_schema=False)
ArchiveDep = Annotated[Archive, Depends(archive_of)]
FactId = Annotated[str, Path(max_length=40)]
CONTEXT = 160  # characters of the paragraph shown on each side of the evidence


def wayback(doc: DocumentView) -> str | None:
    """The Wayback Machine copy of the original: the archive card's, else the Machine's
    lookup of the original (or document) URL when that is a web address."""
    if doc.archive_url:
        return doc.archive_url
    target = doc.original_url or doc.url
    return f"https://web.archive.org/web/{target}" if target.startswith("http") else None


def citation(request: Request, doc: DocumentView, version: VersionInfo | None, key: str,
             path: str, quote: str | None = None) -> dict[str, str]:
    """The three citation formats of the archived copy at ``path`` on this server."""
    card = doc.card or {}
    found = Citation(
        key=key, title=doc.title, url=str(request.base_url).rstrip("/") + path,
        accessed=datetime.now(UTC).date(), sha256=version.sha256 if version else None,
        published=doc.published, author=card.get("author") or None,
        site=_site(doc), original_url=doc.original_url or (
            doc.url if doc.url.startswith("http") else None),
        captured=(version.captured_at if version else None) or doc.captured_at, quote=quote)
    return {"text": plain_text(found), "bibtex": bibtex(found), "csl": csl_json(found)}


def _site(doc: DocumentView) -> str | None:
    sources = (doc.card or {}).get("sources") or []
    return str(sources[0]["text"]) if sources and sources[0].get("text") else None


def _context(body: str, start: int, end: int) -> tuple[str, str, str]:
    """The evidence with up to :data:`CONTEXT` characters of its paragraph on each side."""
    first = max(body.rfind("\n", 0, start) + 1, start - CONTEXT)
    cut = body.find("\n", end)
    last = min(len(body) if cut < 0 else cut, end + CONTEXT)
    return ("…" if first > 0 and body[first - 1] != "\n" else "") + body[first:start], \
        body[start:end], body[end:last] + ("…" if last < len(body) and body[last] != "\n" else "")


def _page(request: Request, archive: Archive, kind: FactKind, ident: str) -> HTMLResponse:
    found = archive.fact(kind, ident)
    if found is None:
        raise HTTPException(404, f"no {'count' if kind == 'stat' else 'case'} {ident!r} in "
                            "this archive (an id names document-version-digest; the document "
                            "page lists the facts it states now)")
    doc = found.document.public()
    first = found.facts[0]
    path = f"/{'fact' if kind == 'stat' else 'case'}/{found.id}"
    index = [f.start for f in (doc.stats if kind == "stat" else doc.cases)].index(first.start)
    return render(request, "fact.html", fact=found, doc=doc, kind=kind,
                  context=_context(doc.body, first.start, first.end), wayback=wayback(doc),
                  anchor=f"{'s' if kind == 'stat' else 'c'}{index}",
                  cite=citation(request, doc, found.version, f"cunzhao-{kind}-{found.id}",
                                path, first.evidence))


@router.get("/fact/{fact_id}", response_class=HTMLResponse)
def fact_page(request: Request, archive: ArchiveDep, fact_id: FactId) -> HTMLResponse:
    return _page(request, archive, "stat", fact_id)


@router.get("/case/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, archive: ArchiveDep, case_id: FactId) -> HTMLResponse:
    return _page(request, archive, "case", case_id)
