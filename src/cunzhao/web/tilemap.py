"""The tile-grid map of China: one square per province, shaded by a count, drawn on the
server as SVG geometry (like :mod:`cunzhao.web.charts`). Positions come from
``tilegrid.tsv``; no boundary data is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cunzhao import IssuerCount, provinces
from cunzhao.web.i18n import label

CELL = 52
GAP = 4
MARGIN = 8
SHADES = 5  # class "s0" (none) … "s4" (most)


@dataclass(frozen=True)
class Tile:
    province: str
    x: int
    y: int
    label: str
    value: int
    shade: int
    hover: str
    href: str


@dataclass(frozen=True)
class TileMap:
    width: int
    height: int
    size: int
    tiles: tuple[Tile, ...]
    title: str


@cache
def grid() -> dict[str, tuple[int, int, str]]:
    """Each province's (column, row, code), checked against ``cunzhao.provinces()``."""
    text = resources.files("cunzhao.web").joinpath("tilegrid.tsv").read_text("utf-8")
    found: dict[str, tuple[int, int, str]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4 or parts[0] in found:
            raise ValueError(f"tilegrid.tsv line {number}: expected a new province, column, "
                             "row, code")
        found[parts[0]] = (int(parts[1]), int(parts[2]), parts[3])
    known = {p.id for p in provinces()}
    if set(found) != known:
        raise ValueError(f"tilegrid.tsv: provinces differ from cunzhao.provinces(): "
                         f"{sorted(set(found) ^ known)}")
    return found


def shade(value: int, top: int) -> int:
    """0 for none, else 1–4 by the value's share of the largest (square-root scale)."""
    if value <= 0 or top <= 0:
        return 0
    return min(SHADES - 1, 1 + int((SHADES - 1) * (value / top) ** 0.5 * 0.999))


def tile_map(counts: Sequence[IssuerCount], lang: str, href: dict[str, str],
             title: str) -> TileMap:
    """A map of ``counts`` (one per province, ``group="province"``); ``href`` links a
    province id to its page; labels are short Chinese names, or codes (BJ, GD) for
    ``lang="en"``."""
    by_id = {c.key: c for c in counts}
    top = max((c.total for c in counts), default=0)
    places = grid()
    tiles = []
    for p in provinces():
        col, row, code = places[p.id]
        count = by_id.get(p.id)
        value = count.total if count else 0
        hover = f"{p.full}：{value}" if lang == "zh" else f"{p.full} · {p.en}: {value}"
        if count:
            hover += " " + label("tile_counts", "zh" if lang == "zh" else "en").format(
                cases=count.cases, figures=count.figures, offices=count.offices)
        tiles.append(Tile(p.id, MARGIN + col * (CELL + GAP), MARGIN + row * (CELL + GAP),
                          p.short if lang == "zh" else code, value, shade(value, top), hover,
                          href.get(p.id, "#")))
    columns = 1 + max(c for c, _, _ in places.values())
    rows = 1 + max(r for _, r, _ in places.values())
    return TileMap(2 * MARGIN + columns * (CELL + GAP) - GAP,
                   2 * MARGIN + rows * (CELL + GAP) - GAP, CELL, tuple(tiles), title)
