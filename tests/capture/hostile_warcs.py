"""Hostile WARC files, generated on the spot (nothing large is stored in the repository).

Each builder writes one file into a folder and returns a :class:`Hostile`: the path, and
what a reader must make of it — the target URLs of the records that must come out as
captures, and the reason every named failure must give. Records are written by hand, byte by
byte, so that they can break the rules a WARC writer would enforce.

Used by ``test_warc_hostile.py`` and by the RSS measurement it runs in a child process.
"""

from __future__ import annotations

import gzip
import random
import uuid
import zlib
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1 << 20
_PAGE = (
    "<html><head><meta charset='utf-8'><title>网信办通报 {n}</title></head><body>"
    "<p>国家网信办依法约谈网站{n}家，关闭违法违规账号{n}个。</p></body></html>"
)


@dataclass(frozen=True)
class Hostile:
    """A hostile file, the URLs whose records must be read, and the failures it must give."""

    path: Path
    good_urls: list[str]
    failures: list[str] = field(default_factory=list)  # a phrase of each failure's reason


def page(n: int) -> bytes:
    return _PAGE.format(n=n).encode("utf-8")


def url(n: int) -> str:
    return f"https://www.cac.gov.cn/hostile/{n}.htm"


def http_response(body: bytes, headers: list[tuple[str, str]] | None = None) -> bytes:
    lines = ["HTTP/1.1 200 OK", "Content-Type: text/html; charset=utf-8"]
    lines += [f"{name}: {value}" for name, value in headers or []]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def record_head(
    target: str | None,
    length: int,
    *,
    kind: str = "response",
    extra: list[tuple[str, str]] | None = None,
) -> bytes:
    """A WARC/1.1 record's header block, saying its block is ``length`` bytes long."""
    headers = [
        ("WARC-Type", kind),
        ("WARC-Record-ID", f"<urn:uuid:{uuid.uuid4()}>"),
        ("WARC-Date", "2024-05-01T10:00:00Z"),
    ]
    if target is not None:
        headers.append(("WARC-Target-URI", target))
    headers += extra or []
    headers += [
        ("Content-Type", "application/http; msgtype=response"),
        ("Content-Length", str(length)),
    ]
    return ("WARC/1.1\r\n" + "".join(f"{n}: {v}\r\n" for n, v in headers) + "\r\n").encode()


def record(block: bytes, target: str | None, *, length: int | None = None) -> bytes:
    """One response record; ``length`` overrides the true Content-Length (to lie)."""
    head = record_head(target, len(block) if length is None else length)
    return head + block + b"\r\n\r\n"


def good(n: int) -> bytes:
    return record(http_response(page(n)), url(n))


def member(data: bytes) -> bytes:
    """``data`` as one gzip member, as a ``.warc.gz`` stores each record."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def repeated(
    chunk: bytes, times: int, *, prefix: bytes = b"", suffix: bytes = b"", wrapper: str = "gzip"
) -> bytes:
    """``prefix + chunk * times + suffix`` as a gzip (or zlib) stream, compressed in time
    and memory of one ``chunk``: after a full flush the compressor starts afresh, so every
    copy of ``chunk`` compresses to the same bytes, which are repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    start = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert again == block, "the compressor does not repeat itself after a full flush"
    body = start + block * times + compressor.compress(suffix) + compressor.flush()
    check = zlib.adler32(prefix) if wrapper == "zlib" else zlib.crc32(prefix)
    step = zlib.adler32 if wrapper == "zlib" else zlib.crc32
    for _ in range(times):
        check = step(chunk, check)
    check = step(suffix, check)
    if wrapper == "zlib":
        return b"\x78\xda" + body + check.to_bytes(4, "big")
    size = (len(prefix) + len(chunk) * times + len(suffix)) % (1 << 32)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + body + check.to_bytes(4, "little") + size.to_bytes(4, "little")


def zeros(size: int, wrapper: str = "gzip") -> bytes:
    """``size`` zero bytes (whole MiB) as a gzip or zlib stream of about ``size / 1000``."""
    assert size % MIB == 0
    return repeated(bytes(MIB), size // MIB, wrapper=wrapper)


def bomb(folder: Path, inflated_mib: int = 256) -> Hostile:
    """A gzip-encoded HTML body of ~``inflated_mib`` KiB that inflates to ``inflated_mib`` MiB
    of paragraphs, between two good records, in a plain ``.warc``."""
    line = "<p>国家网信办依法约谈网站，关闭违法违规账号。</p>\n".encode()
    paragraphs = (line * (MIB // len(line) + 1))[:MIB]
    stream = repeated(paragraphs, inflated_mib, prefix=b"<html><body>")
    body = http_response(stream, [("Content-Encoding", "gzip")])
    path = folder / "bomb.warc"
    path.write_bytes(good(1) + record(body, url(2)) + good(3))
    return Hostile(path, [url(1), url(3)], ["decoded body exceeds 64 MiB"])


def double_bomb(folder: Path) -> Hostile:
    """A ``.warc.gz`` of a few kilobytes: its record inflates to a 1 MiB gzip body, which
    inflates to 1 GiB."""
    body = http_response(zeros(1024 * MIB), [("Content-Encoding", "gzip")])
    path = folder / "double-bomb.warc.gz"
    path.write_bytes(member(good(1)) + member(record(body, url(2))) + member(good(3)))
    return Hostile(path, [url(1), url(3)], ["decoded body exceeds 64 MiB"])


def header_bomb(folder: Path) -> Hostile:
    """A ``.warc.gz`` member of 256 KiB whose HTTP header block is one 256 MiB line."""
    start = b"HTTP/1.1 200 OK\r\nX-Junk: "
    end = b"\r\n\r\n" + page(2)
    head = record_head(url(2), len(start) + 256 * MIB + len(end))
    huge = repeated(b"a" * MIB, 256, prefix=head + start, suffix=end + b"\r\n\r\n")
    path = folder / "header-bomb.warc.gz"
    path.write_bytes(member(good(1)) + huge + member(good(3)))
    return Hostile(path, [url(1), url(3)], ["header line longer than"])


def no_target_uri(folder: Path, gz: bool) -> Hostile:
    """A response record without WARC-Target-URI between two good ones."""
    parts = [good(1), record(http_response(page(2)), None), good(3)]
    path = folder / ("no-uri.warc.gz" if gz else "no-uri.warc")
    path.write_bytes(b"".join(member(p) for p in parts) if gz else b"".join(parts))
    return Hostile(path, [url(1), url(3)], ["no WARC-Target-URI"])


def version_then_garbage(folder: Path, between: bool) -> Hostile:
    """``WARC/1.1`` and random bytes: alone, or between two good records."""
    noise = random.Random(15).randbytes(64 * 1024).replace(b"WARC/", b"warc/")
    junk = b"WARC/1.1\r\n" + noise + b"\r\n\r\n"
    if not between:
        path = folder / "garbage.warc"
        path.write_bytes(junk)
        return Hostile(path, [], ["unreadable"])
    path = folder / "garbage-between.warc"
    path.write_bytes(good(1) + junk + good(3))
    return Hostile(path, [url(1), url(3)], ["unreadable"])


def truncated_member(folder: Path) -> Hostile:
    """A ``.warc.gz`` whose middle member is cut short, the next member intact after it."""
    middle = member(record(http_response(page(2) * 50), url(2)))
    path = folder / "cut-member.warc.gz"
    path.write_bytes(member(good(1)) + middle[: len(middle) // 2] + member(good(3)))
    return Hostile(path, [url(1), url(3)], ["unreadable"])


def truncated_file(folder: Path) -> Hostile:
    """A ``.warc.gz`` cut off inside its last record."""
    last = member(record(http_response(page(3) * 50), url(3)))
    path = folder / "cut-file.warc.gz"
    path.write_bytes(member(good(1)) + member(good(2)) + last[: len(last) // 2])
    return Hostile(path, [url(1), url(2)], ["truncated"])


def lying_lengths(folder: Path, gz: bool) -> Hostile:
    """Content-Length too long by 300 bytes, then too short by 40, each between good ones."""
    long_block = http_response(page(2))
    short_block = http_response(page(4))
    parts = [
        good(1),
        record(long_block, url(2), length=len(long_block) + 300),
        good(3),
        record(short_block, url(4), length=len(short_block) - 40),
        good(5),
    ]
    path = folder / ("lying.warc.gz" if gz else "lying.warc")
    path.write_bytes(b"".join(member(p) for p in parts) if gz else b"".join(parts))
    return Hostile(path, [url(1), url(3), url(5)], ["Content-Length", "Content-Length"])


def not_a_warc(folder: Path) -> Hostile:
    path = folder / "notes.warc"
    path.write_text("这不是 WARC 文件。\n" * 200, encoding="utf-8")
    return Hostile(path, [], ["unreadable"])


def every_kind(folder: Path) -> list[Hostile]:
    """The whole hostile set, written into ``folder``."""
    return [
        bomb(folder),
        double_bomb(folder),
        header_bomb(folder),
        no_target_uri(folder, gz=False),
        no_target_uri(folder, gz=True),
        version_then_garbage(folder, between=False),
        version_then_garbage(folder, between=True),
        truncated_member(folder),
        truncated_file(folder),
        lying_lengths(folder, gz=False),
        lying_lengths(folder, gz=True),
        not_a_warc(folder),
    ]
