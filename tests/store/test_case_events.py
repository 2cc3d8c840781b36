"""Cases counted once (``Archive.case_events``) on both backends: one event per act with every
report as a source, conflicts kept side by side, other acts of one entity apart, only latest
versions, and the filters with their suggestions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from case_event_docs import PAGES, ingested, url_of, write_page
from cunzhao import (
    Archive,
    CaseEvent,
    Filters,
    UnknownEntity,
    UnknownProvince,
)


@pytest.fixture
def archive(archive_location: str, tmp_path: Path) -> Archive:
    return Archive.open(ingested(archive_location, tmp_path / "pages"))


def reported_by(event: CaseEvent) -> list[str]:
    """The page names of an event's sources, in report order."""
    return [s.title for s in event.sources]


def test_one_event_reported_twice_is_one_event_with_two_sources(archive: Archive) -> None:
    june = [e for e in archive.case_events(entity="微博") if e.date == "2020-06-10"]
    assert len(june) == 1
    event = june[0]
    assert reported_by(event) == ["weibo-release", "weibo-news"]
    assert (event.targets, event.target_ids, event.last) == (("微博",), ("weibo",), "2020-06-16")
    assert set(event.measures) == {"summon", "suspend_function", "fine"}
    assert (event.regulators, event.provinces) == (("北京市网信办",), ("beijing",))
    assert (event.fine_cny, event.fines, event.conflict) == (500000, (500000,), False)
    # each source keeps what its document wrote
    assert [s.targets for s in event.sources] == [("新浪微博",), ("微博",)]
    assert [s.regulator for s in event.sources] == ["北京市互联网信息办公室", "北京市网信办"]
    assert event.sources[0].evidence in PAGES["weibo-release"][1]
    assert event.id == event.sources[0].fact_id and event.id.startswith(
        f"{event.sources[0].document_id}-1-")
    data = event.to_json()
    assert data["targets"] == ["微博"] and data["sources"][1]["targets"] == ["微博"]


def test_a_different_fine_is_a_conflict_with_both_values(archive: Archive) -> None:
    [event] = archive.case_events(entity="抖音")
    assert reported_by(event) == ["douyin-release", "douyin-repost"]
    assert (event.conflict, event.conflicts) == (True, ("fine",))
    assert event.fines == (800000, 1000000) and event.fine_cny is None
    assert [s.fine_cny for s in event.sources] == [800000, 1000000]


def test_regulators_in_conflict_and_an_unnamed_office_that_is_not(archive: Archive) -> None:
    [xhs] = archive.case_events(entity="小红书")
    assert xhs.regulators == ("上海市网信办", "北京市网信办") and xhs.conflicts == ("regulator",)
    [kuaishou] = archive.case_events(entity="快手")
    assert kuaishou.regulators == ("北京市网信办", "属地网信办") and not kuaishou.conflict


def test_other_acts_of_one_entity_stay_apart(archive: Archive) -> None:
    events = archive.case_events(entity="Weibo")
    assert [(e.date, len(e.sources)) for e in events] == [
        ("2020-06-10", 2), ("2020-06-15", 1), ("2020-12-20", 1)]
    assert len(archive.entity_cases("微博")) == 4  # the raw cases: one per report


def test_undated_reports_join_only_copies_of_the_same_text(archive: Archive) -> None:
    zhihu = archive.case_events(entity="知乎")
    assert [(e.date, reported_by(e)) for e in zhihu] == [
        (None, ["copy-one", "copy-two"]), (None, ["undated-other"])]


def test_all_events_once_each_in_order(archive: Archive) -> None:
    events = archive.case_events()
    assert len(events) == 10 and sum(len(e.sources) for e in events) == len(PAGES)
    dated = [e.date for e in events if e.date]
    assert dated == sorted(dated) and events[-1].date is None


def test_only_the_latest_version_counts(archive: Archive, tmp_path: Path) -> None:
    day, text = PAGES["douyin-repost"]
    write_page(tmp_path / "again", "douyin-repost", day, text.replace("100萬", "80萬"))
    assert archive.ingest([tmp_path / "again"]).failed == 0
    [event] = archive.case_events(entity="抖音")
    assert len(event.sources) == 2 and event.fines == (800000,) and not event.conflict
    assert archive.document(url_of("douyin-repost")).versions[-1].n == 2


def test_filters(archive: Archive) -> None:
    def dates(**kwargs: object) -> list[str | None]:
        filters = kwargs.pop("filters", None)
        return [e.date for e in archive.case_events(filters, **kwargs)]  # type: ignore[arg-type]

    assert dates(filters=Filters(action="fine")) == ["2020-06-10", "2020-12-20", "2021-03-01"]
    assert dates(filters=Filters(category="rumor")) == ["2021-03-01"]
    assert dates(filters=Filters(since=date(2022, 1, 6), until=date(2022, 6, 1))) == [
        "2022-05-01", "2022-06-01"]  # the event's first report: 2022-01-05 is out
    assert dates(entity="百度") == ["2022-06-01"]
    assert dates(entity="百度", with_children=True) == ["2022-05-01", "2022-06-01"]
    assert dates(regulator="北京市互聯網信息辦公室") == [
        "2020-06-10", "2020-06-15", "2020-12-20", "2022-01-05", "2022-01-05"]
    assert dates(province="上海") == dates(province="Shanghai") == ["2022-01-05"]
    assert dates(province="guangdong", filters=Filters(action="summon")) == ["2022-05-01"]
    assert dates(entity="国家网信办") == ["2021-03-01", "2022-06-01"]  # as the regulator
    assert dates(entity="微博", filters=Filters(action="close_account")) == []


def test_a_name_that_names_nothing_raises_with_the_closest(archive: Archive) -> None:
    with pytest.raises(UnknownEntity) as problem:
        archive.case_events(entity="微薄")
    assert problem.value.suggestions[0].id == "weibo"
    with pytest.raises(UnknownEntity) as problem:
        archive.case_events(regulator="北京市网信辦公室X")
    assert problem.value.name == "北京市网信辦公室X" and problem.value.suggestions
    with pytest.raises(UnknownProvince) as missing:
        archive.case_events(province="北平")
    assert [p.id for p in missing.value.suggestions][:1] == ["beijing"]
    assert "closest: 北京市 (beijing)" in str(missing.value)
