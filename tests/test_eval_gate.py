"""CI gate: the extractor's scores on the shared gold set stay at or above pinned floors.

Floors live in ``tests/eval_floors.json``; raise them as quality improves.
"""

from __future__ import annotations

import json
from pathlib import Path

from cunzhao.extract.evaluate import evaluate, render_text

FLOORS = Path(__file__).with_name("eval_floors.json")


def test_gold_scores_meet_the_floors(shared: Path) -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    report = evaluate(shared / "gold")
    reached = {
        "stats_f1": report.stats.f1,
        "cases_f1": report.cases.f1,
        "period_accuracy": report.periods.accuracy,
    }
    # the held-out sets' floors (heldout, heldout2) are nested under their names
    assert {k for k, v in floors.items() if not isinstance(v, dict)} - {"_comment"} == set(reached)
    below = {
        name: (round(value, 4), floors[name])
        for name, value in reached.items()
        if value < floors[name]
    }
    assert not below, f"below the floors (reached, floor): {below}\n{render_text(report)}"
