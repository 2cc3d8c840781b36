"""Evidence marks in a body, and the version diff."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from cunzhao import Block
from cunzhao.web.highlight import block_diff, marked_blocks

BLOCKS = [Block("h", "标题", 1), Block("p", "全年共约谈网站10646家，关闭账号127878个。"),
          Block("p", "尾段")]
BODY = "\n".join(b.text for b in BLOCKS)


@dataclass(frozen=True)
class Fact:
    start: int
    end: int
    evidence: str = ""


def fact(evidence: str) -> Fact:
    start = BODY.index(evidence)
    return Fact(start, start + len(evidence), evidence)


def test_each_fact_is_marked_exactly_over_its_evidence() -> None:
    stats = [fact("约谈网站10646家"), fact("关闭账号127878个")]
    cases = [fact("网站10646家，关闭")]
    blocks = marked_blocks(BLOCKS, BODY, stats, cases)
    assert [(b.kind, b.level) for b in blocks] == [("h", 1), ("p", 0), ("p", 0)]
    assert ["".join(s.text for s in b.spans) for b in blocks] == [b.text for b in BLOCKS]
    for fid, f in (("s0", stats[0]), ("s1", stats[1]), ("c0", cases[0])):
        covered = "".join(s.text for b in blocks for s in b.spans if fid in s.facts)
        assert covered == f.evidence
        assert sum(fid in s.starts for b in blocks for s in b.spans) == 1
    both = [s for s in blocks[1].spans if s.kinds == "case stat"]
    assert [s.text for s in both] == ["网站10646家", "关闭"]


def test_offsets_outside_the_body_are_ignored() -> None:
    blocks = marked_blocks(BLOCKS, BODY, [Fact(5, 999), Fact(3, 3)], [])
    assert all(not s.facts for b in blocks for s in b.spans)


def test_evidence_across_blocks_is_marked_in_each() -> None:
    start = BODY.index("标题")
    blocks = marked_blocks(BLOCKS, BODY, [Fact(start, start + 5)], [])
    assert [s.text for b in blocks for s in b.spans if s.facts] == ["标题", "全年"]


@given(st.lists(st.text(alphabet="网信办约谈12 ", max_size=8), min_size=1, max_size=5),
       st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=4))
def test_spans_always_rebuild_the_body(texts: list[str], ranges: list[tuple[int, int]]) -> None:
    blocks = [Block("p", t) for t in texts]
    body = "\n".join(texts)
    facts = [Fact(a, b) for a, b in ranges]
    marked = marked_blocks(blocks, body, facts, [])
    assert "\n".join("".join(s.text for s in b.spans) for b in marked) == body


def test_diff_pairs_changed_blocks_and_folds_unchanged_runs() -> None:
    a = [f"段{i}" for i in range(20)] + ["旧的句子"]
    b = [f"段{i}" for i in range(20)] + ["新的句子", "加的一段"]
    rows = block_diff(a, b)
    assert [r.op for r in rows] == ["skip", "equal", "equal", "replace", "insert"]
    assert rows[0].skipped == 18
    assert rows[3].a == (("旧", True), ("的句子", False))
    assert rows[3].b == (("新", True), ("的句子", False))
    assert rows[4].b == (("加的一段", True),)
    assert all(r.op in ("equal", "skip") for r in block_diff(a, a))
