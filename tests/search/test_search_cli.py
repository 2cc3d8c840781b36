"""``cunzhao search`` and ``cunzhao reindex`` on the corpus archive, both backends."""

from __future__ import annotations

import json
from pathlib import Path

from search_oracle import Corpus
from typer.testing import CliRunner

from cunzhao.archive import Archive
from cunzhao.cli import app

runner = CliRunner()


def test_json_output_matches_the_library(corpus_archive: Corpus) -> None:
    result = runner.invoke(app, ["search", "網信辦", "--db", corpus_archive.archive.location,
                                 "--json", "--limit", "50", "--sort", "date"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == len(corpus_archive.having("网信办"))
    assert {h["version_id"] for h in data["hits"]} == corpus_archive.having("网信办")
    assert data["facets"]["year"]
    assert all("<mark>" in h["snippet"]["html"] or not any(m for _, m in h["snippet"]["segments"])
               for h in data["hits"])


def test_filters_and_text_output(corpus_archive: Corpus) -> None:
    result = runner.invoke(app, ["search", "约谈", "--db", corpus_archive.archive.location,
                                 "--tag", "立此存照", "--since", "2024-01-01", "--facets",
                                 "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert "中央网信办" in result.stdout
    assert "documents" in result.stdout and "year:" in result.stdout


def test_bad_query_is_one_line_and_exit_2(corpus_archive: Corpus) -> None:
    result = runner.invoke(app, ["search", '"知网', "--db", corpus_archive.archive.location])
    assert result.exit_code == 2
    assert "bad query: unbalanced quote" in result.output
    assert "Traceback" not in result.output and "SQL" not in result.output
    bad_date = runner.invoke(app, ["search", "知网", "--since", "2024-13-01",
                                   "--db", corpus_archive.archive.location])
    assert bad_date.exit_code == 2 and "--since" in bad_date.output


def test_reindex(tmp_path: Path, seed_path: Path) -> None:
    location = str(tmp_path / "r.db")
    with Archive.open(location) as archive:
        archive.ingest([seed_path])
    result = runner.invoke(app, ["reindex", "--db", location])
    assert result.exit_code == 0, result.output
    assert "1 documents indexed" in result.stdout
    found = runner.invoke(app, ["search", "知网", "--db", location, "--json"])
    assert json.loads(found.stdout)["total"] == 1
