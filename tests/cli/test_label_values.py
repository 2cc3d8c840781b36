"""Filter values by id or label (``--action 关闭账号``), an unknown one refused with exit 2 and
the closest id; ``search --all-versions`` and ``--has-facts``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cunzhao import UnknownValue, resolve_value
from cunzhao.archive import Archive
from cunzhao.cli import app
from pages import write_page

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    location = str(tmp_path_factory.mktemp("labels") / "cli.db")
    with Archive.open(location) as archive:
        assert archive.ingest([EXAMPLES]).failed == 0
    return location


@pytest.mark.parametrize(("kind", "written", "ident"), [
    ("action", "关闭账号", "close_account"), ("action", "關閉賬號", "close_account"),
    ("action", "Close_Account", "close_account"), ("action", " 约谈 ", "summon"),
    ("action", "summoned for talks", "summon"), ("object", "网站", "website"),
    ("category", "网络暴力", "cyberviolence"),
])
def test_labels_name_their_ids(kind: str, written: str, ident: str) -> None:
    assert resolve_value(kind, written) == ident  # type: ignore[arg-type]


def test_an_unknown_value_names_the_closest_and_every_valid_id() -> None:
    with pytest.raises(UnknownValue) as raised:
        resolve_value("action", "关闭帐号")
    assert raised.value.closest == "close_account" and "summon" in raised.value.valid
    assert "closest: close_account (关闭账号)" in str(raised.value)
    with pytest.raises(UnknownValue) as far:
        resolve_value("object", "zzzzzz")
    assert far.value.closest is None


def test_stats_takes_labels(db: str) -> None:
    by_label = runner.invoke(app, ["stats", "--db", db, "--action", "关闭账号", "--json"])
    by_id = runner.invoke(app, ["stats", "--db", db, "--action", "close_account", "--json"])
    assert by_label.exit_code == 0 and by_label.output == by_id.output
    assert [json.loads(line)["value"] for line in by_label.output.splitlines()] == [127878]
    objects = runner.invoke(app, ["stats", "--db", db, "--object", "账号", "--json"])
    assert objects.exit_code == 0 and objects.output.strip()


@pytest.mark.parametrize("args", [
    ["stats", "--action", "关闭帐号"], ["stats", "--object", "网址"],
    ["search", "约谈", "--action", "关闭帐号"], ["search", "--category", "网路暴力"],
    ["export", "out", "--action", "关闭帐号"],
])
def test_unknown_values_exit_2_naming_the_closest(db: str, args: list[str],
                                                  tmp_path: Path) -> None:
    args = [str(tmp_path / a) if a == "out" else a for a in args]
    result = runner.invoke(app, [*args, "--db", db])
    assert result.exit_code == 2, result.output
    assert "Did you mean" in result.output and "Valid ids" in result.output
    assert not (tmp_path / "out").exists()


def test_search_labels_has_facts_and_all_versions(db: str, tmp_path: Path) -> None:
    labelled = runner.invoke(app, ["search", "--db", db, "--action", "约谈", "--json"])
    assert labelled.exit_code == 0
    assert json.loads(labelled.output)["total"] >= 1
    facts = json.loads(runner.invoke(app, ["search", "--db", db, "--has-facts", "--json"]).output)
    none = json.loads(runner.invoke(app, ["search", "--db", db, "--no-facts", "--json"]).output)
    assert facts["total"] + none["total"] == 6 and facts["total"] >= 1
    assert all(h["stats"] or h["cases"] for h in facts["hits"])
    assert not any(h["stats"] or h["cases"] for h in none["hits"])
    edited = str(tmp_path / "edited.db")
    with Archive.open(edited) as archive:
        for n, text in ((1, ["保留的句子。", "后来删掉的句子。"]), (2, ["保留的句子。"])):
            archive.ingest([write_page(tmp_path / f"v{n}.md", "https://example.org/e.html", "通报",
                                       text, captured_ms=1_700_000_000_000 + n)])
    plain = runner.invoke(app, ["search", "删掉的句子", "--db", edited])
    assert plain.exit_code == 0 and "0 documents" in plain.output
    found = runner.invoke(app, ["search", "删掉的句子", "--db", edited, "--all-versions"])
    assert found.exit_code == 0 and "1 documents" in found.output
    assert "matched in version 1, not in the latest" in found.output
    out = tmp_path / "pkg"
    exported = runner.invoke(app, ["export", str(out), "--db", db, "--action", "约谈", "-q"])
    assert exported.exit_code == 0, exported.output
    stats = (out / "stats.csv").read_text(encoding="utf-8").splitlines()
    assert len(stats) > 1 and all(",summon," in line for line in stats[1:])
