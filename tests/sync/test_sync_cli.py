"""`cunzhao sync` and `cunzhao source` as a user runs them; a sync killed with SIGKILL resumes
to the same archive as an uninterrupted one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sites import WebhookSink, WordPressSite, synthetic_articles
from sqlalchemy import func, select
from typer.testing import CliRunner

from cunzhao import Archive
from cunzhao.cli import app
from cunzhao.store.schema import captures, documents, versions

runner = CliRunner()
TAG = "立此存照"



def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def write_config(path: Path, site: WordPressSite, name: str = "wp") -> Path:
    path.write_text(f'[sources.{name}]\nkind = "feed"\nurl = "{site.tag_feed_url(TAG)}"\n',
                    encoding="utf-8")
    return path


def test_source_add_ls_rm(tmp_path: Path) -> None:
    config = str(tmp_path / "cunzhao.toml")
    code, output = run("source", "add", "cdt", "--kind", "feed", "--url",
                       "https://chinadigitaltimes.net/chinese/tag/立此存照/feed/",
                       "--keywords", "约谈|罚款", "--tag", "CDT", "--config", config)
    assert code == 0, output
    code, output = run("source", "add", "bad", "--kind", "forum", "--url", "https://x.org",
                       "--config", config)
    assert code == 2 and "forum" in output and "kind" in output
    code, output = run("source", "ls", "--json", "--config", config)
    assert code == 0 and '"name": "cdt"' in output and '"keywords": ["约谈", "罚款"]' in output
    code, output = run("source", "rm", "cdt", "--config", config)
    assert code == 0
    code, output = run("source", "rm", "cdt", "--config", config)
    assert code == 2 and "no source" in output


def test_sync_prints_a_summary_notifies_and_fails_for_a_bad_source(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    with WordPressSite(synthetic_articles(5)) as site, WebhookSink() as hook, \
            WordPressSite(synthetic_articles(1)) as down:
        config = write_config(tmp_path / "cunzhao.toml", site)
        code, output = run("sync", "--config", str(config), "--db", db, "--rate", "100",
                           "--notify", hook.hook_url)
        assert code == 0, output
        assert "wp" in output and " 5 " in output
        (payload,) = hook.payloads()
        assert isinstance(payload, dict)
        assert payload["new_documents"] == 5 and payload["sources"][0]["source"] == "wp"
        down.stop()
        with config.open("a", encoding="utf-8") as handle:
            handle.write(f'[sources.down]\nkind = "feed"\nurl = "{down.tag_feed_url(TAG)}"\n')
        code, output = run("sync", "--config", str(config), "--db", db, "--rate", "100",
                           "--timeout", "2")
    assert code == 1
    assert "failed down" in output and "unreachable" in output
    code, output = run("sync", "nosuch", "--config", str(config), "--db", db)
    assert code == 2 and "no source named nosuch" in output


def _snapshot(location: str) -> tuple[set[tuple[str, str]], int, int]:
    with Archive.open(location, create=False) as archive, archive.engine.connect() as conn:
        pairs = conn.execute(
            select(documents.c.url, captures.c.sha256)
            .join(versions, versions.c.document_id == documents.c.id)
            .join(captures, captures.c.id == versions.c.capture_id)
        ).all()
        n_captures = conn.execute(select(func.count()).select_from(captures)).scalar_one()
        n_versions = conn.execute(select(func.count()).select_from(versions)).scalar_one()
    return {(u, s) for u, s in pairs}, int(n_captures), int(n_versions)


def _sync(location: str, config: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "cunzhao", "sync", "--quiet", "--config", str(config),
         "--db", location, "--rate", "1000"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_killed_sync_resumes_to_the_same_archive(
    tmp_path: Path, archive_location: str, request: pytest.FixtureRequest
) -> None:
    articles = synthetic_articles(30)
    with WordPressSite(articles) as site:
        config = write_config(tmp_path / "cunzhao.toml", site)
        clean = str(tmp_path / "clean.db")
        assert _sync(clean, config).wait(timeout=120) == 0
        site.clear_log()
        site.slow(0.05)
        Archive.open(archive_location).close()  # the schema exists before the kill
        victim = _sync(archive_location, config)
        deadline = time.monotonic() + 60
        while site.article_requests() < 12 and time.monotonic() < deadline:
            time.sleep(0.01)
        # the extractor loads with the first page ingested (not at start-up): wait for it
        while not _snapshot(archive_location)[1] and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        partial, _, _ = _snapshot(archive_location)
        assert 0 < len(partial) < len(articles), "the kill came mid-sync"
        site.slow(0)
        resumed = _sync(archive_location, config)
        assert resumed.wait(timeout=120) == 0, resumed.stderr.read() if resumed.stderr else ""
    assert _snapshot(archive_location) == _snapshot(clean)
    pairs, n_captures, n_versions = _snapshot(archive_location)
    assert len(pairs) == n_versions == n_captures == len(articles)  # nothing twice
