"""Time phrases resolved to absolute spans, with the document's date where needed."""

from __future__ import annotations

from datetime import date

import pytest

from cunzhao.extract.model import Period
from cunzhao.extract.period import close_span, find_periods

D = date


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("2023年,全国网信系统", None, Period(D(2023, 1, 1), D(2023, 12, 31))),
        ("今年上半年,", D(2022, 8, 2), Period(D(2022, 1, 1), D(2022, 6, 30))),
        ("去年下半年", D(2022, 8, 2), Period(D(2021, 7, 1), D(2021, 12, 31))),
        ("1至6月", D(2022, 8, 2), Period(D(2022, 1, 1), D(2022, 6, 30))),
        ("2021年1月至11月", None, Period(D(2021, 1, 1), D(2021, 11, 30))),
        ("一季度", D(2020, 5, 9), Period(D(2020, 1, 1), D(2020, 3, 31))),
        ("2024年第二季度", None, Period(D(2024, 4, 1), D(2024, 6, 30))),
        ("前三季度", D(2021, 10, 20), Period(D(2021, 1, 1), D(2021, 9, 30))),
        ("2023年4月,全省", None, Period(D(2023, 4, 1), D(2023, 4, 30))),
        ("2024年2月", None, Period(D(2024, 2, 1), D(2024, 2, 29))),
        ("今年以来", D(2021, 6, 1), Period(D(2021, 1, 1), D(2021, 6, 1))),
        ("3月10日以来,截至5月22日", D(2021, 6, 1), Period(D(2021, 3, 10), D(2021, 5, 22))),
        ("7月以来,截至目前", D(2021, 9, 14), Period(D(2021, 7, 1), D(2021, 9, 14))),
        ("2022年,全国网信系统全年累计", None, Period(D(2022, 1, 1), D(2022, 12, 31))),
    ],
)
def test_resolved(text: str, published: date | None, expected: Period) -> None:
    assert close_span(find_periods(text, published), text, published) == expected


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("7月以来,截至目前", None),  # the year cannot be known
        ("截至12月18日", D(2021, 12, 20)),  # only an end
        ("1月19日 消息", D(2023, 1, 19)),  # a single day is no period
        ("今年以来", None),
        ("1至6月", None),
        ("2023年13月", None),  # impossible month
    ],
)
def test_unknown_is_none(text: str, published: date | None) -> None:
    assert close_span(find_periods(text, published), text, published) is None


def test_mentions_carry_offsets() -> None:
    text = "据统计,2022年,全国网信系统"
    (mention,) = find_periods(text, None)
    assert text[mention.start : mention.end] == "2022年"


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("2020年11月至2021年1月", None, Period(D(2020, 11, 1), D(2021, 1, 31))),
        ("2023年3月1日至5月31日", None, Period(D(2023, 3, 1), D(2023, 5, 31))),
        ("今年3月1日至15日", D(2023, 6, 1), Period(D(2023, 3, 1), D(2023, 3, 15))),
        ("2023年以来", D(2023, 6, 1), Period(D(2023, 1, 1), D(2023, 6, 1))),
        ("2021年11月以来,截至12月底", None, Period(D(2021, 11, 1), D(2021, 12, 31))),
    ],
)
def test_ranges_across_days_and_years(text: str, published: date | None, expected: Period) -> None:
    assert close_span(find_periods(text, published), text, published) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("4月，全省网信系统", D(2023, 5, 5), Period(D(2023, 4, 1), D(2023, 4, 30))),
        ("12月，全市网信系统", D(2024, 1, 20), Period(D(2023, 12, 1), D(2023, 12, 31))),
        ("全年共约谈", D(2024, 1, 31), None),  # the year is stated elsewhere, if at all
    ],
)
def test_year_from_the_page_date(text: str, published: date, expected: Period | None) -> None:
    assert close_span(find_periods(text, published), text, published) == expected
