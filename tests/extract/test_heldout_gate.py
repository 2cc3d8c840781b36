"""CI gate: the extractor's scores on the held-out set (tests/data/heldout) stay at the floors.

The held-out texts are real enforcement announcements the extractor was not first developed
on (provenance in tests/data/heldout/README.md). Floors live under ``heldout`` in
``tests/eval_floors.json``; raise them as quality improves.
"""

from __future__ import annotations

import json
from pathlib import Path

from cunzhao.extract.evaluate import evaluate, render_text

TESTS = Path(__file__).resolve().parents[1]
HELDOUT = TESTS / "data" / "heldout"


def test_heldout_set_is_complete() -> None:
    files = sorted(HELDOUT.glob("h*.json"))
    assert len(files) >= 12
    readme = (HELDOUT / "README.md").read_text(encoding="utf-8")
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        assert gold["id"] == path.stem and gold["id"] in readme
        for item in gold["stats"] + gold["cases"]:
            assert item["evidence"] in gold["text"], (path.name, item["evidence"])


def test_heldout_scores_meet_the_floors() -> None:
    floors = json.loads((TESTS / "eval_floors.json").read_text(encoding="utf-8"))["heldout"]
    report = evaluate(HELDOUT)
    reached = {
        "stats_f1": report.stats.f1,
        "cases_f1": report.cases.f1,
        "period_accuracy": report.periods.accuracy,
    }
    assert set(floors) - {"_comment"} == set(reached)
    below = {
        name: (round(value, 4), floors[name])
        for name, value in reached.items()
        if value < floors[name]
    }
    assert not below, f"below the floors (reached, floor): {below}\n{render_text(report)}"
