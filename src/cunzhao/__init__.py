"""cunzhao (立此存照): an archive of internet-regulation enforcement records.

The public API: the facade and the values each stage hands on::

    from cunzhao import Archive
    from cunzhao.extract import extract   # text → Facts (pure)
    from cunzhao.search import search     # query → Results

``extract`` and ``search`` live in their stage packages: a function and a subpackage cannot
share one name on this package. Names load on first use (PEP 562), so ``cunzhao --help``
does not pay for every stage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cunzhao.lazy_exports import lazy_exports

__version__ = "0.1.0"

if TYPE_CHECKING:
    from cunzhao.archive import Archive
    from cunzhao.capture import Capture, CaptureError, Skipped
    from cunzhao.extract import Case, Facts, Period, Stat
    from cunzhao.fold import fold
    from cunzhao.ingest import IngestResult, IngestSummary
    from cunzhao.parse import Block, Card, Link, Page, ParseError, parse_capture
    from cunzhao.search import QuerySyntaxError, Results, SearchFilters
    from cunzhao.store.migrate import NeedsMigration

_WHERE = {
    "Archive": "cunzhao.archive",
    "IngestResult": "cunzhao.ingest",
    "IngestSummary": "cunzhao.ingest",
    "Capture": "cunzhao.capture",
    "CaptureError": "cunzhao.capture",
    "Skipped": "cunzhao.capture",
    "Block": "cunzhao.parse",
    "Card": "cunzhao.parse",
    "Link": "cunzhao.parse",
    "Page": "cunzhao.parse",
    "ParseError": "cunzhao.parse",
    "parse_capture": "cunzhao.parse",
    "Case": "cunzhao.extract",
    "Facts": "cunzhao.extract",
    "Period": "cunzhao.extract",
    "Stat": "cunzhao.extract",
    "QuerySyntaxError": "cunzhao.search",
    "Results": "cunzhao.search",
    "SearchFilters": "cunzhao.search",
    "NeedsMigration": "cunzhao.store.migrate",
    "fold": "cunzhao.fold",
}

__all__ = [
    "Archive",
    "Block",
    "Capture",
    "CaptureError",
    "Card",
    "Case",
    "Facts",
    "IngestResult",
    "IngestSummary",
    "Link",
    "NeedsMigration",
    "Page",
    "ParseError",
    "Period",
    "QuerySyntaxError",
    "Results",
    "SearchFilters",
    "Skipped",
    "Stat",
    "__version__",
    "fold",
    "parse_capture",
]


__getattr__ = lazy_exports("cunzhao", _WHERE)


def __dir__() -> list[str]:
    return sorted(__all__)
