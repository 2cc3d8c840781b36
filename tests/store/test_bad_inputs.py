"""Bad and unusual files at ingest: each has its documented outcome, and earlier data survives.

The fixtures and their expected parse outcomes are described in tests/data/bad/README.md.
gbk.md, big5.html and utf8_bom.md carry the seed's URL, so they become new versions of it.
"""

from __future__ import annotations

from pathlib import Path

from cunzhao.archive import Archive

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
SEED_URL = "https://chinadigitaltimes.net/chinese/704712.html"

OUTCOMES = {
    "empty.md": ("failed", "empty file"),
    "blank.md": ("failed", "blank file"),
    "binary.html": ("failed", "binary data"),
    "no_header.md": ("failed", "not a page"),
    "truncated.html": ("ingested", None),
    "gbk.md": ("new_version", None),
    "gb18030.html": ("ingested", None),
    "big5.html": ("new_version", None),
    "utf8_bom.md": ("new_version", None),
}


def test_each_bad_file_has_its_outcome_and_keeps_earlier_data(
    archive_location: str, seed_path: Path, tmp_path: Path
) -> None:
    with Archive.open(archive_location) as archive:
        archive.ingest([seed_path])
        before = archive.document(SEED_URL, version=1)
        for name, (outcome, reason) in OUTCOMES.items():
            summary = archive.ingest([BAD / name])
            assert summary.counts == {outcome: 1}, (name, summary.failures)
            if reason:
                failure = summary.failures[0]
                assert reason in (failure.error or "") and failure.source.endswith(name)
        missing = archive.ingest([tmp_path / "nowhere.md"])
        assert missing.counts == {"failed": 1}
        assert missing.failures[0].source.endswith("nowhere.md")
        after = archive.document(SEED_URL, version=1)
        assert before is not None and after is not None
        assert (after.body, after.card, after.stats) == (before.body, before.card, before.stats)
        assert archive.raw(SEED_URL, version=1) == seed_path.read_bytes()
        assert len(after.versions) == 4


def test_other_encodings_are_decoded_and_their_bytes_kept(archive_location: str) -> None:
    with Archive.open(archive_location) as archive:
        archive.ingest([BAD / "gbk.md", BAD / "big5.html", BAD / "gb18030.html"])
        seen = {}
        for doc in archive.documents():
            for v in archive.document(doc.id).versions:  # type: ignore[union-attr]
                view = archive.document(doc.id, version=v.n)
                assert view is not None and "\ufffd" not in view.body
                seen[Path(v.source).name] = (view.encoding, view.body,
                                             archive.raw(doc.id, version=v.n))
        assert {name: enc for name, (enc, _, _) in seen.items()} == {
            "gbk.md": "gb18030", "big5.html": "big5", "gb18030.html": "gb18030",
        }
        for name, (_, body, raw) in seen.items():
            assert raw == (BAD / name).read_bytes()
        assert "網" in seen["big5.html"][1]  # traditional text is shown as written
        assert "网信" in seen["gbk.md"][1]
