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

import re
from dataclasses import dataclass
from functools import lru_cache

from cunzhao.extract.around import Around
from cunzhao.extract.document import Document
from cunzhao.extract.lexicon import Lexicon
from cunzhao.extract.measures import ClauseMeasures, MeasureMatch, action_of, has_measure
from cunzhao.extract.model import Period, Stat
from cunzhao.extract.quantity import Quantity, find_quantities, qualifier_after
from cunzhao.parse.limits import NO_DEADLINE, Deadline

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


def _period(around: Around, s_lo: int, s_hi: int, pos: int) -> Period | None:
    """The span the count at ``pos`` covers: the periods before it in its sentence, else a
    period heading the report (see the module's rules)."""
    periods = around.periods(s_lo, s_hi)
    n, tail = periods.upto(pos)
    if (n or tail) and periods.only(n, tail, ("until", "day")):
        # 今年2月以来,……开展专项行动。截至目前,累计清理……: the span opened earlier in the paragraph
        opened = around.opened_before(s_lo)
        if opened is not None:
            return periods.span(n, tail, opened)
        lead = around.lead_before(s_lo)  # 2020年1月以来,浙江网信系统……(next paragraph) 截至目前
        if lead is not None and lead.end is not None and lead.end == around.doc.published:
            return lead
    if not periods.only(n, tail, ("day",)):
        return periods.span(n, tail)
    if around.end_only(s_lo, s_hi).any_before(pos):
        return None
    return around.lead_before(s_lo)


def find_stats(doc: Document, lex: Lexicon, deadline: Deadline = NO_DEADLINE) -> list[Stat]:
    """Every enforcement count in the document, one per (action, object, value)."""
    around = Around(doc, lex)
    kept: dict[tuple[str, str, int], Stat] = {}
    classifier = _classifier_pattern(tuple(lex.measure_words))
    for s_lo, s_hi in doc.sentences:
        deadline.check("extracting counts")
        if s_lo in doc.hedged or not doc.has_measure(s_lo, s_hi):
            continue
        previous: _Found | None = None
        for q in find_quantities(doc.masked, s_lo, s_hi, classifier):
            found = _stat(doc, lex, q, s_lo, s_hi, previous, around)
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
    around: Around,
) -> _Found | None:
    text = doc.masked
    if q.value < 2 or (q.chinese and q.end - q.start == 1):
        return None  # 一家, 两家网站: anaphora, not counts
    if q.start > 0 and (
        text[q.start - 1].isalnum()
        and text[q.start - 1].isascii()
        and not _object_ends_at(doc, lex, q.start)  # 下架APP520余个, not B612
        or text[q.start - 1] == "第"
        or text.startswith("条、", q.start - 2)  # 第十三条、十四条等规定: articles, not a count
    ):
        return None
    cls = _classifier(doc, lex, q.end)
    if cls is None:
        return None
    word, cls_end = cls
    tail_qualifier, cls_end = qualifier_after(text, cls_end)
    qualifier = q.qualifier if q.qualifier != "exact" else (tail_qualifier or "exact")
    default_obj, forced = lex.measure_words[word]
    c_lo, c_hi, measures = around.clause(q.start)
    n, tail = measures.before(q.start)  # the measures before the count in its clause
    left = tail[-1] if tail else (measures.all[n - 1] if n else None)  # the last of them
    action_match: MeasureMatch | None = None
    obj: str | None = default_obj if forced else None
    obj_end = cls_end
    if not forced:
        gap_lo = left.start if left else c_lo
        before = _first_object(doc, lex, gap_lo, q.start)
        after_hi = min(c_hi, cls_end + _OBJECT_AFTER_SPAN)
        de = doc.masked.find("的", cls_end, after_hi)
        if de >= 0:  # 19家未经用户同意收集使用个人信息的违规APP: the head noun after 的
            after_hi = min(c_hi, de + 1 + _OBJECT_AFTER_SPAN // 2)
        after = _first_object(doc, lex, cls_end, after_hi)
        if after and has_measure(doc, lex, cls_end, after[1]):
            after = None
        if after:  # 共11万个自媒体账号: what the classifier counts comes first
            obj, obj_end = after[0], after[2]
        elif before:
            obj = before[0]
        else:
            obj = default_obj
            if cls_end < c_hi and not has_measure(doc, lex, cls_end, c_hi):
                return None  # 300家工厂: the classifier counts something else
            if left and not _only_modifiers(doc, lex, left.end, q.start):
                return None  # 关闭部分门店20家: a noun no lexicon names stands before the count
    if obj is None:
        return None

    action: str | None = None
    acting = _last_acting(lex, measures, n, tail, obj)
    if acting:
        action_match, action = acting
    enumerating = previous is not None and previous.alt is not None
    if action is None and not left and enumerating and _first_object(doc, lex, c_lo, q.start):
        # "…,群主6500多个": the enumeration goes on with the previous verb
        assert previous is not None and previous.alt is not None
        action = action_of(lex, MeasureMatch(c_lo, c_lo, previous.alt), obj, True)
    if action is None and not left:
        right = around.right_action(obj, cls_end, s_hi)
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
        period=_period(around, s_lo, s_hi, q.start),
        scope=around.scope(q.start),
        evidence=evidence,
        start=start,
        end=end,
    )
    return _Found(stat, alt)


def _last_acting(
    lex: Lexicon, measures: ClauseMeasures, n: int, tail: list[MeasureMatch], obj: str
) -> tuple[MeasureMatch, str] | None:
    """The last measure before the count (``all[:n] + tail``) with an action on ``obj``."""
    for m in reversed(tail):
        action = action_of(lex, m, obj, True)
        if action:
            return m, action
    return measures.fitting(obj).last_before(n)
