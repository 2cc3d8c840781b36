"""``cunzhao entities`` and ``cunzhao entity …`` as a user runs them, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cunzhao.cli import app
from entity_docs import write_docs

runner = CliRunner()


@pytest.fixture
def db(archive_location: str, tmp_path: Path) -> str:
    result = runner.invoke(app, ["ingest", str(write_docs(tmp_path / "docs")), "--db",
                                 archive_location, "--quiet"])
    assert result.exit_code == 0, result.output
    return archive_location


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_entities_lists_counts_by_kind_and_role(db: str) -> None:
    rows = json.loads(run("entities", "--db", db, "--json"))
    weibo = next(r for r in rows if r["id"] == "weibo")
    assert (weibo["name"], weibo["en"], weibo["kind"], weibo["role"], weibo["cases"]) == (
        "微博", "Weibo", "platform", "target", 2)
    regulators = json.loads(run("entities", "--db", db, "--json", "--kind", "regulator"))
    assert {r["kind"] for r in regulators} == {"regulator"} and len(regulators) == 6
    assert all(r["role"] == "target" for r in
               json.loads(run("entities", "--db", db, "--json", "--role", "target")))
    everything = json.loads(run("entities", "--db", db, "--json", "--all"))
    assert len(everything) > 400 and any(r["cases"] == 0 for r in everything)
    assert "微博" in run("entities", "--db", db)
    assert "--kind 'planet'" in run("entities", "--db", db, "--kind", "planet", code=2)


def test_show_alias_log_undo(db: str) -> None:
    shown = json.loads(run("entity", "show", "騰訊微信", "--db", db, "--json"))
    assert (shown["id"], shown["parent"], shown["cases"]) == ("wechat", "tencent", 1)
    assert "closest: 百度 (baidu)" in run("entity", "show", "百渡", "--db", db, code=1)
    said = run("entity", "alias", "微博客", "Weibo", "--db", db, "--by", "analyst")
    assert "edit 1: alias 微博客 → weibo (by analyst" in said
    assert json.loads(run("entity", "show", "微博", "--db", db, "--json"))["cases"] == 3
    assert "closest" in run("entity", "alias", "度娘", "百渡", "--db", db, code=1)
    assert "already names" in run("entity", "alias", "新浪微博", "微博", "--db", db, code=1)
    merged = run("entity", "merge", "梦聊APP", "梦聊", "--db", db, "--by", "analyst")
    assert "edit 2: merge 梦聊app → 梦聊" in merged
    assert "undid edit 1" in run("entity", "undo", "1", "--db", db, "--by", "reviewer")
    log = json.loads(run("entity", "log", "--db", db, "--json"))
    assert [(e["id"], e["op"], e["by"], e["undone_by"]) for e in log] == [
        (1, "alias", "analyst", "reviewer"), (2, "merge", "analyst", None)]
    assert json.loads(run("entity", "show", "微博", "--db", db, "--json"))["cases"] == 2
    assert "undone already" in run("entity", "undo", "1", "--db", db, code=1)
    assert "no entity edit 9" in run("entity", "undo", "9", "--db", db, code=1)
    assert "reviewer" in run("entity", "log", "--db", db)
