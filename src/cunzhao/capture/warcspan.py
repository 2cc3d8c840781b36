"""Cut a WARC file into spans of whole records, so that several readers can share it.

A span ``(start, stop)`` holds the records that start at or after ``start`` and before
``stop`` (``None``: the end of the file); ``iter_warc_captures(path, span=…)`` reads one.
Every record falls in exactly one span, so reading the spans in order gives what reading the
file gives, record for record.

In a ``.warc.gz`` each record is a gzip member: a span starts at the first member at or after
a multiple of the span size that inflates to a WARC record — the same test the reader uses
to find its feet after damage, so the spans and the reader agree on where records start, and
no pass over the file is needed. A plain ``.warc`` has no such marker (a page may hold a line
``WARC/1.0``): its record starts are read from the headers, one pass over the file that
inflates nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from cunzhao.capture.warcstream import WarcEntry, next_start, walk

__all__ = ["Span", "warc_spans"]

Span = tuple[int, int | None]

_GZIP_MAGIC = b"\x1f\x8b"


def warc_spans(path: str | Path, span_bytes: int) -> list[Span]:
    """Spans of about ``span_bytes`` (stored bytes) covering the whole of ``path``, in order.

    A file no larger than ``span_bytes``, or one that cannot be read, is one span (the
    reader then reports what is wrong with it).
    """
    if span_bytes <= 0:
        raise ValueError(f"span size must be positive, not {span_bytes}")
    try:
        size = Path(path).stat().st_size
        if size <= span_bytes:
            return [(0, None)]
        with open(path, "rb") as fh:
            gz = fh.read(len(_GZIP_MAGIC)) == _GZIP_MAGIC
            starts = _gzip_starts(fh, size, span_bytes) if gz else _plain_starts(
                fh, str(path), span_bytes
            )
    except OSError:
        return [(0, None)]
    ends: list[int | None] = [*starts[1:], None]
    return list(zip(starts, ends, strict=True))


def _gzip_starts(fh: BinaryIO, size: int, span_bytes: int) -> list[int]:
    starts = [0]
    for mark in range(span_bytes, size, span_bytes):
        if mark <= starts[-1]:
            continue
        found = next_start(fh, mark, True)
        if found is None:
            break
        if found > starts[-1]:
            starts.append(found)
    return starts


def _plain_starts(fh: BinaryIO, name: str, span_bytes: int) -> list[int]:
    starts = [0]
    for entry in walk(fh, name, max_block=0):
        if isinstance(entry, WarcEntry) and entry.offset >= starts[-1] + span_bytes:
            starts.append(entry.offset)
    return starts
