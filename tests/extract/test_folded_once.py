"""Extraction reads the folded body ingest computed (and stored) instead of folding again."""

from __future__ import annotations

from cunzhao.capture import Capture
from cunzhao.extract import extract
from cunzhao.fold import fold
from cunzhao.parse import parse_capture
from testenv import EXAMPLES, SEED


def test_given_fold_gives_the_same_facts() -> None:
    pages = [SEED, *sorted(EXAMPLES.glob("cdt-*.md"))]
    for path in pages:
        page = parse_capture(Capture(path.read_bytes(), str(path)))
        alone = extract(page.body, page.published)
        assert extract(page.body, page.published, folded=fold(page.body)) == alone, path
    assert any(extract(parse_capture(Capture(p.read_bytes(), str(p))).body).stats for p in pages)


def test_a_fold_of_another_length_is_not_used() -> None:
    text = "2023年，全国网信系统依法约谈网站10646家。"
    assert extract(text, folded="x") == extract(text)
