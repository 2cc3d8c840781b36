"""Named cases: targets found from their context, measures, regulator, fine."""

from __future__ import annotations

from cunzhao.extract import Case, extract


def _pairs(cases: tuple[Case, ...]) -> set[tuple[str, str]]:
    return {(t, m) for c in cases for t in c.targets for m in c.measures}


def test_unknown_quoted_app_with_fine() -> None:
    text = "近日，上海市网信办针对“小黑盒”App存在传播低俗信息问题，依法约谈该平台负责人，责令限期整改，并处以罚款人民币50万元。"
    (case,) = extract(text).cases
    assert case.targets == ("小黑盒",)
    assert case.target_kind == "app"
    assert set(case.measures) == {"summon", "order_rectification", "fine"}
    assert case.regulator == "上海市网信办"
    assert case.fine_cny == 500_000
    assert "vulgarity" in case.categories
    assert text[case.start : case.end] == case.evidence


def test_list_before_deng_and_kind() -> None:
    text = (
        "针对甲乙网、丙丁直播等网站平台存在法律、法规禁止发布或者传输信息的问题，国家网信办指导属地网信办"
        "分别依法约谈相关网站负责人，责令其限期整改，处置相关账号，并分别给予警告、罚款等行政处罚。"
    )
    (case,) = extract(text).cases
    assert case.targets == ("甲乙网", "丙丁直播")
    assert case.target_kind == "platform"
    assert set(case.measures) == {"summon", "order_rectification", "handle_account", "warn", "fine"}
    assert case.regulator == "国家网信办"  # A指导B: A acts


def test_accounts_with_at_and_quotes_and_categories() -> None:
    text = (
        "督促相关网站平台依法依约处置＠路人甲甲、“某某说事”等一批发布不实信息、宣扬网络暴力的账号。"
    )
    (case,) = extract(text).cases
    assert case.targets == ("路人甲甲", "某某说事")
    assert case.target_kind == "account"
    assert case.measures == ("handle_account",)
    assert {"rumor", "cyberviolence"} <= set(case.categories)


def test_verb_resolved_by_kind() -> None:
    text = "依法关闭“某某棋牌”等为网络赌博引流的网站，关闭“某某之声”“某某观察”等一批违法账号。"
    cases = extract(text).cases
    assert _pairs(cases) == {
        ("某某棋牌", "close_website"),
        ("某某之声", "close_account"),
        ("某某观察", "close_account"),
    }
    assert "gambling" in cases[0].categories


def test_company_and_cumulative_fine() -> None:
    text = (
        "北京市网信办对某某平台运营主体北京某某网络技术有限公司依法予以共计300万元罚款的行政处罚。"
        "今年以来，对某某平台实施44次处置处罚，多次予以顶格50万元罚款，共累计罚款1430万元。"
    )
    cases = extract(text).cases
    company = next(c for c in cases if c.target_kind == "company")
    assert company.targets == ("北京某某网络技术有限公司",)
    assert company.fine_cny == 3_000_000
    assert company.measures == ("fine",)
    assert any(c.fine_cny == 14_300_000 for c in cases)  # the cumulative fine wins


def test_unspecified_penalty_is_penalize() -> None:
    text = "国家网信办依法对知网（CNKI）违法处理个人信息行为作出网络安全审查相关行政处罚的决定。"
    (case,) = extract(text).cases
    assert case.targets == ("知网",)
    assert case.measures == ("penalize",)
    assert case.categories == ("illegal_personal_info",)


def test_coordinated_subjects_share_measures() -> None:
    text = (
        "针对甲平台、乙平台等网络平台履行主体责任不力的问题；丙平台、丁平台等生活服务类平台审核机制不完善等问题，"
        "国家网信办指导属地网信办分别依法约谈相关网站负责人，责令其限期整改。"
    )
    assert _pairs(extract(text).cases) == {
        (t, m)
        for t in ("甲平台", "乙平台", "丙平台", "丁平台")
        for m in ("summon", "order_rectification")
    }


def test_mixed_kinds_split_into_cases() -> None:
    text = "依法约谈“某某科技有限公司”、“某某在线”网站及“夏日”、“观察者甲”抖音账号等违规网站账号平台责任人61人次。"
    cases = extract(text).cases
    kinds = {c.target_kind: c.targets for c in cases}
    assert kinds["website"] == ("某某科技有限公司", "某某在线")
    assert kinds["account"] == ("夏日", "观察者甲")
    assert all(c.measures == ("summon",) for c in cases)


def test_names_without_marks_before_kind_word() -> None:
    text = "国家网信办指导地方网信办约谈甲乙图库网站、XY photo网站负责人，即日起两家网站暂停服务，全面整改。"
    (case,) = extract(text).cases
    assert case.targets == ("甲乙图库", "XY photo")  # Latin letters keep their case
    assert set(case.measures) == {"summon", "suspend_function", "order_rectification"}


def test_conditional_measures_are_not_taken() -> None:
    text = "浙江省网信办依法查处“某某”等173款违法违规App，责令限期50日完成整改，逾期未完成整改的，依法予以下架处置。"
    assert _pairs(extract(text).cases) == {("某某", "investigate"), ("某某", "order_rectification")}


def test_roster_takes_the_measures_of_the_case_it_lists() -> None:
    text = "浙江省网信办依法查处“某某”等3款违法违规App，责令限期整改。\n违法违规App名单包括甲精选、乙邮箱、丙出行等。"
    assert _pairs(extract(text).cases) >= {
        (t, m)
        for t in ("甲精选", "乙邮箱", "丙出行")
        for m in ("investigate", "order_rectification")
    }


def test_no_cases() -> None:
    text = (
        "国家网信办发布《网络信息内容生态治理规定》，自3月1日起施行。"
        "各级网信部门结合开展“清朗”系列专项行动，持续打击网络暴力、谣言信息等违法违规行为。"
        "网友爆料，网易云音乐违反相关规定被下架30天。"
        "警告“独立”标语或口号。对此情况网易云音乐官方微博并没有给出解释。"
        "针对淘宝直播间存在的问题，相关部门将进一步调查。"
    )
    assert extract(text).cases == ()


def test_company_and_officers_fined() -> None:
    text = (
        "国家互联网信息办公室依据《网络安全法》《个人信息保护法》等法律法规，对某某全球股份有限公司处人民币80.26亿元罚款，"
        "对某某全球股份有限公司董事长兼CEO张三、总裁李四各处人民币100万元罚款。"
    )
    cases = extract(text).cases
    by_kind = {c.target_kind: c for c in cases}
    assert by_kind["company"].targets == ("某某全球股份有限公司",)
    assert by_kind["company"].fine_cny == 8_026_000_000
    assert by_kind["person"].targets == ("张三", "李四")
    assert by_kind["person"].fine_cny == 1_000_000
    assert len(cases) == 2


def test_known_platform_is_not_read_inside_a_company_name() -> None:
    (case,) = extract("对滴滴全球股份有限公司处人民币80.26亿元罚款。").cases
    assert case.targets == ("滴滴全球股份有限公司",)


def test_passive_with_regulator() -> None:
    (case,) = extract(
        "近日，知乎因未落实信息内容管理主体责任被北京市网信办约谈，责令限期整改。"
    ).cases
    assert case.targets == ("知乎",)
    assert set(case.measures) == {"summon", "order_rectification"}


def test_list_right_after_the_verb_and_regulator() -> None:
    (case,) = extract("國家網信辦約談甲甲科技、乙乙文化等平台負責人，要求其立即整改。").cases
    assert case.targets == ("甲甲科技", "乙乙文化")
    assert case.regulator == "国家网信办"


def test_order_to_stop_unlawful_processing() -> None:
    text = "国家互联网信息办公室依法对某某网作出责令停止违法处理个人信息行为，并处人民币5000万元罚款的行政处罚。"
    (case,) = extract(text).cases
    assert set(case.measures) == {"order_rectification", "fine"}
    assert case.fine_cny == 50_000_000


def test_typical_case_list_with_kind_before_the_name() -> None:
    text = (
        "现将部分典型案例通报如下：\n1.“某某说法”微博账号编造虚假信息，平台已依法依约关闭该账号。\n"
        "2.微信公众号“某某观察”发布谣言信息，已被依法关闭。\n3.抖音账号“某某某”蹭炒热点，平台对其予以禁言处理。"
    )
    assert {(c.targets, c.target_kind, c.measures) for c in extract(text).cases} == {
        (("某某说法",), "account", ("close_account",)),
        (("某某观察",), "account", ("close_account",)),
        (("某某某",), "account", ("handle_account",)),
    }


def test_corner_brackets_and_order_to_remove() -> None:
    (case,) = extract("經查，「某某」App違法收集個人信息，國家網信辦依法責令其下架整改。").cases
    assert case.targets == ("某某",)
    assert set(case.measures) == {"remove_app", "order_rectification"}
    assert case.regulator == "国家网信办"


def test_a_question_asserts_nothing() -> None:
    assert extract("网信办约谈抖音？这是真的吗？").cases == ()


def test_book_title_marks_name_targets_but_not_laws() -> None:
    text = "国家网信办依据《网络安全法》《个人信息保护法》等法律法规，依法下架《某某传奇》《某某世界》等一批含有低俗内容的App。"
    (case,) = extract(text).cases
    assert case.targets == ("某某传奇", "某某世界")
    assert (case.target_kind, case.measures) == ("app", ("remove_app",))


def test_one_platform_named_twice_in_a_sentence_is_one_case() -> None:
    text = (
        "国家网信办指导北京市网信办约谈新浪微博负责人，针对微博在某舆论事件中干扰网上传播秩序等问题，"
        "责令其立即整改，暂停更新微博热搜榜一周，严肃处理相关责任人。"
    )
    (case,) = extract(text).cases
    assert case.targets == ("新浪微博",)
    assert set(case.measures) == {
        "summon",
        "order_rectification",
        "suspend_function",
        "punish_responsible",
    }
    assert text[case.start : case.end] == case.evidence


def test_platform_and_its_operator_share_the_fine() -> None:
    text = (
        "国家网信办指导北京市网信办，针对某某网及其账号屡次出现法律、法规禁止发布或者传输的信息，"
        "对某某网运营主体北京某某科技有限公司依法予以共计150万元罚款的行政处罚。"
    )
    cases = {c.target_kind: c for c in extract(text).cases}
    assert cases["company"].targets == ("北京某某科技有限公司",)
    assert cases["company"].fine_cny == 1_500_000
    assert cases["company"].regulator == "国家网信办"


def test_passive_after_a_reason_clause() -> None:
    text = (
        "6月10日，新浪微博因在某舆论事件中干扰网上传播秩序，以及传播违法违规信息等问题，"
        "被北京市互联网信息办公室约谈，并宣布暂停更新微博热搜榜一周。"
    )
    (case,) = extract(text).cases
    assert case.targets == ("新浪微博",)
    assert set(case.measures) == {"summon", "suspend_function"}
    assert case.regulator == "北京市互联网信息办公室"
