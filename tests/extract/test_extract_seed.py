"""The seed page (CDT 704712): its six 2023 counts and every case it names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cunzhao.capture.model import Capture
from cunzhao.extract import Facts, extract
from cunzhao.parse import parse_capture

SIX = {
    ("summon", "website", 10646),
    ("suspend_function", "website", 453),
    ("remove_app", "app", 259),
    ("shut_miniprogram", "miniprogram", 119),
    ("close_website", "website", 14624),
    ("close_account", "account", 127878),
}
CASES = {
    ("百度", "必应", "夸克浏览器"): {"summon", "order_rectification", "punish_responsible", "fine"},
    ("抖音", "新浪微博", "腾讯微信"): {"summon", "order_rectification", "handle_account", "punish_responsible", "fine"},
    ("快手", "网易", "小红书"): {"summon", "order_rectification", "handle_account", "punish_responsible", "warn", "fine"},
    ("拼多多", "淘宝", "大众点评"): {"summon", "order_rectification", "handle_account", "punish_responsible", "warn", "fine"},
    ("绿色直播",): {"close_website"},
    ("中南海杂志网", "求是新媒介网"): {"close_website"},
    ("梦聊", "小野猫直播"): {"remove_app"},
    ("江苏侃大山", "偶遇丸子"): {"handle_account"},
    ("烟雾缭绕卡姆", "丰慢慢慢"): {"handle_account"},
    ("知网",): {"penalize"},
    ("山地卡车运输", "纯白之旅"): {"remove_app"},
    ("AI写作导师", "写作全能王"): {"remove_app"},
}  # fmt: skip


@pytest.fixture(scope="module")
def seed(seed_path: Path) -> tuple[str, Facts]:
    page = parse_capture(Capture(data=seed_path.read_bytes(), source=str(seed_path)))
    assert page.published == date(2024, 1, 31)
    return page.body, extract(page.body, page.published)


def test_six_national_counts_for_2023(seed: tuple[str, Facts]) -> None:
    body, facts = seed
    assert {(s.action, s.object, s.value) for s in facts.stats} == SIX
    for s in facts.stats:
        assert s.qualifier == "exact"
        assert s.period is not None
        assert (s.period.start, s.period.end) == (date(2023, 1, 1), date(2023, 12, 31))
        assert body[s.start : s.end] == s.evidence


def test_every_named_case(seed: tuple[str, Facts]) -> None:
    body, facts = seed
    found = {c.targets: set(c.measures) for c in facts.cases}
    assert found == CASES
    for c in facts.cases:
        assert body[c.start : c.end] == c.evidence
        assert c.regulator
    kinds = {c.targets: c.target_kind for c in facts.cases}
    assert kinds[("绿色直播",)] == "website"
    assert kinds[("梦聊", "小野猫直播")] == "app"
    assert kinds[("江苏侃大山", "偶遇丸子")] == "account"


def test_json_shape(seed: tuple[str, Facts]) -> None:
    data = seed[1].to_json()
    assert set(data) == {"stats", "cases"}
    assert set(data["stats"][0]) == {
        "action", "object", "value", "qualifier", "period", "scope", "evidence", "start", "end"
    }  # fmt: skip
    assert data["stats"][0]["period"] == {"start": "2023-01-01", "end": "2023-12-31"}
    assert set(data["cases"][0]) == {
        "targets", "target_kind", "measures", "regulator", "fine_cny", "categories", "evidence", "start", "end"
    }  # fmt: skip
