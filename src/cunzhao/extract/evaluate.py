"""Scoring the extractor against hand-annotated gold files (``shared/gold``, see its SCHEMA.md).

Stats match on (action, object, value); periods are scored among matched stats; cases are
scored as (target, measure) pairs, targets compared without quotes, 《》, a leading ＠ or a
trailing parenthesised alias, in folded form. Every miss and false positive is listed with
its evidence so a developer sees what to fix.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cunzhao.extract import extract
from cunzhao.extract.model import Facts
from cunzhao.fold import fold

__all__ = [
    "Accuracy",
    "EvalReport",
    "GoldError",
    "Issue",
    "Score",
    "evaluate",
    "normalize_target",
    "render_text",
]

_ALIAS = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


class GoldError(ValueError):
    """A gold file that cannot be read; names the file and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


@dataclass(frozen=True, slots=True)
class Score:
    """True positives, false positives and false negatives, with P/R/F1."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True, slots=True)
class Accuracy:
    """Correct out of total (periods of matched stats)."""

    correct: int
    total: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0

    def to_json(self) -> dict[str, float | int]:
        return {"correct": self.correct, "total": self.total, "accuracy": round(self.accuracy, 4)}


@dataclass(frozen=True, slots=True)
class Issue:
    """One miss or false positive: which document, what, and the evidence."""

    doc: str
    kind: str  # stat | period | case
    what: str
    evidence: str

    def to_json(self) -> dict[str, str]:
        return {"doc": self.doc, "kind": self.kind, "what": self.what, "evidence": self.evidence}


@dataclass(slots=True)
class EvalReport:
    """Scores over a gold folder, with every miss and false positive."""

    documents: int = 0
    stats: Score = Score(0, 0, 0)
    periods: Accuracy = Accuracy(0, 0)
    cases: Score = Score(0, 0, 0)
    misses: list[Issue] = field(default_factory=list)
    false_positives: list[Issue] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "stats": self.stats.to_json(),
            "periods": self.periods.to_json(),
            "cases": self.cases.to_json(),
            "misses": [i.to_json() for i in self.misses],
            "false_positives": [i.to_json() for i in self.false_positives],
        }


def normalize_target(name: str) -> str:
    """A target as compared: no quotes, 《》, leading ＠ or trailing (alias); folded."""
    name = fold(name.strip())
    name = name.strip("“”\"'「」『』《》 ")
    name = name.lstrip("@")
    name = _ALIAS.sub("", name)
    return name.strip("“”\"'「」『』《》 ")


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise GoldError(path, f"cannot read gold file ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise GoldError(path, "not a gold document (needs a 'text' string)")
    return data


def _period_json(stat: dict[str, Any]) -> Any:
    return stat.get("period")


def _score_doc(
    doc_id: str, gold: dict[str, Any], facts: Facts, report: EvalReport
) -> tuple[Score, Accuracy, Score]:
    gold_stats = {(s["action"], s["object"], int(s["value"])): s for s in gold.get("stats", [])}
    pred_stats = {(s.action, s.object, s.value): s for s in facts.stats}
    correct = 0
    for key in gold_stats.keys() & pred_stats.keys():
        predicted = pred_stats[key].period
        if (predicted.to_json() if predicted else None) == _period_json(gold_stats[key]):
            correct += 1
        else:
            report.misses.append(
                Issue(
                    doc_id,
                    "period",
                    f"{key}: expected {_period_json(gold_stats[key])}, "
                    f"got {predicted.to_json() if predicted else None}",
                    pred_stats[key].evidence,
                )
            )
    for key in sorted(gold_stats.keys() - pred_stats.keys()):
        report.misses.append(Issue(doc_id, "stat", str(key), gold_stats[key].get("evidence", "")))
    for key in sorted(pred_stats.keys() - gold_stats.keys()):
        report.false_positives.append(Issue(doc_id, "stat", str(key), pred_stats[key].evidence))

    gold_pairs: Counter[tuple[str, str]] = Counter()
    gold_evidence: dict[tuple[str, str], str] = {}
    for case in gold.get("cases", []):
        for target in case["targets"]:
            for measure in case["measures"]:
                pair = (normalize_target(target), measure)
                gold_pairs[pair] = 1
                gold_evidence.setdefault(pair, case.get("evidence", ""))
    pred_pairs: dict[tuple[str, str], str] = {}
    for c in facts.cases:
        for target in c.targets:
            for measure in c.measures:
                pred_pairs.setdefault((normalize_target(target), measure), c.evidence)
    for pair in sorted(gold_pairs.keys() - pred_pairs.keys()):
        report.misses.append(Issue(doc_id, "case", f"{pair[0]} / {pair[1]}", gold_evidence[pair]))
    for pair in sorted(pred_pairs.keys() - gold_pairs.keys()):
        report.false_positives.append(
            Issue(doc_id, "case", f"{pair[0]} / {pair[1]}", pred_pairs[pair])
        )
    matched = len(gold_stats.keys() & pred_stats.keys())
    hits = len(gold_pairs.keys() & pred_pairs.keys())
    return (
        Score(matched, len(pred_stats) - matched, len(gold_stats) - matched),
        Accuracy(correct, matched),
        Score(hits, len(pred_pairs) - hits, len(gold_pairs) - hits),
    )


def evaluate(gold_dir: Path) -> EvalReport:
    """Run ``extract`` over every ``*.json`` gold file in ``gold_dir`` and score it."""
    if not gold_dir.is_dir():
        raise GoldError(gold_dir, "not a folder")
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise GoldError(gold_dir, "no *.json gold files in this folder")
    report = EvalReport()
    stats, periods, cases = Score(0, 0, 0), Accuracy(0, 0), Score(0, 0, 0)
    for path in files:
        gold = _load(path)
        published = gold.get("published")
        try:
            day = date.fromisoformat(published) if published else None
        except ValueError:
            raise GoldError(path, f"bad 'published' date {published!r}") from None
        doc_id = str(gold.get("id") or path.stem)
        s, p, c = _score_doc(doc_id, gold, extract(gold["text"], day), report)
        stats = Score(stats.tp + s.tp, stats.fp + s.fp, stats.fn + s.fn)
        periods = Accuracy(periods.correct + p.correct, periods.total + p.total)
        cases = Score(cases.tp + c.tp, cases.fp + c.fp, cases.fn + c.fn)
        report.documents += 1
    report.stats, report.periods, report.cases = stats, periods, cases
    return report


def render_text(report: EvalReport) -> str:
    """A plain-text rendering: the scores, then every miss and false positive."""
    lines = [f"documents: {report.documents}"]
    for name, score in (("stats", report.stats), ("cases", report.cases)):
        lines.append(
            f"{name:8} P={score.precision:.3f} R={score.recall:.3f} F1={score.f1:.3f} "
            f"(tp={score.tp} fp={score.fp} fn={score.fn})"
        )
    lines.append(
        f"periods  accuracy={report.periods.accuracy:.3f} "
        f"({report.periods.correct}/{report.periods.total} matched stats)"
    )
    for title, issues in (("misses", report.misses), ("false positives", report.false_positives)):
        lines.append(f"{title}: {len(issues)}")
        lines += [f"  [{i.doc}] {i.kind}: {i.what} — {i.evidence}" for i in issues]
    return "\n".join(lines)
