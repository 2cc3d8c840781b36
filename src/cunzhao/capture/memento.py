"""Find an archived copy (a memento) of a URL in a Memento-compatible web archive.

Two lookups, tried in order, at a configurable base URL:

1. the Wayback availability API: ``<origin of base>/wayback/available?url=URL&timestamp=T``
   (JSON, answered by the Internet Archive and compatible services);
2. an RFC 7089 TimeMap: ``<base>/timemap/link/URL`` (``application/link-format``), as served
   by the Wayback Machine (base ``https://web.archive.org/web``) and pywb (``http://host/coll``).

The memento closest to the wanted time is chosen; its URL is rewritten to the archive's raw
(``id_``) form where it has a Wayback-style timestamp, so the original bytes come back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urlsplit

import httpx

_ENTRY_SPLIT = re.compile(r",\s*(?=<)")
_ATTRIBUTE = re.compile(r';\s*([\w-]+)\s*=\s*"([^"]*)"')
_WAYBACK_STAMP = re.compile(r"/(\d{14})(?:[a-z]{2}_)?/")


@dataclass(frozen=True)
class Memento:
    """One archived copy: where to fetch its raw bytes, and when it was archived."""

    url: str
    datetime: datetime | None
    via: str  # "availability" or "timemap"


Get = Callable[[str], httpx.Response]


def find_memento(get: Get, base: str, url: str, when: datetime | None = None) -> Memento | None:
    """The memento of ``url`` closest to ``when`` (default: the newest), or None.

    ``get`` performs one GET (the caller's client, with its rate limit and User-Agent).
    Network errors and malformed answers count as "no memento here".
    """
    for lookup in (_from_availability, _from_timemap):
        try:
            found = lookup(get, base.rstrip("/"), url, when)
        except (httpx.HTTPError, ValueError, KeyError, TypeError):
            found = None
        if found is not None:
            return found
    return None


def raw_memento_url(url: str) -> str:
    """``…/web/20200101000000/http://x`` → ``…/web/20200101000000id_/http://x``."""
    return _WAYBACK_STAMP.sub(lambda m: f"/{m.group(1)}id_/", url, count=1)


def _from_availability(get: Get, base: str, url: str, when: datetime | None) -> Memento | None:
    parts = urlsplit(base)
    query = f"url={quote(url, safe='')}"
    if when is not None:
        query += f"&timestamp={when.astimezone(UTC).strftime('%Y%m%d%H%M%S')}"
    answer = get(f"{parts.scheme}://{parts.netloc}/wayback/available?{query}")
    if answer.status_code != 200:
        return None
    closest = json.loads(answer.content)["archived_snapshots"].get("closest")
    if (
        not closest
        or not closest.get("available")
        or not str(closest.get("status", "200")).startswith("2")
    ):
        return None
    stamp = str(closest.get("timestamp", ""))
    moment = datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC) if stamp else None
    return Memento(raw_memento_url(str(closest["url"])), moment, "availability")


def _from_timemap(get: Get, base: str, url: str, when: datetime | None) -> Memento | None:
    answer = get(f"{base}/timemap/link/{url}")
    if answer.status_code != 200:
        return None
    mementos = parse_timemap(answer.text)
    if not mementos:
        return None
    target = when or datetime.now(UTC)
    best = min(mementos, key=lambda m: abs((m[1] - target).total_seconds()))
    return Memento(raw_memento_url(best[0]), best[1], "timemap")


def parse_timemap(text: str) -> list[tuple[str, datetime]]:
    """The (URI, datetime) of every ``rel="…memento…"`` entry of a link-format TimeMap."""
    found = []
    for entry in _ENTRY_SPLIT.split(text.strip()):
        entry = entry.strip().rstrip(",")
        if not entry.startswith("<") or ">" not in entry:
            continue
        uri, rest = entry[1:].split(">", 1)
        attributes = {k.lower(): v for k, v in _ATTRIBUTE.findall(rest)}
        if "memento" not in attributes.get("rel", "").split() or "datetime" not in attributes:
            continue
        try:
            moment = parsedate_to_datetime(attributes["datetime"])
        except (TypeError, ValueError):
            continue
        found.append((uri, moment if moment.tzinfo else moment.replace(tzinfo=UTC)))
    return found
