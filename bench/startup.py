"""CLI start-up: ``cunzhao --help`` and ``cunzhao ls`` on a small archive beside
``sqlite-utils --help``, a comparable Python command-line tool, timed in the same run.

Each command runs RUNS times as a fresh process, the commands taking turns (so a busy moment
of the machine falls on all of them alike); the table gives min, median and max wall time and
each median's ratio to the baseline's. Target: ``--help`` and ``ls`` within 2× of
``sqlite-utils --help``.

The baseline is ``sqlite-utils`` from PATH or ``--sqlite-utils PATH``; else it is installed
into a temporary virtual environment (never into this project's). When that fails (no
network, no index) a minimal Typer app with one command stands in, and the table says so.
The small archive is the ``examples/`` folder ingested into a temporary SQLite file.
``--before SRC`` also times another checkout's ``src`` folder (e.g. ``git archive HEAD src``
unpacked) with this interpreter, in the same turns: before and after side by side.

    python bench/startup.py [--runs 20] [--sqlite-utils PATH] [--keep-venv DIR] [--before SRC]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

Command = tuple[Sequence[str], Mapping[str, str] | None]

ROOT = Path(__file__).resolve().parents[1]
MINIMAL_TYPER = """
import typer
app = typer.Typer()
@app.command()
def hello(name: str = "world") -> None:
    \"\"\"Say hello.\"\"\"
    print(name)
@app.command()
def bye() -> None:
    \"\"\"Say goodbye.\"\"\"
app()
"""


def cunzhao_command() -> list[str]:
    """The installed ``cunzhao`` script beside this interpreter (else ``python -m``-style)."""
    script = Path(sys.executable).with_name("cunzhao")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from cunzhao.cli import app; app()"]


def baseline(given: str | None, venv: Path) -> tuple[str, list[str]]:
    """(name, argv) of the baseline: sqlite-utils --help, or the minimal Typer app."""
    found = given or shutil.which("sqlite-utils")
    if found is None:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "sqlite-utils"],
                             check=False, capture_output=True, text=True)
        if pip.returncode == 0:
            found = str(venv / "bin" / "sqlite-utils")
        else:
            print(f"sqlite-utils could not be installed ({pip.stderr.strip()[-200:]}); "
                  "comparing with a minimal Typer app instead", file=sys.stderr)
    if found is not None:
        return "sqlite-utils --help", [found, "--help"]
    script = venv.parent / "minimal_typer.py"
    script.write_text(MINIMAL_TYPER, encoding="utf-8")
    return "minimal typer app --help", [sys.executable, str(script), "--help"]


def small_archive(folder: Path) -> Path:
    location = folder / "small.db"
    subprocess.run([*cunzhao_command(), "ingest", str(ROOT / "examples"), "--db", str(location),
                    "--quiet", "--jobs", "1"], check=True, capture_output=True)
    return location


def time_runs(commands: dict[str, Command], runs: int) -> dict[str, list[float]]:
    """Wall seconds of each command, ``runs`` times, in turns; a failing command stops it all."""
    for name, (argv, env) in commands.items():  # once untimed: warm the file cache, fail early
        done = subprocess.run(argv, check=False, capture_output=True, env=env)
        if done.returncode != 0:
            raise SystemExit(f"{name} failed ({done.returncode}): {done.stderr.decode()[-300:]}")
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, env) in commands.items():
            started = time.perf_counter()
            subprocess.run(argv, check=False, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, env=env)
            times[name].append(time.perf_counter() - started)
    return times


def report(times: dict[str, list[float]], base: str) -> None:
    reference = statistics.median(times[base])
    print(f"{'command':<32} {'min':>7} {'median':>7} {'max':>7}  × {base}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<32} {min(values):7.3f} {median:7.3f} {max(values):7.3f}  "
              f"{median / reference:.2f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sqlite-utils", dest="sqlite_utils", help="the sqlite-utils script")
    parser.add_argument("--keep-venv", type=Path, help="install sqlite-utils here, kept")
    parser.add_argument("--before", type=Path, help="another src/ folder to time alongside")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cunzhao-startup-") as tmp:
        folder = Path(tmp)
        venv = args.keep_venv or folder / "venv"
        name, base = baseline(args.sqlite_utils, venv)
        location = small_archive(folder)
        cunzhao = cunzhao_command()
        commands: dict[str, Command] = {
            "python -c pass": ([sys.executable, "-c", "pass"], None),
            name: (base, None),
            "cunzhao --help": ([*cunzhao, "--help"], None),
            "cunzhao ls (6 documents)": ([*cunzhao, "ls", "--db", str(location)], None),
        }
        if args.before is not None:
            env = {**os.environ, "PYTHONPATH": str(args.before.resolve())}
            commands["before: cunzhao --help"] = ([*cunzhao, "--help"], env)
            commands["before: cunzhao ls"] = ([*cunzhao, "ls", "--db", str(location)], env)
        times = time_runs(commands, args.runs)
    print(f"{args.runs} runs each, in turns; seconds of wall time")
    report(times, name)


if __name__ == "__main__":
    main()
