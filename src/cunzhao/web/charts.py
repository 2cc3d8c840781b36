"""Bar charts as SVG geometry computed on the server; a template draws them (no JS, no CDN).

Each bar carries a hover text (an SVG ``<title>``) and a link, so values and their sources
show on hover and open on click.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 16, 40


@dataclass(frozen=True)
class BarInput:
    label: str
    value: int
    hover: str
    href: str
    flagged: bool = False  # e.g. sources disagree on the value


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    label_x: float
    value: int
    hover: str
    href: str
    flagged: bool


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    base_y: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    title: str


def short_number(n: float) -> str:
    """Axis text: 12,000 → 12k, 3,400,000 → 3.4M."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= size:
            text = f"{n / size:.1f}".rstrip("0").rstrip(".")
            return text + suffix
    return f"{n:g}"


def nice_max(value: int) -> float:
    """A round axis maximum at or above ``value`` (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def tick_count(top: float) -> int:
    """How many steps divide the axis into whole, round numbers (0–1 gets one step)."""
    return next(k for k in (5, 4, 2, 1) if top % k == 0 and top >= k)


def bar_chart(points: Sequence[BarInput], title: str) -> BarChart:
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    top = nice_max(max((p.value for p in points), default=0))
    ticks = tick_count(top)
    slot = plot_w / max(len(points), 1)
    bar_w = max(2.0, min(56.0, slot * 0.7))
    base = TOP + plot_h
    bars = []
    for i, p in enumerate(points):
        h = plot_h * p.value / top if top else 0.0
        x = LEFT + i * slot + (slot - bar_w) / 2
        bars.append(Bar(round(x, 1), round(base - h, 1), round(bar_w, 1), round(h, 1), p.label,
                        round(x + bar_w / 2, 1), p.value, p.hover, p.href, p.flagged))
    marks = tuple(
        Tick(round(base - plot_h * k / ticks, 1), short_number(top * k / ticks))
        for k in range(ticks + 1)
    )
    return BarChart(WIDTH, HEIGHT, LEFT, base, tuple(bars), marks, title)
