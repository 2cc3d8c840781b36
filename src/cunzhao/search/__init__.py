"""Search: Chinese-aware full text with facets, on SQLite (FTS5) and PostgreSQL (tsvector)."""

from cunzhao.search.engine import search
from cunzhao.search.indexer import index_version, rebuild_index, unindex_document
from cunzhao.search.query import ParsedQuery, QuerySyntaxError, Term, parse_query
from cunzhao.search.results import FACETS, CaseFact, Hit, Results, SearchFilters, StatFact
from cunzhao.search.snippet import Snippet
from cunzhao.search.tables import create_search_schema, drop_search_schema

__all__ = [
    "FACETS",
    "CaseFact",
    "Hit",
    "ParsedQuery",
    "QuerySyntaxError",
    "Results",
    "SearchFilters",
    "Snippet",
    "StatFact",
    "Term",
    "create_search_schema",
    "drop_search_schema",
    "index_version",
    "parse_query",
    "rebuild_index",
    "search",
    "unindex_document",
]
