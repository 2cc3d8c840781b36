"""The canonical form of a document's URL: the key that groups captures into versions; and
the public form of where bytes were read from (no path of the ingesting machine)."""

from __future__ import annotations

from pathlib import Path, PurePath
from urllib.parse import unquote, urlsplit, urlunsplit


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop the fragment and a default port; keep path and query."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return url.strip()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", parts.query, ""))


def file_url(path: str) -> str:
    """A ``file:`` URI standing for a page that states no URL of its own."""
    return Path(path).resolve().as_uri()


def site_of(url: str | None) -> str | None:
    """The host of ``url`` without a leading ``www.``, or None."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def public_source(source: str) -> str:
    """``source`` (a capture's file path, WARC record or URL; a document's ``file:`` URI) as
    published: a web URL as it is; a local path or ``file:`` URI as its file name, so no
    folder of the machine that ingested leaks (``/home/me/corpus/a.md`` → ``a.md``,
    ``/data/x.warc.gz#120`` → ``x.warc.gz#120``). The full path stays in the record."""
    if source.startswith("file:"):
        return PurePath(unquote(urlsplit(source).path)).name or source
    if "://" in source:
        return source
    path, hash_, offset = source.rpartition("#") if "#" in source else (source, "", "")
    name = PurePath(path.replace("\\", "/")).name
    return name + hash_ + offset if name else source
