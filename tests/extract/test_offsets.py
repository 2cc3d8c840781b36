"""Every fact's evidence is the text at its offsets, on real gold texts and on generated ones."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cunzhao.extract import Facts, extract

FRAGMENTS = [
    "2023年，", "今年上半年，", "截至12月18日，", "3月10日以来，", "全国网信系统", "国家网信办指导北京市网信办",
    "约谈网站", "关闭违法违规账号", "下架移动应用程序", "处置", "清理信息", "责令", "限期整改", "罚款",
    "10646家", "2200万余条", "六千五百个", "13.4亿", "款", "“梦聊”", "“某某”等", "＠江苏侃大山、",
    "等一批账号", "网站平台", "针对百度、必应等网站平台", "對淘寶網實施罰款", "網(wǎng)信", "（CNKI）",
    "，", "。", "；", "\n", "、", " ", "？", "<p>", "逾期未整改的，", "被传", "《网络安全法》",
]  # fmt: skip


def _check(text: str, facts: Facts) -> None:
    spans = [(s.start, s.end, s.evidence) for s in facts.stats]
    spans += [(c.start, c.end, c.evidence) for c in facts.cases]
    for start, end, evidence in spans:
        assert text[start:end] == evidence
        assert 0 <= start <= end <= len(text)
    for case in facts.cases:
        assert case.targets and all(t.strip() for t in case.targets)
        assert case.measures


def test_gold_texts(shared: Path) -> None:
    for path in sorted((shared / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        published = date.fromisoformat(gold["published"]) if gold["published"] else None
        _check(gold["text"], extract(gold["text"], published))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40), st.none() | st.dates())
def test_generated_texts(parts: list[str], published: date | None) -> None:
    text = "".join(parts)
    _check(text, extract(text, published))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text(text: str) -> None:
    _check(text, extract(text))
