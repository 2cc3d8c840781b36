"""CI gate: the extractor's scores on the held-out sets stay at the floors.

The held-out texts are real enforcement announcements the extractor was not first developed
on: ``tests/data/heldout`` (h001-h022) and ``tests/data/heldout2`` (h101-h140, issue 12),
provenance in each set's README.md. Floors live under the set's name in
``tests/eval_floors.json``; raise them as quality improves.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cunzhao.extract.evaluate import evaluate, render_text

TESTS = Path(__file__).resolve().parents[1]
SETS = {"heldout": 12, "heldout2": 40}


@pytest.mark.parametrize(("name", "size"), sorted(SETS.items()))
def test_heldout_set_is_complete(name: str, size: int) -> None:
    folder = TESTS / "data" / name
    files = sorted(folder.glob("h*.json"))
    assert len(files) >= size
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        assert gold["id"] == path.stem and gold["id"] in readme
        for item in gold["stats"] + gold["cases"]:
            assert item["evidence"] in gold["text"], (path.name, item["evidence"])


@pytest.mark.parametrize("name", sorted(SETS))
def test_heldout_scores_meet_the_floors(name: str) -> None:
    floors = json.loads((TESTS / "eval_floors.json").read_text(encoding="utf-8"))[name]
    report = evaluate(TESTS / "data" / name)
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
