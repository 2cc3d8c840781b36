"""Archive-card variants named in the corpus README, and the 来源 link unwrapping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from cunzhao.parse import Card, Link, Page
from cunzhao.parse.card import find_card, parse_card_date, unwrap_archive_url

ParseId = Callable[[str], Page]
SPACE = "https://chinadigitaltimes.net/space/"


def card_of(parse_id: ParseId, page_id: str) -> Card:
    card = parse_id(page_id).card
    assert card is not None, page_id
    return card


def test_digest_without_author_or_date_with_three_sources(parse_id: ParseId) -> None:
    card = card_of(parse_id, "332766")
    assert card.author is None and card.published is None and card.published_text is None
    assert [s.text for s in card.sources] == ["玖奌杂货铺", "挪威TALK", "基本常识"]
    assert [t.text for t in card.topics] == ["李文亮", "湖南永州粗苯泄漏", "集采药"]
    assert card.topics[0].url == SPACE + "李文亮"
    assert card.collection == "时间馆"
    assert card.original_url is None  # CDT's own /space/ pages are not an original
    assert card.copyright and card.copyright.startswith("该作品版权归原作者所有")


def test_centred_cdtv_card_with_plain_text_source(parse_id: ParseId) -> None:
    page = parse_id("362890")
    card = page.card
    assert card is not None
    assert card.title == "【CDTV】塑料桶当便桶，被隔离转运群众：“你把我们当牲口吗？”"
    assert card.author is None
    assert card.sources == (Link("微博账号@PYG视界（原作者不详）", None),)
    assert card.published == date(2022, 8, 12)
    assert "档案卡" not in page.body and "PYG视界（原作者不详）" not in page.body


def test_empty_collection(parse_id: ParseId) -> None:
    card = card_of(parse_id, "366272")
    assert card.collection is None and card.collection_url is None
    assert card.copyright and card.copyright.startswith("该作品版权归原作者所有")
    assert card.original_url == "https://www.zhihu.com/question/534920986"
    assert card.topics == (Link("中美关系", "https://chinadigitaltimes.net/chinese/tag/中美关系/"),)


def test_author_placeholder_link_dropped(parse_id: ParseId) -> None:
    page = parse_id("335081")
    assert page.card is not None
    assert page.card.author == "听晖道来" and page.card.author_url is None
    assert any("作者名" in w for w in page.warnings)
    assert page.card.archive_url == "https://archive.ph/IHUaM"
    assert page.card.original_url is None  # a short archive.today code cannot be unwrapped


def test_topic_placeholder_dropped(parse_id: ParseId) -> None:
    page = parse_id("332752")
    assert page.card is not None and page.card.topics == ()
    assert any("标签名称" in w for w in page.warnings)
    assert page.card.author == "chuzhaoxin" and page.card.author_url == SPACE + "衣者朝新"
    assert page.card.original_url == "https://mp.weixin.qq.com/s/-RVDUgIIqJAn2_yILRcVGg"


def test_empty_account_name_and_timestamped_wayback(parse_id: ParseId) -> None:
    card = card_of(parse_id, "333210")
    assert card.sources[0].text == "微信公众号“”"
    assert card.archive_url == (
        "https://web.archive.org/web/20250124100616/https://mp.weixin.qq.com/s/yP6WF2UVvsWabd8y2DOFSQ"
    )
    assert card.original_url == "https://mp.weixin.qq.com/s/yP6WF2UVvsWabd8y2DOFSQ"


def test_original_title_prefix_and_leading_space_author(parse_id: ParseId) -> None:
    assert card_of(parse_id, "332938").title == "DeepSeek启示录：伟大不能被计划"
    assert card_of(parse_id, "332846").author == "熊太行"


@pytest.mark.parametrize(
    ("page_id", "archive", "original"),
    [
        (
            "332719",
            "https://archive.ph/?url=https://mp.weixin.qq.com/s/0aA2ssjwgGQ7dJNkagBWug",
            "https://mp.weixin.qq.com/s/0aA2ssjwgGQ7dJNkagBWug",
        ),
        ("332945", "https://archive.is/Zc7gZ", None),
        (
            "332833",
            "https://web.archive.org/web/https://mp.weixin.qq.com/s/6zcfZZiOQpgSV50MpM3WAA",
            "https://mp.weixin.qq.com/s/6zcfZZiOQpgSV50MpM3WAA",
        ),
        (
            "335071",
            None,
            "https://www.facebook.com/story.php/?story_fbid=1097594551733410&id=100044486257272&_rdr",
        ),
        ("360606", None, None),  # empty href
        ("335004", None, None),  # no 来源 at all
    ],
)
def test_source_link_forms(
    parse_id: ParseId, page_id: str, archive: str | None, original: str | None
) -> None:
    card = card_of(parse_id, page_id)
    assert (card.archive_url, card.original_url) == (archive, original)


def test_empty_href_keeps_the_source_name(parse_id: ParseId) -> None:
    assert card_of(parse_id, "360606").sources == (Link("微博", None),)


def test_2022_card_with_spaces_and_source_before_date(parse_id: ParseId) -> None:
    card = card_of(parse_id, "358642")
    assert card.title == "我们是祖国的虚弱用户"
    assert card.author == "Matters" and card.author_url is None
    assert card.sources[0].text == "Matters"
    assert card.published_text == "2022.7.12"
    assert card.topics == (Link("刘晓波", "https://chinadigitaltimes.net/chinese/tag/刘晓波"),)


def test_card_in_the_middle_leaves_text_on_both_sides(parse_id: ParseId) -> None:
    page = parse_id("347474")
    assert page.card is not None and page.card.title == "应届生月薪过万？简直危言耸听！"
    texts = [b.text for b in page.blocks]
    assert "文/魏春亮" in texts
    assert any(t.startswith("如果这个投票可信") for t in texts)
    assert texts.index("文/魏春亮") < next(i for i, t in enumerate(texts) if t.startswith("如果"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024.1.31", date(2024, 1, 31)),
        ("2022.11.05", date(2022, 11, 5)),
        ("2024-1-31", date(2024, 1, 31)),
        ("2024年1月31日", date(2024, 1, 31)),
        ("2024.2.30", None),
        ("不详", None),
    ],
)
def test_card_dates(text: str, expected: date | None) -> None:
    assert parse_card_date(text) == expected


urls = st.builds(
    lambda scheme, host, path, query: f"{scheme}://{host}/{path}" + (f"?{query}" if query else ""),
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z]{1,10}\.(com|cn|net)", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9_\-/.]{0,30}", fullmatch=True),
    st.from_regex(r"([a-z]{1,5}=[A-Za-z0-9]{0,8}&?){0,3}", fullmatch=True),
)


@given(urls, st.sampled_from(["*/", "", "20250212012255/", "2020/", "20200101000000id_/"]))
def test_any_wayback_form_unwraps_to_the_original(url: str, middle: str) -> None:
    wrapped = f"https://web.archive.org/web/{middle}{url}"
    assert unwrap_archive_url(wrapped) == (True, url)


@given(urls)
def test_archive_today_query_form_unwraps(url: str) -> None:
    assert unwrap_archive_url(f"https://archive.ph/?url={url}") == (True, url)
    assert unwrap_archive_url(f"https://archive.ph/?url={quote(url, safe='')}") == (True, url)


def test_unwrap_other_forms() -> None:
    assert unwrap_archive_url("https://archive.ph/newest/https://x.com/a") == (
        True,
        "https://x.com/a",
    )
    assert unwrap_archive_url("https://archive.today/AbCd1") == (True, None)
    assert unwrap_archive_url("https://web.archive.org/web/www.cac.gov.cn/a.htm") == (
        True,
        "http://www.cac.gov.cn/a.htm",
    )
    assert unwrap_archive_url("https://mp.weixin.qq.com/s/x") == (False, None)


@pytest.mark.parametrize("href", ["https://><strong>标题：<", "https://[", "http://a／b.com/x"])
def test_a_source_link_no_url_can_be_read_from_is_kept_as_written(href: str) -> None:
    """Found by fuzzing (tests/hardening): urlsplit raises on these, which failed the page."""
    html = (
        "<div class='su-spoiler'><div class='su-spoiler-title'>CDT 档案卡</div>"
        f"<div class='su-spoiler-content'><strong>来源：</strong><a href='{href}'>网信办</a>"
        f"<br><strong>作者：</strong><a href='{href}'>某</a></div></div>"
    )
    found = find_card(LexborHTMLParser(html))
    assert found is not None
    assert found.card.sources == (Link("网信办", href),)
    assert (found.card.archive_url, found.card.original_url) == (None, None)
    assert found.card.author_url == href
    assert unwrap_archive_url(href) == (False, None)
