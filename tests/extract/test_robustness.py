"""Traditional script, noise around the text, and pages that are not about enforcement."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest

from cunzhao.capture.model import Capture
from cunzhao.extract import Facts, extract
from cunzhao.parse import parse_capture

SIMPLIFIED = (
    "2022年，全国网信系统累计依法约谈网站平台8608家，警告6767家，下架移动应用程序420款。\n"
    "针对新浪微博、腾讯微信多次出现法律、法规禁止发布或者传输信息的问题，国家网信办指导北京市网信办"
    "依法约谈相关负责人，责令其限期整改，并分别给予罚款的行政处罚。\n"
    "依法关闭“中国传承人网”“搜了网”等一批借建党100周年开展营销活动的网站。"
)
SPAM = [
    "国产在线97色永久免费视频_91青青草原国产免费播放_久久久久久久岛国免费",
    "服务热线/微信:15002687135 QQ咨询:767172404 欢迎光临某某网络信息科技有限公司官网!",
    "上一篇：中国内地首次检出奥密克戎变异株",
    "相关报道>>>某某APP遭下架，背后原因曝光！",
    "| | | | | 雄安| 香港| 澳门| 台湾",
    "6380972514000629849123632.png",
]


def _summary(facts: Facts) -> tuple[object, object]:
    return (
        sorted((s.action, s.object, s.value, s.qualifier, s.period) for s in facts.stats),
        sorted((c.targets, c.target_kind, c.measures) for c in facts.cases),
    )


def test_traditional_text_gives_the_same_facts_in_simplified_names() -> None:
    traditional = opencc.OpenCC("s2t").convert(SIMPLIFIED)
    assert traditional != SIMPLIFIED
    simple, trad = extract(SIMPLIFIED), extract(traditional)
    assert simple.stats and simple.cases
    assert _summary(trad) == _summary(simple)
    for s in trad.stats:
        assert traditional[s.start : s.end] == s.evidence
    assert ("新浪微博", "腾讯微信") in {c.targets for c in trad.cases}


def test_pinyin_ruby_between_characters_is_read_through() -> None:
    text = "網(wǎng)信辦已累計(jì)清理負(fù)面有害信息40余萬(wàn)條!"
    (stat,) = extract(text).stats
    assert (stat.action, stat.value, stat.qualifier) == ("clean_content", 400_000, "at_least")
    assert text[stat.start : stat.end] == stat.evidence


def test_noise_around_the_text_changes_nothing() -> None:
    noisy = "\n".join([SPAM[0], SPAM[1], SIMPLIFIED, *SPAM[2:]])
    clean, dirty = extract(SIMPLIFIED), extract(noisy)
    assert _summary(dirty) == _summary(clean)
    for s in dirty.stats:
        assert noisy[s.start : s.end] == s.evidence


@pytest.mark.parametrize("line", SPAM)
def test_noise_alone_gives_nothing(line: str) -> None:
    assert extract(line) == Facts()


def _other_pages(corpus: Path) -> list[Path]:
    pages = sorted((corpus / "other").rglob("*.md"))
    assert len(pages) >= 4, f"expected the non-CDT pages under {corpus / 'other'}"
    return pages


def test_non_enforcement_pages_give_no_facts(corpus: Path) -> None:
    for path in _other_pages(corpus):
        page = parse_capture(Capture(data=path.read_bytes(), source=str(path)))
        assert len(page.body) > 200, path
        facts = extract(page.body, page.published)
        assert facts == Facts(), f"{path.name}: {facts.to_json()}"


def test_empty_and_plain_text() -> None:
    assert extract("") == Facts()
    assert extract("今天天气很好，我们去公园散步。") == Facts()
    assert extract("关闭").to_json() == {"stats": [], "cases": []}
