"""Walk a WARC file record by record within fixed bounds, and go on past damage.

warcio parses the records; this module bounds what it may hold and names what it cannot read:

- a header line longer than :data:`MAX_HEADER_LINE`, or the header lines of one record (WARC
  and HTTP headers together) longer than :data:`MAX_HEADER_BLOCK`, stop the record;
- a record with no ``WARC-Type`` or no numeric ``Content-Length``, a block shorter than its
  ``Content-Length``, a record not followed by the blank lines that end it (its
  ``Content-Length`` lies), a gzip member that breaks off: each is a failure, never a record
  silently cut short or swallowed;
- a block larger than ``max_block`` is not read (a failure of its own; reading goes on).

After damage, reading resumes at the next record start past the damaged one — the next gzip
member that inflates to a WARC record (``.warc.gz``), the next line starting ``WARC/``
(``.warc``) — so one bad record costs that record, not the rest of the file. Each failure is
a :class:`CaptureError` whose source is ``PATH#OFFSET`` and whose reason says what was wrong
and where reading resumed.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.recordloader import ArcWarcRecordLoader

from cunzhao.capture.model import CaptureError
from cunzhao.capture.warcbody import size_label

#: Longest header line (WARC or HTTP) read; a longer one is damage.
MAX_HEADER_LINE = 64 * 1024
#: Most header bytes one record may have (its WARC and HTTP header lines together).
MAX_HEADER_BLOCK = 1 << 20

_GZIP_MAGIC = b"\x1f\x8b\x08"
_SCAN = 1 << 20


@dataclass(frozen=True)
class WarcEntry:
    """One well-formed record: where it starts, warcio's record (headers parsed, stream
    consumed) and, for the types the walk was asked to read, its block after any HTTP
    headers."""

    offset: int
    record: Any
    block: bytes | None


class WarcDamage(Exception):
    """The bytes here cannot be read as a WARC record; the message says why."""


def walk(
    fh: BinaryIO,
    name: str,
    *,
    max_block: int,
    read: frozenset[str] = frozenset(),
    start: int = 0,
    resync: bool = True,
) -> Iterator[WarcEntry | CaptureError]:
    """Every record of ``fh`` from ``start`` on (a :class:`WarcEntry`), and a
    :class:`CaptureError` per record that cannot be read. With ``resync=False`` reading ends
    at the first damage."""
    fh.seek(0)
    gz = fh.read(len(_GZIP_MAGIC)) == _GZIP_MAGIC
    position: int | None = start
    failed: set[int] = set()  # offsets already reported, so no record fails twice
    while position is not None:
        fh.seek(position)
        records = _Records(fh, gz)
        problem = ""
        try:
            for record in records:
                entry = _entry(records, record, name, max_block, read)
                if isinstance(entry, str):
                    problem = entry
                    break
                if isinstance(entry, CaptureError):
                    failed.add(records.offset)
                yield entry
        except Exception as exc:  # noqa: BLE001 — warcio raises many kinds; all are damage
            problem = _detail(exc)
        damaged_at = records.offset
        if not problem:  # warcio stops quietly at a record cut short in its headers
            fh.seek(damaged_at)
            if not fh.read(4096).strip():
                return
            problem = "no whole record here (the file is cut short, or ends in junk)"
        position = next_start(fh, damaged_at + 1, gz) if resync else None
        if damaged_at not in failed:
            failed.add(damaged_at)
            after = "nothing readable after it" if position is None else (
                f"reading resumed at byte {position}")
            yield CaptureError(
                f"{name}#{damaged_at}",
                f"unreadable WARC record (truncated or corrupt): {problem}; {after}",
            )


def _entry(
    records: _Records, record: Any, name: str, max_block: int, read: frozenset[str]
) -> WarcEntry | CaptureError | str:
    """The entry for ``record``, a CaptureError for a block too large to read, or the
    damage that stops it (a string)."""
    offset = records.offset
    if record.format != "warc":
        return "not a WARC record (no WARC/1.x version line)"
    if not record.rec_type:
        return "no WARC-Type header"
    length = (record.rec_headers.get_header("Content-Length") or "").strip()
    if not length.isdigit():
        return f"no valid Content-Length (found {length[:40]!r})"
    block = None
    if record.rec_type in read:
        if record.length > max_block:
            return CaptureError(
                f"{name}#{offset}",
                f"record of {record.length} bytes is larger than the {size_label(max_block)} "
                "limit",
            )
        block = record.raw_stream.read(max_block + 1)
        if getattr(record.raw_stream, "limit", 0) > 0:
            return "record is truncated (fewer bytes than its Content-Length)"
    records.read_to_end()  # checks the blank lines that end the record
    return WarcEntry(offset, record, block)


def _detail(exc: Exception) -> str:
    """An exception as one printable line of at most 200 characters."""
    text = str(exc) if isinstance(exc, WarcDamage) else f"{type(exc).__name__}: {exc}"
    text = " ".join(text.split())
    return "".join(ch if ch.isprintable() else "?" for ch in text)[:200]


def next_start(fh: BinaryIO, after: int, gz: bool) -> int | None:
    """Offset of the first record start at or after ``after``, or None."""
    marker = _GZIP_MAGIC if gz else b"\nWARC/"
    begin = after if gz else after - 1  # a line start is found by the newline before it
    fh.seek(begin)
    carried = b""
    while chunk := fh.read(_SCAN):
        data = carried + chunk
        base = begin - len(carried)
        found = data.find(marker)
        while found != -1:
            at = base + found if gz else base + found + 1
            if not gz or _inflates_to_record(fh, at):
                return at
            found = data.find(marker, found + 1)
        carried = data[-(len(marker) - 1) :]
        begin += len(chunk)
        fh.seek(begin)
    return None


def _inflates_to_record(fh: BinaryIO, at: int) -> bool:
    """Whether the gzip member at ``at`` inflates to a WARC version line."""
    fh.seek(at)
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(fh.read(4096), 16)
    except zlib.error:
        return False
    return head.startswith(b"WARC/")


class _BoundedReader(DecompressingBufferedReader):  # type: ignore[misc]
    """warcio's reader, with header lines and header blocks capped, and a gzip member that
    cannot be inflated raising :class:`WarcDamage` (warcio would print to stderr and return
    the record cut short, or read the compressed bytes as text)."""

    def __init__(self, stream: BinaryIO, gz: bool) -> None:
        super().__init__(stream)
        self.gz = gz
        self.header_bytes = 0

    def readline(self, length: int | None = None) -> bytes:
        cap = MAX_HEADER_LINE + 1 if length is None else min(length, MAX_HEADER_LINE + 1)
        line: bytes = super().readline(cap)
        # warcio's readline(n) may stop short of n across buffer refills: ask for the rest
        while len(line) < cap and line and not line.endswith(b"\n"):
            piece: bytes = super().readline(cap - len(line))
            if not piece:
                break
            line += piece
        if len(line) > MAX_HEADER_LINE:
            raise WarcDamage(f"a header line longer than {MAX_HEADER_LINE} bytes")
        self.header_bytes += len(line)
        if self.header_bytes > MAX_HEADER_BLOCK:
            raise WarcDamage(f"header lines longer than {size_label(MAX_HEADER_BLOCK)}")
        return line

    def read(self, length: int | None = None) -> bytes:
        self.header_bytes = 0  # a block is being read: the next header lines are a new record's
        data: bytes = super().read(length)
        return data

    def _decompress(self, data: bytes) -> bytes:
        if self.decompressor is None or not data or not self.gz:
            plain: bytes = super()._decompress(data)  # finds the stream is not gzip
            return plain
        try:
            inflated: bytes = self.decompressor.decompress(data)
        except zlib.error as exc:
            raise WarcDamage(f"gzip data is corrupt ({exc})") from None
        return inflated


class _Loader(ArcWarcRecordLoader):  # type: ignore[misc]
    """warcio's record loader; a record without ``WARC-Target-URI`` is parsed (as a block
    without HTTP headers) instead of failing inside warcio, and refused by the caller."""

    def _ensure_target_uri_format(self, rec_headers: Any) -> str:
        uri: str | None = super()._ensure_target_uri_format(rec_headers)
        return uri or ""


class _Records(ArchiveIterator):  # type: ignore[misc]
    """warcio's iterator over the bounded reader and loader; a record must be followed by a
    blank line (else its Content-Length does not match its content)."""

    def __init__(self, fh: BinaryIO, gz: bool) -> None:
        super().__init__(fh)
        self.reader = _BoundedReader(self.fh, gz)
        self.loader = _Loader(verify_http=False, arc2warc=False)

    def _consume_blanklines(self) -> tuple[bytes | None, int]:
        blank = 0
        while line := self.reader.readline():
            if line.strip():
                if not blank:
                    raise WarcDamage(
                        "the record is not followed by a blank line: its Content-Length "
                        "does not match its content"
                    )
                return line, blank
            blank += len(line)
        return None, blank
