"""``/stats``: consolidated enforcement counts over time, one chart per action, table below."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse

from cunzhao import Archive, Granularity, IssuerCount, Series, provinces, series_of
from cunzhao.web.app import archive_of
from cunzhao.web.charts import BarChart, BarInput, bar_chart
from cunzhao.web.i18n import Lang, action_label, object_label, term
from cunzhao.web.params import MAX_VALUE
from cunzhao.web.render import Helpers, render
from cunzhao.web.tilemap import TileMap, tile_map

router = APIRouter(include_in_schema=False)
ArchiveDep = Annotated[Archive, Depends(archive_of)]
Filter = Annotated[str | None, Query(max_length=MAX_VALUE)]


def series_chart(series: Series, lang: Lang, link: Helpers) -> BarChart:
    bars = []
    for p in series.points:
        lines = [f"{p.period}: {p.value:,} ({term('qualifier', p.qualifier, lang)})"]
        if p.conflict:
            lines.append("≠ " + ", ".join(f"{v:,}" for v in p.values))
        lines += [f"· {s.published or '—'} {s.title}" for s in p.sources[:8]]
        first = p.sources[0].fact_id if p.sources else None  # the figure's permalink
        bars.append(BarInput(p.period, p.value, "\n".join(lines),
                             link.link(f"/fact/{first}") if first else "#table", p.conflict))
    title = f"{action_label(series.action, lang)} · {object_label(series.object, lang)}"
    return bar_chart(bars, title + (f" · {series.scope}" if series.scope else ""))


def issuer_charts(by_province: list[IssuerCount], link: Helpers) -> tuple[TileMap, BarChart]:
    """The tile map of facts per province, and the provinces with any ranked in bars."""
    href = {p.id: link.link("/entity/" + p.office, children="true") for p in provinces()}
    title = link.t("issuer_map")
    short = {p.id: p.short if link.lang == "zh" else p.en for p in provinces()}
    bars = [BarInput(short[c.key], c.total,
                     f"{c.zh if link.lang == 'zh' else c.zh + ' · ' + c.en}: {c.cases} "
                     f"{link.t('cases')}, {c.figures} "
                     f"{link.t('figures')}", href[c.key])
            for c in by_province if c.total][:12]
    return tile_map(by_province, link.lang, href, title), bar_chart(bars, link.t("issuer_ranked"))


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
    by_province = archive.issuer_counts("province")
    issuer_map, issuer_bars = issuer_charts(by_province, helpers)
    return render(
        request, "stats.html", facts=facts, charts=dict(charts), granularity=granularity,
        chosen={"action": action, "object": object, "scope": scope},
        issuer_map=issuer_map, issuer_bars=issuer_bars, by_province=by_province,
        by_level=archive.issuer_counts("level"),
        options={
            "action": sorted({f.action for f in everything}),
            "object": sorted({f.object for f in everything}),
            "scope": sorted({f.scope for f in everything if f.scope}),
        },
    )
