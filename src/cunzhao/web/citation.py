"""Citations of a document, a figure or a case: plain text (Chicago-like), BibTeX, CSL-JSON.

Each cites the archived copy at its permalink on this server, with the access date, the
SHA-256 of the preserved bytes, the capture time and the original URL, so a reader can fetch
the same bytes and check them. BibTeX values are escaped for LaTeX (braces, backslashes and
``& % $ # _ ^ ~``); CSL-JSON uses only variables of the CSL 1.0 schema.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = ["Citation", "bibtex", "csl_json", "plain_text"]

ARCHIVE = "cunzhao 立此存照"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_LATEX = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
          "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
          "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}


@dataclass(frozen=True)
class Citation:
    """What a citation states. ``key``: a stable identifier (``cunzhao-doc-6``,
    ``cunzhao-fact-6-1-3fa9b2c1``); ``url``: the archived copy here; ``quote``: the evidence
    sentence of a figure or case; ``published``: YYYY-MM-DD or None."""

    key: str
    title: str
    url: str
    accessed: date
    sha256: str | None = None
    published: str | None = None
    author: str | None = None
    site: str | None = None
    original_url: str | None = None
    captured: str | None = None
    quote: str | None = None

    @property
    def details(self) -> list[str]:
        """The provenance sentences every format carries (original, capture, hash)."""
        found = [f"Original: {self.original_url}"] if self.original_url else []
        if self.captured:
            found.append(f"captured {self.captured}")
        if self.sha256:
            found.append(f"SHA-256 {self.sha256}")
        return found


def plain_text(c: Citation) -> str:
    """Author. “Title.” Site, Month D, YYYY. “Quote.” Original: …; captured …; SHA-256 ….
    Archived copy: URL (accessed Month D, YYYY)."""
    parts = [f"{c.author}." if c.author else "", f"“{c.title}.”"]
    where = ", ".join(x for x in (c.site, _long_date(c.published)) if x)
    if where:
        parts.append(where + ".")
    if c.quote:
        parts.append(f"“{c.quote}”")
    if c.details:
        parts.append("; ".join(c.details) + ".")
    parts.append(f"{ARCHIVE}, archived copy: {c.url} (accessed {_long_date(c.accessed)}).")
    return " ".join(p for p in parts if p)


def bibtex(c: Citation) -> str:
    """One ``@misc`` entry (biblatex fields ``date``/``urldate`` and BibTeX's ``year``)."""
    fields: list[tuple[str, str]] = [("title", _tex(c.title))]
    if c.author:
        fields.append(("author", "{" + _tex(c.author) + "}"))  # a name kept whole
    if c.published:
        fields += [("year", c.published[:4]), ("date", c.published)]
    if c.site:
        fields.append(("howpublished", _tex(c.site)))
    fields += [("url", _url(c.url)), ("urldate", c.accessed.isoformat())]
    note = ([f"``{_tex(c.quote)}''"] if c.quote else []) + [_tex(d) for d in c.details]
    fields.append(("note", "; ".join([*note, f"archived by {_tex(ARCHIVE)}"])))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{c.key},\n{body}\n}}\n"


def csl_json(c: Citation) -> str:
    """A one-item CSL-JSON array (``type`` webpage), one variable a line."""
    item: dict[str, Any] = {"id": c.key, "type": "webpage", "title": c.title, "URL": c.url,
                            "accessed": _date_parts(c.accessed.isoformat()),
                            "archive": ARCHIVE}
    if c.author:
        item["author"] = [{"literal": c.author}]
    if c.published:
        item["issued"] = _date_parts(c.published)
    if c.site:
        item["container-title"] = c.site
    if c.quote:
        item["abstract"] = c.quote
    if c.details:
        item["note"] = "; ".join(c.details)
    fields = ",\n   ".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
                           for k, v in item.items())
    return "[{" + fields + "}]"  # one variable a line


def _long_date(value: str | date | None) -> str | None:
    if value is None:
        return None
    day = value if isinstance(value, date) else date.fromisoformat(value)
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _date_parts(iso: str) -> dict[str, list[list[int]]]:
    return {"date-parts": [[int(p) for p in iso.split("-")]]}


def _tex(text: str) -> str:
    return "".join(_LATEX.get(ch, ch) for ch in " ".join(text.split()))


def _url(url: str) -> str:
    """A URL with nothing that breaks a braced field (braces, backslash, a stray ``%``)."""
    return "".join({"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}.get(ch, ch) for ch in url)
