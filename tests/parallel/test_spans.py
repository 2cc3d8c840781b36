"""A WARC file cut into spans (``capture.warcspan``) reads, span after span, exactly as the
whole file reads: every record once, revisits of records in earlier spans resolved, damage
reported once, in the span where it starts."""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import pytest
from inputs import corpus_slice, slice_warc

from cunzhao.capture.model import Capture, CaptureError, Skipped
from cunzhao.capture.warc import iter_warc_captures
from cunzhao.capture.warcspan import warc_spans


def _key(item: Capture | Skipped | CaptureError) -> tuple[object, ...]:
    if isinstance(item, Capture):
        return ("capture", item.source, hashlib.sha256(item.data).hexdigest(), item.target_url,
                item.captured_at, item.content_type, item.http_headers)
    return (type(item).__name__, item.source, item.reason)


def _damage(path: Path) -> None:
    """Junk between two records near the middle (a plain WARC: the reader resumes at the
    next ``WARC/`` line)."""
    data = path.read_bytes()
    middle = data.index(b"\r\n\r\nWARC/1.1", len(data) // 2) + 4
    path.write_bytes(data[:middle] + b"this is not a record\r\n" * 40 + data[middle:])


@pytest.mark.parametrize("gz", [True, False])
def test_spans_read_what_the_whole_file_reads(tmp_path: Path, gz: bool) -> None:
    pages = corpus_slice(tmp_path / "pages", every=10)
    warc = tmp_path / ("a.warc.gz" if gz else "a.warc")
    records = slice_warc(warc, pages, gz=gz)
    if not gz:
        _damage(warc)
    whole = [_key(c) for c in iter_warc_captures(warc)]
    assert len(whole) == records + (0 if gz else 1)
    assert sum(k[0] == "capture" for k in whole) == records - 1  # all but the 404
    revisits = [k for k in whole if k[0] == "capture" and k[6] and b"200" in k[6]
                and "2025-" in str(k[4])]
    assert revisits, "the WARC holds revisits read as captures"
    if not gz:
        assert any(k[0] == "CaptureError" for k in whole)
    spans = warc_spans(warc, warc.stat().st_size // 7)
    assert len(spans) >= 5
    assert spans[0][0] == 0 and spans[-1][1] is None
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    pieces = [_key(c) for span in spans for c in iter_warc_captures(warc, span=span)]
    assert pieces == whole


def test_a_small_or_unreadable_file_is_one_span(tmp_path: Path) -> None:
    small = tmp_path / "small.warc.gz"
    small.write_bytes(b"\x1f\x8b" + bytes(100))
    assert warc_spans(small, 1 << 20) == [(0, None)]
    assert warc_spans(tmp_path / "missing.warc", 10) == [(0, None)]
    with pytest.raises(ValueError, match="positive"):
        warc_spans(small, 0)
