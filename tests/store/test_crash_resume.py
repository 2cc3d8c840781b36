"""An ingest killed with SIGKILL at random points — during imports, schema creation, any
batch or commit — and resumed holds exactly what a clean ingest holds, table by table, on
both backends (issue 15). A few runs here; ``bench/crash.py`` runs many.

The seed of each run is printed on failure; ``CUNZHAO_CRASH_SEED`` replays one.
"""

from __future__ import annotations

import os
import random
from contextlib import ExitStack
from pathlib import Path

import crashes

from testenv import fresh_pg_database

RUNS = 2  # per backend, each with 1 or 2 kills
EVERY = 4  # of the corpus's documents, one in EVERY (with all its versions): under a minute


def test_killed_ingests_resume_to_the_clean_archive(archive_location: str,
                                                    tmp_path: Path) -> None:
    pages = crashes.crash_pages(tmp_path / "pages", EVERY)
    assert len(list(pages.rglob("*.md"))) >= 7
    clean_seconds = crashes.finish(crashes.start_ingest(archive_location, pages, 200))
    clean = crashes.natural_contents(archive_location)
    assert clean["versions"] and clean["stats"] and clean["blobs"]
    first = int(os.environ.get("CUNZHAO_CRASH_SEED", random.randrange(1 << 30)))
    for seed in range(first, first + RUNS):
        with ExitStack() as stack:
            location = (stack.enter_context(fresh_pg_database("crash"))
                        if "://" in archive_location else str(tmp_path / f"crash{seed}.db"))
            run = crashes.crash_and_resume(location, pages, seed=seed, kills=1 + seed % 2,
                                           longest=clean_seconds * 1.2)
            found = crashes.differences(crashes.natural_contents(location), clean)
            assert not found, f"seed {seed} ({run}):\n" + "\n".join(found)
