"""A Wayback-compatible web archive: a CDX server and Memento raw captures.

``GET /cdx/search/cdx?url=…`` lists captures as the Wayback CDX server does: fields
``urlkey timestamp original mimetype statuscode digest length`` (SURT key, 14-digit timestamp,
SHA-1 base32 digest), sorted by key then time. Parameters: ``matchType`` (exact, prefix, host,
domain; a trailing ``*`` means prefix), ``from``/``to`` (timestamp prefixes), ``filter``
(repeatable, ``[!]field:regex``, the regex matching the whole value), ``collapse``
(``field`` or ``field:N``: drop a row whose value, or its first N characters, equals the
previous row's), ``fl`` (fields to list), ``limit``, ``showResumeKey=true`` and ``resumeKey``
(an opaque key continuing after the last row listed), ``output=json`` (a header row, then
rows of strings; ``[]`` when none; a resume key as ``[], [key]``) else text lines.

``GET /web/{timestamp}id_/{original}`` answers the archived bytes exactly, with the archived
status and content type, ``Memento-Datetime`` and ``Link: <original>; rel="original"``; a
timestamp that is not a capture's redirects (302) to the nearest capture of that URL; a URL
never captured is 404.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from site_articles import Article, render_article
from site_server import Query, Site, http_date, not_found, text_route
from surt import surt  # type: ignore[import-untyped]

from netserver import Request, Route

CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
CDX_PATH = "/cdx/search/cdx"
_MEMENTO = re.compile(r"^/web/(\d{1,14})([a-z]{2}_)?/(.+)$")


@dataclass(frozen=True)
class Snapshot:
    """One archived response: what ``original`` answered at ``timestamp``."""

    original: str
    timestamp: str  # 14 digits, UTC
    body: bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None  # where a 3xx capture pointed

    @property
    def urlkey(self) -> str:
        return str(surt(self.original))

    @property
    def digest(self) -> str:
        return base64.b32encode(hashlib.sha1(self.body).digest()).decode()

    def row(self) -> dict[str, str]:
        mimetype = self.content_type.split(";", 1)[0].strip()
        values = (self.urlkey, self.timestamp, self.original, mimetype, str(self.status))
        return dict(zip(CDX_FIELDS, (*values, self.digest, str(len(self.body))), strict=True))


def wayback_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


class WaybackSite(Site):
    """``WaybackSite(snapshots=())``; ``add``/``add_article`` archive more while it runs."""

    def __init__(self, snapshots: Iterable[Snapshot] = ()) -> None:
        super().__init__()
        self._snapshots: dict[tuple[str, str], Snapshot] = {}
        for snapshot in snapshots:
            self._snapshots[(snapshot.urlkey, snapshot.timestamp)] = snapshot

    @property
    def cdx_url(self) -> str:
        return self.url(CDX_PATH)

    def memento_url(self, snapshot: Snapshot) -> str:
        return self.url(f"/web/{snapshot.timestamp}id_/{snapshot.original}")

    def add(
        self,
        original: str,
        body: bytes,
        *,
        at: datetime,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        location: str | None = None,
    ) -> Snapshot:
        """Archive ``body`` as what ``original`` answered at ``at`` (replacing a capture of
        the same URL and second)."""
        snapshot = Snapshot(original, wayback_timestamp(at), body, status, content_type, location)
        with self._lock:
            self._snapshots[(snapshot.urlkey, snapshot.timestamp)] = snapshot
        return snapshot

    def add_article(
        self, article: Article, original: str, *, at: datetime | None = None, charset: str = "utf-8"
    ) -> Snapshot:
        """Archive ``article``'s page as served at ``original`` (by default a day after it was
        published), encoded with ``charset``."""
        page = render_article(article, charset=charset, canonical=original)
        body = page.encode(charset, "xmlcharrefreplace")
        when = at or article.published + timedelta(days=1)
        return self.add(original, body, at=when, content_type=f"text/html; charset={charset}")

    def snapshots(self) -> list[Snapshot]:
        """Every capture, in CDX order (key, then time)."""
        with self._lock:
            return [self._snapshots[key] for key in sorted(self._snapshots)]

    def respond(self, path: str, query: Query, request: Request) -> Route | None:
        if path == CDX_PATH:
            try:
                return self._cdx(query)
            except ValueError as error:
                return text_route(f"Bad request: {error}\n", 400)
        found = _MEMENTO.match(request.path)
        return self._memento(*found.groups()) if found else None

    def _cdx(self, query: Query) -> Route:
        def one(name: str, default: str = "") -> str:
            return (query.get(name) or [default])[0]

        url = one("url")
        if not url:
            raise ValueError("no url parameter")
        rows = [s.row() for s in self.snapshots() if _matches(s.urlkey, url, one("matchType"))]
        low, high = one("from").ljust(14, "0"), one("to").ljust(14, "9")
        rows = [r for r in rows if low <= r["timestamp"] <= high]
        if one("resumeKey"):
            after = _decode_key(one("resumeKey"))
            rows = [r for r in rows if (r["urlkey"], r["timestamp"]) > after]
        for spec in query.get("filter", []):
            field = spec.removeprefix("!").partition(":")[0]
            if field not in CDX_FIELDS:
                raise ValueError(f"filter {spec!r}: no field {field!r}")
            rows = [r for r in rows if _passes(r, spec)]
        if one("collapse"):
            rows = _collapse(rows, one("collapse"))
        limit = int(one("limit", "0") or 0)
        more = 0 < limit < len(rows)
        rows = rows[:limit] if limit > 0 else rows
        fields = one("fl").split(",") if one("fl") else list(CDX_FIELDS)
        if unknown := set(fields) - set(CDX_FIELDS):
            raise ValueError(f"unknown field(s) in fl: {', '.join(sorted(unknown))}")
        table = [[r[f] for f in fields] for r in rows]
        key = _encode_key(rows[-1]) if more and one("showResumeKey") == "true" else None
        if one("output") == "json":
            listed: list[list[str]] = [fields, *table] if table else []
            listed += [[], [key]] if key else []
            return Route(200, json.dumps(listed).encode(), {"Content-Type": "application/json"})
        lines = [" ".join(row) for row in table] + (["", key] if key else [])
        return text_route("".join(line + "\n" for line in lines))

    def _memento(self, stamp: str, modifier: str | None, original: str) -> Route:
        key = str(surt(original))
        captures = [s for s in self.snapshots() if s.urlkey == key]
        if not captures:
            return not_found()
        wanted = int(stamp.ljust(14, "0"))
        nearest = min(captures, key=lambda s: abs(int(s.timestamp) - wanted))
        if nearest.timestamp != stamp or modifier != "id_":
            return Route(302, b"", {"Location": self.memento_url(nearest)})
        moment = datetime.strptime(nearest.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        headers = {
            "Content-Type": nearest.content_type,
            "Memento-Datetime": http_date(moment),
            "Link": f'<{nearest.original}>; rel="original"',
        }
        if nearest.location:
            headers["Location"] = nearest.location
        return Route(nearest.status, nearest.body, headers)


def _matches(urlkey: str, url: str, match_type: str) -> bool:
    if url.endswith("*"):
        url, match_type = url.rstrip("*"), "prefix"
    if url.startswith("*."):
        url, match_type = url[2:], "domain"
    wanted = str(surt(url))
    host = wanted.split(")", 1)[0]
    if match_type in ("", "exact"):
        return urlkey == wanted
    if match_type == "prefix":
        return urlkey.startswith(wanted)
    if match_type == "host":
        return urlkey.split(")", 1)[0] == host
    if match_type == "domain":
        own = urlkey.split(")", 1)[0]
        return own == host or own.startswith(host + ",")
    raise ValueError(f"matchType {match_type!r}: expected exact, prefix, host or domain")


def _passes(row: dict[str, str], spec: str) -> bool:
    negate = spec.startswith("!")
    field, _, pattern = spec.removeprefix("!").partition(":")
    return (re.fullmatch(pattern, row[field]) is not None) != negate


def _collapse(rows: list[dict[str, str]], spec: str) -> list[dict[str, str]]:
    field, _, width = spec.partition(":")
    if field not in CDX_FIELDS:
        raise ValueError(f"collapse {spec!r}: no field {field!r}")
    cut = int(width) if width.isdigit() else None
    kept: list[dict[str, str]] = []
    for row in rows:
        if not kept or kept[-1][field][:cut] != row[field][:cut]:
            kept.append(row)
    return kept


def _encode_key(row: dict[str, str]) -> str:
    raw = f"{row['urlkey']} {row['timestamp']}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_key(key: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4)).decode()
        urlkey, timestamp = raw.rsplit(" ", 1)
    except ValueError as error:
        raise ValueError(f"resumeKey {key!r} is not one this server gave") from error
    return urlkey, timestamp
