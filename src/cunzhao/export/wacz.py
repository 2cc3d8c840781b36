"""Write the archive as a WACZ 1.1.1 package: the WARC, a CDXJ index, a page list, the
extracted facts as JSONL, and ``datapackage.json`` listing every file with its sha256.

Layout (``wacz validate`` checks it)::

    archive/data.warc.gz      the export of :mod:`cunzhao.export.warc` (stored, not deflated)
    indexes/index.cdx         CDXJ, sorted by SURT key and timestamp
    pages/pages.jsonl         one line per document version
    facts/facts.jsonl         a header line, then cunzhao's extracted stats and cases, one
                              JSON object a line, each with its document URL and version
    datapackage.json          resources with hash and size; datapackage-digest.json its hash

A capture whose blob is corrupt is left out of every part and named in ``corrupt``.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import surt  # type: ignore[import-untyped]
from sqlalchemy import Connection, select

from cunzhao import __version__
from cunzhao.clock import utc_now_iso
from cunzhao.digest import sha256_hex
from cunzhao.export.warc import IndexEntry, WarcExport, iter_export_records, write_warc
from cunzhao.store.blobs import CorruptBlob
from cunzhao.store.facts import case_from_row, load_targets
from cunzhao.store.filters import Filters
from cunzhao.store.schema import cases, documents, stats, versions

WACZ_VERSION = "1.1.1"
_WARC_NAME = "data.warc.gz"


@dataclass(frozen=True)
class WaczExport:
    path: Path
    records: int
    pages: int
    facts: int
    corrupt: list[CorruptBlob] = field(default_factory=list)  # captures left out, and why


def export_wacz(
    conn: Connection,
    out_path: str | Path,
    filters: Filters | None = None,
    *,
    title: str = "cunzhao archive",
) -> WaczExport:
    """Write the captures ``filters`` selects (as :func:`iter_export_records`) as a WACZ
    file at ``out_path``."""
    out = Path(out_path)
    records = iter_export_records(conn, filters)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".wacz-") as work:
        warc = write_warc(records, Path(work) / _WARC_NAME)
        version_keys = {(e.document_id, e.version_n) for e in warc.entries if e.is_page}
        pages = [e for e in warc.entries if e.is_page]
        files: dict[str, bytes | Path] = {
            "archive/" + _WARC_NAME: warc.path,
            "indexes/index.cdx": cdxj_lines(warc, _WARC_NAME).encode("utf-8"),
            "pages/pages.jsonl": _pages_jsonl(pages).encode("utf-8"),
        }
        facts = list(_iter_facts(conn, version_keys))
        # like pages.jsonl: a header object, then rows sharing its "id" and "type" keys (the
        # frictionless check in ``wacz validate`` reads JSONL as a table keyed by line one)
        header = {
            "format": "cunzhao-facts-1",
            "id": "facts",
            "type": "header",
            "software": f"cunzhao/{__version__}",
        }
        files["facts/facts.jsonl"] = "".join(
            json.dumps(f, ensure_ascii=False) + "\n" for f in [header, *facts]
        ).encode("utf-8")
        _write_zip(out, files, title)
    return WaczExport(out, warc.records, len(pages), len(facts), warc.corrupt)


def surt_key(url: str) -> str:
    """The SURT key CDXJ indexes sort by (``net,example)/path``), canonicalised by the
    Internet Archive's ``surt`` package exactly as pywb does when it looks a URL up."""
    key: str = surt.surt(url)
    return key


def cdxj_lines(warc: WarcExport, filename: str) -> str:
    """One CDXJ line per response/revisit/resource record, sorted."""
    lines = []
    for entry in warc.entries:
        fields: dict[str, str] = {"url": entry.url}
        fields["mime"] = "warc/revisit" if entry.record_type == "revisit" else entry.mime
        if entry.status:
            fields["status"] = entry.status
        fields.update(
            digest=entry.digest,
            length=str(entry.length),
            offset=str(entry.offset),
            filename=filename,
        )
        stamp = _timestamp14(entry.warc_date)
        lines.append(f"{surt_key(entry.url)} {stamp} {json.dumps(fields, ensure_ascii=False)}")
    lines.sort()
    return "".join(line + "\n" for line in lines)


def _pages_jsonl(pages: list[IndexEntry]) -> str:
    header = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
    lines = [json.dumps(header)]
    for entry in pages:
        page = {
            "id": hashlib.sha1(f"{entry.url} {entry.warc_date}".encode()).hexdigest()[:16],
            "url": entry.url,
            "ts": entry.warc_date,
            "title": entry.title or entry.url,
        }
        lines.append(json.dumps(page, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


def _iter_facts(
    conn: Connection, version_keys: set[tuple[int | None, int | None]]
) -> Iterator[dict[str, Any]]:
    """Stats and cases of the exported versions, each tagged with its document URL."""
    owner = [versions.c.document_id, versions.c.n, documents.c.url.label("document_url")]
    stat_query = (
        select(stats, *owner)
        .join(versions, versions.c.id == stats.c.version_id)
        .join(documents, documents.c.id == versions.c.document_id)
        .order_by(stats.c.id)
    )
    case_query = (
        select(cases, *owner)
        .join(versions, versions.c.id == cases.c.version_id)
        .join(documents, documents.c.id == versions.c.document_id)
        .order_by(cases.c.id)
    )
    for row in conn.execute(stat_query):
        if (row.document_id, row.n) in version_keys:
            yield _fact("stat", row._asdict())
    rows = [r for r in conn.execute(case_query) if (r.document_id, r.n) in version_keys]
    names = load_targets(conn, [r.id for r in rows])
    for row in rows:
        case = case_from_row(row._mapping, names[row.id])
        fact = _fact("case", row._asdict())
        fact.update(measures=list(case.measures), categories=list(case.categories),
                    targets=list(case.targets))
        yield fact


def _fact(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    fact_id = f"{kind}-{row.pop('id')}"
    row.pop("version_id", None)
    row["version"] = row.pop("n")
    return {"id": fact_id, "type": kind, **row}


def _write_zip(out: Path, files: dict[str, bytes | Path], title: str) -> None:
    resources = []
    with zipfile.ZipFile(out, "w", allowZip64=True) as package:
        for name, content in files.items():
            # WARCs are stored so replay tools can read records by range; text is deflated
            method = zipfile.ZIP_STORED if name.startswith("archive/") else zipfile.ZIP_DEFLATED
            digest, size = _write_member(package, name, content, method)
            resources.append({"name": Path(name).name, "path": name, "hash": digest, "bytes": size})
        datapackage = json.dumps(
            {
                "profile": "data-package",
                "title": title,
                "resources": resources,
                "created": utc_now_iso(),
                "wacz_version": WACZ_VERSION,
                "software": f"cunzhao/{__version__}",
            },
            indent=2,
            ensure_ascii=False,
        ).encode("utf-8")
        package.writestr("datapackage.json", datapackage, zipfile.ZIP_DEFLATED)
        package_digest = {"path": "datapackage.json", "hash": _sha256(datapackage)}
        package.writestr("datapackage-digest.json", json.dumps(package_digest, indent=2))


def _write_member(
    package: zipfile.ZipFile, name: str, content: bytes | Path, method: int
) -> tuple[str, int]:
    if isinstance(content, bytes):
        package.writestr(name, content, method)
        return _sha256(content), len(content)
    hasher = hashlib.sha256()
    size = 0
    info = zipfile.ZipInfo(name, datetime.now(UTC).timetuple()[:6])
    info.compress_type = method
    with open(content, "rb") as src, package.open(info, "w", force_zip64=True) as dst:
        while chunk := src.read(1 << 20):
            hasher.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return "sha256:" + hasher.hexdigest(), size


def _sha256(data: bytes) -> str:
    return "sha256:" + sha256_hex(data)


def _timestamp14(warc_date: str) -> str:
    digits = "".join(ch for ch in warc_date if ch.isdigit())
    return (digits + "00000000000000")[:14]
