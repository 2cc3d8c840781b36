"""The half of ingesting a capture that needs no database: hash, parse, fold, extract, tokenise.

:func:`prepare` turns a :class:`~cunzhao.capture.model.Capture` into a :class:`Prepared`;
the ingest stage's writer (``cunzhao.ingest``) stores a ``Prepared`` exactly as it stores the
capture itself — the serial ingest prepares each capture in the writer, a parallel one in
worker processes or on Dask workers, so both write the same rows. A ``Prepared`` carries the
parser and extractor versions that made it, since a worker may run another release than
the writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cunzhao.capture.model import Capture, CaptureError
from cunzhao.digest import sha256_hex

if TYPE_CHECKING:
    from cunzhao.extract.model import Facts
    from cunzhao.parse.model import Page
    from cunzhao.search.tokenize import IndexText

__all__ = ["Prepared", "prepare", "prepare_safely"]


@dataclass(frozen=True)
class Prepared:
    """A capture and what the pipeline made of it before writing.

    Not a page (kept raw): ``page`` is None and so is ``error``. A page that could not be
    parsed: ``error`` says why. A page: ``page``, the document's canonical ``url``, the folded
    body, the ``facts`` and the index ``tokens`` (``search.tokenize.IndexText``). ``blob``:
    the bytes as the store keeps them (``store.blobs.pack``), when made.
    """

    capture: Capture
    sha256: str
    page: Page | None = None
    error: str | None = None
    url: str | None = None
    folded: str | None = None
    facts: Facts | None = None
    tokens: IndexText | None = None
    parser_version: str = ""
    extractor_version: str = ""
    blob: tuple[str, bytes] | None = None

    @property
    def source(self) -> str:
        return self.capture.source


def prepare(capture: Capture, sha256: str | None = None, *, pack_blob: bool = False) -> Prepared:
    """Everything the writer needs from ``capture`` that does not depend on the archive
    (``pack_blob``: the stored form of its bytes too — a worker's, not the writer's, work)."""
    from cunzhao.extract import EXTRACTOR_VERSION
    from cunzhao.extract.reading import read_capture
    from cunzhao.parse import PARSER_VERSION, ParseError
    from cunzhao.search.tokenize import index_texts
    from cunzhao.store.blobs import pack
    from cunzhao.store.urls import canonical_url, file_url

    sha = sha256 or sha256_hex(capture.data)
    blob = pack(capture.data) if pack_blob else None
    if not capture.is_page:
        return Prepared(capture, sha, blob=blob)
    try:  # within the page's limits and time budget (cunzhao.parse.limits)
        page, folded, facts = read_capture(capture)
    except ParseError as error:
        return Prepared(capture, sha, error=error.reason)
    body = page.body  # folded once per version: stored for search, read by extract and the index
    return Prepared(
        capture, sha, page,
        url=canonical_url(page.url) if page.url else file_url(capture.source),
        folded=folded,
        facts=facts,
        tokens=index_texts(page.title, body, folded=folded),
        parser_version=PARSER_VERSION,
        extractor_version=EXTRACTOR_VERSION,
        blob=blob,
    )


def prepare_safely(capture: Capture) -> Prepared | CaptureError:
    """:func:`prepare`, with an unexpected failure returned as the capture's error (named as
    the serial ingest names it), so that one capture cannot stop a worker's batch."""
    try:
        return prepare(capture, pack_blob=True)
    except Exception as error:  # noqa: BLE001 — reported as this capture's failure
        return CaptureError(capture.source, f"{type(error).__name__}: {error}")
