"""Search: Chinese-aware full text with facets, on SQLite (FTS5) and PostgreSQL (tsvector)."""

from cunzhao.search.engine import FACET_LIMIT, RANK_LIMIT, search
from cunzhao.search.indexer import index_version, rebuild_index, unindex_document
from cunzhao.search.query import (
    MAX_QUERY_LENGTH,
    ParsedQuery,
    QuerySyntaxError,
    Term,
    parse_query,
)
from cunzhao.search.results import FACETS, FACT_FACETS, Facet, Hit, Results, Sort
from cunzhao.search.snippet import Snippet
from cunzhao.search.tables import create_search_schema, drop_search_schema

__all__ = [
    "FACETS",
    "FACET_LIMIT",
    "FACT_FACETS",
    "MAX_QUERY_LENGTH",
    "RANK_LIMIT",
    "Facet",
    "Hit",
    "ParsedQuery",
    "QuerySyntaxError",
    "Results",
    "Snippet",
    "Sort",
    "Term",
    "create_search_schema",
    "drop_search_schema",
    "index_version",
    "parse_query",
    "rebuild_index",
    "search",
    "unindex_document",
]
