"""The whole archive as a Frictionless data package: one file per table + ``datapackage.json``.

The package is written into a hidden sibling folder and renamed into place at the end, so an
interrupted export never leaves a folder that looks complete. ``datapackage.json`` describes
every column, states the licence of cunzhao's own data (the quoted texts stay their authors'),
its ``sources`` (the archive, and each site the exported documents' originals come from, with
their counts), the provenance (cunzhao and extractor versions, time, archive location without
password or folders, filters, counts) and each file's byte size and SHA-256.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select, union
from sqlalchemy.engine import make_url

from cunzhao import __version__
from cunzhao.clock import utc_now_iso
from cunzhao.digest import sha256_file
from cunzhao.export.columns import TABLE_INFO, TABLES
from cunzhao.export.tabular import FORMATS, iter_rows, stream, write_parquet
from cunzhao.store.filters import Filters, where_documents
from cunzhao.store.schema import captures, cases, documents, stats, versions
from cunzhao.store.urls import public_source

__all__ = ["LICENSE", "ExportTargetError", "PackageExport", "check_target", "export_package",
           "redact_location"]

LICENSE = {
    "name": "ODC-By-1.0",
    "path": "https://opendatacommons.org/licenses/by/1-0/",
    "title": "Open Data Commons Attribution License 1.0",
}
RIGHTS = (
    "ODC-By-1.0 covers what cunzhao derived: the tables, identifiers, extracted facts and "
    "provenance. The archived texts, and the evidence passages quoted from them, stay under "
    "the copyright of their authors and outlets, as each page's archive card states "
    "(documents.copyright, e.g. 该作品版权归原作者所有); cite the original publication."
)
OnRows = Callable[[str, int], None]


class ExportTargetError(Exception):
    """The output path cannot take an export; ``str()`` names the path and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class PackageExport:
    path: Path
    format: str
    rows: dict[str, int]  # table → rows written
    descriptor: dict[str, Any]


def check_target(out: Path, *, folder: bool) -> None:
    """Refuse an output that exists (a folder is fine when empty) or cannot be written."""
    if out.is_dir():
        if not folder:
            raise ExportTargetError(out, "is a folder; give a file name")
        if any(out.iterdir()):
            raise ExportTargetError(out, "exists and is not empty; choose a new or empty folder")
    elif out.exists() or out.is_symlink():
        raise ExportTargetError(out, "already exists; choose a new name")
    parent = out.absolute().parent
    if not parent.is_dir():
        problem = "is not a folder" if parent.exists() else "does not exist"
        raise ExportTargetError(out, f"parent {parent} {problem}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportTargetError(out, f"parent folder {parent} is not writable")


def export_package(
    conn: Connection, out_dir: str | Path, *, fmt: str = "csv",
    filters: Filters | None = None, all_versions: bool = False, location: str | None = None,
    query: str | None = None, on_rows: OnRows | None = None,
) -> PackageExport:
    """Write every table of :data:`TABLES` as ``fmt`` into the new folder ``out_dir``.

    ``query`` is recorded in the provenance when the documents were chosen by a search.
    ``on_rows(table, n)`` is called as rows are written (every few hundred) for progress.
    Raises :class:`ExportTargetError` for an unusable ``out_dir``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
    out = Path(out_dir)
    check_target(out, folder=True)
    filters = filters or Filters()
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial",
                                     dir=out.absolute().parent))
    except OSError as error:
        raise ExportTargetError(out, f"cannot write there ({error.strerror})") from None
    try:
        resources, rows = [], {}
        for table in TABLES:
            path = work / f"{table}.{FORMATS[fmt][0]}"
            rows[table] = _write_table(conn, table, filters, all_versions, fmt, path, on_rows)
            resources.append(_resource(table, fmt, path))
        descriptor = _descriptor(conn, resources, rows, filters, all_versions, location, fmt)
        if query is not None:
            descriptor["cunzhao"]["filters"]["query"] = query
        with open(work / "datapackage.json", "w", encoding="utf-8") as handle:
            json.dump(descriptor, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        if out.is_dir():
            out.rmdir()
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return PackageExport(out, fmt, rows, descriptor)


def _write_table(
    conn: Connection, table: str, filters: Filters, all_versions: bool, fmt: str, path: Path,
    on_rows: OnRows | None,
) -> int:
    counter = _Counter(table, on_rows)
    rows = counter.count(iter_rows(conn, table, filters, all_versions=all_versions))
    if fmt == "parquet":
        write_parquet(rows, TABLES[table], path)
    else:
        with open(path, "wb") as handle:
            handle.writelines(stream(rows, TABLES[table], fmt))
    counter.report()
    return counter.n


class _Counter:
    """Counts rows as they pass, reporting progress every ``step`` rows."""

    def __init__(self, table: str, on_rows: OnRows | None, step: int = 500) -> None:
        self.table, self.on_rows, self.step = table, on_rows, step
        self.n = self._reported = 0

    def count(self, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            self.n += 1
            if self.n - self._reported >= self.step:
                self.report()
            yield row

    def report(self) -> None:
        if self.on_rows and self.n != self._reported:
            self.on_rows(self.table, self.n - self._reported)
        self._reported = self.n


def _resource(table: str, fmt: str, path: Path) -> dict[str, Any]:
    info = TABLE_INFO[table]
    schema: dict[str, Any] = {"fields": [c.field() for c in TABLES[table]],
                              "missingValues": [""]}
    if info.primary_key:
        schema["primaryKey"] = list(info.primary_key)
    if info.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fields), "reference": {"resource": resource, "fields": list(ref)}}
            for fields, resource, ref in info.foreign_keys
        ]
    resource: dict[str, Any] = {
        "name": table, "path": path.name, "profile": "tabular-data-resource",
        "title": info.title, "description": info.description, "format": fmt,
        "mediatype": FORMATS[fmt][1].split(";")[0],
    }
    if fmt != "parquet":
        resource["encoding"] = "utf-8"
    resource.update({"bytes": path.stat().st_size, "hash": f"sha256:{sha256_file(path)}",
                     "schema": schema})
    return resource


def _descriptor(
    conn: Connection, resources: list[dict[str, Any]], rows: dict[str, int],
    filters: Filters, all_versions: bool, location: str | None, fmt: str,
) -> dict[str, Any]:
    from cunzhao.extract import EXTRACTOR_VERSION

    created = utc_now_iso()
    counts = {name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
              for name, t in (("documents", documents), ("versions", versions),
                              ("captures", captures))}
    used = sorted(conn.execute(union(select(stats.c.extractor_version),
                                     select(cases.c.extractor_version))).scalars())
    archive = redact_location(location or conn.engine.url.render_as_string(hide_password=True))
    chosen = {k: _plain(v) for k, v in asdict(filters).items() if v is not None}
    if all_versions:
        chosen["all_versions"] = True
    return {
        "profile": "tabular-data-package",
        "name": "cunzhao-archive",
        "title": "cunzhao archive: internet-regulation enforcement records (立此存照)",
        "description": "Documents, versions, extracted enforcement counts and cases, and "
        "consolidated counts, exported by cunzhao from an archive of pages kept by China "
        "Digital Times and others. Lists within a cell are joined with '|'. " + RIGHTS,
        "created": created,
        "licenses": [LICENSE],
        "sources": [{"title": f"cunzhao archive ({archive})", "path": archive},
                    *_site_sources(conn, filters)],
        "keywords": ["cunzhao", "立此存照", "internet regulation", "enforcement", "China"],
        "cunzhao": {
            "version": __version__, "extractor_version": EXTRACTOR_VERSION,
            "extractor_versions_in_archive": used, "archive": archive, "created": created,
            "format": fmt, "filters": chosen, "archive_counts": counts, "rows": rows,
            "rights": RIGHTS,
        },
        "resources": resources,
    }


def _site_sources(conn: Connection, filters: Filters) -> list[dict[str, str]]:
    """One Frictionless source per site of the exported documents' originals, most first."""
    query = where_documents(
        select(versions.c.source_site, versions.c.document_id)
        .where(versions.c.is_latest == 1, versions.c.source_site.is_not(None)),
        versions, filters, ids_in_sql=False)
    wanted = filters.document_ids
    sites = Counter(site for site, doc in conn.execute(query) if wanted is None or doc in wanted)
    return [{"title": f"{name} ({count} documents)", "path": f"https://{name}/"}
            for name, count in sorted(sites.items(), key=lambda kv: (-kv[1], kv[0]))]


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    return len(value) if isinstance(value, frozenset) else value  # ids: how many, not which


def redact_location(location: str) -> str:
    """A SQLite file's name (no folder of this machine); a database URL without its password
    (user info kept)."""
    if "://" not in location:
        return public_source(location)
    url = make_url(location)
    query = {k: v for k, v in url.query.items() if k.lower() not in ("password", "passfile")}
    return url.set(query=query).render_as_string(hide_password=True)
