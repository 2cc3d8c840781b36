"""Named cases: who was named, what was done to them, by whom, for what, and any fine.

Target groups that share a clause form a bundle. A bundle's measures are those in its clause
before it, between its groups, and after it up to the clause of the next bundle (针对…，
国家网信办…约谈…，责令…). A bundle with none takes the next bundle's measures when they are
coordinated in one sentence (快手…平台…；拼多多…平台…，国家网信办…约谈…), and a roster
(App名单包括…) takes those of the case it lists. Bundles mixing kinds split into cases.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace

from cunzhao.extract.categories import categories_in
from cunzhao.extract.context import ClauseScans
from cunzhao.extract.document import Document, display_name
from cunzhao.extract.lexicon import Lexicon
from cunzhao.extract.measures import MeasureMatch, action_of, measures_in
from cunzhao.extract.model import Case
from cunzhao.extract.quantity import find_quantities
from cunzhao.extract.regulators import SentenceRegulators
from cunzhao.extract.targets import TargetGroup, find_groups
from cunzhao.fold import fold
from cunzhao.parse.limits import NO_DEADLINE, Deadline

__all__ = ["find_cases"]

_KIND_OBJECT = {
    "platform": "platform",
    "website": "website",
    "app": "app",
    "miniprogram": "miniprogram",
    "account": "account",
    "company": "company",
    "person": "person",
}
_FINE = re.compile(
    r"(?:(?P<total>累计|共计|共)\s*)?罚款(?:人民币)?(?P<a>[\d.,零一二两三四五六七八九十百千万亿]+元)"
    r"|(?P<total2>累计|共计|共)?(?:[^\d,;。]{0,4}?)(?P<b>[\d.,零一二两三四五六七八九十百千万亿]+元)(?:的)?罚款"
)
_TOPIC = re.compile(r"针对")
# A clause that counts what it acts on (关闭违法违规账号22个) is about other things than the names.
# 上述4个公众号已被依法关闭: a count that refers back to the names is not a count of other things.
_COUNTED = re.compile(r"(?<!上述)(?<!以上)(?<!该)(?<!这)\d[\d.,]*(?:万|亿)?(?:余|多)?(?:家|款|个|条|件|名|人次)")
_ACCOUNT_AFTER = re.compile(r"[^,;。、“”]{0,14}?的?(?:账号|帐号)(?![^,;。]{0,6}?(?:平台|网站))")
_ACCOUNT_BEFORE = re.compile(r"(?:账号|帐号)(?:已|均|被|依法)*$")
_ROSTER_HEAD = re.compile(r"名单[:]?\s*$")
_GROUP_COUNT = re.compile(r"等(\d+(?:家|款|个))")
_NAMES_HINT = re.compile(r"[“「『《@]|等")
# A later clause that hands the work to someone else (督促网站平台处置相关账号) acts on other things.
_NEW_AGENT = re.compile(r"督促|要求|协调")


@dataclass(slots=True)
class _Bundle:
    groups: list[TargetGroup]
    regions: list[tuple[int, int]] = field(default_factory=list)
    matches: list[MeasureMatch] = field(default_factory=list)
    line: int = 0
    fine_regions: list[tuple[int, int]] = field(default_factory=list)  # where its fine is stated

    @property
    def start(self) -> int:
        return self.groups[0].start

    @property
    def end(self) -> int:
        return self.groups[-1].end


def _bundles(doc: Document, groups: list[TargetGroup]) -> list[_Bundle]:
    bundles: list[_Bundle] = []
    for g in groups:
        if bundles and doc.clause(bundles[-1].end) == doc.clause(g.start):
            bundles[-1].groups.append(g)
        else:
            bundles.append(_Bundle([g], line=doc.line(g.start)))
    return bundles


def _actions(doc: Document, lex: Lexicon, matches: list[MeasureMatch], kind: str) -> list[str]:
    out: list[str] = []
    for m in matches:
        # 百度永久关闭……的账号, “A”……相关账号已关闭: the accounts are what is closed
        on_accounts = _ACCOUNT_AFTER.match(doc.masked, m.end) or _ACCOUNT_BEFORE.search(
            doc.masked, max(0, m.start - 8), m.start
        )
        action = action_of(lex, m, "account" if on_accounts else _KIND_OBJECT.get(kind), False)
        if action and action not in out:
            out.append(action)
    if len(out) > 1 and "penalize" in out:
        out.remove("penalize")  # a specific measure is named
    return out


def _fine(
    doc: Document, regions: list[tuple[int, int]], known: dict[tuple[int, int], _Fines]
) -> int | None:
    """The fine stated in the regions: the last cumulative one (累计罚款), else the last."""
    total = last = None
    for region in regions:
        if region not in known:  # regions are shared by coordinated bundles: read once
            known[region] = _region_fines(doc, *region)
        region_total, region_last = known[region]
        total = region_total if region_total is not None else total
        last = region_last if region_last is not None else last
    return total if total is not None else last


_Fines = tuple[int | None, int | None]  # the last cumulative fine, the last fine


def _region_fines(doc: Document, lo: int, hi: int) -> _Fines:
    total = last = None
    for m in _FINE.finditer(doc.masked, lo, hi):
        quantities = list(find_quantities((m["a"] or m["b"])[:-1]))
        if not quantities:
            continue
        last = quantities[0].value
        if m["total"] or m["total2"]:
            total = last
    return total, last


def _regulator(
    doc: Document, regulators: SentenceRegulators, b: _Bundle, hi: int, carry: str | None
) -> str | None:
    """The nearest regulator named as acting; in A指导B it is A."""
    m = regulators.acting(b.start, hi)
    return doc.folded[m.start() : m.end()] if m else carry


class _Shared:
    """What the bundles of one sentence ask of the measure lists they share (coordinated
    subjects share the measures after them), answered once per list."""

    def __init__(self, lex: Lexicon, doc: Document) -> None:
        self.lex, self.doc = lex, doc
        self._actions: dict[tuple[int, str], list[str]] = {}
        self._starts: dict[int, list[int]] = {}

    def actions(self, matches: list[MeasureMatch], kind: str) -> list[str]:
        key = (id(matches), kind)
        if key not in self._actions:
            self._actions[key] = _actions(self.doc, self.lex, matches, kind)
        return self._actions[key]

    def within(self, matches: list[MeasureMatch], regions: list[tuple[int, int]]) -> list[MeasureMatch]:
        """The measures (sorted) that start in one of the regions (sorted, disjoint)."""
        if id(matches) not in self._starts:
            self._starts[id(matches)] = [m.start for m in matches]
        starts = self._starts[id(matches)]
        return [
            m
            for lo, hi in regions
            for m in matches[bisect_left(starts, lo) : bisect_left(starts, hi)]
        ]


@dataclass(slots=True)
class _State:
    """What reading carries from sentence to sentence."""

    cases: list[Case] = field(default_factory=list)
    seen: set[tuple[tuple[str, ...], tuple[str, ...], int | None]] = field(default_factory=set)
    carry: str | None = None  # the regulator acting in the sentences before
    last_kind: str | None = None
    by_line: dict[int, list[str]] = field(default_factory=dict)
    fines: dict[tuple[int, int], _Fines] = field(default_factory=dict)


def find_cases(doc: Document, lex: Lexicon, deadline: Deadline = NO_DEADLINE) -> list[Case]:
    """Every case in the document that names its targets."""
    state = _State()
    scans = ClauseScans(doc)
    pending: list[_Bundle] = []  # names stated before the sentence that acts on them
    previous: tuple[int, list[MeasureMatch]] = (-1, [])  # the last sentence's line and measures
    named_before: list[_Bundle] = []  # the names of the last sentence that named any
    roster: list[MeasureMatch] = []  # the measures of a 名单 heading, for the lines under it
    line = -1
    first_figure: list[MeasureMatch] = []  # the measures of the last sentence's first count
    for s_lo, s_hi in doc.sentences:
        deadline.check("extracting cases")
        if s_lo in doc.hedged:
            continue
        last_line, line = line, doc.line(s_lo)
        if pending and pending[0].line != line:
            pending = []
        if not doc.has_measure(s_lo, s_hi) and "名单" not in doc.masked[s_lo:s_hi]:
            if _NAMES_HINT.search(doc.masked, s_lo, s_hi):
                named = _bundles(doc, find_groups(doc, lex, s_lo, s_hi, scans))
                if (
                    named
                    and previous[0] in (line, last_line)
                    and lex.markers["subset"].match(doc.masked, s_lo)
                ):
                    # 关闭了23家违法违规网站。其中,X等15家网站……: the names share those measures
                    for b in named:
                        b.matches, b.regions = first_figure, [(b.start, b.end)]
                    _read(doc, lex, named, (s_lo, s_hi), state)
                elif named and roster:
                    # 关闭的账号名单 / 微信公众号“A” / 微信公众号“B”: one name a line
                    for b in named:
                        b.matches, b.regions = roster, [(b.start, b.end)]
                    _read(doc, lex, named, (s_lo, s_hi), state)
                else:
                    pending = named or pending
                named_before = named or named_before
            continue
        bundles = _bundles(doc, find_groups(doc, lex, s_lo, s_hi, scans))
        previous = (line, measures_in(doc, lex, s_lo, s_hi))
        figure = _COUNTED.search(doc.masked, s_lo, s_hi)  # 其中 breaks down the first figure
        first_figure = [m for m in previous[1] if figure is None or m.start < figure.start()]
        if not bundles and not pending and lex.markers["backref"].match(doc.masked, s_lo):
            # 以上网站均……被责令注销备案: the names of the sentences before, acted on again
            pending = [_Bundle(list(b.groups), line=b.line) for b in named_before]
        named_before = bundles or named_before
        roster = previous[1] if _ROSTER_HEAD.search(doc.masked, s_lo, s_hi) else []
        if (
            not bundles
            and pending
            and (
                lex.markers["anaphor"].match(doc.masked, s_lo, s_hi)
                or _recounted(doc, pending, s_lo, s_hi)
            )
        ):
            # ……等账号发布谣言。已依法对上述账号作禁言处置: the names stated before
            for b in pending:
                b.matches, b.regions = previous[1], [(s_lo, s_hi)]
            bundles = pending
        else:
            _measures(doc, lex, bundles, s_lo, s_hi)
            _framed(doc, lex, bundles, s_lo, s_hi)
        pending = []
        _read(doc, lex, bundles, (s_lo, s_hi), state)
        first = lex.regulator_pattern.search(doc.masked, s_lo, s_hi)  # acting, in A指导B
        state.carry = doc.folded[first.start() : first.end()] if first else state.carry
    return _drop_vague_penalties(state.cases)


def _framed(doc: Document, lex: Lexicon, bundles: list[_Bundle], s_lo: int, s_hi: int) -> None:
    """依法关闭的非法网站中,“A”等网站……;“B”等网站……: the frame's measures are the names'."""
    frame = lex.markers["frame"].match(doc.masked, s_lo, s_hi)
    if frame is None:
        return
    framing = measures_in(doc, lex, s_lo, frame.end())
    for b in bundles:
        if b.start >= frame.end():
            b.matches = framing + [m for m in b.matches if m not in framing]


def _recounted(doc: Document, pending: list[_Bundle], s_lo: int, s_hi: int) -> bool:
    """“A”“B”等6家公众号…。责令6家公众号整改: the count of the names stated again."""
    for b in pending:
        count = _GROUP_COUNT.match(doc.masked, b.end)
        if count and count[1] in doc.masked[s_lo:s_hi]:
            return True
    return False


def _measures(doc: Document, lex: Lexicon, bundles: list[_Bundle], s_lo: int, s_hi: int) -> None:
    """Give each bundle the measures in its clause, between its groups, and after it."""
    for i, b in enumerate(bundles):
        prev_end = bundles[i - 1].end if i else s_lo
        pre_lo = max(prev_end, doc.clause(b.start)[0])
        post_hi = doc.clause(bundles[i + 1].start)[0] if i + 1 < len(bundles) else s_hi
        b.regions = [(pre_lo, b.start)]
        b.regions += [(g.end, h.start) for g, h in zip(b.groups, b.groups[1:])]
        b.regions.append((b.end, max(b.end, post_hi)))
        own = doc.clause(b.end)
        for lo, hi in b.regions:
            for m in measures_in(doc, lex, lo, hi):
                c_lo, c_hi = doc.clause(m.start)
                if c_lo >= own[1] and (
                    _COUNTED.search(doc.masked, c_lo, c_hi)
                    or _NEW_AGENT.search(doc.masked, c_lo, m.start)
                ):
                    continue  # …35人次,关闭违法违规账号22个: a count of other things
                b.matches.append(m)
    for i in range(len(bundles) - 2, -1, -1):
        b, following = bundles[i], bundles[i + 1]
        if b.matches or not following.matches:
            continue
        # 针对A…；B…，国家网信办…约谈: coordinated subjects share the measures after them
        if ";" in doc.masked[b.end : following.start] or _TOPIC.search(
            doc.masked, b.regions[0][0], b.start
        ):
            b.matches = following.matches
            b.fine_regions = following.regions


def _read(
    doc: Document, lex: Lexicon, bundles: list[_Bundle], sentence: tuple[int, int], state: _State
) -> None:
    """The cases of one sentence's bundles, added to ``state`` once each."""
    if not bundles:
        return
    sentence_cases: list[Case] = []
    regulators = SentenceRegulators(doc, lex, *sentence)
    shared = _Shared(lex, doc)
    for b in bundles:
        regulator = _regulator(
            doc, regulators, b, b.matches[-1].end if b.matches else b.end, state.carry
        )
        for kind, groups in _by_kind(b.groups, state.last_kind):
            state.last_kind = kind
            actions = shared.actions(b.matches, kind)
            if not actions and groups[0].source == "roster":
                actions = _roster_actions(state.by_line, b.line)
            if not actions:
                continue
            own = shared.within(b.matches, b.regions)
            sentence_cases.append(_case(doc, lex, b, groups, kind, actions, regulator, own,
                                        state.fines))
            state.by_line.setdefault(b.line, []).extend(
                a for a in actions if a not in state.by_line.get(b.line, [])
            )
    for case in _merge_aliases(doc, lex, sentence_cases):
        key = (case.targets, case.measures, case.fine_cny)
        if key not in state.seen:
            state.seen.add(key)
            state.cases.append(case)


def _drop_vague_penalties(cases: list[Case]) -> list[Case]:
    """行政处罚 of a target whose specific measures the text names elsewhere is not a measure."""
    specific = {t for c in cases for t in c.targets if any(m != "penalize" for m in c.measures)}
    out: list[Case] = []
    for case in cases:
        if "penalize" in case.measures and all(t in specific for t in case.targets):
            measures = tuple(m for m in case.measures if m != "penalize")
            if not measures:
                continue
            case = replace(case, measures=measures)
        out.append(case)
    return out


def _merge_aliases(doc: Document, lex: Lexicon, cases: list[Case]) -> list[Case]:
    """One sentence naming one platform twice (新浪微博 … 微博热搜榜) states one case."""
    merged: list[Case] = []
    where: dict[frozenset[str], int] = {}  # the platforms a merged case names: its index
    for case in cases:
        key = frozenset(lex.platforms.get(fold(t), fold(t)) for t in case.targets)
        i = where.get(key)
        if i is None:
            where[key] = len(merged)
            merged.append(case)
            continue
        earlier = merged[i]
        start, end = min(earlier.start, case.start), max(earlier.end, case.end)
        merged[i] = replace(
            earlier,
            measures=earlier.measures + tuple(m for m in case.measures if m not in earlier.measures),
            fine_cny=earlier.fine_cny or case.fine_cny,
            categories=earlier.categories
            + tuple(c for c in case.categories if c not in earlier.categories),
            start=start,
            end=end,
            evidence=doc.source[start:end],
        )
    return merged


def _roster_actions(by_line: dict[int, list[str]], line: int) -> list[str]:
    # lines are added in reading order: the last one before ``line`` is near the end
    earlier = next((n for n in reversed(by_line) if n < line), None)
    return list(by_line[earlier]) if earlier is not None else []


def _by_kind(
    groups: list[TargetGroup], last_kind: str | None
) -> list[tuple[str, list[TargetGroup]]]:
    out: dict[str, list[TargetGroup]] = {}
    for g in groups:
        kind = g.kind or last_kind or "platform"
        out.setdefault(kind, []).append(g)
    return list(out.items())


def _case(
    doc: Document,
    lex: Lexicon,
    bundle: _Bundle,
    groups: list[TargetGroup],
    kind: str,
    actions: list[str],
    regulator: str | None,
    own: list[MeasureMatch],
    fines: dict[tuple[int, int], _Fines],
) -> Case:
    """The case of these groups; ``own``: the bundle's measures in its own regions."""
    names = (display_name(doc, s, e) for g in groups for s, e in g.names)
    targets = list(dict.fromkeys(name for name in names if name))
    start = min([groups[0].start] + [m.start for m in own])
    # The clause of the names holds what they did (…等为网络赌博引流的网站).
    end = max([doc.clause(groups[-1].end)[1]] + [m.end for m in own])
    if not own:
        end = max(end, bundle.regions[-1][1])
    s, e, evidence = doc.span(start, end)
    return Case(
        targets=tuple(targets),
        target_kind=kind,
        measures=tuple(actions),
        regulator=regulator,
        fine_cny=_fine(doc, bundle.regions + bundle.fine_regions, fines)
        if "fine" in actions
        else None,
        categories=tuple(categories_in(doc, lex, start, end)),
        evidence=evidence,
        start=s,
        end=e,
    )
