"""The library facade: ``Archive.open(location)`` and every operation on an archive.

The CLI and the web app call this class (and the public types ``cunzhao`` re-exports) and
nothing below it; a test fails when they import a stage module. Below the facade, query
functions take a ``Connection``: the facade owns connections and transactions. Each capture
lands whole or not at all: captures are committed in batches, and a batch in which anything
fails is rolled back and replayed one capture per transaction.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import Connection, Engine, func, select

from cunzhao.store.consolidate import Figure, figures
from cunzhao.store.engine import change_marker, is_local_file, open_engine
from cunzhao.store.entities.cases import EntityCase, EntityCount, Role
from cunzhao.store.filters import Filters
from cunzhao.store.migrate import ensure_current, upgrade
from cunzhao.store.reader import (
    DocumentSummary,
    DocumentView,
    count_documents,
    document_view,
    find_document_id,
    list_documents,
    raw_bytes,
)
from cunzhao.store.recent import RecentFact, recent_documents, recent_facts
from cunzhao.store.schema import captures, documents, versions
from cunzhao.store.urls import canonical_url
from cunzhao.store.writer import replace_facts

if TYPE_CHECKING:
    from cunzhao.capture.http import FetchOutcome, FetchPolicy
    from cunzhao.capture.model import Capture
    from cunzhao.check.run import Clock, LinkCheck
    from cunzhao.check.status import GoneDocument
    from cunzhao.export.datapackage import OnRows, PackageExport
    from cunzhao.export.wacz import WaczExport
    from cunzhao.export.warc import WarcExport
    from cunzhao.ingest import IngestResult, IngestSummary
    from cunzhao.search.results import Results, Sort
    from cunzhao.sources import Source
    from cunzhao.store.backup import BackupReport
    from cunzhao.store.case_events import CaseEvent
    from cunzhao.store.copy import CopyReport
    from cunzhao.store.coverage import Coverage
    from cunzhao.store.entities.issuers import IssuerGroup
    from cunzhao.store.entities.model import Entity, EntityEdit, IssuerCount
    from cunzhao.store.fact_ids import FactKind
    from cunzhao.store.permalinks import FactView
    from cunzhao.store.verify import VerifyReport
    from cunzhao.sync.run import SyncReport

__all__ = ["Archive"]


class Archive:
    """An archive of captures, documents and facts in SQLite (default) or PostgreSQL."""

    def __init__(self, engine: Engine, location: str, *, read_only: bool = False) -> None:
        self.engine = engine
        self.location = location
        self.read_only = read_only

    @classmethod
    def open(
        cls, location: str | Path, *, create: bool = True, read_only: bool = False
    ) -> Archive:
        """Open (and, for a new file, create) the archive at a SQLite path or PostgreSQL URL.

        ``read_only``: the archive must exist, and every connection refuses writes.
        Raises ``FileNotFoundError`` for a SQLite file that does not exist when it may not be
        created, and ``NeedsMigration`` when the archive was written by an older schema.
        """
        if (read_only or not create) and is_local_file(location) \
                and not Path(location).expanduser().is_file():
            raise FileNotFoundError(f"no archive at {location}")
        engine = open_engine(location, read_only=read_only)
        try:
            ensure_current(engine, create=create and not read_only)
            archive = cls(engine, str(location), read_only=read_only)
            if not read_only:
                archive._sync_entities()  # a new archive, or new data files: seed again
        except BaseException:
            engine.dispose()
            raise
        return archive

    @staticmethod
    def migrate(location: str | Path) -> tuple[str | None, str]:
        """Upgrade an archive's schema in place; returns (revision before, revision after).

        Then indexes what the search index misses (after ``0003_search``, which creates the
        index empty; see that migration).
        """
        from cunzhao.ingest import complete_index

        engine = open_engine(location)
        try:
            revisions = upgrade(engine)
            Archive(engine, str(location))._sync_entities()
            with engine.begin() as conn:
                complete_index(conn)
            return revisions
        finally:
            engine.dispose()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def data_dir(self) -> Path:
        """Folder for files kept beside the database (WARCs written by ``capture``)."""
        if self.engine.dialect.name == "sqlite" and self.engine.url.database:
            path = Path(self.engine.url.database)
            return path.with_name(path.name + ".data")
        return Path(os.environ.get("CUNZHAO_DATA", "cunzhao-data"))

    def change_marker(self) -> Callable[[], object]:
        """A function whose value changes whenever the archive may have changed (for caches)."""
        return change_marker(self.engine)

    # --- ingest -----------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[Path],
        on_result: Callable[[IngestResult], None] | None = None,
        *,
        batch_size: int = 200,
        batch_bytes: int = 32 << 20,
        jobs: int = 1,
        cluster: str | None = None,
    ) -> IngestSummary:
        """Ingest files and folders (recursively): pages, and WARC files record by record.

        Captures are written in batches of ``batch_size`` (or ``batch_bytes``) per transaction;
        a batch in which anything fails is replayed one capture per transaction, so a bad
        capture fails alone (see ``cunzhao.ingest``). ``on_result`` hears of each capture once
        its batch is committed. ``jobs`` > 1: that many worker processes read, parse, extract
        and tokenise, and this process writes; ``cluster`` (``local:N`` or a Dask scheduler's
        address): Dask workers do (``cunzhao.scale``). The archive is the same either way.
        """
        from cunzhao.ingest import ingest_items, ingest_paths

        if jobs <= 1 and cluster is None:
            return ingest_paths(self.engine, paths, on_result,
                                batch_size=batch_size, batch_bytes=batch_bytes)
        from cunzhao.scale.driver import prepared_items

        with closing(prepared_items(paths, jobs=jobs, cluster=cluster)) as items:
            return ingest_items(self.engine, items, on_result,
                                batch_size=batch_size, batch_bytes=batch_bytes)

    def load(
        self, folder: Path, on_result: Callable[[IngestResult], None] | None = None
    ) -> IngestSummary:
        """Write the Parquet partitions of ``ingest --to-parquet`` or ``scan --to-parquet``
        (``cunzhao.scale.parquet``) as an ingest of their input would; ``PartitionsIncomplete``
        when the run that wrote them did not finish."""
        from cunzhao.ingest import ingest_items
        from cunzhao.scale.parquet import read_partitions

        with closing(read_partitions(folder)) as items:
            return ingest_items(self.engine, items, on_result)

    def ingest_capture(self, capture: Capture) -> IngestResult:
        """Preserve, parse, extract, store and index one capture in its own transaction."""
        from cunzhao.ingest import ingest_capture

        return ingest_capture(self.engine, capture)

    def capture(
        self, urls: Iterable[str], policy: FetchPolicy, *, memento: str | None = None
    ) -> list[tuple[FetchOutcome, IngestResult | None]]:
        """Fetch ``urls`` into a WARC under :attr:`data_dir`, then ingest each answer."""
        from cunzhao.capture.http import capture_urls

        outcomes = capture_urls(list(urls), self.data_dir / "warc", policy, memento_base=memento)
        return [(o, self.ingest_capture(o.capture) if o.capture is not None else None)
                for o in outcomes]

    def sync(
        self, sources: list[Source], policy: FetchPolicy, *, refresh: bool = False,
        on_url: Callable[[str, str], None] | None = None,
    ) -> list[SyncReport]:
        """Bring the archive up to date from ``sources``: list, fetch what is new or updated
        (all known URLs, conditionally, with ``refresh``), ingest; one report per source.
        Exchanges are kept in a WARC under :attr:`data_dir`."""
        from cunzhao.sync.run import sync_sources

        return sync_sources(self.engine, sources, self.data_dir / "warc", policy,
                            refresh=refresh, on_url=on_url)

    def check(
        self, *, since: date | None = None, recheck: bool = False, concurrency: int = 4,
        policy: FetchPolicy | None = None, clock: Clock | None = None,
    ) -> list[LinkCheck]:
        """Re-request each document's original (published on or after ``since``; with
        ``recheck`` only those now gone or unreachable) and record alive, changed, redirected,
        gone, unreachable or error; a changed page is ingested as a new version. ``clock``
        gives the time each check is recorded at (default: when its answer came)."""
        from cunzhao.check import check_documents
        from cunzhao.check.run import CHECK_POLICY

        return check_documents(self.engine, self.data_dir / "warc", since=since,
                               recheck=recheck, concurrency=concurrency,
                               policy=policy or CHECK_POLICY, clock=clock)

    def reextract(
        self, on_progress: Callable[[int], None] | None = None, batch: int = 200
    ) -> dict[str, int]:
        """Re-run extraction over every version (after a lexicon change), batch by batch."""
        from cunzhao.extract import EXTRACTOR_VERSION, extract
        from cunzhao.search.entries import entries_for_versions
        from cunzhao.search.indexer import follow, index_entries

        with self.engine.connect() as conn:
            ids = list(conn.execute(select(versions.c.id).order_by(versions.c.id)).scalars())
        totals = {"versions": 0, "stats": 0, "cases": 0}
        for i in range(0, len(ids), batch):
            with self.engine.begin() as conn:
                rows = conn.execute(
                    select(versions.c.id, versions.c.body, versions.c.body_folded,
                           versions.c.published, versions.c.is_latest)
                    .where(versions.c.id.in_(ids[i : i + batch]))
                )
                latest = []
                for row in rows.all():
                    published = date.fromisoformat(row.published) if row.published else None
                    facts = extract(row.body, published, folded=row.body_folded)
                    replace_facts(conn, row.id, facts, EXTRACTOR_VERSION)
                    if row.is_latest:
                        latest.append(row.id)
                    totals["versions"] += 1
                    totals["stats"] += len(facts.stats)
                    totals["cases"] += len(facts.cases)
                # the index's fact facets (action, target …) follow
                index_entries(conn, entries_for_versions(conn, latest))
            if on_progress:
                on_progress(min(i + batch, len(ids)))
        self._sync_entities(force=True)  # names no fact holds any more lose their entity
        with self.engine.connect() as conn:
            follow(conn)  # a search index kept outside the database catches up
        return totals

    def reindex(
        self, progress: Callable[[int, int], None] | None = None, *, engine: str | None = None
    ) -> int:
        """Rebuild the search index from the latest version of every document; ``engine``
        (``tantivy`` or ``sql``) switches the archive's search engine."""
        from cunzhao.search.indexer import following, rebuild_index

        with self.engine.connect() as conn, following(conn), conn.begin():
            return rebuild_index(conn, progress=progress, engine=engine)

    def copy_to(
        self, location: str | Path, on_batch: Callable[[str, int], None] | None = None
    ) -> CopyReport:
        """Copy the whole archive to another one (e.g. SQLite → PostgreSQL), or bring an
        earlier copy up to date (only the rows that differ are written; resumable); then
        rebuild the target's search index and verify every table's rows by checksum and every
        blob's sha256 (raises ``CopyMismatch``, or ``CopyRefused`` when the target is not a
        copy of this archive)."""
        from cunzhao.store.copy import copy_archive

        with Archive.open(location, create=True) as target:
            report = copy_archive(self.engine, target.engine, on_batch=on_batch)
            report.indexed = target.reindex()  # the store copies rows; the index is rebuilt
            return report

    def verify(
        self, *, quick: bool = False, on_progress: Callable[[str, int], None] | None = None
    ) -> VerifyReport:
        """Check the whole archive, its fsck: every blob re-hashed, one right latest version
        per document, every version's title, body and blocks against a new parse of its blob
        (skipped when ``quick``), the search index against the store. Reads one snapshot and
        writes nothing to the database (a tantivy index folder catches up first, as the next
        search would); the report lists each problem (what, which id, why)."""
        from cunzhao.search.verify import catch_up, verify_index
        from cunzhao.store.verify import VerifyReport, verify_store

        stale = catch_up(self.engine)
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            report = verify_store(conn, VerifyReport(), quick=quick, on_progress=on_progress)
            report.problems.extend([stale] if stale else [])
            return verify_index(conn, report, on_progress)

    def backup(self, dest: str | Path) -> BackupReport:
        """Write a consistent backup of the archive, in use or not, to the new file ``dest``:
        SQLite's online backup (itself an archive), or ``pg_dump``'s custom format for
        PostgreSQL (restore with ``pg_restore``). Raises ``BackupError`` saying why not."""
        from cunzhao.store.backup import backup_archive

        return backup_archive(self.engine, Path(dest))

    # --- read -------------------------------------------------------------------------

    def documents(
        self, filters: Filters | None = None, *, limit: int | None = None, offset: int = 0
    ) -> list[DocumentSummary]:
        """Documents, newest publish date (else capture date) first, with their latest title."""
        with self.engine.connect() as conn:
            return list_documents(conn, self._entity_filters(filters), limit=limit, offset=offset)

    def count_documents(self, filters: Filters | None = None) -> int:
        """How many documents ``filters`` selects."""
        with self.engine.connect() as conn:
            return count_documents(conn, self._entity_filters(filters))

    def recent_documents(
        self, limit: int = 50, filters: Filters | None = None
    ) -> list[DocumentSummary]:
        """The documents the archive got last (``first_seen``, newest first), whatever
        their publish date; ``filters`` as for :meth:`documents`."""
        with self.engine.connect() as conn:
            return recent_documents(conn, limit, self._entity_filters(filters))

    def recent_facts(self, limit: int = 50) -> list[RecentFact]:
        """The newest stats and cases of latest versions (by when that version's capture was
        ingested, newest first), each with its document and evidence."""
        with self.engine.connect() as conn:
            return recent_facts(conn, limit)

    def document(self, ref: str | int, version: int | None = None) -> DocumentView | None:
        """A document by id or URL (its latest version unless ``version`` is given).

        Raises ``LookupError`` when the document has no such version.
        """
        from cunzhao.check import link_status

        with self.engine.connect() as conn:
            document_id = self._resolve(conn, ref)
            if document_id is None:
                return None
            view = document_view(conn, document_id, version)
        status = link_status(self.engine, document_id)
        if status is None:
            return view
        return replace(view, source_status={
            "url": status.url, "outcome": status.outcome, "checked_at": status.checked_at,
            "gone": status.gone, "first_gone": status.first_gone,
            "last_alive": status.last_alive, "detail": status.detail,
        })

    def gone_documents(
        self, *, sightings: int | None = None, after: timedelta | None = None
    ) -> list[GoneDocument]:
        """Documents whose original is confirmed gone at its source — seen gone at least
        ``sightings`` times (default 2), the first and latest at least ``after`` apart (default
        24 h), not alive since — first gone first, with when each was last seen alive.
        Raises ``ValueError`` for sightings < 1 or a negative ``after``."""
        from cunzhao.check import GONE_AFTER, GONE_SIGHTINGS, gone_documents

        return gone_documents(
            self.engine,
            sightings=GONE_SIGHTINGS if sightings is None else sightings,
            after=GONE_AFTER if after is None else after,
        )

    def raw(self, ref: str | int, version: int | None = None) -> bytes:
        """The preserved bytes of a document's version, exactly as captured."""
        with self.engine.connect() as conn:
            document_id = self._resolve(conn, ref)
            if document_id is None:
                raise LookupError(f"no document {ref!r} in this archive")
            return raw_bytes(conn, document_id, version)

    def counts(self) -> dict[str, int]:
        """How many documents, versions, captures the archive holds."""
        with self.engine.connect() as conn:
            return {
                "documents": conn.execute(select(func.count()).select_from(documents)).scalar_one(),
                "versions": conn.execute(select(func.count()).select_from(versions)).scalar_one(),
                "captures": conn.execute(select(func.count()).select_from(captures)).scalar_one(),
            }

    def figures(self, filters: Filters | None = None) -> list[Figure]:
        """Counts reported across documents, one per (scope, action, object, period, value)."""
        with self.engine.connect() as conn:
            return figures(conn, filters)

    # --- permalinks and coverage (issue 16) ------------------------------------------

    def fact(self, kind: FactKind, ident: str) -> FactView | None:
        """The stat or case whose permalink id is ``ident`` (``6-1-3fa9b2c1``, see
        :mod:`cunzhao.store.fact_ids`), with its version and the other documents reporting
        the same; None when no fact of that kind has this id now."""
        from cunzhao.store.permalinks import find_fact

        with self.engine.connect() as conn:
            return find_fact(conn, kind, ident)

    def coverage(self) -> Coverage:
        """What the archive holds: date range, documents by year and by source site, how many
        carry facts, the last ingest and sync, and how many originals are confirmed gone."""
        from cunzhao.store.coverage import coverage

        with self.engine.connect() as conn:
            found = coverage(conn)
        return replace(found, gone=len(self.gone_documents()))

    # --- entities (docs/entities.md) ------------------------------------------------

    def entity(self, name: str) -> Entity | None:
        """The entity ``name`` names: any name as written, alias (微博, 新浪微博, Weibo), its
        traditional or full-width form, or an id; None when none does."""
        from cunzhao.store.entities.read import find_entity

        with self.engine.connect() as conn:
            return find_entity(conn, name)

    def entities(
        self, role: Role | None = None, *, kind: str | None = None, include_empty: bool = False
    ) -> list[EntityCount]:
        """The entities named in cases (as target or regulator, of one ``kind``), most cases
        first; ``include_empty`` adds every other entity, with zero counts."""
        from cunzhao.store.entities.cases import entity_counts

        with self.engine.connect() as conn:
            return entity_counts(conn, role, kind=kind, include_empty=include_empty)

    def entity_cases(
        self, entity: Entity | str, *, include_children: bool = False
    ) -> list[EntityCase]:
        """Every case naming the entity (or a name of it) as target or regulator, oldest
        first; ``include_children`` adds the cases of the entities below it (百度 → 百度贴吧),
        each marked by its ``entity``. An unknown name has none."""
        from cunzhao.store.entities.cases import entity_cases
        from cunzhao.store.entities.read import descendants, find_entity

        with self.engine.connect() as conn:
            found = find_entity(conn, entity) if isinstance(entity, str) else entity
            if found is None:
                return []
            ids = [found.id, *(descendants(conn, found.id) if include_children else [])]
            return entity_cases(conn, ids)

    def suggest_entities(self, name: str, limit: int = 5) -> list[Entity]:
        """The entities whose names come closest to ``name`` (edit distance, then characters
        in common), closest first."""
        from cunzhao.store.entities.read import suggest

        with self.engine.connect() as conn:
            return suggest(conn, name, limit)

    def alias_entity(self, name: str, entity: str, *, by: str | None = None) -> EntityEdit:
        """Record that ``name`` names ``entity`` (a name, alias or id), by ``by`` (default:
        the user); stored names re-resolve. Raises ``UnknownEntity`` (with suggestions) or
        ``ValueError`` (an empty name, or one that already names it)."""
        from cunzhao.store.entities.edits import add_alias

        return self._edit_entities(lambda conn: add_alias(conn, name, entity, by=_user(by)))

    def merge_entities(self, name: str, into: str, *, by: str | None = None) -> EntityEdit:
        """Record that the entity ``name`` is the entity ``into``: its names, cases and
        children move there. Raises ``UnknownEntity`` or ``ValueError`` (one entity)."""
        from cunzhao.store.entities.edits import merge

        return self._edit_entities(lambda conn: merge(conn, name, into, by=_user(by)))

    def undo_entity_edit(self, edit_id: int, *, by: str | None = None) -> EntityEdit:
        """Undo an alias or merge (kept in the log as undone, by whom and when); stored names
        re-resolve. Raises ``LookupError`` (no such edit) or ``ValueError`` (undone already)."""
        from cunzhao.store.entities.edits import undo

        return self._edit_entities(lambda conn: undo(conn, edit_id, by=_user(by)))

    def entity_edits(self) -> list[EntityEdit]:
        """Every alias and merge recorded, oldest first, undone ones included."""
        from cunzhao.store.entities.edits import edit_log

        with self.engine.connect() as conn:
            return edit_log(conn)

    def issuer_counts(self, group: IssuerGroup = "province") -> list[IssuerCount]:
        """Cases and consolidated figures by the province (all 31) or the level of the
        regulator that issued them, most first."""
        from cunzhao.store.entities.issuers import issuer_counts

        with self.engine.connect() as conn:
            return issuer_counts(conn, group)

    def case_events(
        self, filters: Filters | None = None, *, entity: str | None = None,
        regulator: str | None = None, province: str | None = None,
        with_children: bool = False,
    ) -> list[CaseEvent]:
        """Cases counted once: one ``CaseEvent`` per enforcement act, with every document
        reporting it (the rule: :mod:`cunzhao.store.case_events`, docs/cases.md), oldest first.

        ``filters``: ``action`` a measure id, ``category`` a category id, ``since``/``until``
        the event's first report; the rest select the reporting documents. ``entity``: any name
        of an entity the event names as target or regulator; ``regulator``: any name of the
        office that issued it; ``with_children``: their children too (百度 → 百度贴吧, 安徽省网信办
        → 滁州市网信办); ``province``: a province's id or name (北京, Beijing), for events issued
        by its offices. Raises ``UnknownEntity`` or ``UnknownProvince`` (with the closest) for a
        name none has.
        """
        from cunzhao.store.case_events import case_events
        from cunzhao.store.entities.model import UnknownEntity
        from cunzhao.store.entities.places import (
            UnknownProvince,
            closest_provinces,
            find_province,
        )
        from cunzhao.store.entities.read import descendants, find_entity, suggest

        with self.engine.connect() as conn:
            named: list[list[str] | None] = []
            for name in (entity, regulator):
                found = None if name is None else find_entity(conn, name)
                if name is not None and found is None:
                    raise UnknownEntity(name, suggest(conn, name))
                named.append(None if found is None else [
                    found.id, *(descendants(conn, found.id) if with_children else [])])
            place = None if province is None else find_province(province)
            if province is not None and place is None:
                raise UnknownProvince(province, closest_provinces(province))
            return case_events(conn, self._entity_filters(filters), entities=named[0],
                               regulators=named[1], province=place.id if place else None)

    def _edit_entities(self, edit: Callable[[Connection], tuple[EntityEdit, Any]]) -> EntityEdit:
        from cunzhao.store.engine import writing

        with writing(self.engine).begin() as conn:
            done, report = edit(conn)
            self._reindex_versions(conn, report.versions)
        return done

    def _sync_entities(self, *, force: bool = False) -> None:
        """Seed the entities when the data files changed (or ``force``), re-resolve stored
        names, and re-index the versions whose targets' canonical names changed."""
        from cunzhao.store.engine import writing
        from cunzhao.store.entities.seed import seed
        from cunzhao.store.entities.sync import sync_entities
        from cunzhao.store.failures import ReadOnlyArchive
        from cunzhao.store.schema import entity_seed

        if not force:
            with self.engine.connect() as conn:
                if conn.execute(select(entity_seed.c.fingerprint)).scalar() == seed().fingerprint:
                    return
        try:
            with writing(self.engine).begin() as conn:
                report = sync_entities(conn, force=force)
                if report is not None:
                    self._reindex_versions(conn, report.versions)
        except ReadOnlyArchive:
            return  # read-only media: served with the entities it has

    @staticmethod
    def _reindex_versions(conn: Connection, version_ids: list[int]) -> None:
        from cunzhao.search.entries import entries_for_versions
        from cunzhao.search.indexer import index_entries

        for i in range(0, len(version_ids), 200):
            index_entries(conn, entries_for_versions(conn, version_ids[i : i + 200]))

    def _entity_filters(self, filters: Filters | None) -> Filters | None:
        """``filters`` with its target turned into the canonical name of the entity it names
        (Weibo, 新浪微博 → 微博); a name no entity has is left as it is."""
        if filters is None or filters.target is None:
            return filters
        found = self.entity(filters.target)
        return filters if found is None else replace(filters, target=found.zh)

    # --- search -----------------------------------------------------------------------

    def search(
        self, query: str = "", filters: Filters | None = None, *, sort: Sort = "relevance",
        page: int = 1, per_page: int = 20, facets: bool = True, all_versions: bool = False,
    ) -> Results:
        """One page of hits for ``query`` (raises ``QuerySyntaxError``), with facet counts.
        ``all_versions``: also the documents only an earlier version matches, after the others,
        each hit saying which version matched (:mod:`cunzhao.search.earlier`)."""
        from cunzhao.search import search
        from cunzhao.search.earlier import search_all_versions

        find = search_all_versions if all_versions else search
        with self.engine.connect() as conn:
            return find(conn, query, self._entity_filters(filters), sort=sort, page=page,
                        per_page=per_page, facets=facets)

    def search_rows(
        self, query: str, filters: Filters | None = None, *, sort: Sort = "relevance"
    ) -> Iterator[dict[str, Any]]:
        """Every hit of a search as export rows, streamed. The query is checked at once:
        ``QuerySyntaxError`` is raised by this call, not mid-stream."""
        from cunzhao.search import parse_query

        parse_query(query)
        wanted = self._entity_filters(filters)
        return self._stream(lambda conn: _search_rows(conn, query, wanted, sort))

    # --- export -----------------------------------------------------------------------

    def rows(
        self, table: str, filters: Filters | None = None, *, all_versions: bool = False
    ) -> Iterator[dict[str, Any]]:
        """The rows of an export table (``documents``, ``versions``, ``stats``, ``cases``,
        ``consolidated_stats``), streamed; ``ValueError`` at once for an unknown table."""
        from cunzhao.export.tabular import TABLES, iter_rows

        if table not in TABLES:
            raise ValueError(f"unknown table {table!r} (one of: {', '.join(TABLES)})")
        wanted = self._entity_filters(filters)
        return self._stream(lambda conn: iter_rows(conn, table, wanted,
                                                   all_versions=all_versions))

    def count_rows(
        self, table: str, filters: Filters | None = None, *, all_versions: bool = False
    ) -> int | None:
        """How many rows :meth:`rows` will give (None when only streaming can tell)."""
        from cunzhao.export.tabular import count_rows

        with self.engine.connect() as conn:
            return count_rows(conn, table, self._entity_filters(filters), all_versions=all_versions)

    def export_package(
        self, out_dir: str | Path, *, fmt: str = "csv", filters: Filters | None = None,
        all_versions: bool = False, query: str | None = None, on_rows: OnRows | None = None,
    ) -> PackageExport:
        """Write every table as a Frictionless data package into the new folder ``out_dir``."""
        from cunzhao.export.datapackage import export_package

        with self.engine.connect() as conn:
            return export_package(conn, out_dir, fmt=fmt, filters=self._entity_filters(filters),
                                  all_versions=all_versions, location=self.location,
                                  query=query, on_rows=on_rows)

    def export_warc(self, out_path: str | Path, filters: Filters | None = None) -> WarcExport:
        """Write the captures of the selected documents (all, unfiltered) as a WARC file."""
        from cunzhao.export.warc import export_warc

        with self.engine.connect() as conn:
            return export_warc(conn, out_path, self._entity_filters(filters))

    def export_wacz(self, out_path: str | Path, filters: Filters | None = None) -> WaczExport:
        """Write the captures of the selected documents, an index, pages and facts as WACZ."""
        from cunzhao.export.wacz import export_wacz

        with self.engine.connect() as conn:
            return export_wacz(conn, out_path, self._entity_filters(filters))

    def _stream(
        self, rows: Callable[[Connection], Iterator[dict[str, Any]]]
    ) -> Iterator[dict[str, Any]]:
        with self.engine.connect() as conn:
            yield from rows(conn)

    @staticmethod
    def _resolve(conn: Connection, ref: str | int) -> int | None:
        found = find_document_id(conn, ref)
        if found is None and isinstance(ref, str) and "://" in ref:
            found = find_document_id(conn, canonical_url(ref))
        return found


def _search_rows(
    conn: Connection, query: str, filters: Filters | None, sort: Sort
) -> Iterator[dict[str, Any]]:
    from cunzhao.export.tabular import iter_search_rows

    return iter_search_rows(conn, query, filters, sort=sort)


def _user(by: str | None) -> str:
    """Who makes an edit: ``by``, else the login name."""
    import getpass

    if by:
        return by
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 — no login name (a container without one)
        return "unknown"
