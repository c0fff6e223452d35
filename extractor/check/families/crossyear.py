"""Cross-year family: several reports of one department (meta.department + meta.year).

PX060: this year's 年初结转和结余 = last year's 年末结转和结余 (by metric carryover.begin /
carryover.end, else by the words before the figure).
PX032: "比上年增长 r% / 增加 C" on a figure whose metric last year's report also states.
"""
from __future__ import annotations

import re
from typing import Optional

from ..context import Context, Placed
from ..findings import FigureRef, Finding
from ..rules import catalogue, make
from ..tolerance import Interval, interval, is_approx
from .common import verdict, BAD, IMPOSSIBLE, ROUNDING
from .growth import direction

BEGIN_WORDS = re.compile(r"(年初结转和结余|年初结转结余|上年结转和结余|上年结转结余|年初結轉和結餘)[^，,。；;]{0,4}$")
END_WORDS = re.compile(r"(年末结转和结余|年末结转结余|年末結轉和結餘)[^，,。；;]{0,4}$")
GROWTH_WORDS = re.compile(r"(比上年|较上年|比去年|较去年|同比)[^，,。；;]{0,6}(增长|下降|增加|减少|增長|減少)\s*$")


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


def _emit(rule, refs, found_item, found_iv, expected_iv, expected_mid, report, involved):
    approx = any(is_approx(p.figure) for p in involved)
    outcome = verdict(found_iv, expected_iv, expected_mid, approx)
    chosen = {BAD: rule, ROUNDING: "PX091", IMPOSSIBLE: "PX090"}.get(outcome)
    if chosen is None:
        return []
    return [make(chosen, refs, expected=expected_mid, found=found_item.figure.normalized.value,
                 anchor=found_item.figure, family=catalogue()[rule].family, report=report)]


def carryover(this: Context, last: Context) -> list[Finding]:
    begin = _carry(this, "carryover.begin", BEGIN_WORDS)
    end = _carry(last, "carryover.end", END_WORDS)
    if begin is None or end is None:
        return []
    refs = [_ref(this, begin, "begin"), _ref(last, end, "end")]
    return _emit("PX060", refs, begin, interval(begin.figure), interval(end.figure),
                 end.figure.normalized.value, this.report.source.path, [begin, end])


def growth(this: Context, last: Context) -> list[Finding]:
    findings: list[Finding] = []
    previous = {}
    for p in last.placed:
        if p.figure.metric and not is_approx(p.figure):
            previous.setdefault(p.figure.metric, p)
    for item in this.placed:
        metric = item.figure.metric
        if not metric or metric not in previous or this.role(item) != "main":
            continue
        old = previous[metric]
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
            if item.figure.kind == "rate" and nxt.figure.kind == "rate_delta":
                expected = interval(item.figure) - interval(old.figure)  # 个百分点
                mid = item.figure.normalized.value - old.figure.normalized.value
            elif nxt.figure.kind == "rate" and old.figure.normalized.value > 0:
                expected = (interval(item.figure) - interval(old.figure)).divided_by(interval(old.figure))
                mid = (item.figure.normalized.value - old.figure.normalized.value) / old.figure.normalized.value
            elif nxt.figure.kind == item.figure.kind:
                expected = interval(item.figure) - interval(old.figure)
                mid = item.figure.normalized.value - old.figure.normalized.value
            else:
                break
            if expected is None:
                break
            refs = [_ref(this, nxt, "rate" if nxt.figure.kind == "rate" else "change"),
                    _ref(this, item, "current"), _ref(last, old, "previous")]
            findings.extend(_emit("PX032", refs, nxt, stated, expected, mid,
                                  this.report.source.path, [nxt, item, old]))
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
