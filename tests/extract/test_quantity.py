"""Quantities as written in Chinese reports, and round trips of generated ones."""

from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cunzhao.extract.quantity import find_quantities, parse_quantity


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("10646", 10646, "exact"),
        ("12,292", 12292, "exact"),
        ("2200万余", 22_000_000, "at_least"),
        ("13.4亿", 1_340_000_000, "exact"),
        ("141.09万余", 1_410_900, "at_least"),
        ("40余万", 400_000, "at_least"),
        ("2万多", 20_000, "at_least"),
        ("一百余", 100, "at_least"),
        ("六千五百", 6500, "exact"),
        ("两万", 20_000, "exact"),
        ("约300", 300, "approx"),
        ("近5000", 5000, "approx"),
        ("300左右", 300, "approx"),
        ("不到50", 50, "at_most"),
        ("不足1万", 10_000, "at_most"),
        ("超过1000", 1000, "at_least"),
        ("100以上", 100, "at_least"),
        ("10至20", 10, "at_least"),
    ],
)
def test_parse_written_forms(text: str, value: int, qualifier: str) -> None:
    q = parse_quantity(text)
    assert (q.value, q.qualifier) == (value, qualifier)


@pytest.mark.parametrize("text", ["", "网站", "万", "12a"])
def test_not_a_quantity_names_the_text(text: str) -> None:
    with pytest.raises(ValueError, match="not a quantity"):
        parse_quantity(text)


def test_find_quantities_gives_offsets_into_the_text() -> None:
    text = "约谈网站10646家，清理信息2200万余条"
    found = list(find_quantities(text))
    assert [q.value for q in found] == [10646, 22_000_000]
    assert [text[q.start : q.end] for q in found] == ["10646", "2200万余"]


_PREFIX = {
    "": "exact",
    "约": "approx",
    "近": "approx",
    "超过": "at_least",
    "不到": "at_most",
    "不足": "at_most",
}
_SUFFIX = {"": "exact", "余": "at_least", "多": "at_least", "以上": "at_least", "左右": "approx"}


@st.composite
def written(draw: st.DrawFn) -> tuple[str, int]:
    """A number written the ways reports write it, with the value it stands for."""
    form = draw(
        st.sampled_from(["arabic", "commas", "wan", "yi", "decimal_wan", "chinese", "chinese_wan"])
    )
    if form == "arabic":
        n = draw(st.integers(1, 10**12))
        return str(n), n
    if form == "commas":
        n = draw(st.integers(1000, 10**12))
        return f"{n:,}", n
    if form == "wan":
        k = draw(st.integers(1, 99_999))
        return f"{k}万", k * 10_000
    if form == "yi":
        k = draw(st.integers(1, 9_999))
        return f"{k}亿", k * 100_000_000
    if form == "decimal_wan":
        hundredths = draw(st.integers(1, 9_999_999).filter(lambda x: x % 100))
        text = str(Decimal(hundredths) / 100)
        return f"{text}万", hundredths * 100
    if form == "chinese":
        n = draw(st.integers(1, 99_999_999))
        return str(cn2an.an2cn(n)), n
    k = draw(st.integers(1, 9_999))
    return f"{cn2an.an2cn(k)}万", k * 10_000


@given(written(), st.sampled_from(sorted(_PREFIX)), st.sampled_from(sorted(_SUFFIX)))
def test_round_trip(number: tuple[str, int], prefix: str, suffix: str) -> None:
    text, value = number
    if prefix and suffix:
        suffix = ""  # reports qualify a number once
    q = parse_quantity(prefix + text + suffix)
    assert q.value == value
    assert q.qualifier == (_PREFIX[prefix] if prefix else _SUFFIX[suffix])


@given(st.integers(1, 9_999), st.sampled_from(["万", "亿"]))
def test_inner_yu_before_multiplier(k: int, multiplier: str) -> None:
    q = parse_quantity(f"{k}余{multiplier}")
    assert q.value == k * (10_000 if multiplier == "万" else 100_000_000)
    assert q.qualifier == "at_least"


@given(st.integers(1, 10**9))
def test_found_inside_text(n: int) -> None:
    text = f"关闭违法网站{n}家。"
    (q,) = find_quantities(text)
    assert q.value == n and text[q.start : q.end] == str(n)
