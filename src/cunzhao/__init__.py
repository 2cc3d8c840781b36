"""cunzhao (立此存照): an archive of internet-regulation enforcement records.

The public API — the facade and the records it hands out; the CLI and the web app use
nothing else::

    from cunzhao import Archive, Filters
    with Archive.open("cunzhao.db") as archive:
        results = archive.search("约谈", Filters(tag="立此存照"))

Pure functions of the stages are re-exported too (``extract_facts`` is
``cunzhao.extract.extract``: a function and a subpackage cannot share one name here). Names
load on first use (PEP 562), so ``cunzhao --help`` does not pay for every stage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cunzhao.lazy_exports import lazy_exports

__version__ = "0.1.0"

if TYPE_CHECKING:
    from cunzhao.archive import Archive
    from cunzhao.capture.http import FetchOutcome, FetchPolicy
    from cunzhao.capture.model import Capture, CaptureError, Skipped
    from cunzhao.capture.sources import iter_captures
    from cunzhao.check.run import CHECK_POLICY, LinkCheck
    from cunzhao.check.status import GoneDocument
    from cunzhao.clock import parse_duration
    from cunzhao.export.datapackage import ExportTargetError, PackageExport, check_target
    from cunzhao.export.tabular import FORMATS, SEARCH_COLUMNS, TABLES, stream
    from cunzhao.export.wacz import WaczExport
    from cunzhao.export.warc import WarcExport
    from cunzhao.extract import Case, Facts, Period, Stat
    from cunzhao.extract import extract as extract_facts
    from cunzhao.extract.evaluate import EvalReport, GoldError, evaluate
    from cunzhao.extract.lexicon import action_label, category_label, object_label
    from cunzhao.extract.vocabulary import (
        VOCABULARIES,
        UnknownValue,
        Vocabulary,
        resolve_value,
        vocabulary,
    )
    from cunzhao.fold import fold
    from cunzhao.ingest import IngestResult, IngestSummary
    from cunzhao.parse import Block, Card, Link, Page, ParseError, parse_capture
    from cunzhao.scale.cluster import ClusterUnavailable
    from cunzhao.scale.driver import ScanReport
    from cunzhao.scale.driver import scan as scan_paths
    from cunzhao.scale.driver import write_parquet as prepare_to_parquet
    from cunzhao.scale.parquet import PartitionsIncomplete
    from cunzhao.scale.pool import default_jobs
    from cunzhao.search import FACETS, MAX_QUERY_LENGTH, Hit, QuerySyntaxError, Results
    from cunzhao.search.results import Sort
    from cunzhao.search.snippet import Snippet
    from cunzhao.sources.config import (
        DEFAULT_CONFIG,
        ConfigError,
        add_source,
        load_sources,
        parse_source,
        remove_source,
    )
    from cunzhao.sources.model import SOURCE_KINDS, Source
    from cunzhao.store.backup import BackupError, BackupReport
    from cunzhao.store.blobs import CorruptBlob
    from cunzhao.store.case_events import CaseEvent, CaseSource
    from cunzhao.store.consolidate import Figure, FigureSource
    from cunzhao.store.copy import CopyMismatch, CopyRefused, CopyReport
    from cunzhao.store.coverage import Coverage
    from cunzhao.store.entities.cases import EntityCase, EntityCount, Role
    from cunzhao.store.entities.issuers import ISSUER_GROUPS, IssuerGroup, level_labels
    from cunzhao.store.entities.model import (
        ENTITY_KINDS,
        LEVELS,
        Entity,
        EntityEdit,
        IssuerCount,
        Province,
        UnknownEntity,
    )
    from cunzhao.store.entities.places import UnknownProvince
    from cunzhao.store.entities.seed import provinces
    from cunzhao.store.fact_ids import FactKind, fact_id, fact_ids
    from cunzhao.store.failures import ReadOnlyArchive
    from cunzhao.store.filters import Filters
    from cunzhao.store.link_checks import OUTCOMES as CHECK_OUTCOMES
    from cunzhao.store.migrate import NeedsMigration, NewerSchema
    from cunzhao.store.permalinks import FactView
    from cunzhao.store.reader import DocumentSummary, DocumentView, VersionInfo
    from cunzhao.store.recent import RecentFact
    from cunzhao.store.timeline import (
        GRANULARITIES,
        Granularity,
        Series,
        SeriesPoint,
        period_bucket,
        series_of,
    )
    from cunzhao.store.urls import public_source
    from cunzhao.store.verify import VerifyProblem, VerifyReport
    from cunzhao.sync.notify import notify
    from cunzhao.sync.run import SyncReport

_WHERE = {
    "Archive": "cunzhao.archive",
    "FetchOutcome": "cunzhao.capture.http",
    "FetchPolicy": "cunzhao.capture.http",
    "Capture": "cunzhao.capture.model",
    "CaptureError": "cunzhao.capture.model",
    "Skipped": "cunzhao.capture.model",
    "CHECK_POLICY": "cunzhao.check.run",
    "LinkCheck": "cunzhao.check.run",
    "GoneDocument": "cunzhao.check.status",
    "parse_duration": "cunzhao.clock",
    "parse_source": "cunzhao.sources.config",
    "SyncReport": "cunzhao.sync.run",
    "notify": "cunzhao.sync.notify",
    "ExportTargetError": "cunzhao.export.datapackage",
    "PackageExport": "cunzhao.export.datapackage",
    "check_target": "cunzhao.export.datapackage",
    "FORMATS": "cunzhao.export.tabular",
    "SEARCH_COLUMNS": "cunzhao.export.tabular",
    "TABLES": "cunzhao.export.tabular",
    "stream": "cunzhao.export.tabular",
    "WaczExport": "cunzhao.export.wacz",
    "WarcExport": "cunzhao.export.warc",
    "Case": "cunzhao.extract.model",
    "Facts": "cunzhao.extract.model",
    "Period": "cunzhao.extract.model",
    "Stat": "cunzhao.extract.model",
    "extract_facts": "cunzhao.extract:extract",
    "EvalReport": "cunzhao.extract.evaluate",
    "GoldError": "cunzhao.extract.evaluate",
    "evaluate": "cunzhao.extract.evaluate",
    "action_label": "cunzhao.extract.lexicon",
    "category_label": "cunzhao.extract.lexicon",
    "object_label": "cunzhao.extract.lexicon",
    "fold": "cunzhao.fold",
    "IngestResult": "cunzhao.ingest",
    "IngestSummary": "cunzhao.ingest",
    "iter_captures": "cunzhao.capture.sources",
    "Block": "cunzhao.parse",
    "Card": "cunzhao.parse",
    "Link": "cunzhao.parse",
    "Page": "cunzhao.parse",
    "ParseError": "cunzhao.parse",
    "parse_capture": "cunzhao.parse",
    "ClusterUnavailable": "cunzhao.scale.cluster",
    "ScanReport": "cunzhao.scale.driver",
    "scan_paths": "cunzhao.scale.driver:scan",
    "prepare_to_parquet": "cunzhao.scale.driver:write_parquet",
    "PartitionsIncomplete": "cunzhao.scale.parquet",
    "default_jobs": "cunzhao.scale.pool",
    "FACETS": "cunzhao.search",
    "MAX_QUERY_LENGTH": "cunzhao.search",
    "Hit": "cunzhao.search",
    "QuerySyntaxError": "cunzhao.search",
    "Results": "cunzhao.search",
    "Sort": "cunzhao.search.results",
    "Snippet": "cunzhao.search.snippet",
    "DEFAULT_CONFIG": "cunzhao.sources.config",
    "ConfigError": "cunzhao.sources.config",
    "add_source": "cunzhao.sources.config",
    "load_sources": "cunzhao.sources.config",
    "remove_source": "cunzhao.sources.config",
    "SOURCE_KINDS": "cunzhao.sources.model",
    "Source": "cunzhao.sources.model",
    "Figure": "cunzhao.store.consolidate",
    "FigureSource": "cunzhao.store.consolidate",
    "CaseEvent": "cunzhao.store.case_events",
    "CaseSource": "cunzhao.store.case_events",
    "CopyMismatch": "cunzhao.store.copy",
    "CopyRefused": "cunzhao.store.copy",
    "CopyReport": "cunzhao.store.copy",
    "BackupError": "cunzhao.store.backup",
    "BackupReport": "cunzhao.store.backup",
    "VerifyProblem": "cunzhao.store.verify",
    "VerifyReport": "cunzhao.store.verify",
    "CorruptBlob": "cunzhao.store.blobs",
    "Filters": "cunzhao.store.filters",
    "NeedsMigration": "cunzhao.store.migrate",
    "NewerSchema": "cunzhao.store.migrate",
    "ReadOnlyArchive": "cunzhao.store.failures",
    "CHECK_OUTCOMES": "cunzhao.store.link_checks:OUTCOMES",
    "DocumentSummary": "cunzhao.store.reader",
    "DocumentView": "cunzhao.store.reader",
    "VersionInfo": "cunzhao.store.reader",
    "RecentFact": "cunzhao.store.recent",
    "GRANULARITIES": "cunzhao.store.timeline",
    "EntityCase": "cunzhao.store.entities.cases",
    "EntityCount": "cunzhao.store.entities.cases",
    "Role": "cunzhao.store.entities.cases",
    "ENTITY_KINDS": "cunzhao.store.entities.model",
    "LEVELS": "cunzhao.store.entities.model",
    "Entity": "cunzhao.store.entities.model",
    "EntityEdit": "cunzhao.store.entities.model",
    "IssuerCount": "cunzhao.store.entities.model",
    "Province": "cunzhao.store.entities.model",
    "UnknownEntity": "cunzhao.store.entities.model",
    "UnknownProvince": "cunzhao.store.entities.places",
    "provinces": "cunzhao.store.entities.seed",
    "ISSUER_GROUPS": "cunzhao.store.entities.issuers",
    "IssuerGroup": "cunzhao.store.entities.issuers",
    "level_labels": "cunzhao.store.entities.issuers",
    "Granularity": "cunzhao.store.timeline",
    "Series": "cunzhao.store.timeline",
    "SeriesPoint": "cunzhao.store.timeline",
    "period_bucket": "cunzhao.store.timeline",
    "series_of": "cunzhao.store.timeline",
    "VOCABULARIES": "cunzhao.extract.vocabulary",
    "UnknownValue": "cunzhao.extract.vocabulary",
    "Vocabulary": "cunzhao.extract.vocabulary",
    "resolve_value": "cunzhao.extract.vocabulary",
    "vocabulary": "cunzhao.extract.vocabulary",
    "Coverage": "cunzhao.store.coverage",
    "FactKind": "cunzhao.store.fact_ids",
    "fact_id": "cunzhao.store.fact_ids",
    "fact_ids": "cunzhao.store.fact_ids",
    "FactView": "cunzhao.store.permalinks",
    "public_source": "cunzhao.store.urls",
}

__all__ = [
    "CHECK_OUTCOMES",
    "CHECK_POLICY",
    "DEFAULT_CONFIG",
    "ENTITY_KINDS",
    "FACETS",
    "FORMATS",
    "GRANULARITIES",
    "ISSUER_GROUPS",
    "LEVELS",
    "MAX_QUERY_LENGTH",
    "SEARCH_COLUMNS",
    "SOURCE_KINDS",
    "TABLES",
    "VOCABULARIES",
    "Archive",
    "BackupError",
    "BackupReport",
    "Block",
    "Capture",
    "CaptureError",
    "Card",
    "Case",
    "CaseEvent",
    "CaseSource",
    "ClusterUnavailable",
    "ConfigError",
    "CopyMismatch",
    "CopyRefused",
    "CopyReport",
    "CorruptBlob",
    "Coverage",
    "DocumentSummary",
    "DocumentView",
    "Entity",
    "EntityCase",
    "EntityCount",
    "EntityEdit",
    "EvalReport",
    "ExportTargetError",
    "FactKind",
    "FactView",
    "Facts",
    "FetchOutcome",
    "FetchPolicy",
    "Figure",
    "FigureSource",
    "Filters",
    "GoldError",
    "GoneDocument",
    "Granularity",
    "Hit",
    "IngestResult",
    "IngestSummary",
    "IssuerCount",
    "IssuerGroup",
    "Link",
    "LinkCheck",
    "NeedsMigration",
    "NewerSchema",
    "PackageExport",
    "Page",
    "ParseError",
    "PartitionsIncomplete",
    "Period",
    "Province",
    "QuerySyntaxError",
    "ReadOnlyArchive",
    "RecentFact",
    "Results",
    "Role",
    "ScanReport",
    "Series",
    "SeriesPoint",
    "Skipped",
    "Snippet",
    "Sort",
    "Source",
    "Stat",
    "SyncReport",
    "UnknownEntity",
    "UnknownProvince",
    "UnknownValue",
    "VerifyProblem",
    "VerifyReport",
    "VersionInfo",
    "Vocabulary",
    "WaczExport",
    "WarcExport",
    "__version__",
    "action_label",
    "add_source",
    "category_label",
    "check_target",
    "default_jobs",
    "evaluate",
    "extract_facts",
    "fact_id",
    "fact_ids",
    "fold",
    "iter_captures",
    "level_labels",
    "load_sources",
    "notify",
    "object_label",
    "parse_capture",
    "parse_duration",
    "parse_source",
    "period_bucket",
    "prepare_to_parquet",
    "provinces",
    "public_source",
    "remove_source",
    "resolve_value",
    "scan_paths",
    "series_of",
    "stream",
    "vocabulary",
]

__getattr__ = lazy_exports("cunzhao", _WHERE)


def __dir__() -> list[str]:
    return sorted(__all__)
