"""What the words around a span of a sentence say about it: the kind word that names what it
is (网站, 账号), and whether a measure or 对/针对 makes it the object of an act or the subject.

These are the context tests the target finders (``extract/targets.py``) share.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cunzhao.extract.document import Document
from cunzhao.extract.lexicon import Lexicon
from cunzhao.extract.scan import Scan

__all__ = [
    "TOWARDS",
    "ClauseScans",
    "has_trigger",
    "is_acting",
    "is_introduced",
    "kind_after",
    "kind_at",
    "kind_before",
]

TOWARDS = re.compile(r"针对|对于|对")
_KIND_BEFORE = re.compile(r"公众号|账号|帐号|app|小程序|网站")
_TRIGGER_BEFORE = re.compile(r"(?:针对|对于|对)$")
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


def kind_at(lex: Lexicon, doc: Document, pos: int, hi: int) -> str | None:
    """The kind named by the first kind word in ``[pos, hi)`` (网站 → website), if any."""
    m = lex.kind_pattern.search(doc.masked, pos, hi)
    if m is None or m.lastindex is None:
        return None
    return lex.kind_by_group[m.lastindex - 1]


def kind_after(lex: Lexicon, doc: Document, end: int, c_hi: int) -> str | None:
    """A kind word right after a name (“阜阳在线”网站, “夏日阳光”抖音账号) or after its 等."""
    while end < c_hi and doc.masked[end] == " ":  # “国兴大道” 微信公众号
        end += 1
    near = min(c_hi, end + 6)
    stop = doc.masked.find("等", end, near)
    kind = kind_at(lex, doc, end, near if stop < 0 else stop)
    if kind:
        return kind
    if stop >= 0:
        de = doc.masked.rfind("的", stop, c_hi)
        if de >= 0:  # 等为色情类应用程序提供下载服务的网站平台: the head noun follows 的
            head = kind_at(lex, doc, de + 1, min(c_hi, de + 8))
            if head:
                return head
        return kind_at(lex, doc, stop, c_hi)
    return None


def kind_before(lex: Lexicon, doc: Document, start: int, c_lo: int) -> str | None:
    """A kind word right before the names: 微信公众号“某某观察”, 抖音账号“某某”."""
    m = _KIND_BEFORE.search(doc.masked, max(c_lo, start - 8), start)
    if m is None or m.end() != start:
        return None
    kind = lex.kind_pattern.fullmatch(m.group())
    return lex.kind_by_group[kind.lastindex - 1] if kind and kind.lastindex else None


def has_trigger(doc: Document, lex: Lexicon, c_lo: int, start: int, end: int, c_hi: int) -> bool:
    """A measure or 对/针对 anywhere before the span in its clause, or a measure right after."""
    if lex.measure_pattern.search(doc.masked, c_lo, start):
        return True
    if _TRIGGER_BEFORE.search(doc.masked[max(c_lo, start - 3) : start]) or re.search(
        r"针对|对", doc.masked[c_lo:start]
    ):
        return True
    after = lex.measure_pattern.search(doc.masked, end, c_hi)
    return after is not None and after.start() <= end + 2


class ClauseScans:
    """Scans of one document's clauses, each made on first use (``extract/scan.py``): the
    many names of one long clause each find the last measure or 对 before them at once."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._found: dict[tuple[re.Pattern[str], int], Scan] = {}

    def last(self, pattern: re.Pattern[str], c_lo: int, c_hi: int, pos: int) -> re.Match[str] | None:
        """The last match of ``pattern.finditer(masked, c_lo, pos)`` in the clause
        ``[c_lo, c_hi)``."""
        key = (pattern, c_lo)
        if key not in self._found:
            self._found[key] = Scan(pattern, self.doc.masked, c_lo, c_hi)
        return self._found[key].last(pos)


def is_introduced(
    doc: Document, lex: Lexicon, scans: ClauseScans, c_lo: int, start: int, end: int, c_hi: int
) -> bool:
    """A measure or 对/针对 stands right before the names, or a measure right after them."""
    masked = doc.masked
    for pattern in (lex.measure_pattern, TOWARDS):
        last = scans.last(pattern, c_lo, c_hi, start)
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


def is_acting(doc: Document, lex: Lexicon, start: int, end: int) -> bool:
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
