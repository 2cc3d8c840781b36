"""Enforcement counts: action, object, value, qualifier, period, scope, evidence offsets."""

from __future__ import annotations

from datetime import date

from cunzhao.extract import Stat, extract

HALF_YEAR = (
    "今年上半年，全国网信系统依法约谈网站平台3491家，警告2348家，罚款处罚283家，暂停功能或更新1058家，"
    "下架移动应用程序167款，关停小程序80款，会同电信主管部门取消违法网站许可或备案、关闭违法网站11491家，"
    "移送相关案件线索4062件。"
)


def _rows(stats: tuple[Stat, ...]) -> set[tuple[str, str, int, str]]:
    return {(s.action, s.object, s.value, s.qualifier) for s in stats}


def test_national_summary_with_relative_period() -> None:
    facts = extract(HALF_YEAR, date(2022, 8, 2))
    assert _rows(facts.stats) == {
        ("summon", "website", 3491, "exact"),
        ("warn", "website", 2348, "exact"),
        ("fine", "website", 283, "exact"),
        ("suspend_function", "website", 1058, "exact"),
        ("remove_app", "app", 167, "exact"),
        ("shut_miniprogram", "miniprogram", 80, "exact"),
        ("close_website", "website", 11491, "exact"),  # the last action before the number
        ("transfer_case", "case_lead", 4062, "exact"),
    }
    for s in facts.stats:
        assert s.period is not None
        assert (s.period.start, s.period.end) == (date(2022, 1, 1), date(2022, 6, 30))
        assert s.scope == "全国网信系统"
        assert HALF_YEAR[s.start : s.end] == s.evidence
        assert str(s.value) in s.evidence


def test_without_the_date_a_relative_period_is_unknown() -> None:
    facts = extract(HALF_YEAR)
    assert facts.stats and all(s.period is None for s in facts.stats)


def test_enumeration_carries_its_verb_on() -> None:
    facts = extract(
        "目前，已累计清理负面有害信息40余万条，处置违规账号2万多个，群主6500多个，解散话题3000多个。"
    )
    assert _rows(facts.stats) == {
        ("clean_content", "content", 400_000, "at_least"),
        ("handle_account", "account", 20_000, "at_least"),
        ("dissolve_group", "group_owner", 6500, "at_least"),
        ("dissolve_topic", "topic", 3000, "at_least"),
    }
    assert all(s.period is None for s in facts.stats)  # 目前: only an end


def test_count_before_its_verb() -> None:
    text = (
        "责令453家网站暂停功能或更新，对4046家实施警告或罚款处罚；33家网站自行注销备案或关闭网站。"
    )
    assert _rows(extract(text).stats) == {
        ("suspend_function", "website", 453, "exact"),
        ("fine", "website", 4046, "exact"),
        ("close_website", "website", 33, "exact"),
    }


def test_classifier_decides_persons_and_content() -> None:
    text = "依法约谈违规网站账号平台责任人61人次，清理各类违法和有害信息2660条，关闭含微信、微博等平台在内共11万个自媒体账号。"
    assert _rows(extract(text).stats) == {
        ("summon", "person", 61, "exact"),
        ("clean_content", "content", 2660, "exact"),
        ("close_account", "account", 110_000, "exact"),
    }


def test_chinese_numerals_and_large_units() -> None:
    text = "截至12月18日，累计清理违法违规信息2200万余条，拦截违规信息13.4亿条，处置账号六千五百个，关闭账号12,292个。"
    facts = extract(text, date(2021, 12, 20))
    assert _rows(facts.stats) == {
        ("clean_content", "content", 22_000_000, "at_least"),
        ("clean_content", "content", 1_340_000_000, "exact"),
        ("handle_account", "account", 6500, "exact"),
        ("close_account", "account", 12292, "exact"),
    }
    assert all(s.period is None for s in facts.stats)


def test_since_until_period() -> None:
    facts = extract(
        "3月10日以来，截至5月22日，各地网信部门累计关闭账号1.2万余个。", date(2022, 6, 1)
    )
    (stat,) = facts.stats
    assert stat.period is not None and (stat.period.start, stat.period.end) == (
        date(2022, 3, 10),
        date(2022, 5, 22),
    )


def test_lead_period_covers_the_next_paragraph() -> None:
    text = "2023年4月，全省网信系统深入推进专项行动。\n省网信办依法注销“某某网”等12家违法违规网站备案；处置违法违规账号306个。"
    facts = extract(text, date(2023, 5, 5))
    assert {(s.action, s.value) for s in facts.stats} == {
        ("revoke_filing", 12),
        ("handle_account", 306),
    }
    for s in facts.stats:
        assert s.period is not None and (s.period.start, s.period.end) == (
            date(2023, 4, 1),
            date(2023, 4, 30),
        )


def test_not_counts() -> None:
    text = (
        "首批依法依规对吱呀、Soul等26款违法违规音频平台，分别采取了约谈、下架、关停服务等阶梯处罚。"
        "即日起两家网站暂停服务。对新浪微博实施44次处置处罚，累计罚款1430万元。"
        "荔枝FM等4款应用程序被传遭到下架。该市关闭了300家工厂，为期两个月。公司将关闭部分门店20家。"
    )
    assert extract(text).stats == ()


def test_repeated_figure_is_one_stat() -> None:
    text = "网信办：2022年下架移动应用程序420款\n2022年，全国网信系统下架移动应用程序420款。"
    (stat,) = extract(text).stats
    assert (stat.action, stat.value) == ("remove_app", 420)


def test_since_until_month_end_and_unstated_penalty() -> None:
    facts = extract(
        "2021年11月以来，截至12月底，累计处置账号1.2万个，依法对1000余家网站平台作出行政处罚。"
    )
    assert _rows(facts.stats) == {
        ("handle_account", "account", 12000, "exact"),
        ("penalize", "website", 1000, "at_least"),
    }
    for s in facts.stats:
        assert s.period is not None and (s.period.start, s.period.end) == (
            date(2021, 11, 1),
            date(2021, 12, 31),
        )
    assert extract("依法对1000余家网站平台作出行政处罚。").cases == ()  # a count is no name


def test_verb_read_by_its_object() -> None:
    text = (
        "注销违规账号300个，下架违规小程序20款，封停账号50个，清理违规群组80个，关停违规App 12款。"
    )
    assert _rows(extract(text).stats) == {
        ("close_account", "account", 300, "exact"),
        ("shut_miniprogram", "miniprogram", 20, "exact"),
        ("close_account", "account", 50, "exact"),
        ("dissolve_group", "group", 80, "exact"),
        ("remove_app", "app", 12, "exact"),
    }


def test_whole_year_takes_the_year_of_the_heading() -> None:
    facts = extract(
        "2023年，全国网信系统严格执行法律法规。\n全年共约谈网站10646家。", date(2024, 1, 31)
    )
    (stat,) = facts.stats
    assert stat.period is not None and (stat.period.start, stat.period.end) == (
        date(2023, 1, 1),
        date(2023, 12, 31),
    )
