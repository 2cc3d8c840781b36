"""The whole shared corpus ingests; documents and versions match what the corpus holds."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from cunzhao.archive import Archive
from cunzhao.store.urls import canonical_url

_HEADER = re.compile(rb"^(?:<!--\d+-->\n)?\[.*\]\((?P<url>[^)\s]+)\)\n", re.DOTALL)


def _expected(corpus: Path) -> tuple[int, int]:
    """Distinct URLs (documents) and distinct (URL, bytes) pairs (versions), read independently
    of cunzhao's parser from each manifest file's header line."""
    by_url: dict[str, set[str]] = {}
    seen: set[str] = set()
    for line in (corpus / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        data = (corpus / line.split("\t")[0]).read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        match = _HEADER.match(data)
        assert match, line
        if sha in seen:  # identical bytes under two names: one capture
            continue
        seen.add(sha)
        by_url.setdefault(canonical_url(match["url"].decode()), set()).add(sha)
    return len(by_url), sum(len(v) for v in by_url.values())


def test_whole_corpus_ingests_with_matching_counts(archive_location: str, corpus: Path) -> None:
    with Archive.open(archive_location) as archive:
        summary = archive.ingest([corpus])
        assert summary.failed == 0, summary.failures[:3]
        skipped = summary.counts.get("skipped", 0)
        assert skipped == 2  # README.md and MANIFEST.tsv are not pages
        documents, versions = _expected(corpus)
        counts = archive.counts()
        assert (counts["documents"], counts["versions"]) == (documents, versions)
        assert summary.counts.get("unchanged", 0) == 1  # the seed is also cdt/343863
        again = archive.ingest([corpus])
        assert again.counts.get("unchanged") == versions + 1
        assert archive.counts() == counts
