"""The ``tantivy`` search engine: the index as a folder derived from the database.

Where: ``ARCHIVE.data/search/BUILD/`` beside a SQLite file; ``$CUNZHAO_DATA/search-DB/BUILD/``
for PostgreSQL database ``DB``; ``$CUNZHAO_SEARCH_INDEX/BUILD/`` when that is set (one
archive per setting). ``BUILD`` is ``search_state.build``: a rebuild writes a new folder
while readers use the old one, and the commit that records the new build switches them.

Consistency: the database is the record. A transaction that changes index entries raises
the generation and journals the documents (:mod:`cunzhao.search.state`); after it commits,
the writer *follows*: it re-reads those documents and commits them to tantivy, then stamps
the folder with the generation. Whoever uses the index (a search, the next ingest) compares
the stamp with the database first: equal, it reloads if need be; behind (a crash between the
two commits, another process's ingest), it catches up from the journal; missing, stamped
with another layout, ahead of the database (restored from a backup) or behind the journal's
start, the folder is built again from the database. A reader that cannot write the folder
(a read-only replica) or finds it busy for too long searches what the folder holds.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import tantivy
from sqlalchemy import Connection, select

from cunzhao.search.entries import IndexEntry, entries_for_versions
from cunzhao.search.index import SearchUnavailable
from cunzhao.search.plan import Found, Request
from cunzhao.search.query import ParsedQuery
from cunzhao.search.state import Pending, State, changed_documents, read_state
from cunzhao.search.tables import search_docs
from cunzhao.search.tantivy_doc import document, make_schema
from cunzhao.search.tantivy_folder import (
    Folder,
    IndexBusy,
    folder_at,
    new_folder,
    open_folder,
    read_stamp,
    write_stamp,
)
from cunzhao.search.tantivy_query import build_query, find
from cunzhao.store.filters import Filters, versions_reporting

__all__ = ["SEARCH_WAIT", "TantivyEngine", "index_root"]

log = logging.getLogger(__name__)

SEARCH_WAIT = 10.0
"""Seconds a search or a follow waits for another process writing the folder."""
SWEEP_AGE = 600.0
"""Folders of other builds are removed once this many seconds old and not being written."""
_BATCH = 500
_roots: dict[str, Path] = {}
_building = threading.Lock()


def index_root(conn: Connection) -> Path:
    """The folder holding this archive's index builds (fixed per process at first use)."""
    url = conn.engine.url
    key = url.render_as_string(hide_password=True)
    if key not in _roots:
        configured = os.environ.get("CUNZHAO_SEARCH_INDEX")
        if configured:
            root = Path(configured)
        elif url.get_backend_name() != "sqlite":
            root = Path(os.environ.get("CUNZHAO_DATA", "cunzhao-data")) / f"search-{url.database}"
        elif url.database and url.database != ":memory:":
            database = Path(url.database)
            root = database.with_name(database.name + ".data") / "search"
        else:
            root = Path(tempfile.mkdtemp(prefix="cunzhao-search-"))
        _roots[key] = root.expanduser().resolve()
    return _roots[key]


@cache
def _schema() -> tantivy.Schema:
    return make_schema()


class TantivyEngine:
    """The :class:`~cunzhao.search.index.SearchIndex` kept in a tantivy folder."""

    name = "tantivy"

    def __init__(self, root: Path, state: State) -> None:
        self.root = root
        self.state = state  # as read when the engine was chosen

    def insert(self, conn: Connection, entries: Sequence[IndexEntry]) -> None:
        """Nothing inside the transaction: the journal says what :meth:`follow` re-reads."""

    def delete(self, conn: Connection, version_ids: Sequence[int]) -> None:
        """Nothing inside the transaction (see :meth:`insert`)."""

    def follow(self, conn: Connection, pending: Pending | None = None) -> None:
        """After a commit: bring the folder up to the database, then sweep old builds."""
        state = self._current(conn, pending).loaded
        self._sweep(state.build)

    @contextmanager
    def rebuilding(
        self, conn: Connection, state: State
    ) -> Iterator[Callable[[Sequence[IndexEntry]], None]]:
        schema = _schema()
        with new_folder(self.root / state.build, state.build, state.generation) as writer:
            yield lambda entries: _add(writer, schema, entries)

    def find(
        self, conn: Connection, parsed: ParsedQuery, filters: Filters, request: Request
    ) -> Found:
        folder = self._current(conn)
        reporting_query = versions_reporting(filters)
        reporting = (None if reporting_query is None
                     else list(conn.execute(reporting_query).scalars()))
        query = build_query(folder.schema, parsed, filters, reporting)
        return find(folder.searcher(), query, request, has_terms=bool(parsed.groups))

    def _current(self, conn: Connection, pending: Pending | None = None) -> Folder:
        """The folder of the database's build, up to its generation where we may write."""
        state = self.state
        path = self.root / state.build
        folder = open_folder(path)
        if folder is not None and folder.current(state.generation):
            return folder  # the common case: one stat, no file to read
        folder = folder_at(path)
        stamp = read_stamp(path)
        if folder is None or stamp is None or _ahead(conn, stamp.generation, state):
            return self._build(conn, path, state)
        if stamp.generation < state.generation and folder.writable:
            try:
                return self._catch_up(conn, folder, state, pending)
            except IndexBusy as busy:
                log.warning("%s: searching what the index holds", busy)
        with folder.lock:  # changed since loaded (or behind, and not ours to catch up)
            folder.reload(stamp)
        return folder

    def _catch_up(
        self, conn: Connection, folder: Folder, state: State, pending: Pending | None
    ) -> Folder:
        """Apply the generations the folder lacks: ``pending`` as it is when it follows
        right on from the folder's stamp, the rest re-read through the journal."""
        with folder.lock, folder.writer(SEARCH_WAIT) as writer:
            stamp = read_stamp(folder.path)
            if stamp is None:
                raise IndexBusy(f"search index {folder.path} was replaced")
            if stamp.generation < state.generation:
                done = stamp.generation
                if pending is not None and pending.first == done + 1:
                    _replace(writer, set(pending.entries) | pending.removed,
                             list(pending.entries.values()))
                    done = pending.last
                changed = (set() if done >= state.generation
                           else changed_documents(conn, done, state.generation))
                if changed is None:  # the journal no longer reaches back: build again
                    writer.rollback()
                    return self._build(conn, folder.path, state)
                _apply(conn, writer, changed)
                writer.commit()
                stamp = type(stamp)(stamp.format, stamp.build, state.generation, stamp.instance)
                write_stamp(folder.path, stamp)
            folder.reload(stamp)
        return folder

    def _build(self, conn: Connection, path: Path, state: State) -> Folder:
        """Build the folder of the current build from the database (no database writes)."""
        with _building:
            found = folder_at(path)
            stamp = read_stamp(path)
            if found is not None and stamp is not None and stamp.generation == state.generation:
                return found  # built by another thread meanwhile
            if not _writable(path.parent):
                raise SearchUnavailable(
                    f"no usable search index at {path}, and it cannot be built here (the folder "
                    "is not writable): run `cunzhao reindex` where it can be written, or copy "
                    "the index folder here")
            log.info("building the search index %s from the database", path)
            schema = _schema()
            with new_folder(path, state.build, state.generation) as writer:
                ids = list(conn.execute(
                    select(search_docs.c.version_id).order_by(search_docs.c.version_id)
                ).scalars())
                for start in range(0, len(ids), _BATCH):
                    _add(writer, schema, entries_for_versions(conn, ids[start : start + _BATCH]))
            built = folder_at(path)
        if built is None:
            raise RuntimeError(f"search index {path} could not be built")
        return built

    def _sweep(self, current: str) -> None:
        """Remove folders of other builds (and abandoned staging folders) once they are
        :data:`SWEEP_AGE` old and no writer holds them."""
        if not self.root.is_dir():
            return
        for child in self.root.iterdir():
            if child.name == current or not child.is_dir():
                continue
            try:
                old = time.time() - child.stat().st_mtime > SWEEP_AGE
            except OSError:
                continue
            if old and not _locked(child):
                shutil.rmtree(child, ignore_errors=True)


def _ahead(conn: Connection, generation: int, state: State) -> bool:
    """Is the folder ahead of the database? Asked again on a connection of its own: the
    caller's snapshot may simply predate a commit that the folder already holds."""
    if generation <= state.generation:
        return False
    with conn.engine.connect() as fresh:
        now = read_state(fresh)
    return now.build == state.build and generation > now.generation


def _apply(conn: Connection, writer: tantivy.IndexWriter, documents: set[int]) -> None:
    """Replace these documents in the index with their indexed versions (or drop them)."""
    ids = sorted(documents)
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start : start + _BATCH]
        versions = list(conn.execute(
            select(search_docs.c.version_id).where(search_docs.c.document_id.in_(chunk))
        ).scalars())
        _replace(writer, chunk, entries_for_versions(conn, versions))


def _replace(writer: tantivy.IndexWriter, documents: Iterable[int],
             entries: Sequence[IndexEntry]) -> None:
    """Drop these documents from the index, then add ``entries`` (some of them, again)."""
    schema = _schema()
    # by query: delete_documents_by_term takes a Python int for a signed term
    writer.delete_documents_by_query(tantivy.Query.term_set_query(schema, "doc", sorted(documents)))
    _add(writer, schema, entries)


def _add(writer: tantivy.IndexWriter, schema: tantivy.Schema,
         entries: Sequence[IndexEntry]) -> None:
    for entry in entries:
        writer.add_document(document(entry, schema))


def _writable(folder: Path) -> bool:
    """Can this process create or change ``folder`` (its nearest existing ancestor)?"""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK)


def _locked(folder: Path) -> bool:
    """Does a tantivy writer hold this folder (its lock file is flock-ed)?"""
    lock = folder / ".tantivy-writer.lock"
    if not lock.exists():
        return False
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False
