"""One build of the tantivy index on disk: its folder, stamp, reader and writer.

The folder of build ``B`` is ``ROOT/B`` (ROOT: :func:`cunzhao.search.tantivy_engine.index_root`).
Beside tantivy's own files it holds ``cunzhao-stamp.json``: the layout (``format``), the
build, the database generation the index holds, and an ``instance`` id that changes when
the folder is replaced. The stamp is written after tantivy's commit, so it never claims
more than the index holds (an index ahead of its stamp is caught up again, harmlessly).

One :class:`Folder` per path per process: readers share it, reload it when the stamp moves,
and reopen it when the instance changes. Writers take tantivy's folder lock, waiting their
turn (another process may be writing).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import tantivy

from cunzhao.search.tantivy_doc import FORMAT, make_schema, open_tokenizers

__all__ = ["STAMP", "Folder", "IndexBusy", "Stamp", "folder_at", "new_folder", "open_folder",
           "read_stamp", "write_stamp"]

STAMP = "cunzhao-stamp.json"
WRITER_HEAP = 64_000_000
BUILD_HEAP = 256_000_000


class IndexBusy(RuntimeError):
    """Another writer held the index folder for longer than we would wait."""


@dataclass(frozen=True)
class Stamp:
    """What an index folder holds: layout, build, generation, and which copy it is."""

    format: int
    build: str
    generation: int
    instance: str


def read_stamp(path: Path) -> Stamp | None:
    """The folder's stamp; None when it is missing or unreadable."""
    try:
        data = json.loads((path / STAMP).read_text())
        return Stamp(int(data["format"]), str(data["build"]), int(data["generation"]),
                     str(data["instance"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_stamp(path: Path, stamp: Stamp) -> None:
    """Replace the stamp atomically (write, then rename)."""
    temporary = path / f".{STAMP}.{os.getpid()}.{threading.get_ident()}"
    temporary.write_text(json.dumps(asdict(stamp)))
    os.replace(temporary, path / STAMP)


class Folder:
    """An open index folder: a shared reader that follows the stamp, and a writer on demand."""

    def __init__(self, path: Path, stamp: Stamp) -> None:
        self.path = path
        self.index = tantivy.Index.open(str(path))
        open_tokenizers(self.index)
        self.index.config_reader("manual")
        self.schema = self.index.schema
        self.loaded = stamp
        self.stamp_file = _file_id(path)
        self.lock = threading.Lock()

    def current(self, generation: int) -> bool:
        """Loaded at ``generation``, and the stamp file unchanged since (one ``stat``)?"""
        return self.loaded.generation == generation and _file_id(self.path) == self.stamp_file

    def reload(self, stamp: Stamp) -> None:
        """Show what the folder holds now (stamped ``stamp``) to new searches."""
        self.stamp_file = _file_id(self.path)
        self.index.reload()
        self.loaded = stamp

    def searcher(self) -> tantivy.Searcher:
        return self.index.searcher()

    @property
    def writable(self) -> bool:
        return os.access(self.path, os.W_OK)

    @contextmanager
    def writer(self, wait: float) -> Iterator[tantivy.IndexWriter]:
        """Tantivy's writer, waiting up to ``wait`` seconds for another to finish (else
        ``IndexBusy``); the caller commits. Merges are finished before it is released."""
        writer = _take_writer(self.index, WRITER_HEAP, 1, wait, self.path)
        try:
            yield writer
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()


def _file_id(path: Path) -> tuple[int, int] | None:
    """The stamp file's inode and modification time (a rewrite replaces the file)."""
    try:
        found = (path / STAMP).stat()
    except OSError:
        return None
    return found.st_ino, found.st_mtime_ns


def _take_writer(
    index: tantivy.Index, heap: int, threads: int, wait: float, path: Path
) -> tantivy.IndexWriter:
    deadline = time.monotonic() + wait
    while True:
        try:
            return index.writer(heap, threads)
        except ValueError as error:
            if "LockBusy" not in str(error):
                raise
            if time.monotonic() >= deadline:
                raise IndexBusy(f"search index {path} is being written by another process"
                                ) from error
            time.sleep(0.05)


_open: dict[Path, Folder] = {}
_open_lock = threading.Lock()


def open_folder(path: Path) -> Folder | None:
    """The process's open folder at ``path`` as last loaded, if any (reads no file)."""
    return _open.get(path)


def folder_at(path: Path) -> Folder | None:
    """The process's open folder at ``path``, reopened when the folder was replaced; None
    when there is no usable index there (missing, or stamped with another layout)."""
    stamp = read_stamp(path)
    with _open_lock:
        found = _open.get(path)
        if found is not None and stamp is not None and found.loaded.instance == stamp.instance:
            return found
        _open.pop(path, None)
        if stamp is None or stamp.format != FORMAT or not tantivy.Index.exists(str(path)):
            return None
        try:
            _open[path] = Folder(path, stamp)
        except ValueError:  # unreadable index files: treat as missing, it will be rebuilt
            return None
        return _open[path]


@contextmanager
def new_folder(path: Path, build: str, generation: int) -> Iterator[tantivy.IndexWriter]:
    """Build a whole index into ``path`` (made beside it, then moved into place): the caller
    adds every document; on success the folder is committed, merged, stamped and installed,
    replacing whatever was at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f"{path.name}.new-{uuid.uuid4().hex[:8]}")
    staging.mkdir()
    try:
        index = tantivy.Index(make_schema(), path=str(staging), reuse=False)
        open_tokenizers(index)
        writer = index.writer(BUILD_HEAP, 2)
        yield writer
        writer.commit()
        writer.wait_merging_threads()
        write_stamp(staging, Stamp(FORMAT, build, generation, uuid.uuid4().hex))
        _install(staging, path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _install(staging: Path, path: Path) -> None:
    """Move the finished folder into place; readers of the folder it replaces reopen."""
    old = path.with_name(f"{path.name}.old-{uuid.uuid4().hex[:8]}")
    if path.exists():
        path.rename(old)
    staging.rename(path)
    shutil.rmtree(old, ignore_errors=True)
