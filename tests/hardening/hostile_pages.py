"""Hostile pages, generated on the spot (nothing large is stored in the repository).

Each builder writes one file into a folder and says what ingesting it must give: ``ingested``
(the page is read, within its time budget and memory ceiling) or ``failed`` with a phrase of
the reason. Long unpunctuated clauses, deep nesting, a 2 MB single-line page, a 50 MB page,
bracket runs in a Markdown body, damaged and truncated bytes, binary data.

Used by ``test_hostile_inputs.py`` (each file ingested in a child process of its own) and by
``bench/hostile.py``, which prints the same measurements.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

KIB = 1 << 10
MIB = 1 << 20
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEED = EXAMPLES / "seed-704712.md"

# Enforcement wording without any clause-ending mark (no ,;:。!? nor line break): a clause
# that never ends, with counts, measures, names, lists and periods all through it.
_CLAUSE_WORDS = (
    "约谈", "关闭", "处置", "下架", "责令整改", "罚款", "警告", "网站", "账号", "App", "平台",
    "国家网信办", "北京市网信办", "针对", "对", "等", "、", "“某某”", "@某某", "某某有限公司",
    "违法违规", "2023年", "1至6月", "截至目前", "今年以来", "名单包括", "董事长张三", "微博",
    "抖音", "其中",
)
_SENTENCE = "国家网信办依法约谈网站{a}家，责令{b}家网站暂停功能或更新，关闭违法违规账号{c}个。"


@dataclass(frozen=True)
class Hostile:
    """A hostile file and what ingesting it must give."""

    name: str
    path: Path
    outcome: str  # "ingested" or "failed"
    reason: str = ""  # for "failed": a phrase the failure's reason holds


def wrapped(body: str, title: str = "hostile") -> bytes:
    """A page in the duty-machine wrapper (header, then the body as it is)."""
    return f"[{title}](https://example.org/{title}.html)\n------\n\n{body}".encode()


def long_clause(size: int, seed: int = 15) -> str:
    """``size`` bytes (UTF-8) of enforcement wording, counts among it, never a clause end."""
    rnd = random.Random(seed)
    out: list[str] = []
    total = 0
    while total < size:
        word = (
            f"{rnd.randint(2, 99999)}{rnd.choice('家个款条')}"
            if rnd.random() < 0.25
            else rnd.choice(_CLAUSE_WORDS)
        )
        out.append(word)
        total += len(word.encode())
    return "".join(out)


def natural(size: int, joiner: str = "\n") -> str:
    """``size`` bytes of punctuated report sentences, ``joiner`` between them."""
    rnd = random.Random(size)
    out: list[str] = []
    total = 0
    while total < size:
        line = _SENTENCE.format(a=rnd.randint(2, 9999), b=rnd.randint(2, 999), c=rnd.randint(2, 99999))
        out.append(line)
        total += len(line.encode()) + len(joiner)
    return joiner.join(out)


def _html(inner: str) -> str:
    return f"<html><head><meta charset='utf-8'></head><body>{inner}</body></html>"


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def clause(folder: Path, kib: int) -> Hostile:
    name = f"clause-{kib}k.md"
    body = _html(f"<p>{long_clause(kib * KIB)}</p>")
    return Hostile(name, _write(folder, name, wrapped(body, name)), "ingested")


def natural_page(folder: Path, kib: int) -> Hostile:
    name = f"natural-{kib}k.md"
    body = _html("".join(f"<p>{line}</p>" for line in natural(kib * KIB).split("\n")))
    return Hostile(name, _write(folder, name, wrapped(body, name)), "ingested")


def single_line(folder: Path) -> Hostile:
    """2 MB of punctuated sentences in one paragraph: one line of body text."""
    name = "single-line-2mb.md"
    body = _html(f"<p>{natural(2 * MIB, joiner='')}</p>")
    return Hostile(name, _write(folder, name, wrapped(body, name)), "ingested")


def deep(folder: Path, tag: str = "div", depth: int = 100_000, closed: bool = True) -> Hostile:
    name = f"deep-{tag}-{depth // 1000}k{'' if closed else '-unclosed'}.html"
    inner = f"<{tag}>" * depth + "<p>国家网信办依法约谈网站12家。</p>"
    inner += f"</{tag}>" * depth if closed else ""
    return Hostile(name, _write(folder, name, _html(inner).encode()), "ingested")


def deep_inline_then_blocks(folder: Path) -> Hostile:
    """50,000 open ``<span>``s, then 50,000 paragraphs: every ``<p>`` looks down the stack."""
    name = "deep-span-then-paragraphs.html"
    inner = "<span>" * 50_000 + "<p>约谈网站12家</p>" * 50_000
    return Hostile(name, _write(folder, name, _html(inner).encode()), "ingested")


def deep_card(folder: Path) -> Hostile:
    """An archive card whose fields sit 5,000 elements deep."""
    name = "deep-card.md"
    card = (
        "<div class='su-spoiler'><div class='su-spoiler-title'>CDT 档案卡</div>"
        "<div class='su-spoiler-content'>" + "<span>" * 5000
        + "<strong>标题：</strong>深<br><strong>发表日期：</strong>2024.1.31"
        + "</span>" * 5000 + "</div></div><p>国家网信办依法约谈网站12家。</p>"
    )
    return Hostile(name, _write(folder, name, wrapped(_html(card), name)), "ingested")


def huge(folder: Path, mib: int = 50) -> Hostile:
    name = f"page-{mib}mb.html"
    line = "<p>" + _SENTENCE.format(a=12, b=34, c=5678) + "</p>\n"
    data = _html(line * (mib * MIB // len(line.encode()))).encode()
    return Hostile(name, _write(folder, name, data), "failed", "parse limit")


def brackets(folder: Path) -> Hostile:
    """A Markdown body: 1 MiB of ``[`` and of ``[a](`` that never close."""
    name = "markdown-brackets.md"
    body = "约谈网站12家" + "[" * (MIB // 2) + "[a](" * (MIB // 8) + "![" * (MIB // 4)
    return Hostile(name, _write(folder, name, wrapped(body, name)), "ingested")


def damaged(folder: Path, seed: int) -> Hostile:
    """The seed page with 1 to 40 bytes overwritten at random."""
    rnd = random.Random(seed)
    data = bytearray(SEED.read_bytes())
    for _ in range(rnd.randint(1, 40)):
        data[rnd.randrange(len(data))] = rnd.randrange(256)
    name = f"damaged-{seed}.md"
    return Hostile(name, _write(folder, name, bytes(data)), "any")


def truncated(folder: Path, fraction: float) -> Hostile:
    data = SEED.read_bytes()
    name = f"truncated-{int(fraction * 100)}.md"
    return Hostile(name, _write(folder, name, data[: int(len(data) * fraction)]), "any")


def binary(folder: Path) -> Hostile:
    name = "binary.html"
    data = random.Random(3).randbytes(256 * KIB)
    return Hostile(name, _write(folder, name, b"<html>" + data), "failed", "binary data")


def undeclared_gb18030(folder: Path) -> Hostile:
    """2 MB of GB18030 text that declares no charset: the detector reads it all."""
    name = "gb18030-2mb.html"
    body = "".join(f"<p>{line}</p>" for line in natural(2 * MIB // 3 * 2).split("\n"))
    data = f"<html><body>{body}</body></html>".encode("gb18030")
    return Hostile(name, _write(folder, name, data), "ingested")


BUILDERS: dict[str, Callable[[Path], Hostile]] = {
    "clause 50 KiB": lambda f: clause(f, 50),
    "clause 100 KiB": lambda f: clause(f, 100),
    "clause 200 KiB": lambda f: clause(f, 200),
    "natural 200 KiB": lambda f: natural_page(f, 200),
    "single line 2 MB": single_line,
    "100k nested div": deep,
    "100k unclosed div": lambda f: deep(f, closed=False),
    "100k nested span": lambda f: deep(f, "span"),
    "spans then paragraphs": deep_inline_then_blocks,
    "deep archive card": deep_card,
    "50 MB page": huge,
    "markdown brackets": brackets,
    "damaged bytes": lambda f: damaged(f, 1),
    "damaged bytes 2": lambda f: damaged(f, 2),
    "truncated 37 %": lambda f: truncated(f, 0.37),
    "truncated 3 %": lambda f: truncated(f, 0.03),
    "binary": binary,
    "undeclared GB18030 2 MB": undeclared_gb18030,
}


# The child ingests one file into a fresh archive and prints what came of it, with its peak
# RSS: VmHWM, the high-water mark of its own memory since exec. (ru_maxrss would not do: it
# carries over exec, so a child of a big pytest would report pytest's peak.) Its CPU time
# comes from os.wait4, which reports that one child's own resource use.
_CHILD = """
import json, resource, sys, time
from pathlib import Path
from cunzhao import Archive
started = time.perf_counter()
with Archive.open(sys.argv[2], create=True) as archive:
    summary = archive.ingest([Path(sys.argv[1])])
seconds = time.perf_counter() - started
try:
    with open("/proc/self/status") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:  # no /proc: the rusage figure, an upper bound
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_kb": peak_kb, "counts": summary.counts,
                  "errors": [f.error for f in summary.failures]}))
"""


@dataclass(frozen=True)
class Measured:
    """One file ingested in a process of its own: the ingest's wall time, the process's CPU
    time (start-up included) and peak RSS, what came of the file, and the child's stderr
    (where a traceback would be)."""

    seconds: float
    cpu_seconds: float
    rss_mb: float
    counts: dict[str, int]
    errors: list[str]
    stderr: str = ""
    timed_out: bool = False


def measure(
    path: Path, archive: Path, timeout: float, env: dict[str, str] | None = None
) -> Measured:
    """Ingest ``path`` into a new archive at ``archive`` in a child process."""
    out, err = archive.with_suffix(".out"), archive.with_suffix(".err")
    with out.open("wb") as stdout, err.open("wb") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(path), str(archive)],
            stdout=stdout, stderr=stderr, env={**os.environ, **(env or {})},
        )
    started = time.monotonic()
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > timeout:
            child.kill()
            _, status, usage = os.wait4(child.pid, 0)
            return Measured(timeout, _cpu(usage), usage.ru_maxrss / 1024, {}, [], timed_out=True)
        time.sleep(0.02)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    lines = out.read_text().strip().splitlines()
    report = json.loads(lines[-1]) if status == 0 and lines else {}
    return Measured(
        report.get("seconds", time.monotonic() - started), _cpu(usage),
        report.get("peak_kb", usage.ru_maxrss) / 1024,
        report.get("counts", {}), report.get("errors", []), stderr=err.read_text(),
    )


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime
