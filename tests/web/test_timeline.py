"""store.timeline through the facade: entity cases and counts, stats series by period."""

from __future__ import annotations

from datetime import date

import pytest

from cunzhao import Archive, Figure, FigureSource, Period, period_bucket, series_of


def day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@pytest.mark.parametrize(("start", "end", "bucket"), [
    ("2023-01-01", "2023-12-31", ("year", "2023")),
    ("2022-01-01", "2022-06-30", ("half", "2022-H1")),
    ("2022-07-01", "2022-12-31", ("half", "2022-H2")),
    ("2022-01-01", "2022-03-31", None),
    ("2021-01-01", "2022-12-31", None),
    (None, "2022-12-31", None),
])
def test_period_buckets(start: str | None, end: str | None,
                        bucket: tuple[str, str] | None) -> None:
    assert period_bucket(Period(day(start), day(end))) == bucket
    assert period_bucket(None) is None


def figure(value: int, start: str, end: str, *docs: int, action: str = "summon") -> Figure:
    return Figure(None, action, "website", Period(day(start), day(end)), value, "exact",
                  sources=[FigureSource(d, f"d{d}", None, "") for d in docs])


def test_series_keep_periods_apart_and_prefer_the_value_most_documents_state() -> None:
    found = [
        figure(3491, "2022-01-01", "2022-06-30", 1, 2),
        figure(100, "2022-01-01", "2022-12-31", 3),
        figure(120, "2022-01-01", "2022-12-31", 4, 5),
        figure(8000, "2023-01-01", "2023-12-31", 6),
        figure(5, "2023-02-01", "2023-02-28", 7),
        figure(9, "2023-01-01", "2023-12-31", 8, action="warn"),
    ]
    year = series_of(found, "year")
    assert [(s.action, [(p.period, p.value) for p in s.points]) for s in year] == [
        ("summon", [("2022", 120), ("2023", 8000)]), ("warn", [("2023", 9)])]
    y2022 = year[0].points[0]
    assert y2022.conflict and y2022.values == [100, 120]
    assert sorted(s.document_id for s in y2022.sources) == [3, 4, 5]
    assert {(s.document_id, s.value) for s in y2022.sources} == {(3, 100), (4, 120), (5, 120)}
    half = series_of(found, "half")
    assert [(p.period, p.value) for s in half for p in s.points] == [("2022-H1", 3491)]


def test_entity_cases_over_the_corpus(web_archive: str) -> None:
    with Archive.open(web_archive, read_only=True) as archive:
        named = archive.entities()
        cases = archive.entity_cases("百度")
        by_role = {e.role for e in named}
        regulator = next(e for e in named if e.role == "regulator")
        regulated = archive.entity_cases(regulator.name)
    assert by_role == {"target", "regulator"}
    assert cases and all("百度" in c.targets and c.role == "target" for c in cases)
    assert len(regulated) >= regulator.cases
    dates = [c.published for c in regulated if c.published]
    assert dates == sorted(dates)
    assert all(c.evidence and c.document_id >= 1 for c in cases)
