"""Walking files and folders into captures: order, skipped files, errors, WARC routing."""

from __future__ import annotations

import os
from pathlib import Path

from cunzhao.capture.files import is_warc, iter_file_captures, looks_like_page
from cunzhao.capture.model import Capture, CaptureError, Skipped

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"


def test_corpus_folder(corpus: Path) -> None:
    items = list(iter_file_captures([corpus]))
    captures = [i for i in items if isinstance(i, Capture)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert len(captures) == 383
    assert not [i for i in items if isinstance(i, CaptureError)]
    assert sorted(Path(s.source).name for s in skipped) == ["MANIFEST.tsv", "README.md"]
    seed = next(c for c in captures if c.source.endswith("704712.md"))
    assert seed.data == (corpus / "seed" / "704712.md").read_bytes()
    assert seed.source_kind == "file" and seed.captured_at is None


def test_order_is_sorted_and_repeatable(corpus: Path) -> None:
    first = [i.source for i in iter_file_captures([corpus / "other"])]
    assert first == [i.source for i in iter_file_captures([corpus / "other"])]
    assert first == sorted(first, key=lambda s: Path(s).parts)
    assert len(first) == 4


def test_missing_path_is_an_error_and_the_walk_goes_on(seed_path: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.md"
    items = list(iter_file_captures([missing, seed_path]))
    assert isinstance(items[0], CaptureError)
    assert items[0].source == str(missing) and items[0].reason == "no such file or directory"
    assert isinstance(items[1], Capture)


def test_broken_link_and_unreadable_file(tmp_path: Path) -> None:
    link = tmp_path / "gone.html"
    link.symlink_to(tmp_path / "missing-target.html")
    [item] = iter_file_captures([tmp_path])
    assert isinstance(item, CaptureError) and item.reason == "broken symbolic link"
    # /proc/self/mem is a regular file that any read at offset 0 fails on, even as root.
    [unreadable] = iter_file_captures([Path("/proc/self/mem")])
    assert isinstance(unreadable, CaptureError) and unreadable.reason


def test_sniffing_and_explicit_files(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# Notes\n\nno header\n", encoding="utf-8")
    (tmp_path / "page.md").write_text("[T](https://a.b/c)\n------\n\n<p>x</p>\n", encoding="utf-8")
    (tmp_path / "page.htm").write_bytes(b"<p>x</p>")
    (tmp_path / "saved").write_bytes(b"<!DOCTYPE html><html><body>x</body></html>")
    (tmp_path / "data.txt").write_text("just text", encoding="utf-8")
    (tmp_path / "crawl.warc.gz").write_bytes(b"\x1f\x8b")
    (tmp_path / ".hidden.md").write_text("[T](u://x)\n---\n", encoding="utf-8")
    os.mkdir(tmp_path / ".git")
    (tmp_path / ".git" / "x.html").write_bytes(b"<p>x</p>")
    kinds = {Path(i.source).name: type(i).__name__ for i in iter_file_captures([tmp_path])}
    assert kinds == {
        "crawl.warc.gz": "Skipped",
        "data.txt": "Skipped",
        "notes.md": "Skipped",
        "page.htm": "Capture",
        "page.md": "Capture",
        "saved": "Capture",
    }
    [explicit] = iter_file_captures([tmp_path / "notes.md"])
    assert isinstance(explicit, Capture)  # named by the user: the parser says why it fails
    [warc] = iter_file_captures([tmp_path / "crawl.warc.gz"])
    assert isinstance(warc, Skipped) and warc.reason == "WARC: handled by capture.warc"


def test_bad_fixture_folder() -> None:
    items = {Path(i.source).name: i for i in iter_file_captures([BAD])}
    assert isinstance(items["README.md"], Skipped)
    assert isinstance(items["no_header.md"], Skipped)
    for name in ("empty.md", "blank.md", "binary.html", "gbk.md", "big5.html", "truncated.html"):
        assert isinstance(items[name], Capture), name


def test_is_warc_and_looks_like_page() -> None:
    assert is_warc(Path("a.warc")) and is_warc(Path("A.WARC.GZ"))
    assert not is_warc(Path("a.warc.md")) and not is_warc(Path("a.gz"))
    assert looks_like_page(b"\xef\xbb\xbf[t](u)\n------\n")
    assert looks_like_page(b"<!--1706843942000-->\n[t](u)\n------\n")
    assert looks_like_page(b"  <!-- saved -->\n<!doctype html><html>")
    assert not looks_like_page(b"# README\n[link](u)\n")
