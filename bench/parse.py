"""Parse-stage speed: pages per second for ``parse_capture`` on the seed and on the whole
corpus, printed beside the floor measured in the same run (decoding the bytes and building
the lexbor tree, nothing else).

    python bench/parse.py [CORPUS_DIR]   # default: ../shared/corpus or $CUNZHAO_SHARED/corpus
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from cunzhao.capture.files import iter_file_captures
from cunzhao.capture.model import Capture
from cunzhao.parse import parse_capture


def rate(work: Callable[[], object], count: int, seconds: float = 2.0) -> float:
    """Items per second: repeat ``work`` (which handles ``count`` items) for ``seconds``."""
    runs, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        work()
        runs += 1
    return runs * count / elapsed


def floor(captures: list[Capture]) -> None:
    for capture in captures:
        text = capture.data.decode("utf-8")
        LexborHTMLParser(text[text.find("\n<") :])


def full(captures: list[Capture]) -> None:
    for capture in captures:
        parse_capture(capture)


def main() -> None:
    shared = Path(
        os.environ.get("CUNZHAO_SHARED") or Path(__file__).resolve().parents[2] / "shared"
    )
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else shared / "corpus"
    captures = [c for c in iter_file_captures([corpus]) if isinstance(c, Capture)]
    seed = [c for c in captures if c.source.endswith("704712.md")]
    size = sum(len(c.data) for c in captures)
    print(f"corpus: {len(captures)} pages, {size / 1e6:.1f} MB")
    for name, batch in (("seed", seed), ("corpus", captures)):
        base = rate(partial(floor, batch), len(batch))
        ours = rate(partial(full, batch), len(batch))
        print(
            f"{name:7s} parse_capture {ours:9,.0f} pages/s   floor (decode + lexbor tree) "
            f"{base:9,.0f} pages/s   ratio {ours / base:.2f}"
        )


if __name__ == "__main__":
    main()
