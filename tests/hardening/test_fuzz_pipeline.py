"""Property-based fuzzing of decode → parse → extract on mutated pages (issue 15): corpus pages
(the ``examples/`` ones when the shared corpus is absent) with bytes flipped, cut, repeated,
spliced and laced with hostile fragments. Whatever comes in, reading a capture raises
nothing but ``ParseError``, every fact's offsets index the page's body, the folded body
keeps the body's length, and each example ends in bounded time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cunzhao.capture.model import Capture
from cunzhao.extract.reading import read_capture
from cunzhao.parse import ParseError
from cunzhao.parse.limits import Limits
from testenv import EXAMPLES, missing_shared, shared_location


def _pages() -> list[bytes]:
    paths = sorted(EXAMPLES.glob("*.md"))
    if missing_shared() is None:  # every 12th corpus page besides the examples
        paths += sorted((shared_location() / "corpus").rglob("*.md"))[::12]
    return [p.read_bytes() for p in paths if p.name != "README.md"]


PAGES = _pages()
HOSTILE = [
    b"<div>" * 3000, b"</div>" * 500, b"<span>" * 2000 + b"<p>x" * 500, b"[" * 5000,
    b"[a](" * 1000, b"#" * 3000 + b" ", "约谈网站12家".encode() * 400, b"9" * 3000,
    "、某某".encode() * 600, "“某”".encode() * 500, "有限公司".encode() * 500,
    "截至目前".encode() * 300, b"<svg>" + b"<path/>" * 500, b"<script>", b"</script>",
    b"<!--", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\xe7\xba", b"\r\n" * 100, b"\t" * 500,
    "<div class='su-spoiler'><div class='su-spoiler-title'>CDT 档案卡</div>".encode(),
    "<strong>发表日期：</strong>2024.99.99<br>".encode(), b"<meta charset='big5'>",
    "[标题](https://example.org/x)\n------\n\n".encode(),
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(PAGES)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "repeat", "cut", "splice", "lace"]))
        if kind == "flip" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 200))] * draw(st.integers(2, 50))
        elif kind == "cut":
            del data[at:]
        elif kind == "splice":
            other = draw(st.sampled_from(PAGES))
            data[at:] = other[draw(st.integers(0, len(other))) :]
        else:
            data[at:at] = draw(st.sampled_from(HOSTILE))
    return bytes(data)


@settings(
    max_examples=120,
    deadline=timedelta(seconds=10),  # a quadratic path in parse or extract shows up here
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated(), st.sampled_from(["text/html", "text/markdown", None]))
def test_a_mutated_page_is_read_or_refused_by_name(data: bytes, content_type: str | None) -> None:
    capture = Capture(data=data, source="fuzz.md", content_type=content_type)
    try:
        page, folded, facts = read_capture(capture, Limits(seconds=0))
    except ParseError as error:
        assert error.source == "fuzz.md" and error.reason
        return
    body = page.body
    assert len(folded) == len(body)
    for fact in (*facts.stats, *facts.cases):
        assert 0 <= fact.start <= fact.end <= len(body)
        assert body[fact.start : fact.end] == fact.evidence


def test_the_fuzzed_pages_are_real_pages() -> None:
    """The seeds of the mutations parse, and some state facts: the fuzzing starts from text
    that reaches extraction, not from bytes the parser refuses at once."""
    read = [read_capture(Capture(data=data, source="seed")) for data in PAGES]
    assert len(read) >= 7 and sum(bool(r.facts.stats or r.facts.cases) for r in read) >= 3
    assert Path(EXAMPLES / "seed-704712.md").read_bytes() in PAGES
