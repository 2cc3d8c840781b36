"""Damaged bytes lose nothing: every real page with one damaged byte still decodes and parses,
its text equal to the intact page's but for the damaged character, with the damage counted
(issue 15, item 6)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cunzhao.capture.model import Capture
from cunzhao.parse import ParseError, parse_capture
from cunzhao.parse.encoding import decode_replacing
from damaged import NEAR, changed_span, damage, page_files


@pytest.fixture(scope="module")
def seed_text(seed_path: Path) -> str:
    """The seed page's paragraphs, one a line."""
    return "\n".join(re.findall(r"<p>([^<]+)</p>", seed_path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def pages() -> list[tuple[str, bytes]]:
    found = [(path.name, path.read_bytes()) for path in page_files()]
    assert len(found) >= 7
    return found


def test_every_page_damaged_at_one_byte_decodes(pages: list[tuple[str, bytes]]) -> None:
    for name, data in pages:
        intact = decode_replacing(data)
        assert intact.errors == 0, name
        bad = damage(data, name)
        found = decode_replacing(bad)
        assert found.encoding == intact.encoding, name
        assert 1 <= found.errors <= NEAR and "\ufffd" in found.text, name
        assert changed_span(intact.text, found.text) <= NEAR, name


def test_every_page_damaged_at_one_byte_parses(pages: list[tuple[str, bytes]]) -> None:
    for name, data in pages:
        intact = parse_capture(Capture(data, name))
        page = parse_capture(Capture(damage(data, name), name))
        assert (page.url, page.published, page.captured_at) == (
            intact.url, intact.published, intact.captured_at), name
        assert page.decode_errors >= 1 and intact.decode_errors == 0, name
        assert any("U+FFFD" in w for w in page.warnings), name
        assert changed_span(intact.body, page.body) + changed_span(intact.title, page.title) \
            <= NEAR, name


@pytest.mark.parametrize("value", [0x00, 0x80, 0xC3, 0xE4, 0x1B])
def test_other_damage_values(pages: list[tuple[str, bytes]], value: int) -> None:
    for name, data in pages[:40]:
        intact = decode_replacing(data)
        found = decode_replacing(damage(data, name, value))
        assert found.encoding == intact.encoding, (name, value)
        assert "\x00" not in found.text  # PostgreSQL cannot store NUL
        assert changed_span(intact.text, found.text) <= NEAR, (name, value)


@pytest.mark.parametrize(("codec", "declared"), [("gb18030", None), ("gbk", "gbk"),
                                                 ("big5", None), ("big5", "big5")])
def test_damaged_chinese_encodings(seed_text: str, codec: str, declared: str | None) -> None:
    data = seed_text.encode(codec, "replace")
    intact = decode_replacing(data, declared)
    bad = damage(data, codec)
    found = decode_replacing(bad, declared)
    assert found.encoding == intact.encoding and found.errors >= 1
    # two-byte encodings fall back in step at the next ASCII byte: every other line is intact
    changed = [a for a, b in zip(intact.text.splitlines(), found.text.splitlines(), strict=True)
               if a != b]
    assert len(changed) == 1 and "\ufffd" in found.text


def test_a_short_western_page_stays_windows_1252() -> None:
    text = "<p>Le café est prêt.</p>"
    assert decode_replacing(text.encode("cp1252")) == (text, "cp1252", 0)


def test_a_short_damaged_utf8_page_stays_utf8() -> None:
    bad = bytearray("<p>网信办约谈网站</p>".encode())
    bad[5] = 0xFF
    found = decode_replacing(bytes(bad))
    assert found.encoding == "utf-8" and found.text.endswith("信办约谈网站</p>")
    assert found.errors == 2


def test_a_stray_nul_is_replaced_and_counted(seed_text: str) -> None:
    data = seed_text.encode("utf-8")
    found = decode_replacing(data[:100] + b"\x00" + data[100:])
    assert found.errors == 1 and "\x00" not in found.text
    assert found.text.replace("\ufffd", "") == seed_text


@pytest.mark.parametrize("data", [bytes(range(256)) * 8, b"\x81\xff" * 50, b"ab\x00\x00c" * 40])
def test_binary_and_garbage_are_still_refused(data: bytes) -> None:
    with pytest.raises(ParseError):
        decode_replacing(data)
