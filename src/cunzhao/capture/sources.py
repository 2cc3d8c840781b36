"""Paths → captures: files as pages, WARC files record by record, in one stream.

The one place that tells a WARC file from a page file: ``capture.files`` walks the paths and
hands each WARC it meets to ``capture.warc``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from cunzhao.capture.files import is_warc, iter_file_captures
from cunzhao.capture.model import Capture, CaptureError, Skipped

__all__ = ["iter_captures"]


def iter_captures(paths: Iterable[Path]) -> Iterator[Capture | Skipped | CaptureError]:
    """Every capture under ``paths`` (files and folders, recursively, in a stable order):
    a ``Capture`` per page file and per WARC record, ``Skipped`` per file that is not a page,
    ``CaptureError`` per source that cannot be read. Never raises for them."""
    for item in iter_file_captures(paths):
        if isinstance(item, Skipped) and is_warc(Path(item.source)):
            from cunzhao.capture.warc import iter_warc_captures

            yield from iter_warc_captures(Path(item.source))
        else:
            yield item
