"""Rules of the language learnt from the second held-out set (issue 12), each on a sentence
written for this test: lists, back-references, 名单 rosters, framing clauses, periods."""

from __future__ import annotations

from datetime import date

from cunzhao.extract import extract

DAY = date(2022, 5, 20)


def _pairs(text: str) -> set[tuple[str, str]]:
    facts = extract(text, DAY)
    return {(t, m) for case in facts.cases for t in case.targets for m in case.measures}


def test_quoted_names_followed_by_their_count_are_targets() -> None:
    pairs = _pairs("某市网信办依法约谈“青柠社区”“橙子论坛”2家网站平台负责人,责令限期整改。")
    assert {("青柠社区", "summon"), ("橙子论坛", "summon")} <= pairs


def test_names_counted_again_in_the_next_sentence_get_its_measure() -> None:
    pairs = _pairs(
        "“青柠社区”“橙子论坛”等2家微信公众号存在违规转载新闻等问题。"
        "市网信办责令2家微信公众号限期整改。"
    )
    assert {("青柠社区", "order_rectification"), ("橙子论坛", "order_rectification")} <= pairs


def test_a_later_paragraph_opening_with_以上_acts_on_the_names_before() -> None:
    pairs = _pairs(
        "某县网信办依法约谈属地“青柠农机厂”“橙子建材厂”2家网站负责人。\n\n"
        "以上网站均违反有关规定,被网信部门责令注销ICP备案。"
    )
    assert ("青柠农机厂", "revoke_filing") in pairs and ("橙子建材厂", "revoke_filing") in pairs


def test_names_one_per_line_under_a_名单_heading_get_its_measures() -> None:
    text = (
        "省网信办依法关闭一批违规账号。\n\n附:关闭的自媒体账号名单\n\n"
        "微信公众号“青柠速报”\n\n(qingning)\n\n微信公众号“橙子快讯”\n"
    )
    pairs = _pairs(text)
    assert {("青柠速报", "close_account"), ("橙子快讯", "close_account")} <= pairs


def test_a_framing_clause_gives_its_measure_to_every_list_after_it() -> None:
    pairs = _pairs(
        "依法关闭的违法网站中,“青柠图库”等网站传播低俗信息;“橙子娱乐”等网站开展赌博活动。"
    )
    assert {("青柠图库", "close_website"), ("橙子娱乐", "close_website")} <= pairs


def test_a_list_of_what_sites_spread_names_no_target() -> None:
    targets = {t for t, _ in _pairs("依法查处一批传播色情、赌博、诈骗等违法信息的网站。")}
    assert not targets & {"色情", "赌博", "诈骗"}


def test_a_leading_particle_is_not_part_of_a_name() -> None:
    targets = {t for t, _ in _pairs("国家网信办约谈了新浪、网易等商业网站。")}
    assert "新浪" in targets and "了新浪" not in targets


def test_警示_and_命令整改_are_measures() -> None:
    pairs = _pairs("市网信办依法对“青柠社区”微信公众号进行警示,命令其限期整改。")
    assert {("青柠社区", "warn"), ("青柠社区", "order_rectification")} <= pairs


def test_a_span_opened_on_a_day_runs_to_the_publication_date() -> None:
    facts = extract(
        "4月2日,国家网信办启动专项整治以来,各平台积极行动。目前,已关闭违规账号3120个。", DAY
    )
    [stat] = facts.stats
    assert stat.period is not None
    assert (stat.period.start, stat.period.end) == (date(2022, 4, 2), DAY)


def test_a_verb_compound_gives_a_count_its_last_verb() -> None:
    facts = extract("某局依法下架整改违规App 120款。", DAY)
    assert [(s.action, s.value) for s in facts.stats] == [("order_rectification", 120)]
