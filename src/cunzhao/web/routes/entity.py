"""``/entity/{name}``: an entity's cases with a timeline chart, its parent and children;
``/entities``: the entities named in cases, by kind.

Any name of an entity — as written, an alias, a traditional or full-width form, its id —
redirects (308) to the page under its canonical name; an unknown name is a 404 page listing
the closest entities and a search for the name.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from cunzhao import ENTITY_KINDS, Archive, Entity, EntityCase, level_labels, provinces
from cunzhao.web.app import archive_of
from cunzhao.web.charts import BarChart, BarInput, bar_chart
from cunzhao.web.render import render

router = APIRouter(include_in_schema=False)
ArchiveDep = Annotated[Archive, Depends(archive_of)]
Name = Annotated[str, Path(min_length=1, max_length=200)]
Children = Annotated[bool, Query(description="Include the cases of the entities below it")]


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


def canonical_path(entity: Entity) -> str:
    return "/entity/" + quote(entity.zh, safe="")


def missing(request: Request, archive: Archive, name: str) -> HTMLResponse:
    """The 404 page of a name no entity has: the closest entities and a search link."""
    return render(request, "entity_missing.html", 404, name=name,
                  suggestions=archive.suggest_entities(name, 8))


@router.get("/entity/{name:path}", response_class=HTMLResponse)
def entity_page(
    request: Request, archive: ArchiveDep, name: Name, children: Children = False
) -> Response:
    found = archive.entity(name)
    if found is None:
        return missing(request, archive, name)
    if name != found.zh:
        target = canonical_path(found)
        if request.url.query:
            target += "?" + request.url.query
        return RedirectResponse(target, status_code=308)
    cases = archive.entity_cases(found, include_children=children)
    years: dict[str, list[EntityCase]] = defaultdict(list)
    for case in cases:
        years[year_of(case)].append(case)
    below = [e for e in (archive.entity(c) for c in found.children) if e is not None]
    below_cases = {e.id: len(archive.entity_cases(e, include_children=True)) for e in below}
    names = {e.id: e.zh for e in below}
    for eid in {c.entity for c in cases} - set(names) - {found.id}:
        via = archive.entity(eid)
        names[eid] = via.zh if via else eid
    return render(
        request, "entity.html", entity=found, name=found.zh, cases=cases, years=years,
        chart=timeline_chart(found.zh, cases), children=children, below=below,
        below_cases=below_cases, names=names,
        parent=archive.entity(found.parent) if found.parent else None,
        province=next((p for p in provinces() if p.id == found.province), None),
        level=level_labels().get(found.level or ""),
        as_target=sum(1 for c in cases if c.role == "target"),
        as_regulator=sum(1 for c in cases if c.role == "regulator"),
        from_children=sum(1 for c in cases if c.entity != found.id),
        events=len(archive.case_events(entity=found.id, with_children=children)),
    )


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request, archive: ArchiveDep,
    kind: Annotated[str | None, Query(max_length=32)] = None,
) -> HTMLResponse:
    counts = archive.entities(kind=kind if kind in ENTITY_KINDS else None)
    by_kind: dict[str, list[object]] = {k: [] for k in ENTITY_KINDS}
    for count in counts:
        by_kind.setdefault(count.kind, []).append(count)
    return render(request, "entities.html", by_kind={k: v for k, v in by_kind.items() if v},
                  kinds=ENTITY_KINDS, kind=kind, total=len(counts))
