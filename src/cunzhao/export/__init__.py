"""Export: the archive written out in other tools' formats (WARC, WACZ, tables).

Table exports (names load on first use, PEP 562, so importing ``cunzhao.export.warc`` does
not load pyarrow)::

    from cunzhao.export import export_package, iter_rows, iter_search_rows, stream
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cunzhao.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from cunzhao.export.datapackage import ExportTargetError, PackageExport, export_package
    from cunzhao.export.tabular import (
        FORMATS,
        SEARCH_COLUMNS,
        TABLES,
        iter_rows,
        iter_search_rows,
        stream,
    )

_WHERE = {
    "ExportTargetError": "cunzhao.export.datapackage",
    "PackageExport": "cunzhao.export.datapackage",
    "export_package": "cunzhao.export.datapackage",
    "FORMATS": "cunzhao.export.tabular",
    "SEARCH_COLUMNS": "cunzhao.export.tabular",
    "TABLES": "cunzhao.export.tabular",
    "iter_rows": "cunzhao.export.tabular",
    "iter_search_rows": "cunzhao.export.tabular",
    "stream": "cunzhao.export.tabular",
}

__all__ = [
    "FORMATS",
    "SEARCH_COLUMNS",
    "TABLES",
    "ExportTargetError",
    "PackageExport",
    "export_package",
    "iter_rows",
    "iter_search_rows",
    "stream",
]


__getattr__ = lazy_exports("cunzhao.export", _WHERE)
