"""Read captures out of WARC files (``.warc`` / ``.warc.gz``), one record at a time.

Each ``response`` (or ``resource``) record becomes a :class:`Capture` whose ``source`` is
``"<path>#<offset>"``: the file path and the byte offset where the record starts in the file as
stored (for ``.warc.gz``, the offset of the record's gzip member) — the same pair a CDX index
uses, so a capture can be found again with ``warcio extract <path> <offset>``.

Payload digests are checked while reading; ``revisit`` records are resolved by re-reading
their original from the same file, so memory holds one record's payload, never the file.
Records are walked by :mod:`cunzhao.capture.warcstream` (bounded headers, damage named and
skipped) and bodies decoded by :mod:`cunzhao.capture.warcbody` (bounded inflation): no
record, however crafted, makes memory grow past ``max_payload`` twice over.

A capture's time is the record's ``WARC-Date``, unless the record carries
``WARC-Cunzhao-Captured-At`` (cunzhao's own WARC export writes it): ``unknown`` there means
the capture time was never known (the WARC-Date is then only when it was ingested), and a
date there is the capture time to full precision.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cunzhao.capture.model import Capture, CaptureError, Skipped
from cunzhao.capture.warcbody import BodyTooLarge, decode_body
from cunzhao.capture.warcstream import WarcEntry, walk

#: Largest payload held in memory; a bigger record is reported, not read.
MAX_PAYLOAD = 64 * 1024 * 1024
#: Earlier records remembered for revisits (per key kind); older ones are found by a rescan.
INDEX_LIMIT = 100_000

#: The header cunzhao's WARC export uses to keep a capture time apart from the WARC-Date.
CAPTURED_AT_HEADER = "WARC-Cunzhao-Captured-At"
UNKNOWN_TIME = "unknown"

_CAPTURE_TYPES = frozenset({"response", "resource"})
_HASHES: dict[str, Callable[[bytes], Any]] = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha512": hashlib.sha512,
}


def iter_warc_captures(
    path: str | Path, *, max_payload: int = MAX_PAYLOAD, index_limit: int = INDEX_LIMIT,
    span: tuple[int, int | None] = (0, None),
) -> Iterator[Capture | CaptureError | Skipped]:
    """Yield a Capture per readable ``response``/``resource``/``revisit`` record of ``path``.

    Non-2xx HTTP responses are yielded as :class:`Skipped` (they are not pages); records that
    fail their digest, cannot be decoded, decode past ``max_payload``, or cannot be read at
    all, as :class:`CaptureError` — each on its own: reading goes on with the next record.
    ``span`` ``(start, stop)``: only the records that start at or after ``start`` (a record
    start, see :mod:`cunzhao.capture.warcspan`) and before ``stop``; the first revisit whose
    original is not in the span has the records before ``start`` indexed, by their headers.
    """
    name = str(path)
    start, stop = span
    originals = _OriginalIndex(index_limit)
    originals.before = start  # records before the span: indexed when a revisit needs them
    try:
        fh = open(path, "rb")  # noqa: SIM115 — closed by the with-statement below
    except OSError as exc:
        yield CaptureError(name, f"cannot open WARC: {exc.strerror or exc}")
        return
    with fh:
        for entry in walk(fh, name, max_block=max_payload, read=_CAPTURE_TYPES, start=start):
            if stop is not None and _offset_of(entry) >= stop:
                return
            if isinstance(entry, CaptureError):
                yield entry
                continue
            kind = entry.record.rec_type
            source = f"{name}#{entry.offset}"
            if kind in _CAPTURE_TYPES:
                result, digest_key = _read_record(entry, source, max_payload)
                if isinstance(result, Capture):  # revisits refer to its URI and WARC-Date
                    dated = parse_warc_date(entry.record.rec_headers.get_header("WARC-Date"))
                    originals.add(result.target_url, dated, entry.offset, digest_key)
                yield result
            elif kind == "revisit":
                yield _resolve_revisit(entry.record, source, name, originals, max_payload)


def _offset_of(entry: WarcEntry | CaptureError) -> int:
    if isinstance(entry, WarcEntry):
        return entry.offset
    return int(entry.source.rpartition("#")[2])  # walk names each failure PATH#OFFSET


def read_capture_at(
    path: str | Path, offset: int, *, max_payload: int = MAX_PAYLOAD
) -> Capture | CaptureError | Skipped:
    """The capture of the single ``response``/``resource`` record at ``offset`` in ``path``."""
    source = f"{path}#{offset}"
    try:
        entry = _entry_at(str(path), offset, max_payload)
    except OSError as exc:
        return CaptureError(source, f"no readable WARC record here: {exc.strerror or exc}")
    if not isinstance(entry, WarcEntry):
        return entry
    if entry.record.rec_type not in _CAPTURE_TYPES:
        return CaptureError(source, f"a {entry.record.rec_type} record, not a response")
    return _read_record(entry, source, max_payload)[0]


def _entry_at(path: str, offset: int, max_payload: int) -> WarcEntry | CaptureError:
    """The one record at ``offset``, its block read; a CaptureError when there is none."""
    with open(path, "rb") as fh:
        for entry in walk(
            fh, path, max_block=max_payload, read=_CAPTURE_TYPES, start=offset, resync=False
        ):
            return entry
    return CaptureError(f"{path}#{offset}", "no WARC record here (end of file)")


class _OriginalIndex:
    """Where earlier captures sit in the file, by payload digest and by (URI, date).

    Holds the most recent ``limit`` captures of each kind, so memory stays flat on any file;
    a revisit of an older record is found by scanning the file again (see ``_scan_for``).
    """

    def __init__(self, limit: int = INDEX_LIMIT) -> None:
        self.limit = limit
        self.evicted = False
        self.before = 0  # records before this offset are not indexed yet (see backfill)
        self.by_digest: dict[str, int] = {}
        self.by_uri_date: dict[tuple[str | None, datetime | None], int] = {}

    def add(
        self, uri: str | None, when: datetime | None, offset: int, digest_key: str | None
    ) -> None:
        if digest_key:
            self._put(self.by_digest, digest_key, offset)
        self._put(self.by_uri_date, (uri, when), offset)

    def _put(self, table: dict[Any, int], key: object, offset: int) -> None:
        table.pop(key, None)
        table[key] = offset
        if len(table) > self.limit:
            del table[next(iter(table))]
            self.evicted = True

    def backfill(self, path: str) -> None:
        """Index the capture records before :attr:`before` by their headers (a payload digest
        as labelled); a key already indexed keeps its later record."""
        upto, self.before = self.before, 0
        earlier = _OriginalIndex(self.limit)
        with open(path, "rb") as fh:
            for entry in walk(fh, path, max_block=0):
                if isinstance(entry, CaptureError) or entry.record.rec_type not in _CAPTURE_TYPES:
                    continue
                if entry.offset >= upto:
                    break
                headers = entry.record.rec_headers
                label = headers.get_header("WARC-Payload-Digest")
                earlier.add(headers.get_header("WARC-Target-URI"),
                            parse_warc_date(headers.get_header("WARC-Date")), entry.offset,
                            _normal_digest(label) if label else None)
        self.evicted = self.evicted or earlier.evicted
        self._merge(self.by_digest, earlier.by_digest)
        self._merge(self.by_uri_date, earlier.by_uri_date)

    def _merge(self, table: dict[Any, int], earlier: dict[Any, int]) -> None:
        """``table`` with the ``earlier`` records put first, as if read in file order."""
        later = dict(table)
        table.clear()
        table.update(earlier)
        for key, offset in later.items():
            self._put(table, key, offset)

    def find(self, record: Any) -> int | None:
        uri, when, digest_key = _refers_to(record)
        found = self.by_uri_date.get((uri, when)) if uri and when else None
        if found is None and digest_key:
            found = self.by_digest.get(digest_key)
        return found


def _refers_to(record: Any) -> tuple[str | None, datetime | None, str | None]:
    """A revisit's WARC-Refers-To-Target-URI and -Date, and its digest as ``algo:hex``."""
    headers = record.rec_headers
    digest = headers.get_header("WARC-Payload-Digest")
    return (
        headers.get_header("WARC-Refers-To-Target-URI"),
        parse_warc_date(headers.get_header("WARC-Refers-To-Date")),
        _normal_digest(digest) if digest else None,
    )


def _scan_for(path: str, revisit: Any, before: int) -> int | None:
    """Offset of the revisit's original among the records before ``before`` (slow path)."""
    uri, when, digest_key = _refers_to(revisit)
    with open(path, "rb") as fh:
        for entry in walk(fh, path, max_block=0):
            if isinstance(entry, CaptureError):
                continue
            if entry.offset >= before:
                return None
            if entry.record.rec_type not in _CAPTURE_TYPES:
                continue
            headers = entry.record.rec_headers
            same_uri = uri is not None and headers.get_header("WARC-Target-URI") == uri
            if same_uri and when and parse_warc_date(headers.get_header("WARC-Date")) == when:
                return entry.offset
            label = headers.get_header("WARC-Payload-Digest")
            if digest_key and label and _normal_digest(label) == digest_key:
                return entry.offset
    return None


def _read_record(
    entry: WarcEntry, source: str, max_payload: int
) -> tuple[Capture | CaptureError | Skipped, str | None]:
    """The record's capture, and ``algo:hex`` of its payload digest when it had one."""
    record = entry.record
    warc = _lower_keys(record.rec_headers.headers)  # one pass instead of a scan per header
    target = warc.get("warc-target-uri")
    if not target:
        return CaptureError(source, f"{record.rec_type} record has no WARC-Target-URI"), None
    http = record.http_headers
    fields = None
    if http is not None:
        status = http.get_statuscode()
        if not (status or "").startswith("2"):
            return Skipped(source, f"HTTP {status} response, not a page"), None
        fields = _lower_keys(http.headers)
    raw = entry.block or b""
    label = warc.get("warc-payload-digest")
    if http is None:  # a resource record's block is its payload
        label = label or warc.get("warc-block-digest")
    digest_key = None
    if label:
        problem, digest_key = _check_digest(label, raw)
        if problem:
            return CaptureError(source, problem), None
    try:
        data = decode_body(raw, fields, max_payload) if fields else raw
    except BodyTooLarge as exc:
        return CaptureError(source, str(exc)), None
    except ValueError as exc:
        return CaptureError(source, f"cannot decode HTTP body: {exc}"), None
    capture = Capture(
        data=data,
        source=source,
        source_kind="warc",
        target_url=target,
        captured_at=_capture_time(warc),
        content_type=fields.get("content-type") if fields is not None else record.content_type,
        http_headers=http.to_bytes() if http is not None else None,
    )
    return capture, digest_key


def _capture_time(warc: dict[str, str]) -> datetime | None:
    """When the record was captured: ``WARC-Cunzhao-Captured-At`` where cunzhao's export
    wrote it (``unknown``: never known), else the ``WARC-Date``."""
    kept = warc.get(CAPTURED_AT_HEADER.lower())
    if kept is None:
        return parse_warc_date(warc.get("warc-date"))
    if kept.strip().lower() == UNKNOWN_TIME:
        return None
    return parse_warc_date(kept) or parse_warc_date(warc.get("warc-date"))


def _lower_keys(headers: list[tuple[str, str]]) -> dict[str, str]:
    """Header list as a dict by lower-cased name (the first of repeated names wins)."""
    found: dict[str, str] = {}
    for name, value in reversed(headers):
        found[name.lower()] = value
    return found


def _resolve_revisit(
    record: Any, source: str, path: str, originals: _OriginalIndex, max_payload: int
) -> Capture | CaptureError | Skipped:
    headers = record.rec_headers
    original_offset = originals.find(record)
    if original_offset is None and originals.before:
        originals.backfill(path)
        original_offset = originals.find(record)
    if original_offset is None and originals.evicted:
        offset = int(source.rpartition("#")[2])
        original_offset = _scan_for(path, record, offset)
    if original_offset is None:
        refers = headers.get_header("WARC-Refers-To-Target-URI") or headers.get_header(
            "WARC-Target-URI"
        )
        return CaptureError(
            source,
            f"revisit of {refers} refers to a record not found earlier in this file "
            f"(digest {headers.get_header('WARC-Payload-Digest')})",
        )
    found = _entry_at(path, original_offset, max_payload)
    if not isinstance(found, WarcEntry):
        return CaptureError(source, f"the original of this revisit is unreadable: {found.reason}")
    original, _ = _read_record(found, source, max_payload)
    if not isinstance(original, Capture):
        return original
    http = record.http_headers
    fields = _lower_keys(headers.headers)
    if CAPTURED_AT_HEADER.lower() in fields:  # cunzhao's export: this header decides
        when = _capture_time(fields)
    else:
        when = parse_warc_date(fields.get("warc-date")) or original.captured_at
    return Capture(
        data=original.data,
        source=source,
        source_kind="warc",
        target_url=headers.get_header("WARC-Target-URI") or original.target_url,
        captured_at=when,
        content_type=original.content_type,
        http_headers=original.http_headers if http is None else http.to_bytes(),
    )


def parse_warc_date(value: str | None) -> datetime | None:
    """A WARC-Date (``2024-01-31T12:00:00Z``, fractions allowed) as an aware UTC datetime."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _check_digest(label: str, data: bytes) -> tuple[str | None, str | None]:
    """(problem or None, ``algo:hex`` of ``data``) for a ``sha1:BASE32``-style label."""
    algo, sep, value = label.partition(":")
    constructor = _HASHES.get(algo)
    if constructor is None:  # spelled otherwise ("SHA-1") or a rarer algorithm
        algo = algo.strip().lower().replace("-", "")
        if not sep or algo not in hashlib.algorithms_available:
            return f"unknown digest {label!r}", None
        constructor = functools.partial(hashlib.new, algo)
    computed = constructor(data).digest()
    key = f"{algo}:{computed.hex()}"
    if _decode_digest(value.strip(), len(computed)) == computed:
        return None, key
    shown = base64.b32encode(computed).decode("ascii")
    return f"payload digest mismatch: header says {label}, content is {algo}:{shown}", key


def _decode_digest(value: str, size: int) -> bytes | None:
    """Digest bytes from hex, base32 or base64 text (RFC 4648), whichever fits ``size``."""
    text = value.rstrip("=")
    order: tuple[Callable[[str], bytes], ...]
    if len(text) == 2 * size:
        order = (bytes.fromhex, _from_base32, _from_base64)
    elif len(text) == -(-size * 8 // 5):  # base32 length, the WARC convention
        order = (_from_base32, bytes.fromhex, _from_base64)
    else:
        order = (_from_base64, bytes.fromhex, _from_base32)
    for decode in order:
        try:
            decoded = decode(value)
        except (binascii.Error, ValueError):
            continue
        if len(decoded) == size:
            return decoded
    return None


_BASE32_AS_DIGITS = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789abcdefghijklmnopqrstuv"
)


_NOT_BASE32 = str.maketrans(dict.fromkeys("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"))


def _from_base32(value: str) -> bytes:
    """RFC 4648 base32 by way of ``int(…, 32)``: far faster than ``base64.b32decode``."""
    text = value.rstrip("=").upper()
    if not text or text.translate(_NOT_BASE32):
        raise ValueError("not base32")
    bits = len(text) * 5
    number = int(text.translate(_BASE32_AS_DIGITS), 32) >> (bits % 8)  # drop pad bits
    return number.to_bytes(bits // 8, "big")


def _from_base64(value: str) -> bytes:
    altchars = b"-_" if "-" in value or "_" in value else None
    return base64.b64decode(value + "=" * (-len(value) % 4), altchars=altchars)


def _normal_digest(label: str) -> str:
    algo, _, value = label.partition(":")
    algo = algo.strip().lower().replace("-", "")
    size = hashlib.new(algo).digest_size if algo in hashlib.algorithms_available else 0
    decoded = _decode_digest(value.strip(), size) if size else None
    return f"{algo}:{decoded.hex()}" if decoded is not None else label.strip()
