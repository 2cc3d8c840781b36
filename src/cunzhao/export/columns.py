"""The exported tables' columns: name, type, meaning and the constraints that always hold.

Types are Frictionless Table Schema types. ``datapackage.json`` is written from these lists,
the writers in :mod:`cunzhao.export.tabular` put columns in this order, and Parquet types
follow from them (date → date32, datetime → timestamp UTC). Dates and times travel as
ISO-8601 strings (times in UTC with a ``Z``) in CSV and JSONL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pyarrow as pa

__all__ = ["SEARCH_COLUMNS", "TABLES", "TABLE_INFO", "Column", "TableInfo", "arrow_schema"]

Kind = Literal["integer", "number", "string", "boolean", "date", "datetime"]
_SHA256 = "^[0-9a-f]{64}$"
_LIST = "joined with '|'"


@dataclass(frozen=True)
class Column:
    name: str
    type: Kind
    description: str
    required: bool = False
    unique: bool = False
    minimum: int | None = None
    pattern: str | None = None

    def field(self) -> dict[str, Any]:
        """The Table Schema field descriptor."""
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.pattern is not None:
            constraints["pattern"] = self.pattern
        out: dict[str, Any] = {"name": self.name, "type": self.type,
                               "description": self.description}
        if constraints:
            out["constraints"] = constraints
        return out


def _doc_ref() -> tuple[Column, Column]:
    return (Column("document_id", "integer", "Document id (documents.id).", required=True),
            Column("version_n", "integer", "Version number within the document (versions.n).",
                   required=True, minimum=1))


def _evidence() -> tuple[Column, ...]:
    return (
        Column("evidence", "string", "The sentence span the fact was read from, quoted.",
               required=True),
        Column("ev_start", "integer", "Start offset (characters) of the evidence in the "
               "version's clean body text (`cunzhao show`).", required=True, minimum=0),
        Column("ev_end", "integer", "End offset (exclusive) of the evidence in the body text.",
               required=True, minimum=0),
        Column("extractor_version", "string", "Version of cunzhao's extractor that found it.",
               required=True),
    )


TABLES: dict[str, tuple[Column, ...]] = {
    "documents": (
        Column("id", "integer", "Document id, stable within this archive.", required=True,
               unique=True),
        Column("url", "string", "Canonical URL of the archived page (for a page without one, "
               "its file name, which two such pages may share).", required=True),
        Column("title", "string", "Title of the latest version.", required=True),
        Column("series_tag", "string", "Series tag from the title's 【】, e.g. 404文库."),
        Column("published", "date", "Publish date stated by the archive card or header."),
        Column("captured_at", "datetime", "When the latest version was captured (UTC)."),
        Column("original_url", "string", "Link to the original publication (来源), unwrapped "
               "from web-archive links."),
        Column("archive_url", "string", "Web-archive link to the original given in the card."),
        Column("source_site", "string", "Host name of the original publication."),
        Column("collection", "string", "CDS收藏 hall the page is filed under, e.g. 公民馆."),
        Column("copyright", "string", "The card's 版权说明 (copyright statement), verbatim."),
        Column("first_seen", "datetime", "When this archive first ingested the document (UTC).",
               required=True),
        Column("sha256", "string", "SHA-256 of the latest version's preserved bytes.",
               required=True, pattern=_SHA256),
        Column("versions", "integer", "How many distinct versions were captured.",
               required=True, minimum=1),
    ),
    "versions": (
        Column("document_id", "integer", "Document id (documents.id).", required=True),
        Column("n", "integer", "Version number: 1, 2, … in order of ingest.", required=True,
               minimum=1),
        Column("is_latest", "boolean", "Whether this is the document's current version.",
               required=True),
        Column("title", "string", "Title of this version.", required=True),
        Column("published", "date", "Publish date stated in this version."),
        Column("captured_at", "datetime", "When this version was captured (UTC)."),
        Column("ingested_at", "datetime", "When cunzhao ingested it (UTC).", required=True),
        Column("sha256", "string", "SHA-256 of the preserved bytes, exactly as captured.",
               required=True, pattern=_SHA256),
        Column("bytes", "integer", "Size of the preserved bytes.", required=True, minimum=0),
        Column("source_kind", "string", "How the bytes arrived: file, warc, http or memento.",
               required=True),
        Column("source", "string", "The URL the bytes were fetched from, or the name of the "
               "file or WARC record (#offset) they were read from, without its folders.",
               required=True),
        Column("parser_version", "string", "Version of cunzhao's parser.", required=True),
        Column("tool_version", "string", "cunzhao version that ingested it.", required=True),
    ),
    "stats": (
        *_doc_ref(),
        Column("action", "string", "Enforcement action id, e.g. summon, close_account (extract/data/actions.tsv).",
               required=True),
        Column("object", "string", "What was acted on, e.g. website, account.", required=True),
        Column("value", "integer", "The count as reported.", required=True, minimum=0),
        Column("qualifier", "string", "exact; at_least (余/多/以上, or a range's lower bound); approx (约/近/左右); at_most.",
               required=True),
        Column("period_start", "date", "First day of the period the count covers."),
        Column("period_end", "date", "Last day of the period the count covers."),
        Column("scope", "string", "Who reports the count, e.g. 全国网信系统."),
        *_evidence(),
    ),
    "cases": (
        *_doc_ref(),
        Column("title", "string", "Title of the version stating the case.", required=True),
        Column("published", "date", "Publish date of that version."),
        Column("url", "string", "URL of the document (its file name for a page without one).",
               required=True),
        Column("targets", "string", f"Named targets (platforms, companies, accounts), {_LIST}."),
        Column("target_kind", "string", "Kind of target, e.g. platform, account.",
               required=True),
        Column("measures", "string", f"Action ids taken against the targets, {_LIST}."),
        Column("regulator", "string", "The regulator named, if any."),
        Column("fine_cny", "integer", "Fine in yuan, if one is stated.", minimum=0),
        Column("categories", "string", f"Category ids of the violation, {_LIST}."),
        *_evidence(),
    ),
    "consolidated_stats": (
        Column("scope", "string", "Who reports the count."),
        Column("action", "string", "Enforcement action id.", required=True),
        Column("object", "string", "What was acted on.", required=True),
        Column("period_start", "date", "First day of the period."),
        Column("period_end", "date", "Last day of the period."),
        Column("value", "integer", "The count; several documents may state it.", required=True,
               minimum=0),
        Column("qualifier", "string", "exact, at_least, approx or at_most.", required=True),
        Column("conflict", "boolean", "Another value is reported for the same scope, action, "
               "object and period: both rows are kept, never merged.", required=True),
        Column("document_ids", "string", f"Ids of every document stating this value, {_LIST}.",
               required=True),
        Column("documents", "integer", "How many documents state it.", required=True,
               minimum=1),
    ),
}

SEARCH_COLUMNS: tuple[Column, ...] = (
    Column("rank", "integer", "Position in the search results, from 1.", required=True,
           minimum=1),
    Column("document_id", "integer", "Document id.", required=True),
    Column("title", "string", "Title.", required=True),
    Column("published", "date", "Publish date."),
    Column("series_tag", "string", "Series tag."),
    Column("url", "string", "URL of the archived page."),
    Column("source_site", "string", "Host of the original."),
    Column("collection", "string", "CDS收藏 hall."),
    Column("score", "number", "Relevance score (0 without search terms)."),
    Column("snippet", "string", "The text around the matches."),
    Column("stats", "string", f"Counts found, as action:object=value, {_LIST}."),
    Column("case_targets", "string", f"Targets of the cases found, {_LIST}."),
)


@dataclass(frozen=True)
class TableInfo:
    title: str
    description: str
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()


_TO_VERSION = ((("document_id", "version_n"), "versions", ("document_id", "n")),)
TABLE_INFO: dict[str, TableInfo] = {
    "documents": TableInfo("Documents", "One row per archived document, described by its "
                           "latest version.", ("id",)),
    "versions": TableInfo("Versions", "Every captured version of each document, with the "
                          "hash of its preserved bytes.", ("document_id", "n"),
                          ((("document_id",), "documents", ("id",)),)),
    "stats": TableInfo("Enforcement counts", "Counts stated in each document (e.g. websites "
                       "summoned in a year), with their evidence.", (), _TO_VERSION),
    "cases": TableInfo("Enforcement cases", "Named targets and the measures taken against "
                       "them, with their evidence.", (), _TO_VERSION),
    "consolidated_stats": TableInfo("Consolidated counts", "Each count once, however many "
                                    "documents repeat it; conflicting values flagged."),
}


def arrow_schema(columns: tuple[Column, ...]) -> pa.Schema:
    """The Parquet (Arrow) schema of ``columns``; required columns are not nullable."""
    types = {"integer": pa.int64(), "number": pa.float64(), "string": pa.string(),
             "boolean": pa.bool_(), "date": pa.date32(), "datetime": pa.timestamp("us", "UTC")}
    return pa.schema([pa.field(c.name, types[c.type], nullable=not c.required) for c in columns])
