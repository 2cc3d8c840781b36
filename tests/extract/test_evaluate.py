"""The evaluator: scores, every miss and false positive, target normalisation, bad gold files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cunzhao.extract.evaluate import GoldError, evaluate, normalize_target, render_text


def _write(folder: Path, name: str, doc: dict[str, object]) -> None:
    (folder / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("written", "compared"),
    [("“知网（CNKI）”", "知网"), ("《梦聊》", "梦聊"), ("＠江苏侃大山", "江苏侃大山"), ("IC Photo", "ic photo"),
     ("新浪微博(weibo)", "新浪微博"), ("淘寶網", "淘宝网")],
)  # fmt: skip
def test_normalize_target(written: str, compared: str) -> None:
    assert normalize_target(written) == compared


def test_scores_misses_and_false_positives(tmp_path: Path) -> None:
    text = "2023年，全国网信系统约谈网站100家，关闭违法网站50家。下架“甲App”等一批移动应用程序。"
    _write(tmp_path, "a.json", {
        "id": "a", "published": None, "text": text,
        "stats": [
            {"action": "summon", "object": "website", "value": 100, "qualifier": "exact",
             "period": {"start": "2023-01-01", "end": "2023-12-31"}, "evidence": "约谈网站100家"},
            {"action": "warn", "object": "website", "value": 7, "qualifier": "exact", "period": None,
             "evidence": "警告7家"},
        ],
        "cases": [
            {"targets": ["“甲App”", "乙"], "target_kind": "app", "measures": ["remove_app"],
             "regulator": None, "fine_cny": None, "evidence": "下架“甲App”"},
        ],
    })  # fmt: skip
    report = evaluate(tmp_path)
    assert report.documents == 1
    assert (report.stats.tp, report.stats.fp, report.stats.fn) == (1, 1, 1)
    assert report.stats.f1 == pytest.approx(0.5)
    assert (report.periods.correct, report.periods.total) == (1, 1)
    assert (report.cases.tp, report.cases.fp, report.cases.fn) == (1, 0, 1)
    assert {(i.kind, i.what) for i in report.misses} == {
        ("stat", "('warn', 'website', 7)"), ("case", "乙 / remove_app")
    }  # fmt: skip
    (fp,) = report.false_positives
    assert fp.what == "('close_website', 'website', 50)" and fp.evidence == "关闭违法网站50家"
    text_report = render_text(report)
    assert "警告7家" in text_report and "关闭违法网站50家" in text_report
    assert set(report.to_json()) == {
        "documents",
        "stats",
        "periods",
        "cases",
        "misses",
        "false_positives",
    }


def test_wrong_period_is_reported(tmp_path: Path) -> None:
    _write(tmp_path, "b.json", {
        "text": "2023年，全国网信系统约谈网站100家。",
        "stats": [{"action": "summon", "object": "website", "value": 100, "qualifier": "exact",
                   "period": None, "evidence": "约谈网站100家"}],
        "cases": [],
    })  # fmt: skip
    report = evaluate(tmp_path)
    assert (report.periods.correct, report.periods.total) == (0, 1)
    assert report.misses[0].kind == "period"


def test_bad_gold_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="no \\*.json"):
        evaluate(tmp_path)
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(GoldError, match="bad.json"):
        evaluate(tmp_path)
    (tmp_path / "bad.json").write_text('{"stats": []}', encoding="utf-8")
    with pytest.raises(GoldError, match="needs a 'text'"):
        evaluate(tmp_path)
    with pytest.raises(GoldError, match="not a folder"):
        evaluate(tmp_path / "missing")
