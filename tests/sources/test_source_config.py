"""The sources file: loading and checking every key, adding and removing sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from cunzhao.sources import (
    DEFAULT_CONFIG,
    ConfigError,
    Source,
    add_source,
    load_sources,
    remove_source,
)

MINIMAL = """
[sources.cdt-lcz]
kind = "feed"
url = "https://chinadigitaltimes.net/chinese/tag/立此存照/feed/"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / DEFAULT_CONFIG
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> ConfigError:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    assert str(path) in str(caught.value)
    return caught.value


def test_the_minimal_entry_loads_with_defaults(tmp_path: Path) -> None:
    sources = load_sources(_write(tmp_path, MINIMAL))
    assert list(sources) == ["cdt-lcz"]
    source = sources["cdt-lcz"]
    assert source == Source(
        "cdt-lcz", "feed", url="https://chinadigitaltimes.net/chinese/tag/立此存照/feed/"
    )
    assert source.statuses == ("200",) and source.keywords == () and source.max_pages is None


def test_every_kind_with_its_keys(tmp_path: Path) -> None:
    text = """
[sources.cac]
kind = "listing"
url = "https://www.cac.gov.cn/wxzf/index.htm"
link_selector = "ul.list li a"
next_selector = "div.page a.next"
url_pattern = '/\\d{4}-\\d{2}/\\d{2}/c_\\d+\\.htm$'
keywords = "约谈| 关闭 |下架"
tag = "网信执法"
max_pages = 20

[sources.gone]
kind = "wayback"
url = "www.cac.gov.cn/2017-06/"
date_from = "2017"
date_to = "20171231"
statuses = ["200", 203]
keyword_regex = "罚款\\\\d+"

[sources.map]
kind = "sitemap"
url = "https://example.org/sitemap.xml"
keywords = ["约谈", "关闭"]

[sources.pages]
kind = "folder"
path = "archive/pages"
"""
    sources = load_sources(_write(tmp_path, text))
    assert list(sources) == ["cac", "gone", "map", "pages"]
    cac = sources["cac"]
    assert cac.keywords == ("约谈", "关闭", "下架") and cac.max_pages == 20 and cac.tag == "网信执法"
    assert cac.matches("https://www.cac.gov.cn/2024-03/06/c_1701.htm")
    gone = sources["gone"]
    assert gone.statuses == ("200", "203")
    assert (gone.date_from, gone.date_to) == ("2017", "20171231")
    assert gone.keyword_regex == "罚款\\d+" and gone.cdx_server.startswith("https://web.archive.org/")
    assert sources["map"].keywords == ("约谈", "关闭")
    assert sources["pages"].path == tmp_path / "archive" / "pages"  # relative to the file


@pytest.mark.parametrize(
    ("table", "key", "reason"),
    [
        ('kind = "feed"\nurll = "https://x.org/"', "urll", "unknown key"),
        ('kind = "feed"\nurl = "https://x.org/"\nlink_selector = "a"', "link_selector",
         "not used by kind 'feed'"),
        ('kind = "blog"\nurl = "https://x.org/"', "kind", "'blog' is not one of"),
        ('url = "https://x.org/"', "kind", "None is not one of"),
        ('kind = "listing"\nurl = "https://x.org/"', "link_selector", "required for kind"),
        ('kind = "folder"', "path", "required for kind 'folder'"),
        ('kind = "feed"\nurl = "ftp://x.org/feed"', "url", "http(s) URL"),
        ('kind = "feed"\nurl = ""', "url", "non-empty string"),
        ('kind = "feed"\nurl = 3', "url", "non-empty string"),
        ('kind = "feed"\nurl = "https://x.org/"\nurl_pattern = "(unclosed"', "url_pattern",
         "not a valid regular expression"),
        ('kind = "listing"\nurl = "https://x.org/"\nlink_selector = "ul >"', "link_selector",
         "not a valid CSS selector"),
        ('kind = "wayback"\nurl = "x.org/"\ndate_from = "2017-01-01"', "date_from",
         "CDX timestamp"),
        ('kind = "wayback"\nurl = "x.org/"\ndate_from = "2018"\ndate_to = "201712"', "date_to",
         "after"),
        ('kind = "wayback"\nurl = "x.org/"\nstatuses = ["ok"]', "statuses", "three digits"),
        ('kind = "wayback"\nurl = "x.org/"\ncdx_server = "cdx.local"', "cdx_server", "http(s)"),
        ('kind = "feed"\nurl = "https://x.org/"\nmax_pages = 0', "max_pages", "at least 1"),
        ('kind = "feed"\nurl = "https://x.org/"\nmax_pages = true', "max_pages", "whole number"),
        ('kind = "feed"\nurl = "https://x.org/"\nkeywords = {a = 1}', "keywords", "a list"),
    ],
)
def test_a_mistake_names_the_file_the_source_and_the_key(
    tmp_path: Path, table: str, key: str, reason: str
) -> None:
    error = _error(tmp_path, f"[sources.one]\n{table}\n")
    assert (error.source, error.key) == ("one", key)
    assert f"sources.one.{key}: " in str(error) and reason in error.reason


def test_a_date_range_within_one_year_is_not_reversed(tmp_path: Path) -> None:
    text = (
        '[sources.w]\nkind = "wayback"\nurl = "x.org/"\ndate_from = "20170601"\n'
        'date_to = "2017"\n'
    )
    assert load_sources(_write(tmp_path, text))["w"].date_to == "2017"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[sources.one\nkind =", "not valid TOML"),
        ('[source.one]\nkind = "feed"', "unknown table"),
        ('sources = "feed"', "must be a table"),
        ('[sources]\none = "feed"', "must be a table"),
        ('[sources."two words"]\nkind = "feed"\nurl = "https://x.org/"', "a name is"),
    ],
)
def test_a_broken_file_is_an_error_naming_it(tmp_path: Path, text: str, reason: str) -> None:
    assert reason in _error(tmp_path, text).reason


def test_a_missing_file_is_an_error_and_an_empty_one_has_no_sources(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_sources(tmp_path / "absent.toml")
    assert load_sources(_write(tmp_path, "")) == {}


def test_add_creates_the_file_and_what_is_added_loads_back(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    listing = Source(
        "cac", "listing", url="https://www.cac.gov.cn/wxzf/index.htm",
        link_selector="ul.list a", keywords=("约谈", "关闭"), max_pages=5,
    )
    wayback = Source("gone", "wayback", url="www.cac.gov.cn/2017-", date_from="2017",
                     statuses=("200", "301"))
    add_source(path, listing)
    add_source(path, wayback)
    assert load_sources(path) == {"cac": listing, "gone": wayback}
    text = path.read_text(encoding="utf-8")
    assert "cdx_server" not in text and "memento_base" not in text  # defaults are not written


def test_add_keeps_the_other_sources_as_written(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL + '\n[sources.local]\nkind = "folder"\npath = "pages"\n')
    add_source(path, Source("map", "sitemap", url="https://example.org/sitemap.xml"))
    text = path.read_text(encoding="utf-8")
    assert 'path = "pages"' in text and "立此存照" in text
    assert list(load_sources(path)) == ["cdt-lcz", "local", "map"]


def test_add_refuses_an_existing_name_unless_replacing(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL)
    other = Source("cdt-lcz", "feed", url="https://example.org/other/feed/")
    with pytest.raises(ConfigError, match="exists already"):
        add_source(path, other)
    add_source(path, other, replace=True)
    assert load_sources(path)["cdt-lcz"].url == "https://example.org/other/feed/"


def test_add_checks_the_source_and_leaves_the_file_alone(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL)
    with pytest.raises(ConfigError) as caught:
        add_source(path, Source("bad", "listing", url="https://example.org/"))
    assert (caught.value.source, caught.value.key) == ("bad", "link_selector")
    assert path.read_text(encoding="utf-8") == MINIMAL
    assert [p.name for p in tmp_path.iterdir()] == [DEFAULT_CONFIG]  # no temporary left


def test_add_refuses_to_rewrite_a_broken_file(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL + 'typo = 1\n')
    with pytest.raises(ConfigError, match="cdt-lcz.typo"):
        add_source(path, Source("map", "sitemap", url="https://example.org/sitemap.xml"))


def test_remove_keeps_the_others(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL + '\n[sources.local]\nkind = "folder"\npath = "pages"\n')
    remove_source(path, "cdt-lcz")
    assert list(load_sources(path)) == ["local"]
    with pytest.raises(ConfigError, match="no source of this name") as caught:
        remove_source(path, "cdt-lcz")
    assert caught.value.source == "cdt-lcz"
