"""``Scan`` answers for every end and start exactly what a scan bounded there finds — on the
extractor's own patterns, over texts built from the words they match (issue 15, item 4:
the facts stay the same while each span is scanned once)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from cunzhao.extract.lexicon import lexicon
from cunzhao.extract.period import _PATTERN as PERIODS
from cunzhao.extract.scan import Scan
from cunzhao.extract.targets import _COMPANY_BOUNDARY, _NAME_RUN

LEX = lexicon()
PATTERNS = [
    LEX.measure_pattern,
    LEX.regulator_pattern,
    LEX.markers["end_only"],
    PERIODS,
    _COMPANY_BOUNDARY,
    _NAME_RUN,
    re.compile("ab|ba"),  # two readings that never meet again
]
WORDS = [
    "约谈", "责令", "限期整改", "整改", "关闭", "处置", "账号", "作禁言", "下架", "罚款", "警告",
    "国家网信办", "北京市网信办", "网信", "办公室", "全国网信系统", "截至", "目前", "以来",
    "2023年", "1", "2", "月", "日", "至", "今年", "上半年", "季度", "针对", "对", "主体", "有限公司",
    "(", ")", "a", "b", "，", "。", "、", " ",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATTERNS), st.lists(st.sampled_from(WORDS), max_size=25), st.data())
def test_a_scan_reads_back_every_bounded_scan(
    pattern: re.Pattern[str], words: list[str], data: st.DataObject
) -> None:
    text = "".join(words)
    lo = data.draw(st.integers(0, len(text)))
    limit = data.draw(st.integers(lo, len(text)))
    scan = Scan(pattern, text, lo, limit)
    for pos in range(lo, limit + 1):
        n, tail = scan.upto(pos)
        bounded = [m.span() for m in pattern.finditer(text, lo, pos)]
        assert [m.span() for m in scan.matches[:n] + tail] == bounded
        last = scan.last(pos)
        assert (last.span() if last else None) == (bounded[-1] if bounded else None)
        assert scan.any_before(pos) == (pattern.search(text, lo, pos) is not None)
        head, n = scan.since(pos)
        assert [m.span() for m in head + scan.matches[n:]] == [
            m.span() for m in pattern.finditer(text, pos, limit)
        ]
