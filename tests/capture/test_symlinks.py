"""Symbolic links in a folder walk: linked folders are read, loops and repeats are named once."""

from __future__ import annotations

from pathlib import Path

from cunzhao import Archive
from cunzhao.capture.files import iter_file_captures
from cunzhao.capture.model import Capture, CaptureError, Skipped


def _page(path: Path, n: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"[Page {n}](https://example.org/{n})\n------\n\n<p>text {n}</p>\n",
                    encoding="utf-8")


def _walk(folder: Path) -> tuple[list[str], list[Skipped], list[CaptureError]]:
    items = list(iter_file_captures([folder]))
    pages = [str(Path(i.source).relative_to(folder)) for i in items if isinstance(i, Capture)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    errors = [i for i in items if isinstance(i, CaptureError)]
    return pages, skipped, errors


def test_a_linked_folder_is_read(tmp_path: Path) -> None:
    _page(tmp_path / "elsewhere" / "far.md", 1)
    _page(tmp_path / "walked" / "near.md", 2)
    (tmp_path / "walked" / "linked").symlink_to(tmp_path / "elsewhere")
    pages, skipped, errors = _walk(tmp_path / "walked")
    assert pages == ["near.md", "linked/far.md"]  # a folder's files, then its folders
    assert (skipped, errors) == ([], [])
    with Archive.open(tmp_path / "archive.db") as archive:
        assert archive.ingest([tmp_path / "walked"]).counts == {"ingested": 2}


def test_a_loop_is_named_once_and_everything_is_read_once(tmp_path: Path) -> None:
    root = tmp_path / "walked"
    _page(root / "a" / "one.md", 1)
    _page(root / "a" / "b" / "two.md", 2)
    (root / "a" / "b" / "up").symlink_to(root / "a")  # a/b/up → a: a loop
    (root / "self").symlink_to(".")  # walked/self → walked
    pages, skipped, errors = _walk(root)
    assert pages == ["a/one.md", "a/b/two.md"]
    assert errors == []
    assert [(Path(s.source).relative_to(root).as_posix(), s.reason) for s in skipped] == [
        ("a/b/up", f"symbolic link loop: leads back to {root / 'a'}, which holds it"),
        ("self", f"symbolic link loop: leads back to {root}, which holds it"),
    ]


def test_a_folder_reached_twice_is_read_once(tmp_path: Path) -> None:
    _page(tmp_path / "shared" / "page.md", 1)
    root = tmp_path / "walked"
    root.mkdir()
    (root / "first").symlink_to(tmp_path / "shared")
    (root / "second").symlink_to(tmp_path / "shared")
    pages, skipped, errors = _walk(root)
    assert pages == ["first/page.md"]
    assert [(s.source, s.reason) for s in skipped] == [
        (str(root / "second"),
         f"the same folder as {root / 'first'} (through a symbolic link), already read"),
    ]
    assert errors == []


def test_a_broken_link_to_a_folder_is_a_named_failure(tmp_path: Path) -> None:
    _page(tmp_path / "page.md", 1)
    (tmp_path / "gone").symlink_to(tmp_path / "no-such-folder")
    pages, skipped, errors = _walk(tmp_path)
    assert pages == ["page.md"] and skipped == []
    assert [(Path(e.source).name, e.reason) for e in errors] == [("gone", "broken symbolic link")]
