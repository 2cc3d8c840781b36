"""Files and folders → captures, one file read at a time, in a stable (sorted) order.

A path named explicitly with a page extension (``.md``, ``.markdown``, ``.html``, ``.htm``,
``.xhtml``) is always captured: the parse stage decides whether it is a page and says why
not. Inside a folder, ``.html``/``.htm`` files are captured, ``.md`` files only when they
open with the wrapper header (``[title](url)`` after an optional ``<!--epoch-->`` line) or
are empty (a failed capture, for the parser to report), so a README is skipped whatever its
name. Any other file is captured when its first bytes look like a page, else skipped. So
every file this module yields as a ``Capture`` is a page (``Capture.is_page``). WARC files
are skipped here; ``capture.sources.iter_captures`` reads them with ``capture.warc`` (see
:func:`is_warc`). Hidden files and folders (``.name``) are not walked.

Symbolic links to folders are followed. A folder reached a second time — through a link
back to a folder it sits in (a loop), or a second link to the same folder — is not read
again: it is reported once, as ``Skipped`` with the path it was already read at.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from cunzhao.capture.model import Capture, CaptureError, Skipped

__all__ = ["FileRef", "is_warc", "iter_file_captures", "iter_file_refs", "looks_like_page", "read_file"]

_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
_WARC_NAMES = (".warc", ".warc.gz")
_SNIFF_BYTES = 4096
_WRAPPER = re.compile(
    rb"\A\s*(?:<!--\s*\d{9,14}\s*-->\s*\r?\n)?\s*\[[^\r\n]*\]\([^\r\n]*\)\s*\r?\n-{3,}"
)
_HTML_START = re.compile(
    rb"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)


def is_warc(path: Path) -> bool:
    """Whether ``path`` names a WARC file (``.warc`` or ``.warc.gz``)."""
    return path.name.lower().endswith(_WARC_NAMES)


def looks_like_page(head: bytes) -> bool:
    """Whether a file's first bytes open a wrapped page or an HTML document."""
    head = head.removeprefix(codecs.BOM_UTF8)
    return bool(_WRAPPER.match(head) or _HTML_START.match(head))


class FileRef(NamedTuple):
    """A file found by the walk, not yet read; ``explicit``: named as a path, not found in a
    folder (an explicit ``.md`` is always a page)."""

    path: Path
    explicit: bool


def iter_file_captures(paths: Iterable[Path]) -> Iterator[Capture | Skipped | CaptureError]:
    """Yield a ``Capture`` per page file under ``paths``, ``Skipped`` per other file and a
    ``CaptureError`` per path that does not exist or cannot be read. Never raises for them."""
    for item in iter_file_refs(paths):
        yield read_file(item) if isinstance(item, FileRef) else item


def iter_file_refs(paths: Iterable[Path]) -> Iterator[FileRef | Skipped | CaptureError]:
    """The walk of :func:`iter_file_captures` without reading: a :class:`FileRef` per file
    (:func:`read_file` reads it), in the same order, among the same failures."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield FileRef(path, explicit=True)
        elif path.is_symlink():
            yield CaptureError(str(path), "broken symbolic link")
        else:
            yield CaptureError(str(path), "no such file or directory")


def read_file(ref: FileRef) -> Capture | Skipped | CaptureError:
    """The capture of one file the walk found (``Skipped`` when it is not a page)."""
    return _file(ref.path, ref.explicit)


def _walk(folder: Path) -> Iterator[FileRef | Skipped | CaptureError]:
    errors: list[OSError] = []
    walked: dict[tuple[int, int], Path] = {}  # (device, inode) of each folder read → its path
    for root, dirs, files in os.walk(folder, onerror=errors.append, followlinks=True):
        yield from _errors(errors, folder)
        here = Path(root)
        first = _walked_before(here, walked)
        if first is not None:
            dirs[:] = []
            yield Skipped(root, _repeat_reason(here, first))
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield FileRef(here / name, explicit=False)
    yield from _errors(errors, folder)


def _errors(errors: list[OSError], folder: Path) -> Iterator[CaptureError]:
    for error in errors:
        yield CaptureError(str(error.filename or folder), _reason(error))
    errors.clear()


def _walked_before(folder: Path, walked: dict[tuple[int, int], Path]) -> Path | None:
    """Where ``folder`` was read already (reached again through a link), else None; records
    it as read."""
    try:
        info = folder.stat()
    except OSError:
        return None  # os.walk reports what it cannot list
    key = (info.st_dev, info.st_ino)
    first = walked.get(key)
    if first is None:
        walked[key] = folder
    return first


def _repeat_reason(again: Path, first: Path) -> str:
    if first in again.parents:
        return f"symbolic link loop: leads back to {first}, which holds it"
    return f"the same folder as {first} (through a symbolic link), already read"


def _file(path: Path, explicit: bool) -> Capture | Skipped | CaptureError:
    source = str(path)
    if is_warc(path):
        return Skipped(source, "WARC: handled by capture.warc")
    suffix = path.suffix.lower()
    try:
        if path.is_symlink() and not path.exists():
            return CaptureError(source, "broken symbolic link")
        if not path.is_file():
            return Skipped(source, "not a regular file")
        data = path.read_bytes()
    except OSError as error:
        return CaptureError(source, _reason(error))
    if suffix in _HTML_SUFFIXES:
        return Capture(data, source, "file", content_type="text/html")
    if suffix in _MARKDOWN_SUFFIXES:
        # An empty .md is a failed capture, not a README: let the parser report it.
        if explicit or not data.strip() or looks_like_page(data[:_SNIFF_BYTES]):
            return Capture(data, source, "file", content_type="text/markdown")
        return Skipped(source, "Markdown without a [title](url) header: not a page")
    if looks_like_page(data[:_SNIFF_BYTES]):
        return Capture(data, source, "file")
    return Skipped(source, f"not a page ({suffix or 'no extension'}): no header and no HTML")


def _reason(error: OSError) -> str:
    return error.strerror.lower() if error.strerror else str(error)
