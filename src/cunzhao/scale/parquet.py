"""Prepared items kept as Parquet partitions, to be loaded into an archive later.

A folder holds ``part-000000.parquet``, ``part-000001.parquet`` … — partition *i* is task *i*
of the plan, written by whichever worker ran it, to a temporary name first and then renamed,
so a partition is whole or absent and writing it again (a retried task, a rerun) replaces it
with the same rows. ``_manifest.json``, written last by the driver, says how many partitions
the run made; :func:`read_partitions` refuses a folder whose run did not finish, and reads
the partitions in order, a batch of rows at a time, so loading gives the archive a direct
ingest of the same input gives.
"""

from __future__ import annotations

import json
import os
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from cunzhao import __version__
from cunzhao.scale.arrow import SCHEMA, from_table
from cunzhao.scale.tasks import Ready

__all__ = ["MANIFEST", "PartitionsIncomplete", "partition_path", "read_partitions",
           "write_manifest", "write_partition"]

MANIFEST = "_manifest.json"
_ROWS_PER_BATCH = 200


class PartitionsIncomplete(ValueError):
    """A folder of partitions that cannot be loaded whole; the message says why."""


def partition_path(folder: Path, index: int) -> Path:
    return folder / f"part-{index:06d}.parquet"


def write_partition(folder: Path, index: int, table: pa.Table) -> Path:
    """Write partition ``index`` atomically (zstd-compressed); returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    final = partition_path(folder, index)
    temporary = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    pq.write_table(table, temporary, compression="zstd")
    os.replace(temporary, final)
    return final


def write_manifest(folder: Path, partitions: int, counts: dict[str, Any]) -> None:
    """Record that the run finished with ``partitions`` partitions (and what it counted)."""
    folder.mkdir(parents=True, exist_ok=True)
    body = {"partitions": partitions, "written_by": f"cunzhao {__version__}", **counts}
    temporary = folder / f".{MANIFEST}.tmp"
    temporary.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, folder / MANIFEST)


def read_partitions(folder: Path) -> Generator[Ready, None, None]:
    """The items of every partition of ``folder``, in order."""
    for path in _partitions(folder):
        try:
            reader = pq.ParquetFile(path)
            if not reader.schema_arrow.equals(SCHEMA):
                raise PartitionsIncomplete(f"{path}: not a cunzhao partition (other columns)")
            for batch in reader.iter_batches(batch_size=_ROWS_PER_BATCH):
                yield from from_table(batch)
        except (OSError, pa.ArrowException) as error:
            raise PartitionsIncomplete(f"{path}: cannot be read: {error}") from error


def _partitions(folder: Path) -> list[Path]:
    manifest = folder / MANIFEST
    try:
        expected = int(json.loads(manifest.read_text(encoding="utf-8"))["partitions"])
    except FileNotFoundError:
        raise PartitionsIncomplete(
            f"{folder}: no {MANIFEST} — the run that writes these partitions did not finish "
            "(run it again: partitions already written are rewritten unchanged)"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise PartitionsIncomplete(f"{manifest}: cannot be read: {error}") from None
    paths = [partition_path(folder, i) for i in range(expected)]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise PartitionsIncomplete(
            f"{folder}: {len(missing)} of {expected} partitions missing ({', '.join(missing[:3])}"
            f"{' …' if len(missing) > 3 else ''})"
        )
    return paths
