"""Finding who a case names: quoted names, ＠accounts, lists before 等+kind, known platforms,
unknown names standing before 网站/平台/App after a measure, and company names.

A target group is a run of names that one clause treats alike. Names are found by their
context, not from a list; the platform lexicon only adds names written without any marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cunzhao.extract.document import Document
from cunzhao.extract.lexicon import Lexicon

__all__ = ["TargetGroup", "find_groups"]

_NAME_CHARS = r"[^\s,;:。、“”@()!?\[\]【】<>《》]"
_AT = rf"@{_NAME_CHARS.replace('^', '^等')}{{1,20}}"
_QUOTE = r"“[^“”\n]{1,40}”|「[^「」\n]{1,40}」|『[^『』\n]{1,40}』|《[^《》\n]{1,40}》"
# 抖音平台“某某”、微博平台“某某”等账号: the platform each account is on may stand between names.
_ON_PLATFORM = r"(?:[\u4e00-\u9fffa-z]{1,6}?平台)?"
_QUOTED_RUN = re.compile(
    rf"(?:{_QUOTE}|{_AT})(?:\s*(?:、|和|及|与|以及)?\s*{_ON_PLATFORM}(?:{_QUOTE}|{_AT}))*"
)
_QUOTED_ONE = re.compile(
    rf"“([^“”\n]{{1,40}})”|「([^「」\n]{{1,40}})」|『([^『』\n]{{1,40}})』|《([^《》\n]{{1,40}})》"
    rf"|@({_NAME_CHARS.replace('^', '^等')}{{1,20}})"
)
_TITLE_OF_RULES = re.compile(
    r"(?:法|条例|规定|办法|通知|意见|决定|规范|标准|公约|指南|细则|纲要|方案|报告|规则|制度)$"
)
_DENG = re.compile("等")
_KIND_BEFORE = re.compile(r"公众号|账号|帐号|app|小程序|网站")
_TRIGGER_BEFORE = re.compile(r"(?:针对|对于|对)$")
# What may follow names that stand in a target's place (not “独立”标语).
_SLOT_AFTER = re.compile(
    r"[,;:。!?\s、]|和|及|与|等|相关|主要|负责人|存在|实施|采取|作出|予以|给予|$"
)
_TOWARDS = re.compile(r"针对|对于|对")
_TOPIC_BEFORE = re.compile(r"针对$")
# 含微信、微博、知乎等各平台在内共11万个账号: names that only say what a set includes.
_INCLUSIVE = re.compile(r"(?:(?:、|和|及|与)[^,;:。、等]{1,15})*等?[^,;:。]{0,8}?在内")
# Words before a subject that make it the object of someone else's act (责令微博……关闭账号).
_NOT_SUBJECT = re.compile(r"对|针对|责令|督促|要求|指导|令|被|将")
# What a platform acting on others' accounts or content acts on.
_ACTED_ON = frozenset({"account", "content", "group", "group_owner", "topic", "streamer"})
_GLUE = re.compile(r"(?:了|依法|依规|依约|分别|相关|一批|近期|近日|再次|其|并)*")
_GLUE_AFTER = re.compile(r"(?:已|均|将|立即|依法|自行)*")
# 知乎因……被北京市网信办约谈: the names are the object of the measure after them.
_PASSIVE = re.compile(
    r"(?:平台)?(?:因[^,;:。]{0,30})?被(?:[^,;:。]{0,16}?(?:网信办|网信部门|办公室))?(?:依法)?"
)
_BECAUSE_PASSIVE = re.compile(
    r"(?:平台)?因[^。;!?\n]{0,60}?[,，]?被(?:[^,;:。]{0,16}?(?:网信办|网信部门|办公室))?(?:依法)?"
)
_JOINED = re.compile(r"\s*(?:、|和|及|与|以及)[^,;:。“”]{0,6}")
_COMPANY_SUFFIX = re.compile(r"股份有限公司|有限责任公司|有限公司")
_COMPANY_BOUNDARY = re.compile(r".*(?:对|主体|约谈|要求|责令|督促|旗下|及|和|的|依法|针对|向|其)")
_NAMED_TRIGGER = re.compile(r"针对|约谈|对|关闭|关停|下架|查处")
_NAMED = re.compile(r"([\u4e00-\u9fffa-z0-9][\u4e00-\u9fffa-z0-9 .]{1,14}?)(网站|平台|app)")
_PART_OF_COMPANY = re.compile(r"[\u4e00-\u9fffa-z0-9]{0,20}?(?:股份有限公司|有限责任公司|有限公司)")
_OFFICER = re.compile(r"(?:董事长|总裁|首席执行官|ceo|总经理|法定代表人|主要负责人|负责人|总编辑)")
_PERSON = re.compile(
    rf"{_OFFICER.pattern}(?:兼{_OFFICER.pattern})?(?P<name>[\u4e00-\u9fff]{{2,3}}?)(?=[、,;。和及各]|分别|$)"
)
# 对某某网作出……处罚: a site name ending in 网 before the act done to it.
_NAMED_SITE = re.compile(
    r"[\u4e00-\u9fffa-z0-9]{1,12}网(?=(?:依法)?(?:作出|实施|予以|采取|处以|给予|处人民币|处))"
)
_BAD_NAME = re.compile(r"[,。;:!?的]")
_COUNT = re.compile(r"\d[\d.,]*(?:万|亿)?(?:余|多)?[家款个条件名]|[^\x00-\x7f]\s|\s[^\x00-\x7f]")
_BAD_QUOTED = re.compile(r"[,。;:!?]")


@dataclass(slots=True)
class TargetGroup:
    """Names at ``names`` (spans in the document) that one clause treats alike."""

    start: int
    end: int
    names: list[tuple[int, int]]
    kind: str | None
    source: str  # quoted | list | roster | platform | named | company


@lru_cache(maxsize=4)
def _patterns(kind_pattern: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    item = r"[^\s,;:。、“”@()!?]{1,15}"
    listed = re.compile(
        rf"(?P<items>{item}(?:、{item})*)等(?:一批|\d+[款家个])?[^,;:。“”!?等]{{0,14}}?(?:{kind_pattern})"
    )
    roster = re.compile(
        rf"(?:{kind_pattern})名单(?:包括|如下|有)[:]?(?P<items>{item}(?:、{item})+)"
    )
    return listed, roster


def _kind_at(lex: Lexicon, doc: Document, pos: int, hi: int) -> str | None:
    m = lex.kind_pattern.search(doc.masked, pos, hi)
    if m is None or m.lastindex is None:
        return None
    return lex.kind_by_group[m.lastindex - 1]


def _kind_after(lex: Lexicon, doc: Document, end: int, c_hi: int) -> str | None:
    """A kind word right after a name (“阜阳在线”网站, “夏日阳光”抖音账号) or after its 等."""
    near = min(c_hi, end + 6)
    stop = doc.masked.find("等", end, near)
    kind = _kind_at(lex, doc, end, near if stop < 0 else stop)
    if kind:
        return kind
    if stop >= 0:
        de = doc.masked.rfind("的", stop, c_hi)
        if de >= 0:  # 等为色情类应用程序提供下载服务的网站平台: the head noun follows 的
            head = _kind_at(lex, doc, de + 1, min(c_hi, de + 8))
            if head:
                return head
        return _kind_at(lex, doc, stop, c_hi)
    return None


def _kind_before(lex: Lexicon, doc: Document, start: int, c_lo: int) -> str | None:
    """A kind word right before the names: 微信公众号“某某观察”, 抖音账号“某某”."""
    m = _KIND_BEFORE.search(doc.masked, max(c_lo, start - 8), start)
    if m is None or m.end() != start:
        return None
    kind = lex.kind_pattern.fullmatch(m.group())
    return lex.kind_by_group[kind.lastindex - 1] if kind and kind.lastindex else None


def _valid_name(lex: Lexicon, name: str) -> bool:
    name = name.strip()
    if len(name) < 1 or len(name) > 30 or _BAD_NAME.search(name):
        return False
    return not lex.markers["determiner"].fullmatch(name)


def _has_trigger(doc: Document, lex: Lexicon, c_lo: int, start: int, end: int, c_hi: int) -> bool:
    if lex.measure_pattern.search(doc.masked, c_lo, start):
        return True
    if _TRIGGER_BEFORE.search(doc.masked[max(c_lo, start - 3) : start]) or re.search(
        r"针对|对", doc.masked[c_lo:start]
    ):
        return True
    after = lex.measure_pattern.search(doc.masked, end, c_hi)
    return after is not None and after.start() <= end + 2


def _introduced(doc: Document, lex: Lexicon, c_lo: int, start: int, end: int, c_hi: int) -> bool:
    """A measure or 对/针对 stands right before the names, or a measure right after them."""
    masked = doc.masked
    last = None
    for last in lex.measure_pattern.finditer(masked, c_lo, start):
        pass
    if last is not None and _GLUE.fullmatch(masked, last.end(), start):
        return True
    for last in _TOWARDS.finditer(masked, c_lo, start):
        pass
    if last is not None and _GLUE.fullmatch(masked, last.end(), start):
        return True
    because = _BECAUSE_PASSIVE.match(masked, end)
    if because and lex.measure_pattern.match(masked, because.end()):
        return True  # 新浪微博因……等问题，被北京市互联网信息办公室约谈
    after = lex.measure_pattern.search(masked, end, c_hi)
    if after is None:
        return False
    return bool(
        _GLUE_AFTER.fullmatch(masked, end, after.start())
        or _PASSIVE.fullmatch(masked, end, after.start())
    )


@lru_cache(maxsize=4)
def _subject_gap(kind_pattern: str, glue: str) -> re.Pattern[str]:
    more_names = r"(?:(?:、|和|及|与)[^,;:。、等]{1,15})*"
    return re.compile(
        rf"{more_names}(?:等[^,;:。、]{{0,6}}?(?:{kind_pattern})|(?:{kind_pattern}))?{glue}"
    )


def _acting(doc: Document, lex: Lexicon, start: int, end: int) -> bool:
    """Names that are the subject of a measure on accounts or content: the platforms act."""
    masked = doc.masked
    c_lo, c_hi = doc.clause(start)
    if lex.measure_pattern.search(masked, c_lo, start) or _NOT_SUBJECT.search(masked, c_lo, start):
        return False
    after = lex.measure_pattern.search(masked, end, c_hi)
    if after is None:
        return False
    gap = _subject_gap(lex.kind_pattern.pattern, lex.markers["agent_glue"].pattern)
    if not gap.fullmatch(masked, end, after.start()):
        return False
    obj = lex.object_pattern.search(masked, after.start(), min(c_hi, after.end() + 8))
    return bool(obj and obj.lastindex and lex.object_by_group[obj.lastindex - 1] in _ACTED_ON)


def _chained(doc: Document, groups: list[TargetGroup], start: int) -> bool:
    """Names joined to the names just before them (“快手”和今日头条旗下“火山小视频”)."""
    if not groups or groups[-1].end > start or doc.clause(groups[-1].end) != doc.clause(start):
        return False
    return _JOINED.fullmatch(doc.masked, groups[-1].end, start) is not None


def find_groups(doc: Document, lex: Lexicon, lo: int, hi: int) -> list[TargetGroup]:
    """Target groups in one sentence ``[lo, hi)``, left to right."""
    groups: list[TargetGroup] = []
    taken = [False] * (hi - lo)

    def free(s: int, e: int) -> bool:
        return not any(taken[s - lo : e - lo])

    def add(group: TargetGroup) -> None:
        groups.append(group)
        for i in range(group.start - lo, group.end - lo):
            taken[i] = True

    masked = doc.masked
    for run in _QUOTED_RUN.finditer(masked, lo, hi):
        c_lo, c_hi = doc.clause(run.start())
        names = []
        for one in _QUOTED_ONE.finditer(masked, run.start(), run.end()):
            assert one.lastindex is not None
            s, e = one.start(one.lastindex), one.end(one.lastindex)
            inner = doc.folded[s:e]
            if doc.folded[s - 1] == "《" and _TITLE_OF_RULES.search(inner):
                continue  # 《网络安全法》: a law cited, not a target
            if (
                not _BAD_QUOTED.search(inner)
                and inner.strip()
                and not lex.markers["determiner"].fullmatch(inner.strip())  # “自媒体”账号
            ):
                names.append((s, e))
        if not names:
            continue
        kind = _kind_after(lex, doc, run.end(), c_hi) or _kind_before(lex, doc, run.start(), c_lo)
        slot = _SLOT_AFTER.match(masked, run.end()) or lex.measure_pattern.match(masked, run.end())
        topic = _TOPIC_BEFORE.search(masked, max(c_lo, run.start() - 2), run.start())
        if (
            kind
            or topic
            or (
                slot
                and (
                    _introduced(doc, lex, c_lo, run.start(), run.end(), c_hi)
                    or _chained(doc, groups, run.start())
                )
            )
        ):
            add(TargetGroup(run.start(), run.end(), names, kind, "quoted"))

    listed, roster = _patterns(lex.kind_pattern.pattern)
    spans: list[tuple[re.Pattern[str], str, int, int]] = []
    if "名单" in masked[lo:hi]:
        spans.append((roster, "roster", lo, hi))
    for deng in _DENG.finditer(masked, lo, hi):  # lists end in 等: read only their clauses
        c_lo, c_hi = doc.clause(deng.start())
        if not any(c_lo == span[2] for span in spans):
            spans.append((listed, "list", c_lo, c_hi))
    for pattern, source, s_lo, s_hi in spans:
        for m in pattern.finditer(masked, s_lo, s_hi):
            names = _list_names(doc, lex, m.start("items"), m.end("items"))
            if m.start("items") > 0 and masked[m.start("items") - 1] in "”」』":
                continue  # “蚌埠观察”抖音账号等: a kind word after quoted names, not a list
            if _acting(doc, lex, names[0][0] if names else m.start(), m.end("items")):
                continue  # 微博、抖音等重点平台累计处置违规账号: the platforms act
            if _INCLUSIVE.match(masked, m.end("items")):
                continue
            if names and free(names[0][0], m.end("items")):
                kind = (
                    _kind_at(lex, doc, m.start(), m.end())
                    if source == "roster"
                    else _kind_at(lex, doc, m.end("items"), m.end())
                )
                add(TargetGroup(names[0][0], m.end("items"), names, kind, source))

    for m in lex.platform_pattern.finditer(masked, lo, hi):
        s, e = m.start(), m.end()
        if (
            not free(s, e)
            or lex.markers["not_target"].match(masked, e)
            or masked[max(lo, s - 2) : s] == "官方"
            or _PART_OF_COMPANY.match(masked, e)  # 滴滴全球股份有限公司: the company is named
        ):
            continue
        if s > lo and re.match(r"[a-z0-9]", masked[s - 1]) and re.match(r"[a-z0-9]", masked[s]):
            continue
        c_lo, c_hi = doc.clause(s)
        if _acting(doc, lex, s, e) or _INCLUSIVE.match(masked, e):
            continue
        introduced = _introduced(doc, lex, c_lo, s, e, c_hi)
        if introduced or _chained(doc, sorted(groups, key=lambda g: g.start), s):
            kind = (
                _kind_at(lex, doc, e, min(c_hi, e + 2))
                if lex.kind_pattern.match(masked, e)
                else None
            )
            add(TargetGroup(s, e, [(s, e)], kind or "platform", "platform"))

    for t in _TOWARDS.finditer(masked, lo, hi):
        site = _NAMED_SITE.match(masked, t.end())
        if (
            site
            and free(site.start(), site.end())
            and _valid_name(lex, doc.folded[site.start() : site.end()])
        ):
            add(
                TargetGroup(
                    site.start(), site.end(), [(site.start(), site.end())], "website", "named"
                )
            )

    for t in _NAMED_TRIGGER.finditer(masked, lo, hi):
        pos = t.end()
        while True:
            named = _NAMED.match(masked, pos)
            if named is None:
                break
            m = named
            s, e = m.start(1), m.end(1)
            name = doc.folded[s:e]
            prefix = lex.markers["prefix"].match(name)
            if prefix:
                s += prefix.end()
            if s >= e or not _valid_name(lex, doc.folded[s:e]) or _COUNT.search(masked, s, e):
                break
            if lex.measure_pattern.search(masked, s, e) or lex.markers["description"].search(
                doc.folded, s, e
            ):
                break  # 下架侵害用户权益APP: a description, not a name
            if lex.markers["not_target"].match(masked, m.start(2)):
                break  # 对抖音平台“某某”: the platform the named account is on
            if free(s, m.end()):
                kind = {"网站": "website", "平台": "platform", "app": "app"}[m.group(2)]
                add(TargetGroup(s, e, [(s, e)], kind, "named"))
            if m.end() < hi and masked[m.end()] in "、和及与":
                pos = m.end() + 1
            else:
                break

    for m in _PERSON.finditer(masked, lo, hi):
        s, e = m.start("name"), m.end("name")
        c_lo, c_hi = doc.clause(s)
        if free(s, e) and _has_trigger(doc, lex, c_lo, s, e, c_hi):
            add(TargetGroup(s, e, [(s, e)], "person", "person"))

    for m in _COMPANY_SUFFIX.finditer(masked, lo, hi):
        if _OFFICER.match(masked, m.end()):
            continue  # 某某公司董事长程维: the person is the target
        s = m.start()
        while s > lo and re.match(r"[\u4e00-\u9fffa-z0-9()]", masked[s - 1]):
            s -= 1
        cut = _COMPANY_BOUNDARY.match(masked, s, m.start())
        if cut:
            s = cut.end()
        e = m.end()
        c_lo, c_hi = doc.clause(s)
        if e - s > len(m[0]) + 1 and free(s, e) and _has_trigger(doc, lex, c_lo, s, e, c_hi):
            add(TargetGroup(s, e, [(s, e)], "company", "company"))
    return sorted(groups, key=lambda g: g.start)


def _list_names(doc: Document, lex: Lexicon, lo: int, hi: int) -> list[tuple[int, int]]:
    names: list[tuple[int, int]] = []
    pos = lo
    for i, item in enumerate(doc.masked[lo:hi].split("、")):
        s, e = pos, pos + len(item)
        pos = e + 1
        if item.endswith("等"):
            e -= 1
        if i == 0:
            for cut in list(lex.measure_pattern.finditer(doc.masked, s, e)) + list(
                _TOWARDS.finditer(doc.masked, s, e)
            ):
                s = max(s, cut.end())
            prefix = lex.markers["prefix"].match(doc.folded, s, e)
            if prefix:
                s = prefix.end()
        if (
            s >= e
            or lex.measure_pattern.search(doc.masked, s, e)
            or not _valid_name(lex, doc.folded[s:e])
        ):
            return []
        names.append((s, e))
    return names
