"""The seed page, field by field: the project's reference document."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cunzhao.capture.model import Capture
from cunzhao.parse import Block, Link, Page, parse_capture


@pytest.fixture(scope="module")
def seed(seed_path: Path) -> Page:
    return parse_capture(Capture(seed_path.read_bytes(), str(seed_path)))


def test_header(seed: Page) -> None:
    assert seed.title == "【立此存照】中央网信办｜2023年约谈网站10646家、关闭违法违规账号127878个"
    assert seed.series_tag == "立此存照"
    assert seed.url == "https://chinadigitaltimes.net/chinese/704712.html"
    assert seed.captured_at == datetime(2024, 2, 2, 3, 19, 2, tzinfo=UTC)
    assert seed.published == date(2024, 1, 31)
    assert seed.encoding == "utf-8"
    assert seed.header_format == "epoch"
    assert seed.warnings == ()


def test_card(seed: Page) -> None:
    card = seed.card
    assert card is not None
    assert card.title == "网信系统持续推进网络执法 查处各类网上违法违规行为"
    assert card.author == "网信办"
    assert card.author_url == "https://chinadigitaltimes.net/space/网信办"
    assert card.published_text == "2024.1.31"
    assert card.published == date(2024, 1, 31)
    archive = "https://web.archive.org/web/http://www.cac.gov.cn/2024-01/31/c_1708373600499439.htm"
    assert card.sources == (Link("中央网信办", archive),)
    assert card.archive_url == archive
    assert card.original_url == "http://www.cac.gov.cn/2024-01/31/c_1708373600499439.htm"
    assert card.topics == (Link("网信办", "https://chinadigitaltimes.net/space/网信办"),)
    assert card.collection == "真理馆"
    assert card.collection_url == (
        "https://chinadigitaltimes.net/space/%E7%9C%9F%E7%90%86%E9%A6%86"
    )
    assert card.copyright is not None
    assert card.copyright.startswith(
        "本文引用或部分引用的作品，版权按照政府宣传材料和历史文件进行处理。"
    )


def test_body(seed: Page) -> None:
    assert seed.body.startswith("2023年，全国网信系统严格执行法律法规")
    headings = [b for b in seed.blocks if b.kind == "h"]
    assert headings == [
        Block("h", "大力查处网上违法违规行为", 2),
        Block("h", "维护网络安全、数据安全、个人信息安全", 2),
        Block("h", "持续推进网络执法监督检查", 2),
    ]
    assert [b.kind for b in seed.blocks] == list("phppppphpphp")
    assert seed.blocks[-1].text.endswith("程序合规合法、处罚精准适当。")
    for leaked in ("档案卡", "版权说明", "Facebook", "addtoany", "WhatsApp", "<"):
        assert leaked not in seed.body
    assert all(b.text == b.text.strip() and b.text for b in seed.blocks)
