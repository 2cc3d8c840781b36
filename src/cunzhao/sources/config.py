"""The sources file: ``[sources.NAME]`` tables of a TOML file (``cunzhao.toml`` by default).

::

    [sources.cdt-lcz]
    kind = "feed"
    url = "https://chinadigitaltimes.net/chinese/tag/立此存照/feed/"
    keywords = "约谈|关闭"          # or a list: ["约谈", "关闭"]

Every key is checked: the kind, the keys each kind needs, the keys it does not use, values'
types, regexes, CSS selectors, CDX dates and statuses. A mistake is a ``ConfigError`` naming
the file, the source and the key. A ``folder`` source's relative ``path`` is read relative
to the file's folder. ``add_source``/``remove_source`` rewrite the file with tomli-w (written
to a temporary file, then renamed), keeping the other sources' values as they were written;
comments are not kept.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any, Final

import tomli_w
from selectolax.lexbor import LexborHTMLParser, SelectolaxError

from cunzhao.sources.model import SOURCE_KINDS, Source

__all__ = ["DEFAULT_CONFIG", "SECTIONS", "ConfigError", "add_source", "load_sources",
           "parse_source", "remove_source"]

DEFAULT_CONFIG: Final = "cunzhao.toml"
SECTIONS: Final = frozenset({"sources"})  # the top-level tables this file may hold

_ANY_KIND = ("url_pattern", "keywords", "keyword_regex", "tag")
_KEYS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {  # kind: (required, optional)
    "feed": (("url",), ("max_pages", *_ANY_KIND)),
    "listing": (("url", "link_selector"), ("next_selector", "max_pages", *_ANY_KIND)),
    "sitemap": (("url",), ("max_pages", *_ANY_KIND)),
    "wayback": (
        ("url",),
        ("cdx_server", "memento_base", "date_from", "date_to", "statuses", "max_pages",
         *_ANY_KIND),
    ),
    "folder": (("path",), _ANY_KIND),
}
_NAME = re.compile(r"^[\w-]+$")
_HTTP = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)
_STAMP = re.compile(r"^\d{4}(?:\d{2}){0,5}$")  # YYYY … YYYYMMDDhhmmss
_STATUS = re.compile(r"^\d{3}$")
_DEFAULTS = {f.name: f.default for f in fields(Source)}


class ConfigError(Exception):
    """A sources file that cannot be used: ``"FILE: sources.NAME.KEY: reason"``."""

    def __init__(
        self, path: str | Path, reason: str, source: str | None = None, key: str | None = None
    ) -> None:
        where = ".".join(p for p in ("sources", source, key) if p) if source else key
        super().__init__(f"{path}: {where}: {reason}" if where else f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
        self.source = source
        self.key = key


def load_sources(path: str | Path) -> dict[str, Source]:
    """Every source in the file, by name, in the file's order."""
    return {
        name: _source(Path(path), name, table)
        for name, table in _source_tables(Path(path), _read(Path(path))).items()
    }


def add_source(path: str | Path, source: Source, *, replace: bool = False) -> None:
    """Add ``source`` to the file (created if missing); an existing name is an error unless
    ``replace``. The file must be valid before; the source is checked as if read from it."""
    path = Path(path)
    document = _read(path) if path.exists() else {}
    tables = _source_tables(path, document)
    for name, table in tables.items():
        _source(path, name, table)
    if source.name in tables and not replace:
        raise ConfigError(path, "a source of this name exists already", source.name)
    table = _table(source)
    _source(path, source.name, table)
    tables[source.name] = table
    _write(path, {**document, "sources": tables})


def remove_source(path: str | Path, name: str) -> None:
    """Remove the source ``name`` from the file, keeping the others."""
    path = Path(path)
    document = _read(path)
    tables = _source_tables(path, document)
    for other, table in tables.items():
        _source(path, other, table)
    if name not in tables:
        raise ConfigError(path, "no source of this name", name)
    del tables[name]
    _write(path, {**document, "sources": tables})


def parse_source(path: str | Path, name: str, table: dict[str, Any]) -> Source:
    """Check one source's table as if read from ``path`` (``cunzhao source add`` builds it from
    options) and build its ``Source``; ``ConfigError`` says what is wrong."""
    return _source(Path(path), name, table)


def _read(path: Path) -> dict[str, Any]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(path, "no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, f"cannot read: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, f"not valid TOML: {error}") from error
    for section in document:
        if section not in SECTIONS:
            raise ConfigError(path, f"unknown table (known: {', '.join(sorted(SECTIONS))})",
                              key=section)
    return document


def _source_tables(path: Path, document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    tables = document.get("sources", {})
    if not isinstance(tables, dict):
        raise ConfigError(path, "must be a table of [sources.NAME] tables", key="sources")
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise ConfigError(path, "must be a table", name)
    return dict(tables)


def _write(path: Path, document: dict[str, Any]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(tomli_w.dumps(document), encoding="utf-8")
    os.replace(temporary, path)


def _table(source: Source) -> dict[str, Any]:
    """The TOML table of ``source``: its kind and every value other than the default."""
    table: dict[str, Any] = {"kind": source.kind}
    for name, default in _DEFAULTS.items():
        value = getattr(source, name)
        if name in ("name", "kind") or value is None or value == default:
            continue
        table[name] = list(value) if isinstance(value, tuple) else (
            str(value) if isinstance(value, Path) else value
        )
    return table


def _source(path: Path, name: str, table: dict[str, Any]) -> Source:
    """Check one ``[sources.NAME]`` table and build its ``Source``."""
    if not _NAME.match(name):
        raise ConfigError(path, "a name is letters, digits, '_' and '-'", name)
    kind = table.get("kind")
    if kind not in SOURCE_KINDS:
        raise ConfigError(path, f"{kind!r} is not one of {', '.join(SOURCE_KINDS)}", name, "kind")
    required, optional = _KEYS[kind]
    for key in table:
        if key != "kind" and key not in required and key not in optional:
            known = key in _DEFAULTS and key != "name"
            reason = f"not used by kind {kind!r}" if known else "unknown key"
            raise ConfigError(path, reason, name, key)
    for key in required:
        if key not in table:
            raise ConfigError(path, f"required for kind {kind!r}", name, key)
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key != "kind":
            values[key] = _value(path, name, key, value)
    if "path" in values:
        values["path"] = path.parent / values["path"]
    if kind != "wayback" and not _HTTP.match(values.get("url", "http://x")):
        raise ConfigError(path, "must be an http(s) URL", name, "url")
    first, last = values.get("date_from"), values.get("date_to")
    if first and last and first.ljust(14, "0") > last.ljust(14, "9"):
        raise ConfigError(path, "date_from is after date_to", name, "date_to")
    return Source(name=name, kind=kind, **values)


def _value(path: Path, name: str, key: str, value: Any) -> Any:
    """One checked value, converted to the type ``Source`` holds."""

    def fail(reason: str) -> ConfigError:
        return ConfigError(path, reason, name, key)

    if key == "max_pages":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise fail("must be a whole number of pages, at least 1")
        return value
    if key in ("keywords", "statuses"):
        items = value.split("|") if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str | int) for i in items):
            raise fail('must be a list of strings or one "a|b|c" string')
        words = tuple(str(i).strip() for i in items if str(i).strip())
        if key == "statuses" and not (words and all(_STATUS.match(w) for w in words)):
            raise fail("must list HTTP statuses of three digits, e.g. [\"200\"]")
        return words
    if not isinstance(value, str) or not value.strip():
        raise fail("must be a non-empty string")
    if key in ("url_pattern", "keyword_regex"):
        try:
            re.compile(value)
        except re.error as error:
            raise fail(f"not a valid regular expression: {error}") from error
    elif key in ("link_selector", "next_selector"):
        try:
            LexborHTMLParser("<p></p>").css(value)
        except SelectolaxError as error:
            raise fail(f"not a valid CSS selector: {error}") from error
    elif key in ("date_from", "date_to") and not _STAMP.match(value):
        raise fail("must be a CDX timestamp such as 20200131 (YYYY to YYYYMMDDhhmmss)")
    elif key in ("cdx_server", "memento_base") and not _HTTP.match(value):
        raise fail("must be an http(s) URL")
    return value
