"""Small wrapped pages written by tests: the duty-machine format `ingest` reads (a capture
time comment, a ``[title](url)`` header, a rule, then HTML)."""

from __future__ import annotations

from pathlib import Path


def write_page(path: Path, url: str, title: str, paragraphs: list[str], *,
               captured_ms: int = 1_704_067_200_000) -> Path:
    """Write one page to ``path`` (folders made) and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    path.write_text(f"<!--{captured_ms}-->\n[{title}]({url})\n------\n\n{body}\n",
                    encoding="utf-8")
    return path


def restated_seed(seed: Path, folder: Path, url: str) -> Path:
    """The seed page under another URL: a second document stating the same figures."""
    text = seed.read_text(encoding="utf-8").replace(
        "https://chinadigitaltimes.net/chinese/704712.html", url, 1)
    target = folder / "restated.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
