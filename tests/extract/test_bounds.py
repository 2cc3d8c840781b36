"""Extraction within bounds (issue 15, item 4): over-long clauses and sentences are read in
parts, the facts of real texts do not change, time grows with the text, not its square, and
a deadline stops extraction by name."""

from __future__ import annotations

import itertools
import json
import random
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cunzhao.extract import extract
from cunzhao.extract.document import prepare
from cunzhao.extract.lexicon import lexicon
from cunzhao.parse.limits import Deadline, Limits, OverBudget

HELDOUT = Path(__file__).resolve().parents[1] / "data"
UNBOUNDED = Limits(clause_chars=10**9, sentence_chars=10**9)
WORDS = [
    "约谈", "关闭", "处置", "下架", "责令整改", "罚款", "网站", "账号", "App", "平台", "国家网信办",
    "针对", "对", "等", "、", "“某某”", "@某某", "某某有限公司", "2023年", "1至6月", "截至目前",
    "名单包括", "董事长张三", "微博", "抖音", "12家", "3456个", "五十款", "其中", "上述", "被",
]  # fmt: skip


def long_clause(size: int, seed: int = 15) -> str:
    """``size`` characters of enforcement wording with no clause-ending mark."""
    rnd = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        parts.append(rnd.choice(WORDS))
        total += len(parts[-1])
    return "".join(parts)


def _texts(shared: Path) -> list[tuple[str, date | None]]:
    paths = [*sorted((shared / "gold").glob("*.json")), *sorted(HELDOUT.glob("heldout*/*.json"))]
    out = []
    for path in paths:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if "text" in doc:
            published = doc.get("published")
            out.append((doc["text"], date.fromisoformat(published) if published else None))
    return out


def test_real_texts_are_read_as_if_unbounded(shared: Path) -> None:
    """No clause or sentence of the gold and held-out texts reaches a bound."""
    texts = _texts(shared)
    assert len(texts) >= 50
    for text, published in texts:
        assert extract(text, published) == extract(text, published, limits=UNBOUNDED)


def test_clauses_and_sentences_are_cut_at_their_bounds() -> None:
    text = long_clause(20_000) + "。" + long_clause(3_000, seed=2)
    limits = Limits(clause_chars=100, sentence_chars=700)
    doc = prepare(text, None, lexicon(), limits=limits)
    assert doc is not None
    assert max(hi - lo for lo, hi in doc.sentences) <= 700
    for lo, hi in doc.sentences:
        pos = lo
        while pos < hi:
            c_lo, c_hi = doc.clause(pos)
            assert c_hi - c_lo <= 100 and c_hi <= hi
            pos = c_hi + 1
    # a sentence's parts end where its clauses end: every part ends on a clause end
    assert {hi for _, hi in doc.sentences} <= set(doc.clause_ends)


def test_a_hedged_sentence_is_hedged_in_every_part() -> None:
    text = "据传" + long_clause(5_000) + "。约谈网站12家。"
    doc = prepare(text, None, lexicon(), limits=Limits(clause_chars=50, sentence_chars=300))
    assert doc is not None
    parts = [lo for lo, hi in doc.sentences if hi <= text.index("。")]
    assert len(parts) > 10 and set(parts) <= doc.hedged
    assert [s.value for s in extract(text).stats] == [12]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from([*WORDS, "，", "。", "\n", " "]), max_size=60),
    st.integers(1, 40),
    st.integers(1, 120),
)
def test_offsets_hold_with_any_bounds(words: list[str], clause: int, sentence: int) -> None:
    text = "".join(words)
    facts = extract(text, date(2024, 1, 31), limits=Limits(clause_chars=clause,
                                                           sentence_chars=sentence))
    for fact in (*facts.stats, *facts.cases):
        assert text[fact.start : fact.end] == fact.evidence


@pytest.mark.parametrize("kib", [200])
def test_a_long_clause_takes_linear_time(kib: int) -> None:
    """200 KiB of one unpunctuated clause: 134 s before (every count rescanned its clause,
    sentence and line); now well under a second of CPU on an idle machine."""
    text = long_clause(kib * 1024 // 3)  # ~3 bytes a character
    started = time.process_time()
    facts = extract(text, date(2024, 1, 31))
    assert time.process_time() - started < 5
    assert facts.stats and facts.cases


def test_the_deadline_stops_extraction_by_name() -> None:
    text = "国家网信办约谈网站12家。" * 50
    with pytest.raises(OverBudget) as raised:
        extract(text, deadline=Deadline(2.5, "t.md", clock=itertools.count(1.0).__next__))
    assert raised.value.source == "t.md"
    assert "took longer than 2.5 s (stopped in extracting counts" in raised.value.reason

