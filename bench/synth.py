"""Synthetic archives: the real corpus re-ingested under new URLs, N documents in all.

Each corpus page is read and parsed once (and its facts extracted, when the extract stage is
installed); document i, a copy of page i mod 383, gets the URL ``<url>?synth=i`` with its own capture row
(pointing at the page's one blob), version, facts and search-index entry, written through
the store's own writer functions. Commits every ``batch`` documents, so memory stays flat.

    python bench/synth.py ARCHIVE N [--corpus DIR] [--batch 500] [--bulk]

``--bulk`` writes the documents first and builds the search index afterwards in one pass
(``rebuild_index``). The last line printed is a JSON object with the timings and peak RSS.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import resource
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from cunzhao import __version__
from cunzhao.archive import Archive
from cunzhao.capture.model import Capture
from cunzhao.clock import utc_now_iso
from cunzhao.digest import sha256_hex
from cunzhao.parse import PARSER_VERSION, Page, parse_capture
from cunzhao.search import index_version
from cunzhao.store.blobs import put_blob
from cunzhao.store.writer import add_capture, add_version, document_for

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@dataclasses.dataclass(frozen=True)
class Source:
    path: Path
    data: bytes
    sha: str
    page: Page
    facts: Any  # cunzhao.extract.model.Facts, or None without the extract stage


def corpus_files(corpus: Path) -> list[Path]:
    """Every page of the corpus (``*.md`` except the README), in a stable order."""
    return sorted(p for p in corpus.rglob("*.md") if p.name != "README.md")


def load_sources(corpus: Path) -> list[Source]:
    extract = _extractor()
    sources = []
    for path in corpus_files(corpus):
        data = path.read_bytes()
        page = parse_capture(Capture(data, str(path)))
        facts = extract[0](page.body, page.published) if extract else None
        sources.append(Source(path, data, sha256_hex(data), page, facts))
    return sources


def _extractor() -> tuple[Callable[..., Any], str] | None:
    try:
        module = importlib.import_module("cunzhao.extract")
        return module.extract, str(module.EXTRACTOR_VERSION)
    except (ImportError, AttributeError):
        return None


def synth_pages(sources: list[Source], n: int) -> Iterator[tuple[Source, str]]:
    """``n`` (source, url) pairs cycling through the pages, document i at ``<url>?synth=i``.

    Every URL is new (the corpus holds several captures of some URLs, here separate
    documents), so each pair becomes one document with one version.
    """
    for i in range(n):
        source = sources[i % len(sources)]
        base = source.page.url or source.path.as_uri()
        yield source, f"{base}{'&' if '?' in base else '?'}synth={i}"


def build(
    engine: Engine, sources: list[Source], n: int, *, batch: int = 500, index: bool = True,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write ``n`` synthetic documents into the (migrated) archive behind ``engine``.

    ``index=False`` leaves the search index alone (for a bulk ``rebuild_index`` afterwards).
    """
    from cunzhao.store.writer import replace_facts

    extract = _extractor()
    now = utc_now_iso()
    pairs = synth_pages(sources, n)
    done = 0
    with engine.begin() as conn:
        for source in sources:
            put_blob(conn, source.data, source.sha)
    while done < n:
        with engine.begin() as conn:
            for source, url in (next(pairs) for _ in range(min(batch, n - done))):
                capture = Capture(source.data, str(source.path), target_url=url)
                capture_id = add_capture(conn, capture, source.sha, ingested_at=now,
                                         tool_version=__version__,
                                         captured_at=source.page.captured_at)
                document_id, created = document_for(conn, url, now=now)
                if not created:
                    raise SystemExit(f"{url} is already in the archive: use a new one")
                page = dataclasses.replace(source.page, url=url)
                version_id = add_version(conn, document_id, capture_id, page,
                                         parser_version=PARSER_VERSION, first=True).id
                if extract and source.facts is not None:
                    replace_facts(conn, version_id, source.facts, extract[1], fresh=True)
                if index:
                    index_version(conn, version_id)
                done += 1
        if progress:
            progress(done)


def main(argv: list[str] | None = None) -> None:
    from cunzhao.search import rebuild_index

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("archive", help="SQLite path or postgresql:// URL (created if new)")
    parser.add_argument("n", type=int, help="number of documents to write")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--bulk", action="store_true", help="index after writing, in one pass")
    args = parser.parse_args(argv)
    sources = load_sources(args.corpus)

    def show(what: str) -> Callable[[int], None]:
        return lambda d: print(f"\r{what} {d}/{args.n}", end="", file=sys.stderr, flush=True)

    with Archive.open(args.archive) as archive:
        started = time.perf_counter()
        build(archive.engine, sources, args.n, batch=args.batch, index=not args.bulk,
              progress=show("write"))
        written = time.perf_counter()
        if args.bulk:
            with archive.engine.begin() as conn:
                rebuild_index(conn, batch=args.batch, progress=lambda d, _: show("index")(d))
        indexed = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(file=sys.stderr)
    print(json.dumps({
        "n": args.n, "bulk": args.bulk, "write_s": round(written - started, 2),
        "index_s": round(indexed - written, 2), "total_s": round(indexed - started, 2),
        "docs_per_s": round(args.n / (indexed - started), 1), "peak_rss_mb": round(peak_mb, 1),
    }))


if __name__ == "__main__":
    main()
