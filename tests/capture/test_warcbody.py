"""Decoding HTTP bodies out of WARC records within a limit: every encoding decodes, every
encoding's bomb stops at the limit, mislabelled and broken bodies are told apart."""

from __future__ import annotations

import gzip
import random
import zlib

import brotlicffi
import hostile_warcs as hostile
import pytest

from cunzhao.capture.warcbody import BodyTooLarge, decode_body, size_label

MIB = hostile.MIB
TEXT = "<p>国家网信办依法约谈网站10646家，关闭违法违规账号127878个。</p>\n".encode() * 400


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


ENCODED = {
    "gzip": gzip.compress(TEXT),
    "x-gzip": gzip.compress(TEXT),
    "deflate": zlib.compress(TEXT),
    "br": brotlicffi.compress(TEXT),
}


@pytest.mark.parametrize("encoding", ENCODED)
def test_each_encoding_decodes(encoding: str) -> None:
    fields = {"content-encoding": f" {encoding.upper()} "}
    assert decode_body(ENCODED[encoding], fields, len(TEXT)) == TEXT
    with pytest.raises(BodyTooLarge, match=f"exceeds {len(TEXT) - 1} bytes"):
        decode_body(ENCODED[encoding], fields, len(TEXT) - 1)


def test_raw_deflate_and_chunked_transfer() -> None:
    assert decode_body(_raw_deflate(TEXT), {"content-encoding": "deflate"}, MIB) == TEXT
    packed = gzip.compress(TEXT)
    chunked = b"".join(
        b"%x\r\n%s\r\n" % (len(packed[i : i + 500]), packed[i : i + 500])
        for i in range(0, len(packed), 500)
    ) + b"0\r\n\r\n"
    fields = {"content-encoding": "gzip", "transfer-encoding": "chunked"}
    assert decode_body(chunked, fields, MIB) == TEXT


BOMBS = {
    "gzip": lambda: hostile.zeros(64 * MIB),
    "deflate": lambda: hostile.zeros(64 * MIB, wrapper="zlib"),
    "br": lambda: brotlicffi.compress(bytes(64 * MIB), quality=1),
}


@pytest.mark.parametrize("encoding", BOMBS)
def test_a_bomb_stops_at_the_limit(encoding: str) -> None:
    bomb = BOMBS[encoding]()
    assert len(bomb) < 300_000
    with pytest.raises(BodyTooLarge, match="exceeds 2 MiB"):
        decode_body(bomb, {"content-encoding": encoding}, 2 * MIB)
    assert len(decode_body(bomb, {"content-encoding": encoding}, 64 * MIB)) == 64 * MIB


def test_a_body_stored_decoded_under_a_compressed_label_is_kept_as_sent() -> None:
    for encoding in ENCODED:
        assert decode_body(TEXT, {"content-encoding": encoding}, MIB) == TEXT
    assert decode_body(TEXT, {"content-encoding": "compress"}, MIB) == TEXT  # unknown: as sent
    with pytest.raises(BodyTooLarge):
        decode_body(TEXT, {}, len(TEXT) - 1)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_a_body_broken_half_way_is_an_error(encoding: str) -> None:
    words = random.Random(7).choices("网信办约谈关闭账号罚款通报整改平台", k=40_000)
    varied = "".join(words).encode()
    pack = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotlicffi.compress}
    encoded = bytearray(pack[encoding](varied))
    middle = len(encoded) // 2
    assert middle > 4096
    encoded[middle : middle + 64] = bytes(64)
    with pytest.raises(ValueError, match="cannot decode HTTP body"):
        decode_body(bytes(encoded), {"content-encoding": encoding}, 64 * MIB)


def test_size_labels() -> None:
    assert size_label(64 * MIB) == "64 MiB"
    assert size_label(1000) == "1000 bytes"
