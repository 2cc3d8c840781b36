"""Real pages damaged at one byte, for the tests that damaged bytes lose nothing (issue 15,
item 6): the shared corpus's pages (``examples/`` when the shared folder is absent)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from testenv import EXAMPLES, missing_shared, shared_location

DAMAGE = 0xFF  # valid nowhere in UTF-8, GB18030 or Big5
NEAR = 3  # characters one damaged UTF-8 byte can turn into U+FFFD


def page_files() -> list[Path]:
    """Every page of the shared corpus (its MANIFEST), else the pages in ``examples/``."""
    if missing_shared():
        return sorted(p for p in EXAMPLES.glob("*.md") if p.name != "README.md")
    corpus = shared_location() / "corpus"
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle, delimiter="\t")
                if row and not row[0].startswith("#")]
    return [corpus / row[0] for row in rows]


def damage(data: bytes, seed: str, value: int = DAMAGE) -> bytes:
    """``data`` with one non-ASCII byte set to ``value``, chosen by ``seed`` (one in the
    second half when there is one: body text, not the header's title)."""
    text = [i for i, byte in enumerate(data) if byte >= 0x80]
    if not text:
        raise ValueError(f"{seed}: no non-ASCII byte to damage")
    at = random.Random(seed).choice([i for i in text if i >= len(data) // 2] or text)
    return data[:at] + bytes([value]) + data[at + 1:]


def changed_span(intact: str, damaged: str) -> int:
    """How many characters differ between the two texts once their common prefix and common
    suffix are set aside (the longer text's count)."""
    shortest = min(len(intact), len(damaged))
    prefix = 0
    while prefix < shortest and intact[prefix] == damaged[prefix]:
        prefix += 1
    suffix = 0
    while suffix < shortest - prefix and intact[-1 - suffix] == damaged[-1 - suffix]:
        suffix += 1
    return max(len(intact), len(damaged)) - prefix - suffix
