"""Hostile WARC files (issue 15, items 1 and 8): decompression bombs, a record without
WARC-Target-URI, ``WARC/1.1`` and garbage, cut gzip members, lying Content-Lengths, a file
that is no WARC. Each ends within seconds with a named failure per bad record — never a
traceback, never a silent loss — and the records around the damage are read."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import hostile_warcs as hostile
import pytest
from typer.testing import CliRunner

from cunzhao import Archive
from cunzhao.capture.model import Capture, CaptureError
from cunzhao.capture.warc import iter_warc_captures
from cunzhao.cli import app

SECONDS = 5.0  # each file, whatever it holds
RSS_CEILING_MB = 200

BUILDERS: dict[str, Callable[[Path], hostile.Hostile]] = {
    "gzip bomb": hostile.bomb,
    "gzip bomb inside a gzip member": hostile.double_bomb,
    "one 256 MiB header line": hostile.header_bomb,
    "no WARC-Target-URI": lambda folder: hostile.no_target_uri(folder, gz=False),
    "no WARC-Target-URI, gzip": lambda folder: hostile.no_target_uri(folder, gz=True),
    "WARC/1.1 then garbage": lambda folder: hostile.version_then_garbage(folder, False),
    "garbage between records": lambda folder: hostile.version_then_garbage(folder, True),
    "gzip member cut short": hostile.truncated_member,
    "file cut short": hostile.truncated_file,
    "lying Content-Length": lambda folder: hostile.lying_lengths(folder, gz=False),
    "lying Content-Length, gzip": lambda folder: hostile.lying_lengths(folder, gz=True),
    "not a WARC": hostile.not_a_warc,
}


@pytest.mark.parametrize("kind", BUILDERS)
def test_hostile_file_fails_by_name_and_keeps_its_neighbours(tmp_path: Path, kind: str) -> None:
    case = BUILDERS[kind](tmp_path)
    started = time.perf_counter()
    found = list(iter_warc_captures(case.path))
    elapsed = time.perf_counter() - started
    assert elapsed < SECONDS, f"{kind}: {elapsed:.1f} s"
    assert [c.target_url for c in found if isinstance(c, Capture)] == case.good_urls
    assert [c.data for c in found if isinstance(c, Capture)] == [
        hostile.page(int(u.rsplit("/", 1)[1].split(".")[0])) for u in case.good_urls
    ]
    errors = [c for c in found if isinstance(c, CaptureError)]
    assert len(errors) == len(case.failures) == len(found) - len(case.good_urls), errors
    for error, phrase in zip(errors, case.failures, strict=True):
        path, _, offset = error.source.rpartition("#")
        assert path == str(case.path) and offset.isdigit(), error.source
        assert phrase in error.reason, error.reason
        assert str(case.path) in str(error)


def test_a_failure_says_where_reading_resumed(tmp_path: Path) -> None:
    case = hostile.version_then_garbage(tmp_path, between=True)
    _, error, third = iter_warc_captures(case.path)
    assert isinstance(error, CaptureError) and isinstance(third, Capture)
    resumed = int(error.reason.rpartition("reading resumed at byte ")[2])
    assert third.source == f"{case.path}#{resumed}"
    alone = hostile.version_then_garbage(tmp_path, between=False)
    (only,) = iter_warc_captures(alone.path)
    assert isinstance(only, CaptureError) and only.reason.endswith("nothing readable after it")


def test_hostile_set_ingests_around_the_damage(archive_location: str, tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    cases = hostile.every_kind(folder)
    started = time.perf_counter()
    with Archive.open(archive_location) as archive:
        summary = archive.ingest([folder])
        urls = {d.url for d in archive.documents(limit=100)}
    assert time.perf_counter() - started < SECONDS * len(cases)
    assert summary.failed == sum(len(c.failures) for c in cases)
    assert {f.source.rpartition("#")[0] for f in summary.failures} == {
        str(c.path) for c in cases if c.failures
    }
    assert urls == {u for c in cases for u in c.good_urls}


def test_cli_names_each_failure_without_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    cases = [hostile.no_target_uri(folder, gz=True), hostile.version_then_garbage(folder, False)]
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "2 ingested" in result.output and "2 failed" in result.output
    for case in cases:
        assert f"failed {case.path}#" in result.output


_CHILD = """
import json, resource, sys, time
from pathlib import Path
from cunzhao import Archive
started = time.perf_counter()
with Archive.open(sys.argv[2]) as archive:
    summary = archive.ingest([Path(sys.argv[1])])
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "counts": summary.counts,
    "errors": [f.error for f in summary.failures],
}))
"""
# ru_maxrss survives exec: a child started straight from pytest would report pytest's own
# peak. Started from this small launcher instead, the child counts only its own memory.
_LAUNCHER = (
    "import subprocess, sys; "
    "raise SystemExit(subprocess.run([sys.executable, '-c', *sys.argv[1:]]).returncode)"
)


def test_bomb_ingest_stays_under_the_memory_ceiling(tmp_path: Path) -> None:
    """A 0.9 MB WARC whose body inflates to 256 MiB: peak memory of the whole ingest, in a
    process of its own (before the cap: 6.2 GB and 210 s, and a 256 MiB page stored)."""
    case = hostile.bomb(tmp_path)
    assert case.path.stat().st_size < 1_000_000
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, _CHILD, str(case.path), str(tmp_path / "a.db")],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0 and done.stdout, done.stderr
    report = json.loads(done.stdout)
    assert report["errors"] == ["decoded body exceeds 64 MiB"]
    assert report["counts"] == {"ingested": 2, "failed": 1}
    assert report["rss_mb"] < RSS_CEILING_MB, report
    assert report["seconds"] < SECONDS, report


@pytest.mark.parametrize("gz", [False, True])
def test_a_long_header_line_is_read_whole_up_to_the_limit(tmp_path: Path, gz: bool) -> None:
    """60,000 characters of Content-Security-Policy span several buffer refills: read whole;
    70,000 are over the 64 KiB line limit: a named failure, and the next record is read."""
    found = {}
    for size in (60_000, 70_000):
        policy = "default-src " + "x" * size
        first = hostile.record(
            hostile.http_response(hostile.page(1), [("Content-Security-Policy", policy)]),
            hostile.url(1),
        )
        parts = [first, hostile.good(2)]
        path = tmp_path / f"csp-{size}.warc{'.gz' if gz else ''}"
        path.write_bytes(b"".join(map(hostile.member, parts)) if gz else b"".join(parts))
        found[size] = (policy, list(iter_warc_captures(path)))
    policy, (whole, second) = found[60_000]
    assert isinstance(whole, Capture) and isinstance(second, Capture)
    assert whole.http_headers is not None and policy.encode() in whole.http_headers
    _, (error, after) = found[70_000]
    assert isinstance(error, CaptureError) and "header line longer than 65536" in error.reason
    assert isinstance(after, Capture) and after.target_url == hostile.url(2)
