"""Extraction speed over the whole corpus, beside a plain text scan of the same texts.

    python bench/extract.py [--corpus DIR] [--rounds 5]

Every corpus page is parsed once (outside the timing) into its clean body text. Then, in this
process, on one core, each round times:
  scan     — a plain text-scanning baseline: ``re.findall`` of digit runs and ``str.count``
             of 网信 over each text;
  extract  — ``cunzhao.extract.extract(body, published)`` over each text.
It prints documents per second for both (best round), the ratio, and how many facts were found.
"""

from __future__ import annotations

import argparse
import re
import time
from datetime import date
from pathlib import Path

from cunzhao.capture.model import Capture
from cunzhao.extract import extract
from cunzhao.parse import parse_capture

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_DIGITS = re.compile(r"\d+")


def load(corpus: Path) -> list[tuple[str, date | None]]:
    pages = sorted(p for p in corpus.rglob("*.md") if p.name != "README.md")
    texts = []
    for path in pages:
        page = parse_capture(Capture(data=path.read_bytes(), source=str(path)))
        texts.append((page.body, page.published))
    return texts


def scan(texts: list[tuple[str, date | None]]) -> int:
    found = 0
    for body, _ in texts:
        found += len(_DIGITS.findall(body)) + body.count("网信")
    return found


def run_extract(texts: list[tuple[str, date | None]]) -> int:
    found = 0
    for body, published in texts:
        facts = extract(body, published)
        found += len(facts.stats) + len(facts.cases)
    return found


def best(fn: object, texts: list[tuple[str, date | None]], rounds: int) -> tuple[float, int]:
    assert callable(fn)
    seconds, result = float("inf"), 0
    for _ in range(rounds):
        start = time.perf_counter()
        result = fn(texts)
        seconds = min(seconds, time.perf_counter() - start)
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    texts = load(args.corpus)
    chars = sum(len(body) for body, _ in texts)
    extract("约谈网站1家")  # load the lexicons once, outside the timing
    scan_s, scanned = best(scan, texts, args.rounds)
    extract_s, facts = best(run_extract, texts, args.rounds)
    n = len(texts)
    print(f"corpus   {n} documents, {chars:,} characters of body text (mean {chars // n:,})")
    print(
        f"scan     {n / scan_s:12,.0f} docs/s  ({scan_s * 1000:8.1f} ms)  {scanned:,} digit runs and 网信"
    )
    print(
        f"extract  {n / extract_s:12,.0f} docs/s  ({extract_s * 1000:8.1f} ms)  {facts:,} stats and cases"
    )
    print(
        f"ratio    extract is {extract_s / scan_s:.1f}x the scan's time; target >= 1,000 docs/s: "
        f"{'met' if n / extract_s >= 1000 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
