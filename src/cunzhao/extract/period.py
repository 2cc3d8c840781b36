"""Time spans a count covers: 2023年, 今年上半年, 1至6月, 3月10日以来……截至5月22日, 今年以来.

Mentions are found in folded text and resolved to absolute dates with the year they state,
the last year stated before them in the sentence, or the document's own date. Where the
start cannot be known (截至12月18日, 7月以来 with no year) the period is ``None``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from cunzhao.extract.model import Period
from cunzhao.extract.scan import Scan

__all__ = ["Mentions", "PeriodMention", "close_span", "find_periods"]

_PATTERN = re.compile(
    r"(?P<yearsince>(?:今年|年初|今年初|(?P<ys>\d{4})年(?:初)?)以来)"
    r"|(?P<xrange>(?P<xy1>\d{4})年(?P<xm1>\d{1,2})月(?:(?P<xd1>\d{1,2})日)?(?:至|到|-|—|~)"
    r"(?P<xy2>\d{4})年(?P<xm2>\d{1,2})月(?:(?P<xd2>\d{1,2})日)?)"
    r"|(?P<until>(?:截至|截止)(?:目前|(?P<um>\d{1,2})月(?:(?P<ud>\d{1,2})日|底|末)?)?|(?<![\u4e00-\u9fff])目前(?=,))"
    r"|(?:(?P<y>\d{4})年|(?P<rel>今年|去年|本年|当年|上年|前年))?(?:"
    r"(?P<since>(?P<sm>\d{1,2})月(?:(?P<sd>\d{1,2})日)?(?:份)?(?:,[^。\d\n]{0,40}?以来|以来|起))"
    r"|(?P<drange>(?P<dm1>\d{1,2})月(?P<dd1>\d{1,2})日(?:至|到|-|—|~)(?:(?P<dm2>\d{1,2})月)?(?P<dd2>\d{1,2})日)"
    r"|(?P<mrange>(?P<m1>\d{1,2})月?(?:至|到|-|—|~)(?P<m2>\d{1,2})月(?:份)?)"
    r"|(?P<part>(?:第)?(?P<q>[一二三四1-4])季度|(?P<half>上半年|下半年|前三季度|全年度|全年))"
    r"|(?P<day>(?P<dm>\d{1,2})月(?P<dd>\d{1,2})日)"
    r"|(?P<month>(?P<mm>\d{1,2})月(?:份)?))"
    r"|(?P<year>(?P<yy>\d{4})年(?:度)?)"
)
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True, slots=True)
class PeriodMention:
    """A time phrase at ``start:end``; ``period`` is None when it gives no usable span."""

    start: int
    end: int
    period: Period | None
    explicit_year: int | None
    kind: str  # since | until | span | day


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year_of(m: re.Match[str], published: date | None, context: int | None) -> int | None:
    if m["y"]:
        return int(m["y"])
    rel = m["rel"]
    if rel:
        if published is None:
            return None
        return published.year - {"去年": 1, "上年": 1, "前年": 2}.get(rel, 0)
    return context if context is not None else (published.year if published else None)


def _between(first: tuple[int, int, int], last: tuple[int, int, int | None]) -> Period | None:
    """From a day to a day (or to the end of the last month when its day is not given)."""
    try:
        end = (
            date(last[0], last[1], last[2]) if last[2] is not None else _month_end(last[0], last[1])
        )
        return Period(date(*first), end)
    except ValueError:
        return None


def _since(year: int, month: int, day: int, published: date | None) -> Period | None:
    """From a day to the document's date (None: to be given by a later 截至)."""
    try:
        return Period(date(year, month, day), published)
    except ValueError:
        return None


def _months(
    year: int, first: int, last: int, day: int = 1, end: date | None = None
) -> Period | None:
    """Months ``first``..``last`` of ``year`` (or from ``day`` of ``first`` to ``end``)."""
    try:
        return Period(date(year, first, day), end or _month_end(year, last))
    except ValueError:  # impossible dates such as 13月
        return None


def find_periods(
    text: str, published: date | None, lo: int = 0, hi: int | None = None
) -> list[PeriodMention]:
    """Time phrases in ``text[lo:hi]`` (one sentence), resolved left to right."""
    return _resolve(_PATTERN.finditer(text, lo, len(text) if hi is None else hi), published)


def _resolve(
    matches: Iterable[re.Match[str]], published: date | None, context: int | None = None
) -> list[PeriodMention]:
    """Mentions of these matches; ``context``: the year stated last before them."""
    out: list[PeriodMention] = []
    for m in matches:
        explicit = int(m["y"]) if m["y"] else (int(m["yy"]) if m["yy"] else None)
        year = _year_of(m, published, context)
        period: Period | None = None
        kind = "span"
        if m["since"]:
            kind = "since"
            if year is not None:
                month, day = int(m["sm"]), int(m["sd"] or 1)
                period = _since(year, month, day, published)
        elif m["yearsince"]:
            kind = "since"
            if m["ys"]:
                period = Period(date(int(m["ys"]), 1, 1), published)
            elif published is not None:
                period = Period(date(published.year, 1, 1), published)
        elif m["xrange"]:
            explicit = int(m["xy2"])
            period = _between(
                (int(m["xy1"]), int(m["xm1"]), int(m["xd1"] or 1)),
                (int(m["xy2"]), int(m["xm2"]), int(m["xd2"]) if m["xd2"] else None),
            )
        elif m["drange"]:
            if year is not None:
                end_month = int(m["dm2"] or m["dm1"])
                period = _between(
                    (year, int(m["dm1"]), int(m["dd1"])), (year, end_month, int(m["dd2"]))
                )
        elif m["mrange"]:
            if year is not None:
                m1, m2 = int(m["m1"]), int(m["m2"])
                period = _months(year, m1, m2)
        elif m["part"]:
            if m["half"] in ("全年", "全年度") and not (m["y"] or m["rel"]) and context is None:
                kind = "day"  # 全年 of a year stated elsewhere: let the report's heading decide
            elif year is not None:
                if m["q"]:
                    q = _QUARTERS[m["q"]]
                    period = Period(date(year, 3 * q - 2, 1), _month_end(year, 3 * q))
                else:
                    first, last = {"上半年": (1, 6), "下半年": (7, 12), "前三季度": (1, 9)}.get(
                        m["half"], (1, 12)
                    )
                    period = Period(date(year, first, 1), _month_end(year, last))
        elif m["day"]:
            kind = "day"
        elif m["month"]:
            month = int(m["mm"])
            if (
                not (m["y"] or m["rel"])
                and context is None
                and published is not None
                and month > published.month
            ):
                year = published.year - 1  # 12月 in a January report: last December
            period = _months(year, month, month) if year and 1 <= month <= 12 else None
        elif m["year"]:
            period = Period(date(explicit, 1, 1), date(explicit, 12, 31)) if explicit else None
        elif m["until"]:
            kind = "until"
        if explicit is not None:
            context = explicit
        out.append(PeriodMention(m.start(), m.end(), period, explicit, kind))
    return out


def close_span(mentions: list[PeriodMention], text: str, published: date | None) -> Period | None:
    """The span the mentions before a count state: the last one, joined with a later 截至."""
    chosen: Period | None = None
    for mention in mentions:
        chosen = _step(chosen, mention, text, published)
    return _closed(chosen)


def _step(
    chosen: Period | None, mention: PeriodMention, text: str, published: date | None
) -> Period | None:
    """``close_span`` one mention further."""
    if mention.kind == "day":
        return chosen
    if mention.kind == "until":
        if chosen is not None and chosen.start is not None:
            end = _until_date(text[mention.start : mention.end], chosen.start, published)
            return Period(chosen.start, end) if end else None
        return None
    return mention.period


def _closed(chosen: Period | None) -> Period | None:
    if chosen is not None and (chosen.start is None or chosen.end is None):
        return None  # 7月以来 with nothing to say until when
    return chosen


class Mentions:
    """``find_periods(text, published, lo, hi)`` for any ``hi`` up to ``limit``, from one
    scan (``Scan``), with what ``close_span`` and its callers ask of each prefix kept as it
    is found, so that every count of a long sentence or line reads its periods at once."""

    def __init__(self, text: str, published: date | None, lo: int, limit: int) -> None:
        self.text, self.published = text, published
        self.scan = Scan(_PATTERN, text, lo, limit)
        self.mentions = _resolve(self.scan.matches, published)
        self._years: list[int | None] = [None]  # the year in force after each mention
        self._since: list[PeriodMention | None] = [None]  # the last usable "since" so far
        self._spans: list[Period | None] = [None]  # close_span's state after each
        self._first_other: dict[tuple[str, ...], int] = {}
        self._from: tuple[PeriodMention | None, list[Period | None]] = (None, [])
        for mention in self.mentions:
            year = mention.explicit_year
            self._years.append(self._years[-1] if year is None else year)
            usable = mention.kind == "since" and mention.period is not None
            self._since.append(mention if usable else self._since[-1])
            self._spans.append(_step(self._spans[-1], mention, text, published))

    def upto(self, hi: int) -> tuple[int, list[PeriodMention]]:
        """``(n, tail)``: ``find_periods(…, lo, hi)`` is ``mentions[:n] + tail``."""
        n, matches = self.scan.upto(hi)
        return n, _resolve(matches, self.published, self._years[n]) if matches else []

    def last_since(self, hi: int) -> PeriodMention | None:
        """The last 'since' phrase with a usable start (3月10日以来) before ``hi``."""
        n, tail = self.upto(hi)
        for mention in reversed(tail):
            if mention.kind == "since" and mention.period is not None:
                return mention
        return self._since[n]

    def only(self, n: int, tail: list[PeriodMention], kinds: tuple[str, ...]) -> bool:
        """Whether every mention of ``mentions[:n] + tail`` is of one of ``kinds``."""
        if kinds not in self._first_other:
            self._first_other[kinds] = next(
                (i for i, m in enumerate(self.mentions) if m.kind not in kinds),
                len(self.mentions),
            )
        return self._first_other[kinds] >= n and all(m.kind in kinds for m in tail)

    def span(
        self, n: int, tail: list[PeriodMention], opened: PeriodMention | None = None
    ) -> Period | None:
        """``close_span([*([opened] if opened else []), *mentions[:n], *tail], …)``."""
        if opened is None:
            chosen = self._spans[n]
        else:
            if self._from[0] != opened:
                states = [opened.period]
                for mention in self.mentions:
                    states.append(_step(states[-1], mention, self.text, self.published))
                self._from = (opened, states)
            chosen = self._from[1][n]
        for mention in tail:
            chosen = _step(chosen, mention, self.text, self.published)
        return _closed(chosen)


def _until_date(phrase: str, start: date, published: date | None) -> date | None:
    m = re.search(r"(\d{1,2})月(?:(\d{1,2})日)?", phrase)
    if not m:
        return published  # 截至目前
    try:
        if m[2] is None:  # 截至6月底
            return _month_end(start.year, int(m[1]))
        return date(start.year, int(m[1]), int(m[2]))
    except ValueError:
        return None
