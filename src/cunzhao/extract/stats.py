"""Enforcement counts: 约谈网站10646家, 责令453家网站暂停功能或更新, 群主6500多个 ….

A count is a quantity followed by a classifier (家, 款, 个, 条, 人次 …). Its object is the
classifier's own (条 → content, 人次 → persons), else the first object word between the last
measure and the number, else the object right after the classifier, else the classifier's
default. Its action is the last measure before it in the clause; failing that, a measure
inherited from the previous count of an enumeration (处置账号2万多个,群主6500多个), or the
measure stated after it (33家网站自行注销备案或关闭网站). A count shared by a list of
unrelated measures (26款平台……约谈、下架、关停服务) is not a stat.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from cunzhao.extract.document import Document
from cunzhao.extract.lexicon import Lexicon
from cunzhao.extract.measures import MeasureMatch, action_of, measures_in
from cunzhao.extract.model import Period, Stat
from cunzhao.extract.period import PeriodMention, close_span, find_periods
from cunzhao.extract.quantity import Quantity, find_quantities, qualifier_after

__all__ = ["find_stats"]

_NOT_COUNT_AFTER_GE = re.compile(r"月|小时|工作日|百分点|季度|星期|周|年")
_OBJECT_AFTER_SPAN = 16


@dataclass(slots=True)
class _Found:
    stat: Stat
    alt: int | None  # the measure phrase used, for enumerations


def _classifier(doc: Document, lex: Lexicon, pos: int) -> tuple[str, int] | None:
    for word in lex.measure_words:
        if doc.masked.startswith(word, pos):
            end = pos + len(word)
            if word == "个" and _NOT_COUNT_AFTER_GE.match(doc.masked, end):
                return None
            return word, end
    return None


@lru_cache(maxsize=4)
def _classifier_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(sorted(words, key=len, reverse=True)))


def _verb_alt(doc: Document, lex: Lexicon, match: MeasureMatch) -> int:
    """The bare verb of a measure phrase (处置 of 处置违规账号), which an enumeration carries on."""
    verb = lex.measure_pattern.fullmatch(doc.masked, match.start, match.start + 2)
    return verb.lastindex - 1 if verb and verb.lastindex else match.alt


def _only_modifiers(doc: Document, lex: Lexicon, lo: int, hi: int) -> bool:
    gap = doc.masked[lo:hi].strip()
    return (
        not gap
        or lex.markers["determiner"].fullmatch(gap) is not None
        or gap in ("共", "累计", "共计")
    )


def _object_ends_at(doc: Document, lex: Lexicon, pos: int) -> bool:
    return any(
        m.end() == pos for m in lex.object_pattern.finditer(doc.masked, max(0, pos - 8), pos)
    )


def _first_object(doc: Document, lex: Lexicon, lo: int, hi: int) -> tuple[str, int, int] | None:
    de = doc.masked.rfind("的", lo, hi)
    if de >= 0:  # 收集个人信息的APP及网站: the head noun follows 的, its modifiers precede it
        head = _first_object(doc, lex, de + 1, hi)
        if head:
            return head
    m = lex.object_pattern.search(doc.masked, lo, hi)
    if m is None or m.lastindex is None:
        return None
    return lex.object_by_group[m.lastindex - 1], m.start(), m.end()


def _right_action(
    doc: Document, lex: Lexicon, obj: str, lo: int, hi: int
) -> tuple[MeasureMatch, str] | None:
    """The measure stated after a count, in the first clause after it that states one."""
    pos = lo
    while pos < hi:
        c_lo, c_hi = doc.clause(pos)
        found = measures_in(doc, lex, max(pos, c_lo), min(c_hi, hi))
        fitting = [(m, a) for m in found if (a := action_of(lex, m, obj, True))]
        if fitting and lex.markers["violation"].search(
            doc.masked, max(lo, c_lo), fitting[0][0].start
        ):
            return None  # 14款App存在……未提供账号注销功能: what they did wrong, not what was done
        if fitting:
            actions = {a for _, a in fitting}
            listed = any(
                re.search(r"[、和及与]", doc.masked[m1.end : m2.start])
                for (m1, _), (m2, _) in itertools.pairwise(fitting)
            )
            shared_out = "分别" in doc.masked[lo : fitting[0][0].start] or doc.masked.startswith(
                "等", fitting[-1][0].end
            )
            if len(actions) > 1 and listed and shared_out:
                return None  # 26款平台……分别采取了约谈、下架、关停服务等: unrelated measures
            return fitting[-1]  # 对4046家实施警告或罚款处罚: the last verb named
        pos = c_hi + 1
    return None


def _scope(doc: Document, lex: Lexicon, lo: int, hi: int) -> str | None:
    found = None
    for m in lex.regulator_pattern.finditer(doc.masked, lo, hi):
        found = m
    return doc.folded[found.start() : found.end()] if found else None


class _Leads:
    """Periods that head a report: 2023年4月,全省网信系统… — they cover the counts that follow."""

    def __init__(self, doc: Document, lex: Lexicon) -> None:
        self.doc, self.lex = doc, lex
        self._found: list[tuple[int, Period]] | None = None

    def before(self, pos: int) -> Period | None:
        if self._found is None:
            self._found = _lead_periods(self.doc, self.lex)
        earlier = [p for start, p in self._found if start < pos]
        return earlier[-1] if earlier else None


def _lead_periods(doc: Document, lex: Lexicon) -> list[tuple[int, Period]]:
    out = []
    for lo, hi in doc.sentences:
        if not lex.regulator_pattern.search(doc.masked, lo, hi):
            continue
        for mention in find_periods(doc.masked, doc.published, lo, hi):
            if mention.period is None or mention.kind != "span":
                continue
            after = re.compile(r"[,\s]*").match(doc.masked, mention.end)
            pos = after.end() if after else mention.end
            if lex.regulator_pattern.match(doc.masked, pos):
                out.append((mention.start, mention.period))
    return out


def _period(doc: Document, lex: Lexicon, s_lo: int, pos: int, leads: _Leads) -> Period | None:
    mentions: list[PeriodMention] = find_periods(doc.masked, doc.published, s_lo, pos)
    if mentions and all(m.kind in ("until", "day") for m in mentions):
        # 今年2月以来,……开展专项行动。截至目前,累计清理……: the span opened earlier in the paragraph
        opened = _opened_before(doc, s_lo)
        if opened is not None:
            mentions = [opened, *mentions]
    if any(m.kind != "day" for m in mentions):
        return close_span(mentions, doc.masked, doc.published)
    if lex.markers["end_only"].search(doc.masked, s_lo, pos):
        return None
    return leads.before(s_lo)


def _opened_before(doc: Document, s_lo: int) -> PeriodMention | None:
    """The last 'since' phrase (3月10日以来) earlier in the paragraph holding ``s_lo``."""
    line_lo = doc.line_starts[doc.line(s_lo)]
    since = [
        m
        for m in find_periods(doc.masked, doc.published, line_lo, s_lo)
        if m.kind == "since" and m.period is not None
    ]
    return since[-1] if since else None


def find_stats(doc: Document, lex: Lexicon) -> list[Stat]:
    """Every enforcement count in the document, one per (action, object, value)."""
    leads = _Leads(doc, lex)
    kept: dict[tuple[str, str, int], Stat] = {}
    classifier = _classifier_pattern(tuple(lex.measure_words))
    for s_lo, s_hi in doc.sentences:
        if s_lo in doc.hedged or not doc.has_measure(s_lo, s_hi):
            continue
        previous: _Found | None = None
        for q in find_quantities(doc.masked, s_lo, s_hi, classifier):
            found = _stat(doc, lex, q, s_lo, s_hi, previous, leads)
            if found is None:
                continue
            previous = found
            stat = found.stat
            key = (stat.action, stat.object, stat.value)
            if key not in kept or (kept[key].period is None and stat.period is not None):
                kept[key] = stat
    return sorted(kept.values(), key=lambda s: s.start)


def _stat(
    doc: Document,
    lex: Lexicon,
    q: Quantity,
    s_lo: int,
    s_hi: int,
    previous: _Found | None,
    leads: _Leads,
) -> _Found | None:
    text = doc.masked
    if q.value < 2 or (q.chinese and q.end - q.start == 1):
        return None  # 一家, 两家网站: anaphora, not counts
    if q.start > 0 and (
        text[q.start - 1].isalnum()
        and text[q.start - 1].isascii()
        and not _object_ends_at(doc, lex, q.start)  # 下架APP520余个, not B612
        or text[q.start - 1] == "第"
    ):
        return None
    cls = _classifier(doc, lex, q.end)
    if cls is None:
        return None
    word, cls_end = cls
    tail_qualifier, cls_end = qualifier_after(text, cls_end)
    qualifier = q.qualifier if q.qualifier != "exact" else (tail_qualifier or "exact")
    default_obj, forced = lex.measure_words[word]
    c_lo, c_hi = doc.clause(q.start)

    left = measures_in(doc, lex, c_lo, q.start)
    action_match: MeasureMatch | None = None
    obj: str | None = default_obj if forced else None
    obj_end = cls_end
    if not forced:
        gap_lo = left[-1].start if left else c_lo
        before = _first_object(doc, lex, gap_lo, q.start)
        after_hi = min(c_hi, cls_end + _OBJECT_AFTER_SPAN)
        de = doc.masked.find("的", cls_end, after_hi)
        if de >= 0:  # 19家未经用户同意收集使用个人信息的违规APP: the head noun after 的
            after_hi = min(c_hi, de + 1 + _OBJECT_AFTER_SPAN // 2)
        after = _first_object(doc, lex, cls_end, after_hi)
        if after and measures_in(doc, lex, cls_end, after[1]):
            after = None
        if after:  # 共11万个自媒体账号: what the classifier counts comes first
            obj, obj_end = after[0], after[2]
        elif before:
            obj = before[0]
        else:
            obj = default_obj
            if cls_end < c_hi and not measures_in(doc, lex, cls_end, c_hi):
                return None  # 300家工厂: the classifier counts something else
            if left and not _only_modifiers(doc, lex, left[-1].end, q.start):
                return None  # 关闭部分门店20家: a noun no lexicon names stands before the count
    if obj is None:
        return None

    action: str | None = None
    for m in reversed(left):
        action = action_of(lex, m, obj, True)
        if action:
            action_match = m
            break
    enumerating = previous is not None and previous.alt is not None
    if action is None and not left and enumerating and _first_object(doc, lex, c_lo, q.start):
        # "…,群主6500多个": the enumeration goes on with the previous verb
        assert previous is not None and previous.alt is not None
        action = action_of(lex, MeasureMatch(c_lo, c_lo, previous.alt), obj, True)
    if action is None and not left:
        right = _right_action(doc, lex, obj, cls_end, s_hi)
        if right:
            action_match, action = right
    if action is None:
        return None

    start = min(q.start, action_match.start) if action_match else q.start
    end = max(obj_end, action_match.end) if action_match else obj_end
    alt = (
        _verb_alt(doc, lex, action_match) if action_match else (previous.alt if previous else None)
    )
    start, end, evidence = doc.span(start, end)
    stat = Stat(
        action=action,
        object=obj,
        value=q.value,
        qualifier=qualifier,
        period=_period(doc, lex, s_lo, q.start, leads),
        scope=_scope(doc, lex, doc.line_starts[doc.line(q.start)], q.start),
        evidence=evidence,
        start=start,
        end=end,
    )
    return _Found(stat, alt)
