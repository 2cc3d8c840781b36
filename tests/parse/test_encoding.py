"""Decoding: UTF-8 (± BOM), GBK/GB18030 and Big5 from real corpus text, and binary data."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest

from cunzhao.parse import ParseError, decode
from cunzhao.parse.encoding import declared_charset


@pytest.fixture(scope="module")
def seed_text(seed_path: Path) -> str:
    html = seed_path.read_text(encoding="utf-8")
    return "".join(f"<p>{p}</p>" for p in re.findall(r"<p>([^<]+)</p>", html))


@pytest.fixture(scope="module")
def traditional(seed_text: str) -> str:
    return str(opencc.OpenCC("s2tw").convert(seed_text))


def test_utf8(seed_text: str) -> None:
    assert decode(seed_text.encode("utf-8")) == (seed_text, "utf-8")


def test_bom_is_stripped_from_the_text_only(seed_text: str) -> None:
    data = b"\xef\xbb\xbf" + seed_text.encode("utf-8")
    text, encoding = decode(data)
    assert (text, encoding) == (seed_text, "utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("length", [60, 300, None])
def test_gbk_undeclared(seed_text: str, length: int | None) -> None:
    sample = seed_text[:length]
    assert decode(sample.encode("gbk")) == (sample, "gb18030")


def test_gb18030_only_characters(seed_text: str) -> None:
    sample = seed_text[:200] + "𠮷野家与䶮"
    assert decode(sample.encode("gb18030")) == (sample, "gb18030")


@pytest.mark.parametrize("length", [60, 300, None])
def test_big5_undeclared(traditional: str, length: int | None) -> None:
    sample = traditional[:length]
    text, encoding = decode(sample.encode("big5"))
    assert text == sample
    assert encoding in ("big5", "cp950", "big5hkscs")


def test_declaration_in_meta_is_honoured(traditional: str) -> None:
    html = f'<html><head><meta charset="big5"></head><body>{traditional[:50]}</body></html>'
    assert decode(html.encode("big5")) == (html, "big5")
    legacy = (
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' + "<p>网信办</p>"
    )
    assert declared_charset(legacy.encode("gb2312")) == "gb2312"
    assert decode(legacy.encode("gb2312")) == (legacy, "gb18030")


def test_declared_argument_wins_over_guessing(seed_text: str) -> None:
    short = "网信办约谈"
    assert decode(short.encode("gbk"), declared="GBK") == (short, "gb18030")


def test_wrong_declaration_falls_back_to_detection(seed_text: str) -> None:
    html = '<meta charset="big5">' + seed_text[:300]
    assert decode(html.encode("gb18030")) == (html, "gb18030")


def test_utf8_wins_over_a_stale_declaration(seed_text: str) -> None:
    html = '<meta charset="gbk">' + seed_text[:100]
    assert decode(html.encode("utf-8")) == (html, "utf-8")


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(1, 32)) * 20, b"\x81\xff" * 50],
    ids=["nul", "controls", "undecodable"],
)
def test_binary_data_is_refused(data: bytes) -> None:
    with pytest.raises(ParseError) as raised:
        decode(data)
    assert raised.value.reason.startswith(("binary data", "undecodable"))


def test_utf16_with_bom(seed_text: str) -> None:
    assert decode(seed_text[:100].encode("utf-16")) == (seed_text[:100], "utf-16")


def test_undeclared_western_page_reads_as_windows_1252() -> None:
    text = "<p>Le résumé de la réunion à Paris était déjà prêt — naïve garçon.</p>"
    assert decode(text.encode("cp1252")) == (text, "cp1252")
