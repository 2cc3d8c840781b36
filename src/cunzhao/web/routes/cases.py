"""``/cases``: enforcement cases counted once — one row per act with every document reporting
it (``Archive.case_events``), filtered by entity, measure, category, dates, regulator and
province. The filter parameters and the lookup are shared with ``/api/cases``.

A filter value that names nothing (an unknown entity, a measure no lexicon has) is not an empty
list: the page answers 404 naming the value and the closest ones, the API 422.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse

from cunzhao import (
    Archive,
    CaseEvent,
    Filters,
    UnknownEntity,
    UnknownProvince,
    UnknownValue,
    Vocabulary,
    resolve_value,
    vocabulary,
)
from cunzhao.web.app import archive_of
from cunzhao.web.params import MAX_PAGE, MAX_VALUE
from cunzhao.web.render import render

router = APIRouter(include_in_schema=False)
ArchiveDep = Annotated[Archive, Depends(archive_of)]
Text = Annotated[str | None, Query(max_length=MAX_VALUE)]


@dataclass(frozen=True)
class CaseQuery:
    """The filters of a cases listing, as URL query parameters."""

    entity: str | None
    regulator: str | None
    province: str | None
    measure: str | None
    category: str | None
    since: date | None
    until: date | None
    children: bool
    page: int
    per_page: int


def case_query(
    entity: Annotated[str | None, Query(max_length=MAX_VALUE, description=(
        "Events naming this entity as target or regulator: any name, alias or id"))] = None,
    regulator: Annotated[str | None, Query(max_length=MAX_VALUE, description=(
        "Events issued by this office: any name or id"))] = None,
    province: Annotated[str | None, Query(max_length=MAX_VALUE, description=(
        "Events issued by an office of this province: id or name (beijing, 北京, Beijing)"))]
    = None,
    measure: Annotated[str | None, Query(max_length=MAX_VALUE, description=(
        "Events with this measure: an action id or label (close_account, 关闭账号)"))] = None,
    category: Annotated[str | None, Query(max_length=MAX_VALUE, description=(
        "Events of this category: an id or label (rumor, 谣言/不实信息)"))] = None,
    since: Annotated[date | None, Query(description="First reported on or after")] = None,
    until: Annotated[date | None, Query(description="First reported on or before")] = None,
    children: Annotated[bool, Query(description=(
        "With entity or regulator: also the entities below it (百度 → 百度贴吧)"))] = False,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> CaseQuery:
    return CaseQuery(entity or None, regulator or None, province or None, measure or None,
                     category or None, since, until, children, page, per_page)


QueryDep = Annotated[CaseQuery, Depends(case_query)]


class Unmatched(LookupError):
    """A filter value that names nothing: the parameter, the value and the closest values
    (each with a label)."""

    def __init__(self, parameter: str, value: str, closest: list[tuple[str, str]]) -> None:
        self.parameter, self.value, self.closest = parameter, value, closest
        hint = "; closest: " + ", ".join(label for _, label in closest) if closest else ""
        super().__init__(f"{parameter}: no {parameter} named {value!r}{hint}")


def _vocabulary(kind: Vocabulary, value: str | None, parameter: str) -> str | None:
    try:
        return None if value is None else resolve_value(kind, value)
    except UnknownValue as problem:
        closest = [problem.closest] if problem.closest else []
        raise Unmatched(parameter, value or "", [(c, c) for c in closest]) from None


def find_events(archive: Archive, q: CaseQuery) -> list[CaseEvent]:
    """The events ``q`` selects, oldest first; raises ``Unmatched`` for a value naming
    nothing."""
    filters = Filters(since=q.since, until=q.until,
                      action=_vocabulary("action", q.measure, "measure"),
                      category=_vocabulary("category", q.category, "category"))
    try:
        return archive.case_events(filters, entity=q.entity, regulator=q.regulator,
                                   province=q.province, with_children=q.children)
    except UnknownEntity as problem:
        parameter = "entity" if problem.name == q.entity else "regulator"
        raise Unmatched(parameter, problem.name,
                        [(e.zh, f"{e.zh} ({e.id})") for e in problem.suggestions]) from None
    except UnknownProvince as problem:
        raise Unmatched("province", problem.name,
                        [(p.id, f"{p.full} ({p.id})") for p in problem.suggestions]) from None


def paged(found: list[Any], page: int, per_page: int) -> tuple[list[Any], int]:
    """One page of ``found`` and the number of the last page."""
    pages = max(1, -(-len(found) // per_page))
    return found[(page - 1) * per_page : page * per_page], pages


@router.get("/cases", response_class=HTMLResponse)
def cases_page(request: Request, archive: ArchiveDep, q: QueryDep) -> HTMLResponse:
    """Newest first, undated last; the counts above the table are over every page."""
    options = {"measure": list(vocabulary("action")), "category": list(vocabulary("category"))}
    try:
        found = find_events(archive, q)
    except Unmatched as problem:
        return render(request, "cases.html", 404, q=q, options=options, unmatched=problem,
                      events=[], total=0, reports=0, conflicts=0, pages=1)
    newest = [e for e in found[::-1] if e.date] + [e for e in found if not e.date]
    events, pages = paged(newest, q.page, q.per_page)
    return render(request, "cases.html", q=q, options=options, unmatched=None, events=events,
                  total=len(found), reports=sum(len(e.sources) for e in found),
                  conflicts=sum(1 for e in found if e.conflict), pages=pages)
