"""Commands over the extractor alone: ``extract`` (one file) and ``eval`` (a gold folder)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cunzhao.cli.app import app, err, out

if TYPE_CHECKING:
    from cunzhao import EvalReport, Facts


def _fail(path: Path, reason: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/] {path}: {reason}")
    return typer.Exit(code)


def _read(path: Path) -> tuple[str, date | None]:
    """The text of ``path`` and its date: a .txt file as is, any file `ingest` accepts parsed."""
    from cunzhao import Capture, ParseError, iter_captures, parse_capture

    if not path.exists():
        raise _fail(path, "no such file")
    if not path.is_file():
        raise _fail(path, "not a file")
    if path.suffix.lower() == ".txt":
        try:
            return path.read_bytes().decode("utf-8"), None
        except OSError as problem:
            raise _fail(path, f"cannot read ({problem.strerror})") from None
        except UnicodeDecodeError as problem:
            raise _fail(path, f"not UTF-8 text (byte {problem.start})", 1) from None
    found = list(iter_captures([path]))
    captures = [c for c in found if isinstance(c, Capture) and c.is_page]
    if not captures:
        reasons = "; ".join(getattr(c, "reason", "") for c in found)
        raise _fail(path, reasons or "no page in this file", 1)
    if len(captures) > 1:
        raise _fail(
            path, f"holds {len(captures)} pages; extract reads one (ingest the file for all)", 1
        )
    try:
        page = parse_capture(captures[0])
    except ParseError as problem:
        raise _fail(path, f"cannot parse ({problem.reason})", 1) from None
    return page.body, page.published


def _facts_tables(facts: Facts) -> list[Table]:
    from cunzhao import action_label, category_label

    stats = Table(title=f"Stats ({len(facts.stats)})")
    for column in ("action", "object", "value", "qualifier", "period", "scope", "evidence"):
        stats.add_column(column)
    for s in facts.stats:
        period = f"{s.period.start}..{s.period.end}" if s.period else ""
        stats.add_row(
            action_label(s.action),
            s.object,
            f"{s.value:,}",
            s.qualifier,
            period,
            s.scope or "",
            s.evidence,
        )
    cases = Table(title=f"Cases ({len(facts.cases)})")
    for column in ("targets", "kind", "measures", "regulator", "fine (CNY)", "categories"):
        cases.add_column(column)
    for c in facts.cases:
        cases.add_row(
            "、".join(c.targets),
            c.target_kind,
            ", ".join(action_label(m) for m in c.measures),
            c.regulator or "",
            f"{c.fine_cny:,}" if c.fine_cny else "",
            ", ".join(category_label(x) for x in c.categories),
        )
    return [stats, cases]


@app.command("extract")
def extract_file(
    path: Annotated[Path, typer.Argument(help="A .txt file (UTF-8) or any file `ingest` accepts.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the facts as JSON.")] = False,
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            help="The text's date, YYYY-MM-DD (resolves 今年上半年 …).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Extract enforcement counts and named cases from one file."""
    from cunzhao import extract_facts

    day: date | None = None
    if published is not None:
        try:
            day = date.fromisoformat(published)
        except ValueError:
            err.print(f"[red]error:[/] --published {published!r}: not a date (YYYY-MM-DD)")
            raise typer.Exit(2) from None
    text, page_date = _read(path)
    facts = extract_facts(text, day or page_date)
    if as_json:
        print(json.dumps(facts.to_json(), ensure_ascii=False, indent=2))
        return
    for table in _facts_tables(facts):
        out.print(table)


def _report_tables(report: EvalReport) -> list[Table]:
    scores = Table(title=f"Extraction against {report.documents} gold documents")
    for column in ("metric", "precision", "recall", "F1 / accuracy", "tp", "fp", "fn"):
        scores.add_column(column)
    for name, s in (("stats", report.stats), ("cases (target, measure)", report.cases)):
        scores.add_row(
            name,
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
            str(s.tp),
            str(s.fp),
            str(s.fn),
        )
    p = report.periods
    scores.add_row(
        "periods (matched stats)",
        "",
        "",
        f"{p.accuracy:.3f}",
        str(p.correct),
        "",
        str(p.total - p.correct),
    )
    issues = Table(title="Misses and false positives")
    for column in ("", "doc", "kind", "what", "evidence"):
        issues.add_column(column)
    for label, found in (("miss", report.misses), ("false +", report.false_positives)):
        for i in found:
            issues.add_row(label, i.doc, i.kind, i.what, i.evidence)
    return [scores, issues]


@app.command("eval")
def eval_gold(
    gold_dir: Annotated[
        Path, typer.Argument(help="A folder of gold *.json files (see gold/SCHEMA.md).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Score the extractor against a folder of hand-annotated gold files."""
    from cunzhao import GoldError, evaluate

    try:
        report = evaluate(gold_dir)
    except GoldError as problem:
        raise _fail(problem.path, problem.reason) from None
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return
    for table in _report_tables(report):
        out.print(table)
