"""Cross-year family: several reports of one department (meta.department + meta.year).

PX060: this year's 年初结转和结余 = last year's 年末结转和结余 (by metric carryover.begin /
carryover.end, else by the words before the figure).
PX032: "比上年增长 r% / 增加 C" on a figure whose metric last year's report also states.
"""
from __future__ import annotations

import re
from typing import Optional

from ..context import Context, Placed
from ..findings import SEVERITY_ORDER, FigureRef, Finding
from ..rules import catalogue, make
from ..tolerance import Interval, interval, is_approx
from .common import BAD, IMPOSSIBLE, ROUNDING, verdict
from .growth import direction

BEGIN_WORDS = re.compile(r"(年初结转和结余|年初结转结余|上年结转和结余|上年结转结余|年初結轉和結餘)[^，,。；;]{0,4}$")
END_WORDS = re.compile(r"(年末结转和结余|年末结转结余|年末結轉和結餘)[^，,。；;]{0,4}$")
GROWTH_WORDS = re.compile(r"(比上年|较上年|比去年|较去年|同比|較上年)[^，,。；;]{0,6}"
                          r"(增长|下降|增加|减少|增長|減少|提高|降低|上升|提升|回落|下滑)\s*$")


def _points(item: Placed) -> bool:
    """A change of a rate in percentage points (个百分点)."""
    return item.figure.kind == "rate_delta" or "百分点" in (item.figure.unit or "")


def _carry(ctx: Context, metric: str, words) -> Optional[Placed]:
    for p in ctx.placed:
        if p.figure.metric == metric and not is_approx(p.figure):
            return p
    for p in ctx.placed:
        if p.figure.kind == "money" and ctx.role(p) == "main" and words.search(ctx.left(p)) \
                and not is_approx(p.figure):
            return p
    return None


def _ref(ctx: Context, item: Placed, role: str) -> FigureRef:
    return FigureRef.of(item.figure, role, report=ctx.report.source.path)


def _emit(rule, refs, found_item, found_iv, expected_iv, expected_mid, report, involved, sign=1):
    approx = any(is_approx(p.figure) for p in involved)
    outcome = verdict(found_iv, expected_iv, expected_mid, approx)
    chosen = {BAD: rule, ROUNDING: "PX091", IMPOSSIBLE: "PX090"}.get(outcome)
    if chosen is None:
        return []
    return [make(chosen, refs, expected=expected_mid, found=sign * found_item.figure.normalized.value,
                 anchor=found_item.figure, family=catalogue()[rule].family, report=report)]


def carryover(this: Context, last: Context) -> list[Finding]:
    begin = _carry(this, "carryover.begin", BEGIN_WORDS)
    end = _carry(last, "carryover.end", END_WORDS)
    if begin is None or end is None:
        return []
    refs = [_ref(this, begin, "begin"), _ref(last, end, "end")]
    return _emit("PX060", refs, begin, interval(begin.figure), interval(end.figure),
                 end.figure.normalized.value, this.report.source.path, [begin, end])


def _change_against(item: Placed, nxt: Placed, old: Placed, rate_level: bool):
    """(expected interval, expected mid) of the change ``nxt`` states for ``item`` against
    last year's ``old``; None when the claim is not of a kind that can be checked."""
    if rate_level and _points(nxt):
        expected = interval(item.figure) - interval(old.figure)  # 个百分点
        mid = item.figure.normalized.value - old.figure.normalized.value
    elif rate_level or _points(nxt):
        return None  # a rate's change in % is ambiguous (relative or points)
    elif nxt.figure.kind == "rate" and old.figure.normalized.value > 0:
        expected = (interval(item.figure) - interval(old.figure)).divided_by(interval(old.figure))
        mid = (item.figure.normalized.value - old.figure.normalized.value) / old.figure.normalized.value
    elif nxt.figure.kind == item.figure.kind and nxt.figure.kind != "rate":
        expected = interval(item.figure) - interval(old.figure)
        mid = item.figure.normalized.value - old.figure.normalized.value
    else:
        return None
    return None if expected is None else (expected, mid)


def growth(this: Context, last: Context) -> list[Finding]:
    """A stated change against last year's value of the same metric. When last year's report
    gives the metric several values (its own inconsistency, flagged there), the claim is
    judged against each and flagged only when it fits none."""
    findings: list[Finding] = []
    previous: dict[str, list[Placed]] = {}
    for p in last.placed:
        if p.figure.metric and not is_approx(p.figure) and last.role(p) in ("main", "rate"):
            values = previous.setdefault(p.figure.metric, [])
            if all(v.figure.normalized.value != p.figure.normalized.value for v in values):
                values.append(p)
    for item in this.placed:
        metric = item.figure.metric
        if not metric or metric not in previous:
            continue
        rate_level = this.role(item) == "rate" and item.figure.kind == "rate" and not _points(item)
        if this.role(item) != "main" and not rate_level:
            continue
        nxt = this.next_in_block(item)
        hops = 0
        while nxt is not None and hops < 3 and this.role(nxt) in ("rate", "delta"):
            hops += 1
            if not GROWTH_WORDS.search(this.clause_left(nxt)) and not GROWTH_WORDS.search(this.left(nxt)):
                nxt = this.next_in_block(nxt)
                continue
            sign = direction(this, nxt) or 1
            stated = interval(nxt.figure)
            if sign < 0:
                stated = Interval(-stated.high, -stated.low)
            olds = [old for old in previous[metric]
                    if old.figure.kind == item.figure.kind and _points(old) == _points(item)]
            judged = []
            for old in olds:
                change = _change_against(item, nxt, old, rate_level)
                if change is None:
                    break
                expected, mid = change
                refs = [_ref(this, nxt, "rate" if nxt.figure.kind == "rate" and not _points(nxt) else "change"),
                        _ref(this, item, "current"), _ref(last, old, "previous")]
                judged.append(_emit("PX032", refs, nxt, stated, expected, mid,
                                    this.report.source.path, [nxt, item, old], sign))
            if len(judged) != len(olds) or not judged:
                break
            if all(judged):  # no value last year fits the claim: the closest verdict
                findings.extend(max(judged, key=lambda fs: SEVERITY_ORDER[fs[0].severity]))
            nxt = this.next_in_block(nxt)
    return findings


def _series_key(ctx: Context) -> tuple:
    """One department's reports of one kind: the department, the genre and the title with its
    years taken out (a project report is not the department's overall report)."""
    meta = ctx.report.meta
    title = re.sub(r"\d{4}\s*年度?|[（(]\s*\d{4}\s*年度?\s*[)）]|\s", "", meta.title or "")
    return (meta.department.strip(), meta.genre or "", title)


def run_many(contexts: list[Context]) -> list[Finding]:
    """Pairs (year, year − 1) of one department's reports."""
    findings: list[Finding] = []
    groups: dict[str, dict[int, Context]] = {}
    for ctx in contexts:
        meta = ctx.report.meta
        if meta.department and meta.year:
            groups.setdefault(_series_key(ctx), {})[int(meta.year)] = ctx
    for years in groups.values():
        for year, ctx in sorted(years.items()):
            last = years.get(year - 1)
            if last is None:
                continue
            findings.extend(carryover(ctx, last))
            findings.extend(growth(ctx, last))
    return findings
