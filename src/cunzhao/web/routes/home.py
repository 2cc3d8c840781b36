"""``/`` (search box, headline figures, coverage, latest enforcement documents) and
``/about`` (how figures are derived, coverage)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import HTMLResponse

from cunzhao import Archive, Figure, Filters, period_bucket
from cunzhao.web.app import archive_of
from cunzhao.web.render import render

router = APIRouter(include_in_schema=False)
ArchiveDep = Annotated[Archive, Depends(archive_of)]
HEADLINES = 6


def headline_figures(found: list[Figure], limit: int = HEADLINES) -> list[Figure]:
    """The latest whole-year figure of each (action, object), most documents first, then newest.

    Falls back to any dated figure when no figure covers a whole year.
    """
    best: dict[tuple[str, str], Figure] = {}
    yearly = [f for f in found if (period_bucket(f.period) or ("", ""))[0] == "year"]
    for figure in yearly or [f for f in found if _end(f)]:
        key = (figure.action, figure.object)
        old = best.get(key)
        if old is None or (_end(figure), len(figure.sources)) > (_end(old), len(old.sources)):
            best[key] = figure
    ranked = sorted(best.values(), key=lambda f: (_end(f), len(f.sources), f.value),
                    reverse=True)
    return ranked[:limit]


def _end(figure: Figure) -> str:
    end = figure.period.end if figure.period else None
    return end.isoformat() if end else ""


@router.get("/", response_class=HTMLResponse)
def home(request: Request, archive: ArchiveDep) -> HTMLResponse:
    latest = archive.documents(Filters(has_facts=True), limit=8)  # enforcement documents
    return render(request, "home.html", counts=archive.counts(),
                  headlines=headline_figures(archive.figures()), coverage=archive.coverage(),
                  latest=latest or archive.documents(limit=8), enforcement=bool(latest))


@router.get("/about", response_class=HTMLResponse)
def about(request: Request, archive: ArchiveDep) -> HTMLResponse:
    found = archive.figures()
    return render(request, "about.html", counts=archive.counts(), figures=len(found),
                  conflicts=sum(1 for f in found if f.conflict), coverage=archive.coverage())
