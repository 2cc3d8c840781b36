"""``/stats``: consolidated enforcement counts over time, one chart per action, table below."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse

from cunzhao import Archive, Granularity, Series, series_of
from cunzhao.web.app import archive_of
from cunzhao.web.charts import BarChart, BarInput, bar_chart
from cunzhao.web.i18n import Lang, action_label, object_label
from cunzhao.web.params import MAX_VALUE
from cunzhao.web.render import Helpers, render

router = APIRouter(include_in_schema=False)
ArchiveDep = Annotated[Archive, Depends(archive_of)]
Filter = Annotated[str | None, Query(max_length=MAX_VALUE)]


def series_chart(series: Series, lang: Lang, link: Helpers) -> BarChart:
    bars = []
    for p in series.points:
        lines = [f"{p.period}: {p.value:,} ({p.qualifier})"]
        if p.conflict:
            lines.append("≠ " + ", ".join(f"{v:,}" for v in p.values))
        lines += [f"· {s.published or '—'} {s.title}" for s in p.sources[:8]]
        first = p.sources[0].document_id if p.sources else None
        bars.append(BarInput(p.period, p.value, "\n".join(lines),
                             link.link(f"/doc/{first}") if first else "#table", p.conflict))
    title = f"{action_label(series.action, lang)} · {object_label(series.object, lang)}"
    return bar_chart(bars, title + (f" · {series.scope}" if series.scope else ""))


@router.get("/stats", response_class=HTMLResponse)
def stats_page(
    request: Request, archive: ArchiveDep, action: Filter = None,
    object: Filter = None,
    scope: Filter = None, granularity: Granularity = "year",
) -> HTMLResponse:
    everything = archive.figures()
    facts = [f for f in everything
             if (not action or f.action == action) and (not object or f.object == object)
             and (not scope or f.scope == scope)]
    helpers = Helpers(request)
    charts: dict[str, list[BarChart]] = defaultdict(list)
    for series in series_of(facts, granularity):
        charts[series.action].append(series_chart(series, helpers.lang, helpers))
    return render(
        request, "stats.html", facts=facts, charts=dict(charts), granularity=granularity,
        chosen={"action": action, "object": object, "scope": scope},
        options={
            "action": sorted({f.action for f in everything}),
            "object": sorted({f.object for f in everything}),
            "scope": sorted({f.scope for f in everything if f.scope}),
        },
    )
