"""Grammar the extractor reads beyond its development set (found on the held-out texts).

Each test states one rule of the language with a sentence of its own, so a regression names
the rule it broke.
"""

from __future__ import annotations

from datetime import date

from cunzhao.extract import extract


def _pairs(text: str, published: date | None = None) -> set[tuple[str, str]]:
    return {(t, m) for c in extract(text, published).cases for t in c.targets for m in c.measures}


def test_pinyin_between_characters_does_not_hide_an_enforcement_line() -> None:
    text = "依法關(guān)閉“某某理論網(wǎng)”等一批違規(guī)網(wǎng)站。"
    assert ("某某理论网", "close_website") in _pairs(text)


def test_a_question_mark_run_into_latin_letters_is_mojibake_not_a_question() -> None:
    text = "針對抖音等網站平臺存在違規?shù)問題,國家網信辦依法約談相關負責人。"
    assert ("抖音", "summon") in _pairs(text)


def test_spam_glyphs_between_words_are_read_through() -> None:
    text = "已依法对抖音平台“某某宝妈”✿◈◈◈ღ、微博平台“某某左岸”等违规账号作关闭处置✿◈◈◈ღ。"
    pairs = _pairs(text)
    assert pairs == {("某某宝妈", "close_account"), ("某某左岸", "close_account")}


def test_platforms_that_dispose_of_accounts_are_actors_not_targets() -> None:
    text = "截至目前,微博、抖音、快手等重点平台累计处置违法违规账号1万余个,清理相关信息7.4万余条。"
    facts = extract(text)
    assert facts.cases == ()
    assert {(s.action, s.object, s.value) for s in facts.stats} == {
        ("handle_account", "account", 10000),
        ("clean_content", "content", 74000),
    }


def test_names_take_the_measures_of_a_later_sentence_that_points_back() -> None:
    text = "“某甲”、“某乙”等账号发布谣言,造谣传谣。已依法对上述账号作禁言、关闭处置。"
    assert _pairs(text) == {
        ("某甲", "handle_account"),
        ("某甲", "close_account"),
        ("某乙", "handle_account"),
        ("某乙", "close_account"),
    }


def test_qizhong_names_take_the_measures_of_the_sentence_before() -> None:
    text = "省互联网信息办公室近期关闭了23家违法违规网站。其中,某某视窗等15家网站发布虚假信息。"
    assert ("某某视窗", "close_website") in _pairs(text)


def test_measures_on_counted_things_in_later_clauses_are_not_the_names() -> None:
    text = "依法约谈“某某玩”等违规网站平台负责人35人次,督促属地论坛关闭违法违规账号22个。"
    assert _pairs(text) == {("某某玩", "summon")}


def test_the_head_noun_after_de_names_what_a_count_counts() -> None:
    text = "某省网信办依法查处违法违规收集个人信息的APP及网站19家。"
    stats = extract(text).stats
    assert [(s.action, s.object, s.value) for s in stats] == [("investigate", "app", 19)]


def test_a_count_described_by_what_it_did_wrong_has_no_action() -> None:
    text = "其运营的14款App存在违反必要原则收集个人信息、未提供账号注销功能等违法行为。"
    assert extract(text).stats == ()


def test_a_span_opened_earlier_in_the_paragraph_is_closed_by_jiezhi() -> None:
    text = "今年2月以来,国家网信办开展专项行动。截至目前,累计处置账号7.2万余个。"
    (stat,) = extract(text, date(2021, 3, 25)).stats
    assert stat.period is not None
    assert (stat.period.start, stat.period.end) == (date(2021, 2, 1), date(2021, 3, 25))


def test_a_count_after_app_letters_is_read() -> None:
    (stat,) = extract("专项行动中下架APP520余个。").stats
    assert (stat.action, stat.object, stat.value, stat.qualifier) == (
        "remove_app",
        "app",
        520,
        "at_least",
    )


def test_names_that_only_say_what_a_set_includes_are_not_targets() -> None:
    text = "关闭含微信、微博、知乎等各平台在内共11万个自媒体账号。"
    assert extract(text).cases == ()


def test_a_generic_quoted_word_is_not_a_name() -> None:
    assert extract("各级网信部门严肃查处各类违规“自媒体”账号。").cases == ()


def test_a_later_clause_that_hands_the_work_to_others_is_not_the_names_measure() -> None:
    text = "依法查处“某某头条”等一批违规网站,督促网站平台依法依约处置相关账号。"
    assert _pairs(text) == {("某某头条", "investigate")}
