"""HTML → blocks: block boundaries, headings, whitespace, entities, what is left out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from cunzhao.capture.model import Capture
from cunzhao.parse import Block, Page, parse_capture
from cunzhao.parse.text import html_blocks, markdown_blocks, remove_boilerplate

ParseId = Callable[[str], Page]


def blocks_of(html: str) -> list[Block]:
    tree = LexborHTMLParser(html)
    remove_boilerplate(tree, html)
    assert tree.body is not None
    return html_blocks(tree.body)


def test_paragraphs_headings_and_inline_markup() -> None:
    html = (
        "<h1>Top</h1><p>a<strong>b</strong><a href='#'>c</a></p><h3>  Sub  </h3>"
        "<ul><li>one</li><li>two<br>three</li></ul><blockquote><p>q</p></blockquote>"
    )
    assert blocks_of(html) == [
        Block("h", "Top", 1),
        Block("p", "abc"),
        Block("h", "Sub", 3),
        Block("p", "one"),
        Block("p", "two"),
        Block("p", "three"),
        Block("p", "q"),
    ]


def test_whitespace_entities_and_empty_paragraphs() -> None:
    html = "<p>&nbsp;</p><p> a \n\t b&amp;c&#8230;\u00a0d </p><p></p><div>   </div>"
    assert blocks_of(html) == [Block("p", "a b&c… d")]


def test_scripts_styles_noscript_and_frames_are_left_out() -> None:
    html = (
        "<p>keep<script>var x = 1;</script></p><style>p{color:red}</style>"
        "<noscript><img src=a.png>dup</noscript><iframe>frame</iframe><p>too</p>"
    )
    assert blocks_of(html) == [Block("p", "keep"), Block("p", "too")]


def test_footer_after_hr_removed_but_not_an_ordinary_rule() -> None:
    html = (
        "<p>one</p><hr /><p>two</p><hr /><p><small>&copy; X for <a>中国数字时代</a>, "
        "get_post_time('Y'). |<a>Permalink</a> | Post tags: <a>t</a></small></p>"
        "<p><small>Feed enhanced by <a>Better Feed</a></small></p>"
    )
    assert blocks_of(html) == [Block("p", "one"), Block("p", "two")]


def test_share_widget_removed() -> None:
    html = (
        '<p>body</p><div class="addtoany_share_save_container addtoany_content">'
        '<div class="a2a_kit"><a class="a2a_button_facebook" title="Facebook">Facebook</a>'
        "</div></div>"
    )
    assert blocks_of(html) == [Block("p", "body")]


def test_deep_nesting_does_not_recurse() -> None:
    html = "<div>" * 5000 + "deep" + "</div>" * 5000
    assert blocks_of(html) == [Block("p", "deep")]


def test_markdown_body() -> None:
    text = (
        "# Title\n\nFirst line\nsecond line with [a link](https://x) and **bold**.\n\n"
        "![img](a.png)\n\n- item one\n- item two\n\n### Sub ###\n"
    )
    assert markdown_blocks(text) == [
        Block("h", "Title", 1),
        Block("p", "First line second line with a link and bold."),
        Block("p", "item one"),
        Block("p", "item two"),
        Block("h", "Sub", 3),
    ]


def test_lazy_images_gallery_and_scripts(parse_id: ParseId) -> None:
    page = parse_id("335144")
    assert page.blocks
    for leak in ("jtg-", "modula", "ImageGallery", "data:image", "{", "file"):
        assert leak not in page.body, leak


def test_twitter_embed_keeps_the_tweet_text(parse_id: ParseId) -> None:
    page = parse_id("342720")
    assert any(b.text.startswith("— 李老师不是你老师 (@whyyoutouzhele)") for b in page.blocks)
    assert "twttr" not in page.body and "widgets.js" not in page.body


def test_dw_dateline_removed(corpus: Path) -> None:
    [path] = (corpus / "other" / "德国之声").glob("*.md")
    page = parse_capture(Capture(path.read_bytes(), str(path)))
    assert page.blocks[0].text == "CNN等美国媒体对副总统候选人电视辩论进行了直播"
    assert "2020-10-08T" not in page.body
    assert page.published is not None and page.published.isoformat() == "2020-10-08"


def test_rfi_dateline_and_feed_footer_removed(corpus: Path) -> None:
    [path] = (corpus / "other" / "法广").glob("*.md")
    page = parse_capture(Capture(path.read_bytes(), str(path)))
    assert page.blocks[0].text.startswith("（法新社华盛顿10日电） 白宫医师今天发出声明")
    assert page.blocks[-1].text == "© 2020 AFP"
    assert "feedx" not in page.body and "11/10/2020" not in page.body


def test_bbc_main_and_relative_time(corpus: Path) -> None:
    [path] = (corpus / "other" / "BBC").glob("*.md")
    page = parse_capture(Capture(path.read_bytes(), str(path)))
    assert "分钟前" not in page.body
    assert page.published is not None and page.published.isoformat() == "2020-10-12"
    assert page.blocks[-1].text.startswith(
        "世界卫生组织说，目前没有通过食品、食品包装感染的确诊病例"
    )
    assert any(b.text == "新冠病毒能在物体表面存活多久" for b in page.blocks)
