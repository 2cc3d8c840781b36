"""The input cut into tasks that workers can take in any order and hand back in order.

:func:`plan` walks the paths as ``capture.sources.iter_captures`` does, reading nothing: page
files go into :class:`FilesTask` s of up to ``files_per_task`` files (with the walk's own
``Skipped``/``CaptureError`` items in their place), and each WARC file becomes one
:class:`WarcTask` per span of about ``span_bytes`` (``capture.warcspan``). :func:`run_task`
is what a worker does with one: read, prepare (``scale.prepare``), and — given a
``screen``, as ``scan`` does — drop the pages that fail it before parsing them.
The tasks' items, concatenated in plan order, are the items of ``iter_captures``, so an
ingest that writes them in that order writes what a serial ingest writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cunzhao.capture.files import FileRef, is_warc, iter_file_refs, read_file
from cunzhao.capture.model import Capture, CaptureError, Skipped
from cunzhao.capture.warcspan import Span, warc_spans
from cunzhao.scale.prepare import Prepared, prepare_safely

__all__ = ["FILES_PER_TASK", "SPAN_BYTES", "FilesTask", "Output", "Ready", "Screen", "Task",
           "WarcTask", "plan", "run_task", "task_captures"]

FILES_PER_TASK = 32
SPAN_BYTES = 4 << 20
"""A WARC span's stored size: a few hundred records, a few tens of MB once prepared."""

Ready = Prepared | Skipped | CaptureError
Screen = Callable[[Sequence[bytes]], list[bool]]
"""Which of these records' bytes to parse (``scale.prefilter.Prefilter.screen``)."""
_SCREEN_BATCH = 64


@dataclass(frozen=True)
class FilesTask:
    """Page files to read, among the walk's failures and skips (kept in their place)."""

    entries: tuple[FileRef | Skipped | CaptureError, ...]

    @property
    def label(self) -> str:
        return _source(self.entries[0]) if self.entries else "(no files)"


@dataclass(frozen=True)
class WarcTask:
    """The records of one WARC file that start within ``span``."""

    path: str
    span: Span = (0, None)

    @property
    def label(self) -> str:
        start, stop = self.span
        return f"{self.path}#{start}-{'' if stop is None else stop}"


Task = FilesTask | WarcTask


@dataclass
class Output:
    """What a worker made of one task: the items to write, in order; the captures read, the
    pages that passed the screen (all, without one) and the sources that failed to read."""

    items: list[Ready] = field(default_factory=list)
    read: int = 0
    passed: int = 0
    failed: int = 0
    seconds: float = 0.0


def plan(
    paths: Iterable[Path], *, files_per_task: int = FILES_PER_TASK, span_bytes: int = SPAN_BYTES
) -> Iterator[Task]:
    """The tasks that together read ``paths``, in order (see the module's doc)."""
    entries: list[FileRef | Skipped | CaptureError] = []
    for entry in iter_file_refs(paths):
        if isinstance(entry, FileRef) and is_warc(entry.path):
            if entries:
                yield FilesTask(tuple(entries))
                entries = []
            for span in warc_spans(entry.path, span_bytes):
                yield WarcTask(str(entry.path), span)
            continue
        entries.append(entry)
        if len(entries) >= files_per_task:
            yield FilesTask(tuple(entries))
            entries = []
    if entries:
        yield FilesTask(tuple(entries))


def task_captures(task: Task) -> Iterator[Capture | Skipped | CaptureError]:
    """The captures of one task, read in order."""
    if isinstance(task, WarcTask):
        from cunzhao.capture.warc import iter_warc_captures

        yield from iter_warc_captures(task.path, span=task.span)
        return
    for entry in task.entries:
        yield read_file(entry) if isinstance(entry, FileRef) else entry


def run_task(task: Task, screen: Screen | None = None) -> Output:
    """Read and prepare the captures of ``task``. With ``screen``, only the pages it passes
    are prepared and handed back; everything else is only counted."""
    start = time.perf_counter()
    out = Output()
    held: list[Capture] = []  # pages waiting to be screened, a batch at a time
    for item in task_captures(task):
        if not isinstance(item, Capture):
            out.failed += isinstance(item, CaptureError)
            if screen is None:
                out.items.append(item)
            continue
        out.read += 1
        if screen is None:
            out.items.append(prepare_safely(item))
        elif item.is_page:
            held.append(item)
            if len(held) >= _SCREEN_BATCH:
                _screened(held, screen, out)
    if screen is not None:
        _screened(held, screen, out)
    out.passed = len(out.items) if screen is not None else out.read
    out.seconds = time.perf_counter() - start
    return out


def _screened(held: list[Capture], screen: Screen, out: Output) -> None:
    for capture, passed in zip(held, screen([c.data for c in held]), strict=True):
        if passed:
            out.items.append(prepare_safely(capture))
    held.clear()


def _source(entry: FileRef | Skipped | CaptureError) -> str:
    return str(entry.path) if isinstance(entry, FileRef) else entry.source
