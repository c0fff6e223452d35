"""Balance family: revenue total vs expenditure total where the report presents them side by
side (X收入总计 … X支出总计, same X), and carryover = (begin +) revenue − expenditure where a
sentence states them."""
from __future__ import annotations

import re

from ..context import Context, Placed
from ..findings import Finding
from ..tolerance import interval
from .common import judged, ref

REV_TOTAL = re.compile(r"收入(总计|總計)\s*(为|為)?\s*$")
EXP_TOTAL = re.compile(r"支出(总计|總計)\s*(为|為)?\s*$")
YEAR = re.compile(r"\d{4}\s*年度?|[我本]局|[我本]单位|[我本]部门")
BEGIN = re.compile(r"(年初结转|上年结转|年初结余|上年结余|年初結轉|上年結轉)[^，,。；;]{0,6}$")
END = re.compile(r"(年末结转|年末结余|结转和结余|结余|年末結轉|結餘)[^，,。；;]{0,4}$")
REVENUE = re.compile(r"收入[^，,。；;]{0,4}$")
EXPENDITURE = re.compile(r"支出[^，,。；;]{0,4}$")
TOTALS = re.compile(r"总计|合计|總計|合計|其中")
CARRY_BLOCKS = 2  # the year-end carryover may be stated in the paragraphs right after the totals


def _prefix(ctx: Context, item: Placed, pattern) -> str:
    left = ctx.left(item)
    match = pattern.search(left)
    head = YEAR.sub("", left[:match.start()])
    return re.sub(r"[\s，,。；;：:]", "", head)[-6:]


def _closed_by_carryover(ctx: Context, revenue: Placed, expenditure: Placed, money: list[Placed]) -> bool:
    """收入总计 A … 支出总计 B … 年末结转和结余 C with B + C = A (C in the totals' paragraph or
    the next two): the totals differ by exactly the year-end carryover the report states, so
    the balance holds."""
    nearby = list(money) + [p for b in range(expenditure.block + 1, expenditure.block + 1 + CARRY_BLOCKS)
                            for p in ctx.by_block.get(b, []) if p.figure.kind == "money" and ctx.role(p) == "main"]
    for p in nearby:
        if p is revenue or p is expenditure or not END.search(ctx.left(p)) or BEGIN.search(ctx.left(p)):
            continue
        if (interval(expenditure.figure) + interval(p.figure)).overlaps(interval(revenue.figure)):
            return True
    return False


def totals(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for block, items in ctx.by_block.items():
        money = [p for p in items if p.figure.kind == "money" and ctx.role(p) == "main"]
        revenues = [p for p in money if REV_TOTAL.search(ctx.left(p))]
        expenditures = [p for p in money if EXP_TOTAL.search(ctx.left(p))]
        for r in revenues:
            rp = _prefix(ctx, r, REV_TOTAL)
            for e in expenditures:
                ep = _prefix(ctx, e, EXP_TOTAL)
                n = min(len(rp), len(ep))
                if rp[len(rp) - n:] != ep[len(ep) - n:] or (n == 0 and (rp or ep)):
                    continue
                if e.start < r.start:
                    continue
                if _closed_by_carryover(ctx, r, e, money):
                    break
                refs = [ref(e, "expenditure"), ref(r, "revenue")]
                findings.extend(judged("PX050", ctx, refs, e, interval(r.figure),
                                       r.figure.normalized.value, [r, e]))
                break
    return findings


def carryover(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    sentences: dict[tuple[int, int], list[Placed]] = {}
    for p in ctx.placed:
        if p.figure.kind == "money" and ctx.role(p) == "main":
            sentences.setdefault((p.block, ctx.sentence_bounds(p.block, p.start)[0]), []).append(p)
    for items in sentences.values():
        if any(TOTALS.search(ctx.clause_left(p)) for p in items):
            continue
        begin = [p for p in items if BEGIN.search(ctx.left(p))]
        end = [p for p in items if p not in begin and END.search(ctx.left(p))]
        revenue = [p for p in items if p not in begin and p not in end and REVENUE.search(ctx.left(p))]
        expenditure = [p for p in items if p not in begin + end + revenue and EXPENDITURE.search(ctx.left(p))]
        if len(end) != 1 or len(revenue) != 1 or len(expenditure) != 1 or len(begin) > 1:
            continue
        if len(begin) + 3 != len(items):
            continue
        expected = interval(revenue[0].figure) - interval(expenditure[0].figure)
        mid = revenue[0].figure.normalized.value - expenditure[0].figure.normalized.value
        refs = [ref(end[0], "carryover"), ref(revenue[0], "revenue"), ref(expenditure[0], "expenditure")]
        involved = [end[0], revenue[0], expenditure[0]]
        if begin:
            expected = expected + interval(begin[0].figure)
            mid += begin[0].figure.normalized.value
            refs.append(ref(begin[0], "begin"))
            involved.append(begin[0])
        findings.extend(judged("PX051", ctx, refs, end[0], expected, mid, involved))
    return findings


def run(ctx: Context) -> list[Finding]:
    return totals(ctx) + carryover(ctx)
