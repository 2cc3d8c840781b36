"""``cunzhao cases`` as a user runs it, on both backends: the table, JSON lines, the filters,
and a value that names nothing — exit 2 with the closest — instead of an empty table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from case_event_docs import ingested
from cunzhao.cli import app

runner = CliRunner()


@pytest.fixture
def db(archive_location: str, tmp_path: Path) -> str:
    return ingested(archive_location, tmp_path / "pages")


def run(db: str, *args: str, code: int = 0) -> str:
    """``cunzhao cases --db DB ARGS…``'s output, which must exit with ``code``."""
    said = runner.invoke(app, ["cases", "--db", db, *args])
    assert said.exit_code == code, said.output
    return said.output


def events(db: str, *args: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in run(db, "--json", *args).splitlines()]


def test_table_lists_each_event_once_with_its_sources(db: str) -> None:
    table = run(db)
    header = table.splitlines()[0].split()
    assert header == ["date", "targets", "measures", "regulator", "fine", "sources", "conflict"]
    douyin = next(line for line in table.splitlines() if "抖音" in line)
    assert "800,000 ≠ 1,000,000" in douyin and douyin.rstrip().endswith("fine")
    xhs = next(line for line in table.splitlines() if "小红书" in line)
    assert "上海市网信办 ≠ 北京市网信办" in xhs and xhs.rstrip().endswith("regulator")
    assert "10 events, 15 reports" in table


def test_json_lines_and_filters(db: str) -> None:
    weibo = events(db, "--entity", "新浪微博")
    assert [(e["date"], len(e["sources"])) for e in weibo] == [  # type: ignore[arg-type]
        ("2020-06-10", 2), ("2020-06-15", 1), ("2020-12-20", 1)]
    assert weibo[0]["fines"] == [500000] and weibo[0]["conflict"] is False
    assert [e["date"] for e in events(db, "--measure", "罚款", "--since", "2020-07-01")] == [
        "2020-12-20", "2021-03-01"]
    assert [e["date"] for e in events(db, "--measure", "fine", "--until", "2020-06-30")] == [
        "2020-06-10"]
    assert [e["targets"] for e in events(db, "--category", "谣言/不实信息")] == [["抖音"]]
    assert [e["targets"] for e in events(db, "--entity", "Baidu", "--with-children")] == [
        ["百度贴吧"], ["百度"]]
    assert [e["targets"] for e in events(db, "--regulator", "上海市网信办")] == [["小红书"]]
    assert [e["targets"] for e in events(db, "--province", "广东")] == [["百度贴吧"]]
    assert run(db, "--json", "--entity", "微博", "--measure", "close_account") == ""


@pytest.mark.parametrize(("args", "said"), [
    (("--measure", "关闭帐号"), "--measure: no action '关闭帐号'. Did you mean close_account?"),
    (("--category", "谣传"), "--category: no category '谣传'"),
    (("--entity", "微薄"), "--entity: no entity named '微薄'; closest: 微博 (weibo)"),
    (("--regulator", "北京网信"), "--regulator: no entity named '北京网信'; closest:"),
    (("--province", "北平"), "--province: no province named '北平'; closest: 北京市 (beijing)"),
    (("--since", "2020-13-01"), "--since '2020-13-01' is not a date"),
])
def test_a_value_that_names_nothing_exits_2_with_the_closest(
        db: str, args: tuple[str, ...], said: str) -> None:
    assert said in run(db, *args, code=2)
