"""Search across versions: text a later version dropped is found in the earlier version, and
the hit says which version matched (both backends, both engines)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cunzhao import Archive, Filters
from pages import write_page

URL = "https://example.org/notice/1.html"
KEPT = "网信办依法约谈某平台负责人。"
DROPPED = "该平台另有三个账号被关闭，涉及谣言传播。"


@pytest.fixture
def edited(archive_location: str, tmp_path: Path) -> str:
    """One notice captured twice: the later capture dropped a paragraph. Another page
    states the dropped text in its latest version."""
    pages = tmp_path / "pages"
    first = write_page(pages / "v1.md", URL, "【立此存照】通报", [KEPT, DROPPED],
                       captured_ms=1_704_067_200_000)
    second = write_page(pages / "v2.md", URL, "【立此存照】通报", [KEPT],
                        captured_ms=1_706_745_600_000)
    other = write_page(pages / "other.md", "https://example.org/other.html", "转载",
                       [DROPPED], captured_ms=1_706_745_600_000)
    with Archive.open(archive_location) as archive:
        assert archive.ingest([first, second, other]).failed == 0
    return archive_location


@pytest.mark.parametrize("engine", ["tantivy", "sql"])
def test_dropped_text_is_found_in_the_earlier_version(edited: str, engine: str) -> None:
    with Archive.open(edited) as archive:
        if engine == "sql":
            archive.reindex(engine="sql")
        notice = archive.document(URL)
        assert notice is not None and len(notice.versions) == 2
        plain = archive.search("三个账号被关闭")
        assert [h.document_id for h in plain.hits] != [notice.id]
        assert all(h.latest and h.version_n == 1 for h in plain.hits)  # the other page
        found = archive.search("三个账号被关闭", all_versions=True)
        assert found.total == 2 and "earlier version" in (found.note or "")
        latest_hit, earlier = found.hits  # latest versions first, then earlier-only ones
        assert latest_hit.latest and latest_hit.document_id != notice.id
        assert (earlier.document_id, earlier.version_n, earlier.latest) == (notice.id, 1, False)
        assert any(marked for _, marked in earlier.snippet.segments)
        kept = archive.search("约谈某平台", all_versions=True)  # the latest matches: one hit
        assert [(h.document_id, h.version_n, h.latest) for h in kept.hits] == [(notice.id, 2, True)]
        # paging runs through both parts; filters and exclusions apply to earlier versions
        second = archive.search("三个账号被关闭", all_versions=True, per_page=1, page=2)
        assert [(h.document_id, h.latest) for h in second.hits] == [(notice.id, False)]
        assert archive.search("三个账号被关闭", Filters(tag="真理部"), all_versions=True).total == 0
        assert archive.search("三个账号被关闭 -约谈", all_versions=True).total == 1
        assert archive.search("三个账号 OR 不存在的词", all_versions=True).total == 2
