"""One capture read whole — parsed, folded, its facts extracted — within its limits.

``read_capture`` is what ingest does with each page before it writes anything: it applies
``Limits.from_env()`` (page size, HTML nesting, the time budget; docs/parse.md) and gives
parsing and extraction one deadline between them. A capture over its budget raises
``OverBudget``, a ``ParseError`` whose reason says so ("parse/extract took longer than
20 s …"), so the caller fails that capture by name and goes on with the next.
"""

from __future__ import annotations

from typing import NamedTuple

from cunzhao.capture.model import Capture
from cunzhao.extract import extract
from cunzhao.extract.lexicon import lexicon
from cunzhao.extract.model import Facts
from cunzhao.fold import fold
from cunzhao.parse.limits import Limits
from cunzhao.parse.model import Page
from cunzhao.parse.page import parse_capture

__all__ = ["Reading", "read_capture"]


class Reading(NamedTuple):
    """A parsed page, its body folded (stored for search, read by extraction), its facts."""

    page: Page
    folded: str
    facts: Facts


def read_capture(capture: Capture, limits: Limits | None = None) -> Reading:
    """Parse ``capture`` and extract its facts within ``limits`` (default: from the
    environment). Raises ``ParseError`` — ``OverBudget`` once the time budget is spent."""
    limits = limits or Limits.from_env()
    lexicon()  # loaded once per process (a second or so): not this capture's time
    deadline = limits.deadline(capture.source)
    page = parse_capture(capture, limits, deadline)
    body = page.body
    folded = fold(body)
    facts = extract(body, page.published, folded=folded, limits=limits, deadline=deadline)
    return Reading(page, folded, facts)
