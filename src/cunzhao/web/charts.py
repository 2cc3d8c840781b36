"""Bar charts as SVG geometry computed on the server; a template draws them (no JS, no CDN).

Each bar carries a hover text (an SVG ``<title>``) and a link, so values and their sources
show on hover and open on click.

Across, positions are percentages of the chart's width; down, pixels. The SVG is drawn
without a ``viewBox``, so it is never scaled: its text keeps the stylesheet's size (11 px and
up) on a phone as on a desktop. Where labels would overlap on a narrow screen (about 300 px
of plot), every other one (or third …) is ``minor``, which the stylesheet hides on a phone.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

HEIGHT = 240  # pixels
TOP, BOTTOM = 16, 40  # pixels
LEFT, RIGHT = 11.0, 2.0  # percent of the width: the axis labels' room, a margin
MAX_BAR = 8.75  # percent: one bar alone stays a bar
NARROW_PLOT = 300  # pixels across the plot on a phone, for which labels are thinned


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
    minor_label: bool = False  # hidden on a phone (too many labels for its width)
    minor_value: bool = False


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class BarChart:
    height: int
    left: float  # percent
    right: float  # percent: where the plot ends
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


def text_width(text: str, size: float = 11.0) -> float:
    """About how many pixels ``text`` takes at ``size`` px: wide (CJK) characters a full
    em, others a little over half."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def every_nth(texts: Sequence[str]) -> int:
    """Show one text in this many so that, side by side in equal slots across a phone's
    plot, none overlaps the next."""
    if not texts:
        return 1
    widest = max(text_width(t) for t in texts) + 6
    return max(1, math.ceil(widest * len(texts) / NARROW_PLOT))


def bar_chart(points: Sequence[BarInput], title: str) -> BarChart:
    plot_w = 100.0 - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    top = nice_max(max((p.value for p in points), default=0))
    ticks = tick_count(top)
    slot = plot_w / max(len(points), 1)
    bar_w = max(0.3, min(MAX_BAR, slot * 0.7))
    base = TOP + plot_h
    labels = every_nth([p.label for p in points])
    values = every_nth([f"{p.value:,}" for p in points])
    bars = []
    for i, p in enumerate(points):
        h = plot_h * p.value / top if top else 0.0
        x = LEFT + i * slot + (slot - bar_w) / 2
        bars.append(Bar(round(x, 2), round(base - h, 1), round(bar_w, 2), round(h, 1), p.label,
                        round(x + bar_w / 2, 2), p.value, p.hover, p.href, p.flagged,
                        minor_label=i % labels != 0, minor_value=i % values != 0))
    marks = tuple(
        Tick(round(base - plot_h * k / ticks, 1), short_number(top * k / ticks))
        for k in range(ticks + 1)
    )
    return BarChart(HEIGHT, LEFT, 100.0 - RIGHT, base, tuple(bars), marks, title)
