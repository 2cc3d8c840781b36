"""Table definitions (SQLAlchemy Core), shared by SQLite and PostgreSQL.

Times are ISO-8601 UTC strings, dates ISO strings, money integer yuan; one code path for both
backends. Alembic migrations in ``store/migrations`` create exactly these tables.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("compression", String(16), nullable=False),  # "zlib" or "none"
    Column("data", LargeBinary, nullable=False),
)

captures = Table(
    "captures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), ForeignKey("blobs.sha256"), nullable=False, index=True),
    Column("source_kind", String(16), nullable=False),  # file | warc | http | memento
    Column("source", Text, nullable=False),  # path or URL the bytes were read from
    Column("target_url", Text),
    Column("captured_at", String(32)),
    Column("ingested_at", String(32), nullable=False),
    Column("tool_version", String(32), nullable=False),
    Column("content_type", Text),
    Column("http_headers", LargeBinary),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),  # canonical URL (or file: URI)
    Column("first_seen", String(32), nullable=False),
)

versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("capture_id", Integer, ForeignKey("captures.id"), nullable=False),
    Column("n", Integer, nullable=False),  # 1, 2, … in order of ingest
    Column("is_latest", Integer, nullable=False, server_default="1"),
    Column("title", Text, nullable=False),
    Column("series_tag", Text),
    Column("url", Text),
    Column("captured_at", String(32)),
    Column("published", String(10)),
    Column("body", Text, nullable=False),
    Column("body_folded", Text, nullable=False),
    Column("blocks", Text, nullable=False),  # JSON [[kind, level, text], …]
    Column("card", Text),  # JSON of the archive card, or NULL
    Column("source_site", Text),  # host of the original (card 来源, else the URL)
    Column("collection", Text),  # CDS收藏
    Column("encoding", String(32), nullable=False),
    Column("header_format", String(16), nullable=False),
    Column("parser_version", String(16), nullable=False),
    # undecodable byte sequences read as U+FFFD (migration 0007)
    Column("decode_errors", Integer, nullable=False, server_default="0"),
    UniqueConstraint("document_id", "n", name="uq_versions_document_n"),
    Index("ix_versions_document", "document_id"),
    Index("ix_versions_latest_published", "is_latest", "published"),
)

# --- extracted facts (migration 0002) -------------------------------------------------------

stats = Table(
    "stats",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False, index=True),
    Column("action", String(32), nullable=False),
    Column("object", String(32), nullable=False),
    Column("value", BigInteger, nullable=False),
    Column("qualifier", String(16), nullable=False),
    Column("period_start", String(10)),
    Column("period_end", String(10)),
    Column("scope", Text),
    Column("scope_entity_id", Text),  # the scope's entity (migration 0009), re-resolvable
    Column("evidence", Text, nullable=False),
    Column("ev_start", Integer, nullable=False),
    Column("ev_end", Integer, nullable=False),
    Column("extractor_version", String(16), nullable=False),
    Index("ix_stats_action_object", "action", "object"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False, index=True),
    Column("target_kind", String(16), nullable=False),
    Column("measures", Text, nullable=False),  # JSON list of action ids
    Column("regulator", Text),
    Column("regulator_entity_id", Text, index=True),  # the regulator's entity (migration 0009)
    Column("fine_cny", BigInteger),
    Column("categories", Text, nullable=False),  # JSON list of category ids
    Column("evidence", Text, nullable=False),
    Column("ev_start", Integer, nullable=False),
    Column("ev_end", Integer, nullable=False),
    Column("extractor_version", String(16), nullable=False),
)

case_targets = Table(
    "case_targets",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("name", Text, nullable=False, index=True),  # simplified form, as written
    Column("entity_id", Text, index=True),  # the name's entity (migration 0009), re-resolvable
)

# --- link checks (migration 0004) -----------------------------------------------------------
# One row per re-request of a document's original (``cunzhao check``). Rows are only ever
# added, so the table is the history: when a page was last seen alive and first seen gone.

link_checks = Table(
    "link_checks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("url", Text, nullable=False),  # the URL requested (the original, else the document's)
    Column("checked_at", String(32), nullable=False),  # ISO-8601 UTC
    Column("outcome", String(16), nullable=False),  # one of cunzhao.check.OUTCOMES
    Column("http_status", Integer),
    Column("final_url", Text),  # after redirects
    Column("detail", Text),  # why: "HTTP 404", "redirected to the home page", …
    Column("content_hash", String(64)),  # sha256 of the page's text, to see a change next time
    Column("capture_id", Integer, ForeignKey("captures.id")),  # the new capture, when changed
    Index("ix_link_checks_document_time", "document_id", "checked_at"),
    Index("ix_link_checks_outcome", "outcome"),
)

# --- following sources (migration 0005) -----------------------------------------------------

sync_urls = Table(
    "sync_urls",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False),  # the source's name in the configuration
    Column("url", Text, nullable=False),  # an article URL the source listed
    Column("first_seen", String(32), nullable=False),  # ISO-8601 UTC
    Column("state", String(16), nullable=False),  # one of SYNC_STATES
    Column("fetched_at", String(32)),
    Column("http_status", Integer),
    Column("etag", Text),  # validators for the next conditional request
    Column("last_modified", Text),
    Column("lastmod", Text),  # what the listing says (sitemap lastmod, feed updated)
    Column("content_sha256", String(64)),  # of the last body fetched
    Column("capture_id", Integer, ForeignKey("captures.id")),
    Column("detail", Text),  # why it failed or was filtered
    UniqueConstraint("source", "url", name="uq_sync_urls_source_url"),
    Index("ix_sync_urls_source_state", "source", "state"),
)

sync_runs = Table(
    "sync_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32)),  # NULL while running (or killed)
    Column("outcome", String(16), nullable=False),  # running | ok | failed
    Column("new", Integer, nullable=False, server_default="0"),
    Column("changed", Integer, nullable=False, server_default="0"),
    Column("unchanged", Integer, nullable=False, server_default="0"),
    Column("filtered", Integer, nullable=False, server_default="0"),
    Column("failed", Integer, nullable=False, server_default="0"),
    Column("requests", Integer, nullable=False, server_default="0"),
    Column("detail", Text),
    Index("ix_sync_runs_source_started", "source", "started_at"),
)

# --- entities (migration 0009) --------------------------------------------------------------
# Who cases name and who issued facts. Seeded from store/data/*.tsv (``entity_seed`` holds the
# seed's fingerprint), extended by names first seen in documents and by recorded edits; the
# fact rows above keep each name as written beside the entity id it resolves to, which
# ``cunzhao.store.entities.sync`` re-resolves whenever the seed or an edit changes.

entities = Table(
    "entities",
    metadata,
    Column("id", Text, primary_key=True),  # a stable slug
    Column("zh", Text, nullable=False),
    Column("en", Text),
    Column("kind", String(24), nullable=False),  # one of ENTITY_KINDS
    Column("parent", Text),  # an entity id
    Column("province", String(32)),  # a province id (regions.tsv)
    Column("level", String(16)),  # one of LEVELS (regulators)
    Column("source", Text, nullable=False),
    Column("merged_into", Text),  # set by a merge edit
)

entity_aliases = Table(
    "entity_aliases",
    metadata,
    Column("folded", Text, primary_key=True),  # the name folded (alias_key)
    Column("name", Text, nullable=False),  # as written
    Column("entity_id", Text, nullable=False, index=True),
    Column("source", Text, nullable=False),  # a data file, "extracted", or "edit N"
)

entity_edits = Table(
    "entity_edits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("op", String(16), nullable=False),  # alias | merge
    Column("name", Text, nullable=False),  # the alias, or the id of the entity merged away
    Column("entity_id", Text, nullable=False),
    Column("previous", Text),  # the entity the name resolved to before
    Column("edited_by", Text, nullable=False),
    Column("edited_at", String(32), nullable=False),
    Column("undone_by", Text),
    Column("undone_at", String(32)),
)

entity_seed = Table(
    "entity_seed",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1
    Column("fingerprint", String(64), nullable=False),  # of the data files last loaded
)
