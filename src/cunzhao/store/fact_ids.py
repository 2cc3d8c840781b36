"""Permalink ids of facts: one for every stat and case, stable across ``reextract`` and ``copy``.

An id is ``{document id}-{version n}-{digest}``, the digest 8 hex digits of the sha256 of the
fact's kind, its document's URL, the version number and the evidence offsets. ``reextract``
replaces the fact rows but keeps documents, version numbers and, for the same extractor
output, the offsets; ``copy`` keeps document ids. The id names its document and version, so
finding it reads one version's facts (:mod:`cunzhao.store.permalinks`), and the digest checks
the fact is the one meant: an id made by another archive never names a different fact. Facts
of one kind stated by the same span share the id (one sentence, two counts: the page shows
both).
"""

from __future__ import annotations

import hashlib
import re
from typing import Literal

from cunzhao.store.reader import DocumentView

__all__ = ["FactKind", "fact_id", "fact_ids", "parse_fact_id"]

FactKind = Literal["stat", "case"]
_ID = re.compile(r"([1-9][0-9]{0,9})-([1-9][0-9]{0,5})-([0-9a-f]{8})")


def fact_id(kind: FactKind, document_id: int, url: str, n: int, start: int, end: int) -> str:
    """The permalink id of a fact of ``kind`` at ``[start, end)`` in version ``n``."""
    text = "\x1f".join((kind, url, str(n), str(start), str(end)))
    return f"{document_id}-{n}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def parse_fact_id(text: str) -> tuple[int, int, str] | None:
    """(document id, version n, digest) of a well-formed id, else None."""
    found = _ID.fullmatch(text)
    return (int(found[1]), int(found[2]), found[3]) if found else None


def fact_ids(view: DocumentView, n: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ids of ``view``'s stats and cases (it shows version ``n``), in their order."""
    return (tuple(fact_id("stat", view.id, view.url, n, s.start, s.end) for s in view.stats),
            tuple(fact_id("case", view.id, view.url, n, c.start, c.end) for c in view.cases))
