"""``/entity/{name}``: every case naming a target or regulator, with a timeline chart;
``/entities``: who is named most."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path
from starlette.requests import Request
from starlette.responses import HTMLResponse

from cunzhao import Archive, EntityCase
from cunzhao.web.app import archive_of
from cunzhao.web.charts import BarChart, BarInput, bar_chart
from cunzhao.web.render import render

router = APIRouter(include_in_schema=False)
ArchiveDep = Annotated[Archive, Depends(archive_of)]
Name = Annotated[str, Path(min_length=1, max_length=200)]


def load_cases(archive: Archive, name: str) -> list[EntityCase]:
    found = archive.entity_cases(name)
    if not found:
        raise HTTPException(404, f"no case in this archive names {name!r}")
    return found


def year_of(case: EntityCase) -> str:
    return case.published[:4] if case.published else "—"


def timeline_chart(name: str, found: list[EntityCase]) -> BarChart:
    """Cases per publish year; each bar lists its documents and links to that year's cases."""
    by_year: dict[str, list[EntityCase]] = defaultdict(list)
    for case in found:
        by_year[year_of(case)].append(case)
    dated = sorted(y for y in by_year if y != "—")
    years = [str(y) for y in range(int(dated[0]), int(dated[-1]) + 1)] if dated else []
    if "—" in by_year:
        years.append("—")
    bars = [
        BarInput(year, len(by_year[year]),
                 f"{year}: {len(by_year[year])}\n" + "\n".join(
                     f"· {c.published or '—'} {c.title}" for c in by_year[year][:12]),
                 f"#y{year}")
        for year in years
    ]
    return bar_chart(bars, name)


@router.get("/entity/{name:path}", response_class=HTMLResponse)
def entity_page(request: Request, archive: ArchiveDep, name: Name) -> HTMLResponse:
    found = load_cases(archive, name)
    years: dict[str, list[EntityCase]] = defaultdict(list)
    for case in found:
        years[year_of(case)].append(case)
    return render(request, "entity.html", name=name, cases=found, years=years,
                  chart=timeline_chart(name, found),
                  as_target=sum(1 for c in found if c.role == "target"),
                  as_regulator=sum(1 for c in found if c.role == "regulator"))


@router.get("/entities", response_class=HTMLResponse)
def entities_page(request: Request, archive: ArchiveDep) -> HTMLResponse:
    names = archive.entities()
    return render(request, "entities.html", names=names[:300], total=len(names))
