"""Undo an HTTP body's chunking and content encoding, never past a size limit.

A WARC keeps a response body as the server sent it. :func:`decode_body` removes chunked
transfer coding, then inflates ``gzip``, ``deflate`` or ``br`` a slice at a time and stops
with :class:`BodyTooLarge` as soon as the output passes the limit, so a small compressed body
cannot grow into gigabytes in memory: memory holds the limit plus one step, never more.

A body labelled compressed whose first kilobyte does not decode is kept as sent (some
crawlers store the decoded body but keep the header); one that breaks later is an error.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterator, Mapping

import brotlicffi
from warcio.bufferedreaders import ChunkedDataReader

_PROBE = 1024  # the first slice: failing here means "not encoded at all"
_SLICE = 64 * 1024  # compressed bytes fed per call after it
_STEP = 1 << 20  # most output one call may produce


class BodyTooLarge(ValueError):
    """The decoded body is larger than the limit; the message says so with the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"decoded body exceeds {size_label(limit)}")
        self.limit = limit


def size_label(size: int) -> str:
    """``64 MiB`` for whole mebibytes, else ``1234 bytes``."""
    return f"{size >> 20} MiB" if size and size % (1 << 20) == 0 else f"{size} bytes"


def decode_body(raw: bytes, fields: Mapping[str, str], limit: int) -> bytes:
    """The entity body of ``raw`` given the HTTP header ``fields`` (lower-cased names).

    Raises :class:`BodyTooLarge` past ``limit`` decoded bytes, ``ValueError`` for a body
    that cannot be decoded. An encoding other than gzip, deflate and br is kept as sent.
    """
    if fields.get("transfer-encoding", "").strip().lower() == "chunked":
        raw = bytes(ChunkedDataReader(io.BytesIO(raw)).read())  # never longer than raw
    encoding = fields.get("content-encoding", "").strip().lower()
    inflate = _DECODERS.get(encoding)
    if inflate is not None:
        try:
            return inflate(raw, limit)
        except _NotEncoded:
            pass  # stored decoded under a compressed label: kept as sent
    if len(raw) > limit:
        raise BodyTooLarge(limit)
    return raw


class _NotEncoded(Exception):
    """The first bytes are not in the stated encoding: the body was stored decoded."""


class _Output:
    """Decoded bytes gathered up to ``limit``; one byte more raises BodyTooLarge."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.buffer = io.BytesIO()

    def add(self, data: bytes) -> None:
        if self.buffer.tell() + len(data) > self.limit:
            raise BodyTooLarge(self.limit)
        self.buffer.write(data)

    @property
    def empty(self) -> bool:
        return self.buffer.tell() == 0

    def value(self) -> bytes:
        return self.buffer.getvalue()  # shares the buffer: no second copy


def _slices(data: bytes) -> list[memoryview]:
    view = memoryview(data)
    rest = range(_PROBE, len(data), _SLICE)
    return [view[:_PROBE], *(view[start : start + _SLICE] for start in rest)]


def _decode(
    data: bytes,
    limit: int,
    chunks: Callable[[memoryview], Iterator[bytes]],
    finished: Callable[[], bool],
    error: type[Exception],
) -> bytes:
    """Feed ``data`` slice by slice to a decompressor (``chunks`` yields its output for one
    slice, a step at a time) until ``finished``; its ``error`` while probing means the
    body is not encoded at all, later a ValueError."""
    output = _Output(limit)
    probing = True
    try:
        for piece in _slices(data):
            for chunk in chunks(piece):
                output.add(chunk)
            if finished():
                break
            probing = False
    except error as exc:
        if probing and output.empty:
            raise _NotEncoded from None
        raise ValueError(f"cannot decode HTTP body: {exc}") from None
    return output.value()


def _zlib(wbits: int) -> Callable[[bytes, int], bytes]:
    def inflate(data: bytes, limit: int) -> bytes:
        decompressor = zlib.decompressobj(wbits)

        def chunks(piece: memoryview) -> Iterator[bytes]:
            pending: bytes | memoryview = piece
            while pending and not decompressor.eof:
                yield decompressor.decompress(pending, _STEP)
                pending = decompressor.unconsumed_tail

        return _decode(data, limit, chunks, lambda: decompressor.eof, zlib.error)

    return inflate


def _deflate(data: bytes, limit: int) -> bytes:
    """``deflate`` is meant to be zlib-wrapped; some servers send it raw."""
    try:
        return _zlib(zlib.MAX_WBITS)(data, limit)
    except _NotEncoded:
        return _zlib(-zlib.MAX_WBITS)(data, limit)


def _brotli(data: bytes, limit: int) -> bytes:
    decompressor = brotlicffi.Decompressor()

    def chunks(piece: memoryview) -> Iterator[bytes]:
        yield decompressor.process(bytes(piece), output_buffer_limit=_STEP)
        while not decompressor.can_accept_more_data():
            yield decompressor.process(b"", output_buffer_limit=_STEP)

    return _decode(data, limit, chunks, decompressor.is_finished, brotlicffi.error)


_DECODERS: dict[str, Callable[[bytes, int], bytes]] = {
    "gzip": _zlib(16 + zlib.MAX_WBITS),
    "x-gzip": _zlib(16 + zlib.MAX_WBITS),
    "deflate": _deflate,
    "br": _brotli,
}
