"""``/`` (search box, headline figures, latest documents) and ``/about``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import HTMLResponse

from cunzhao.archive import Archive
from cunzhao.store.consolidate import ConsolidatedStat
from cunzhao.store.timeline import period_bucket
from cunzhao.web.app import archive_of
from cunzhao.web.render import render

router = APIRouter(include_in_schema=False)
ArchiveDep = Annotated[Archive, Depends(archive_of)]
HEADLINES = 6


def headline_figures(facts: list[ConsolidatedStat], limit: int = HEADLINES) -> list[ConsolidatedStat]:
    """The latest whole-year figure of each (action, object), most documents first, then newest.

    Falls back to any dated figure when no figure covers a whole year.
    """
    best: dict[tuple[str, str], ConsolidatedStat] = {}
    yearly = [f for f in facts if (period_bucket(f.key.period_start, f.key.period_end)
                                   or ("", ""))[0] == "year"]
    for fact in yearly or [f for f in facts if f.key.period_end]:
        key = (fact.key.action, fact.key.object)
        old = best.get(key)
        if old is None or (fact.key.period_end or "", len(fact.sources)) > (
            old.key.period_end or "", len(old.sources)
        ):
            best[key] = fact
    ranked = sorted(best.values(),
                    key=lambda f: (f.key.period_end or "", len(f.sources), f.value), reverse=True)
    return ranked[:limit]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, archive: ArchiveDep) -> HTMLResponse:
    return render(request, "home.html", counts=archive.counts(),
                  headlines=headline_figures(archive.consolidated_stats()),
                  latest=archive.documents(limit=8))


@router.get("/about", response_class=HTMLResponse)
def about(request: Request, archive: ArchiveDep) -> HTMLResponse:
    facts = archive.consolidated_stats()
    return render(request, "about.html", counts=archive.counts(), figures=len(facts),
                  conflicts=sum(1 for f in facts if f.conflict))
