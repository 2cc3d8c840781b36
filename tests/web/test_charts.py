"""Server-drawn bar charts: scale, ticks and bar geometry."""

from __future__ import annotations

import pytest

from cunzhao.web.charts import HEIGHT, BarInput, bar_chart, nice_max, short_number, tick_count


@pytest.mark.parametrize(("value", "top"), [(0, 1), (1, 1), (3, 5), (7, 10), (10646, 20000),
                                             (127878, 200000), (496000, 500000)])
def test_axis_top_is_round_and_above_every_value(value: int, top: int) -> None:
    assert nice_max(value) == top
    assert top % tick_count(top) == 0


def test_bars_scale_to_their_values() -> None:
    chart = bar_chart([BarInput("2022", 5000, "a", "/doc/1"), BarInput("2023", 10000, "b", "#")],
                      "summon")
    small, big = chart.bars
    assert big.height == pytest.approx(2 * small.height, rel=0.01)
    assert big.y + big.height == pytest.approx(chart.base_y) and chart.base_y < HEIGHT
    assert small.x < big.x and small.label == "2022" and big.href == "#"
    assert [t.text for t in chart.ticks] == ["0", "2k", "4k", "6k", "8k", "10k"]


def test_short_numbers() -> None:
    assert [short_number(n) for n in (0, 950, 1500, 2_000_000, 1.34e9)] == [
        "0", "950", "1.5k", "2M", "1.3B"]
