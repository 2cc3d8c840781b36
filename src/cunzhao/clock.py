"""UTC timestamps as the archive writes them: ISO-8601 to the second, with a ``Z``.

Every stored or exported time (``captures.ingested_at``, ``link_checks.checked_at``, a data
package's ``created``) reads ``2024-02-02T03:19:02Z``. A naive datetime is taken as UTC, as
everywhere in cunzhao.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

__all__ = ["parse_duration", "utc_iso", "utc_now_iso"]


def utc_iso(moment: datetime) -> str:
    """``moment`` in UTC as ``YYYY-MM-DDTHH:MM:SSZ``."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def utc_now_iso() -> str:
    """Now, as :func:`utc_iso` writes it."""
    return utc_iso(datetime.now(UTC))


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    """``30m``, ``6h``, ``2d``, ``1h30m`` → a timedelta; ``ValueError`` naming the text."""
    cleaned = text.strip().lower()
    parts = _DURATION.findall(cleaned)
    if not cleaned or _DURATION.sub("", cleaned).strip():
        raise ValueError(f"{text!r} is not a duration (e.g. 30m, 6h, 2d)")
    return timedelta(seconds=sum(float(n) * _UNITS[unit] for n, unit in parts))
