"""Violation categories: ids with Chinese and English labels, found in a case's own words."""

from __future__ import annotations

import pytest

from cunzhao.extract import action_label, all_categories, category_label, extract, object_label
from cunzhao.extract.lexicon import lexicon

REQUIRED = [
    "cyberviolence", "rumor", "pornography", "vulgarity", "gambling", "historical_nihilism",
    "superstition", "gore", "inciting_antagonism", "impersonating_authority",
    "illegal_personal_info", "no_security_assessment",
]  # fmt: skip


@pytest.mark.parametrize("category", REQUIRED)
def test_every_required_category_has_both_labels(category: str) -> None:
    zh, en = category_label(category, "zh"), category_label(category, "en")
    assert zh and en and zh != en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)
    assert en.isascii()


def test_every_action_and_object_of_the_schema_has_labels() -> None:
    actions = [
        "summon", "warn", "fine", "order_rectification", "suspend_function", "remove_app",
        "shut_miniprogram", "close_website", "revoke_license", "close_account", "handle_account",
        "clean_content", "ban_streamer", "dissolve_group", "dissolve_topic", "transfer_case",
        "punish_responsible", "revoke_filing", "investigate", "penalize",
    ]  # fmt: skip
    for action in actions:
        assert action_label(action, "zh") and action_label(action, "en").isascii()
    for obj in ["website", "app", "miniprogram", "account", "streamer", "content", "group",
                "group_owner", "topic", "case_lead", "company", "person"]:  # fmt: skip
        assert object_label(obj, "zh") and object_label(obj, "en").isascii()


def test_unknown_label_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        category_label("no_such_category")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("依法关闭“某某棋牌”等为网络赌博引流的网站。", {"gambling"}),
        ("关闭“某某杂志网”等一批冒用权威机构名称的网站。", {"impersonating_authority"}),
        (
            "下架“某写作”等一批未按国家有关规定开展安全评估工作的移动应用程序。",
            {"no_security_assessment"},
        ),
        ("处置＠某某某等一批宣扬历史虚无主义的账号。", {"historical_nihilism"}),
        ("关闭“某某风水”等一批封建迷信网站。", {"superstition"}),
        ("下架“某某直播”等一批存在大量低俗色情信息的移动应用程序。", {"vulgarity", "pornography"}),
        ("下架“某某运输”等一批违法违规处理个人信息的移动应用程序。", {"illegal_personal_info"}),
    ],
)
def test_categories_of_a_case(text: str, expected: set[str]) -> None:
    (case,) = extract(text).cases
    assert set(case.categories) == expected


def test_category_ids_are_unique_and_in_lexicon_order() -> None:
    ids = [cid for cid, _ in lexicon().category_patterns]
    assert len(ids) == len(set(ids)) and set(REQUIRED) <= set(ids)


def test_all_categories_for_the_web_ui() -> None:
    listed = all_categories()
    assert [c.id for c in listed] == [cid for cid, _ in lexicon().category_patterns]
    assert all(category_label(c.id, "zh") == c.zh for c in listed)
