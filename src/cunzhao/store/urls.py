"""The canonical form of a document's URL: the key that groups captures into versions."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


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
