"""Commands of scale-out ingest: ``scan`` (a WARC collection through the keyword prefilter)
and ``load`` (Parquet partitions into the archive); what ``ingest --jobs/--cluster/
--to-parquet`` share with them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cunzhao.cli.app import DbOption, app, err, open_archive, out

if TYPE_CHECKING:
    from cunzhao import ScanReport

JobsOption = Annotated[int | None, typer.Option(
    "--jobs", "-j", min=1, show_default=False,
    help="Worker processes here (default: the number of cores).")]
ClusterOption = Annotated[str | None, typer.Option(
    help="A Dask cluster instead: a scheduler address (tcp://HOST:PORT) or local:N.")]


def workers(jobs: int | None) -> int:
    """``--jobs``, or the number of cores when it is not given."""
    from cunzhao import default_jobs

    return default_jobs() if jobs is None else jobs


@contextmanager
def cluster_errors() -> Iterator[None]:
    """A cluster that cannot be used ends the command with its reason (exit code 2)."""
    from cunzhao import ClusterUnavailable

    try:
        yield
    except ClusterUnavailable as problem:
        err.print(f"[red]error:[/] {problem}")
        raise typer.Exit(2) from None


def to_parquet_run(paths: list[Path], folder: Path, *, jobs: int, cluster: str | None) -> None:
    """``ingest --to-parquet``: prepare into partitions, report them."""
    from cunzhao import prepare_to_parquet

    with cluster_errors():
        report = prepare_to_parquet(paths, folder, jobs=jobs, cluster=cluster)
    out.print(f"{report.read} captures prepared into {report.partitions} partitions in "
              f"{folder} ({report.read_rate:.0f}/s); {report.failed} failed — "
              f"`cunzhao load {folder}` brings them in")
    if report.failed:
        raise typer.Exit(1)


@app.command()
def scan(
    paths: Annotated[list[Path], typer.Argument(help="WARC files, or folders of them.")],
    jobs: JobsOption = None,
    cluster: ClusterOption = None,
    to_parquet: Annotated[Path | None, typer.Option(
        "--to-parquet", metavar="DIR",
        help="Write the pages that pass as Parquet partitions to DIR (`cunzhao load DIR`).",
    )] = None,
) -> None:
    """Read a WARC collection through the extractor's keyword prefilter: parse only the pages
    that may hold an enforcement fact; report records/s read and kept."""
    from cunzhao import scan_paths

    with cluster_errors():
        report = scan_paths(paths, jobs=workers(jobs), cluster=cluster, to_parquet=to_parquet)
    _print_scan(report, to_parquet)


def _print_scan(report: ScanReport, folder: Path | None) -> None:
    out.print(f"{report.read} records read in {report.seconds:.1f} s "
              f"({report.read_rate:.0f}/s); {report.kept} kept by the prefilter "
              f"({report.kept_rate:.0f}/s), {report.with_facts} of them with facts; "
              f"{report.failed} failed")
    if folder is not None:
        out.print(f"{report.partitions} partitions in {folder}: `cunzhao load {folder}`")


@app.command()
def load(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="Partitions of --to-parquet.")],
    db: DbOption = None,
) -> None:
    """Bring Parquet partitions written by `ingest --to-parquet` or `scan --to-parquet` into
    the archive (the same archive a direct ingest of their input gives)."""
    from cunzhao import PartitionsIncomplete
    from cunzhao.cli.archive_cmds import print_summary

    with open_archive(db, create=True) as archive:
        try:
            summary = archive.load(folder)
        except PartitionsIncomplete as problem:
            err.print(f"[red]error:[/] {problem}")
            raise typer.Exit(2) from None
    print_summary(summary)
