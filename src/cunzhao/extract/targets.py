"""Finding who a case names: quoted names, ＠accounts, lists before 等+kind, known platforms,
unknown names standing before 网站/平台/App after a measure, and company names.

A target group is a run of names that one clause treats alike. Names are found by their
context, not from a list; the platform lexicon only adds names written without any marks.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from cunzhao.extract.context import (
    TOWARDS,
    ClauseScans,
    has_trigger,
    is_acting,
    is_introduced,
    kind_after,
    kind_at,
    kind_before,
)
from cunzhao.extract.document import Document
from cunzhao.extract.lexicon import Lexicon
from cunzhao.extract.scan import Scan

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
# 谣言、赌博等违法信息的网站: a list of what the sites spread (the kind follows 信息的)
_SPREAD = re.compile(r"(?:信息|内容|视频|图片|图文|文章)的")
# What may follow names that stand in a target's place (not “独立”标语).
_SLOT_AFTER = re.compile(
    r"[,;:。!?\s、]|和|及|与|等|相关|主要|负责人|存在|实施|采取|作出|予以|给予|\d+(?:家|个|款)|$"
)
_TOPIC_BEFORE = re.compile(r"针对$")
# 含微信、微博、知乎等各平台在内共11万个账号: names that only say what a set includes.
_INCLUSIVE = re.compile(r"(?:(?:、|和|及|与)[^,;:。、等]{1,15})*等?[^,;:。]{0,8}?在内")
_JOINED = re.compile(r"\s*(?:、|和|及|与|以及)[^,;:。“”]{0,6}")
_COMPANY_SUFFIX = re.compile(r"股份有限公司|有限责任公司|有限公司")
# Words that end what stands before a company's name. The last of them before the name is
# found by one scan of the sentence: of two that overlap (针对, 对) both end at the same place.
_COMPANY_BOUNDARY = re.compile(r"对|主体|约谈|要求|责令|督促|旗下|及|和|的|依法|针对|向|其")
_NAME_RUN = re.compile(r"[\u4e00-\u9fffa-z0-9()]+")
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
def _patterns(kind_pattern: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    item = r"[^\s,;:。、“”@()!?]{1,15}"
    listed = re.compile(
        rf"(?P<items>{item}(?:、{item})*)等(?:一批|\d+[款家个])?[^,;:。“”!?等]{{0,14}}?(?:{kind_pattern})"
    )
    roster = re.compile(
        rf"(?:{kind_pattern})名单(?:包括|如下|有)[:]?(?P<items>{item}(?:、{item})+)"
    )
    # 百度、腾讯、知乎10家客户端平台: a list closed by its count instead of 等
    counted = re.compile(
        rf"(?P<items>{item}(?:、{item})+?)(?<![\d.])\d+[款家个][^,;:。“”!?等]{{0,10}}?(?:{kind_pattern})"
    )
    return listed, roster, counted


def _valid_name(lex: Lexicon, name: str) -> bool:
    name = name.strip()
    if len(name) < 1 or len(name) > 30 or _BAD_NAME.search(name):
        return False
    return not (
        lex.markers["determiner"].fullmatch(name) or lex.regulator_pattern.fullmatch(name)
    )


def _chained(doc: Document, last: TargetGroup | None, start: int) -> bool:
    """Names joined to the names ``last`` holds (“快手”和今日头条旗下“火山小视频”)."""
    if last is None or last.end > start or doc.clause(last.end) != doc.clause(start):
        return False
    return _JOINED.fullmatch(doc.masked, last.end, start) is not None


@dataclass(slots=True)
class _Sentence:
    """One sentence ``[lo, hi)`` being read: the groups found so far and the chars they take."""

    doc: Document
    lex: Lexicon
    scans: ClauseScans
    lo: int
    hi: int
    groups: list[TargetGroup] = field(default_factory=list)
    taken: list[bool] = field(default_factory=list)
    rightmost: TargetGroup | None = None  # the group that starts last
    _sentence_scans: dict[re.Pattern[str], Scan] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.taken = [False] * (self.hi - self.lo)

    def scan(self, pattern: re.Pattern[str]) -> Scan:
        """``pattern`` over the whole sentence, scanned once."""
        if pattern not in self._sentence_scans:
            self._sentence_scans[pattern] = Scan(pattern, self.doc.masked, self.lo, self.hi)
        return self._sentence_scans[pattern]

    def free(self, s: int, e: int) -> bool:
        return not any(self.taken[s - self.lo : e - self.lo])  # names start inside

    def add(self, group: TargetGroup) -> None:
        # a name may run on past a sentence cut short by Limits.sentence_chars
        lo, hi = max(group.start, self.lo) - self.lo, min(group.end, self.hi) - self.lo
        self.groups.append(group)
        self.taken[lo:hi] = [True] * max(0, hi - lo)
        if self.rightmost is None or group.start > self.rightmost.start:
            self.rightmost = group


def find_groups(
    doc: Document, lex: Lexicon, lo: int, hi: int, scans: ClauseScans | None = None
) -> list[TargetGroup]:
    """Target groups in one sentence ``[lo, hi)``, left to right.

    Each finder in turn adds the groups it sees where no earlier finder took the text.
    ``scans``: the document's clause scans, kept from sentence to sentence.
    """
    sentence = _Sentence(doc, lex, scans or ClauseScans(doc), lo, hi)
    for finder in _FINDERS:
        finder(sentence)
    return sorted(sentence.groups, key=lambda g: g.start)


def _find_quoted(st: _Sentence) -> None:
    """Quoted names and ＠accounts, where a kind word, 针对 or a measure marks them targets."""
    doc, lex, masked = st.doc, st.lex, st.doc.masked
    # 其中,“A”等属于……;“B”等……: names that break down the count of the sentence before;
    # 被关闭的网站中,……包括「A」、「B」等: names that a framing clause says were acted on
    subset = bool(
        lex.markers["subset"].match(masked, st.lo) or lex.markers["frame"].match(masked, st.lo)
    )
    for run in _QUOTED_RUN.finditer(masked, st.lo, st.hi):
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
        kind = kind_after(lex, doc, run.end(), c_hi) or kind_before(lex, doc, run.start(), c_lo)
        slot = _SLOT_AFTER.match(masked, run.end()) or lex.measure_pattern.match(masked, run.end())
        topic = _TOPIC_BEFORE.search(masked, max(c_lo, run.start() - 2), run.start())
        if (
            kind
            or topic
            or (
                slot
                and (
                    subset
                    or is_introduced(doc, lex, st.scans, c_lo, run.start(), run.end(), c_hi)
                    or _chained(doc, st.groups[-1] if st.groups else None, run.start())
                )
            )
        ):
            st.add(TargetGroup(run.start(), run.end(), names, kind, "quoted"))


def _find_lists(st: _Sentence) -> None:
    """Lists that end in 等+kind (百度、必应等网站平台) and rosters (账号名单包括甲、乙)."""
    doc, lex, masked = st.doc, st.lex, st.doc.masked
    listed, roster, counted = _patterns(lex.kind_pattern.pattern)
    spans: list[tuple[re.Pattern[str], str, int, int]] = []
    if "名单" in masked[st.lo : st.hi]:
        spans.append((roster, "roster", st.lo, st.hi))
    if "、" in masked[st.lo : st.hi]:
        spans.append((counted, "list", st.lo, st.hi))
    clauses: set[int] = set()
    for deng in _DENG.finditer(masked, st.lo, st.hi):  # lists end in 等: read only their clauses
        c_lo, c_hi = doc.clause(deng.start())
        if c_lo not in clauses:
            clauses.add(c_lo)
            spans.append((listed, "list", c_lo, c_hi))
    for pattern, source, s_lo, s_hi in spans:
        for m in pattern.finditer(masked, s_lo, s_hi):
            names = _list_names(doc, lex, m.start("items"), m.end("items"))
            if m.start("items") > 0 and masked[m.start("items") - 1] in "”」』":
                continue  # “蚌埠观察”抖音账号等: a kind word after quoted names, not a list
            if _SPREAD.search(masked, m.end("items"), m.end()):
                continue  # 谣言、赌博等违法信息的网站: what the sites spread, not their names
            if is_acting(doc, lex, names[0][0] if names else m.start(), m.end("items")):
                continue  # 微博、抖音等重点平台累计处置违规账号: the platforms act
            if _INCLUSIVE.match(masked, m.end("items"), s_hi):
                continue
            if names and st.free(names[0][0], m.end("items")):
                kind = (
                    kind_at(lex, doc, m.start(), m.end())
                    if source == "roster"
                    else kind_at(lex, doc, m.end("items"), m.end())
                )
                st.add(TargetGroup(names[0][0], m.end("items"), names, kind, source))


def _find_platforms(st: _Sentence) -> None:
    """Known platforms written without marks, introduced by a measure or joined to names."""
    doc, lex, masked, lo = st.doc, st.lex, st.doc.masked, st.lo
    for m in lex.platform_pattern.finditer(masked, lo, st.hi):
        s, e = m.start(), m.end()
        if (
            not st.free(s, e)
            or lex.markers["not_target"].match(masked, e)
            or masked[max(lo, s - 2) : s] == "官方"
            or _PART_OF_COMPANY.match(masked, e)  # 滴滴全球股份有限公司: the company is named
        ):
            continue
        if s > lo and re.match(r"[a-z0-9]", masked[s - 1]) and re.match(r"[a-z0-9]", masked[s]):
            continue
        c_lo, c_hi = doc.clause(s)
        if is_acting(doc, lex, s, e) or _INCLUSIVE.match(masked, e, c_hi):
            continue
        introduced = is_introduced(doc, lex, st.scans, c_lo, s, e, c_hi)
        if introduced or _chained(doc, st.rightmost, s):
            kind = (
                kind_at(lex, doc, e, min(c_hi, e + 2))
                if lex.kind_pattern.match(masked, e)
                else None
            )
            st.add(TargetGroup(s, e, [(s, e)], kind or "platform", "platform"))


def _find_sites(st: _Sentence) -> None:
    """A site name ending in 网 after 对/针对, before the act done to it (对某某网作出处罚)."""
    for t in TOWARDS.finditer(st.doc.masked, st.lo, st.hi):
        site = _NAMED_SITE.match(st.doc.masked, t.end())
        if (
            site
            and st.free(site.start(), site.end())
            and _valid_name(st.lex, st.doc.folded[site.start() : site.end()])
        ):
            st.add(
                TargetGroup(
                    site.start(), site.end(), [(site.start(), site.end())], "website", "named"
                )
            )


def _find_named(st: _Sentence) -> None:
    """Unknown names before 网站/平台/App, right after a measure or 对/针对, and joined to them."""
    doc, lex, masked = st.doc, st.lex, st.doc.masked
    walked: set[int] = set()  # a walk reaching a name already walked from would add nothing
    for t in _NAMED_TRIGGER.finditer(masked, st.lo, st.hi):
        pos = t.end()
        while pos not in walked:
            walked.add(pos)
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
            if st.free(s, m.end()):
                kind = {"网站": "website", "平台": "platform", "app": "app"}[m.group(2)]
                st.add(TargetGroup(s, e, [(s, e)], kind, "named"))
            if m.end() < st.hi and masked[m.end()] in "、和及与":
                pos = m.end() + 1
            else:
                break


def _find_persons(st: _Sentence) -> None:
    """A person named after an office (董事长程维) in a clause with a measure or 对/针对."""
    for m in _PERSON.finditer(st.doc.masked, st.lo, st.hi):
        s, e = m.start("name"), m.end("name")
        c_lo, c_hi = st.doc.clause(s)
        if st.free(s, e) and has_trigger(st.doc, st.lex, c_lo, s, e, c_hi):
            st.add(TargetGroup(s, e, [(s, e)], "person", "person"))


def _find_companies(st: _Sentence) -> None:
    """Company names (…有限公司) in a clause with a measure or 对/针对, not their officers."""
    masked, lo = st.doc.masked, st.lo
    for m in _COMPANY_SUFFIX.finditer(masked, lo, st.hi):
        if _OFFICER.match(masked, m.end()):
            continue  # 某某公司董事长程维: the person is the target
        s = m.start()  # back to where the run of name characters holding it starts
        runs = st.scan(_NAME_RUN)
        i = bisect_right(runs.starts, s - 1) - 1
        if s > lo and i >= 0 and runs.ends[i] > s - 1:
            s = runs.starts[i]
        cut = st.scan(_COMPANY_BOUNDARY).last(m.start())
        if cut is not None and cut.start() >= s:
            s = cut.end()
        e = m.end()
        c_lo, c_hi = st.doc.clause(s)
        if (
            e - s > len(m[0]) + 1
            and st.free(s, e)
            and has_trigger(st.doc, st.lex, c_lo, s, e, c_hi)
        ):
            st.add(TargetGroup(s, e, [(s, e)], "company", "company"))


# In this order: a finder only takes text that the ones before it left free.
_FINDERS: tuple[Callable[[_Sentence], None], ...] = (
    _find_quoted,
    _find_lists,
    _find_platforms,
    _find_sites,
    _find_named,
    _find_persons,
    _find_companies,
)


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
                TOWARDS.finditer(doc.masked, s, e)
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
