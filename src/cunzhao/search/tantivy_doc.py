"""The tantivy index's schema and one document per indexed version.

Text fields get the very token stream SQLite's FTS5 table gets (``index_text``: positional
bigrams, one token per CJK character, Latin/digit words), split on spaces by a tokenizer of
our own (tantivy's ``whitespace`` analyzer would drop words of 40 bytes or more):

- ``title``, ``body``: the token streams, with positions (phrases);
- ``title1``, ``body1``: the first character of each token, Latin words whole
  (``first_chars``), at the same positions: a one-character query (the prefix ``网*`` of
  the SQL engines) is a term query here, and a phrase of Latin words and prefixes
  (``2023年`` → ``2023 年*``) a plain phrase query;
- ``year``, ``tag``, ``source``, ``collection``, ``action``, ``target``, ``category``: the
  facet values (``IndexEntry.facets``), untokenized fast fields: filters are term queries,
  facet counts are terms aggregations;
- ``doc`` and ``vid`` (indexed): the document and version ids, for updates and id filters;
- ``day`` (fast, indexed): the publish date as ``YYYYMMDD`` (absent when undated), for
  ``since``/``until``;
- ``order`` (fast): ``YYYYMMDD << 32 | version id``, the date order (newest first, undated
  last, then newest version) as one number, and the version id of a hit.

:data:`FORMAT` names this layout; an index folder stamped with another is rebuilt.
"""

from __future__ import annotations

from typing import Any

import tantivy

from cunzhao.search.entries import IndexEntry
from cunzhao.search.results import FACETS

__all__ = ["FORMAT", "ID_BITS", "TEXT_FIELDS", "document", "make_schema", "open_tokenizers",
           "order_key"]

FORMAT = 2
ID_BITS = 32
TOKENS = "cunzhao_tokens"
RAW = "cunzhao_raw"
TEXT_FIELDS = ("title", "body")


def make_schema() -> tantivy.Schema:
    """The schema of every cunzhao tantivy index (see the module docstring)."""
    builder = tantivy.SchemaBuilder()
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=TOKENS, index_option="position")
        builder.add_text_field(name + "1", tokenizer_name=TOKENS, index_option="position")
    for facet in FACETS:
        builder.add_text_field(facet, tokenizer_name=RAW, fast=True, index_option="basic")
    builder.add_unsigned_field("doc", indexed=True)
    builder.add_unsigned_field("vid", indexed=True)
    builder.add_unsigned_field("day", indexed=True, fast=True)
    builder.add_unsigned_field("order", fast=True)
    return builder.build()


def open_tokenizers(index: tantivy.Index) -> None:
    """Register the two analyzers the schema names (needed to write, not to read)."""
    raw = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw()).build()
    index.register_tokenizer(TOKENS, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
                             .build())
    index.register_tokenizer(RAW, raw)
    index.register_fast_field_tokenizer(RAW, raw)


def day_number(published: str | None) -> int | None:
    """``2024-01-31`` → 20240131 (digits padded to eight, so that numbers order as the
    strings do); None when undated."""
    digits = "".join(c for c in published or "" if c.isdigit())[:8]
    return int(digits.ljust(8, "0")) if digits else None


def order_key(published: str | None, version_id: int) -> int:
    """The date order as one number: larger is shown first."""
    if not 0 <= version_id < 1 << ID_BITS:
        raise ValueError(f"version id {version_id} does not fit the index's {ID_BITS} bits")
    return ((day_number(published) or 0) << ID_BITS) | version_id


def document(entry: IndexEntry, schema: tantivy.Schema) -> tantivy.Document:
    """The tantivy document of one index entry."""
    title, body = entry.index_texts()  # made by a parallel ingest's workers, or here
    title1, body1 = entry.index_chars()
    values: dict[str, Any] = {
        "title": title,
        "body": body,
        "title1": title1,
        "body1": body1,
        "doc": entry.document_id,
        "vid": entry.version_id,
        "order": order_key(entry.published, entry.version_id),
    }
    day = day_number(entry.published)
    if day is not None:
        values["day"] = day
    for facet, value in entry.facets():
        values.setdefault(facet, []).append(value)
    return tantivy.Document.from_dict(values, schema)
