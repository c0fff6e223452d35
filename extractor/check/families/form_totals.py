"""Self-evaluation form totals: the 总分 row against the rows it totals (PX027), and the
funds total (年度资金总额 / 合计) against its 其中 rows (PX028).

A project or department self-evaluation form weighs the budget-execution (funds) row and every
indicator; its 总分 row states the sum of the weights (分值 column) and of the scores (得分
column): funds weight 10 and indicators 90 make 100. The parts come from the parsed form
(``Report.self_eval_table``), so which cell is a weight or a score is the table's own header.
A total is judged only when every indicator row gives that column a number. Likewise the
funds part: 年度资金总额 over 其中：财政拨款 / 上年结转 / 其他资金 (or 合计 over 基本支出 / 项目支出),
column by column, when every part row gives the column a number.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, Optional

from ...patterns import load
from ..context import Context, Placed
from ..findings import Finding
from ..tolerance import Interval, exact, is_approx, total
from .common import judged, parts_interval, parts_value, ref

COLUMNS = (("total_weight", "分值"), ("total_score", "得分"))
EXECUTION = re.compile(r"(?:预算|资金)执行")


def _forms(table: Optional[dict]) -> Iterator[dict]:
    """Each form of a report: the first and those under ``more``."""
    if table:
        yield table
        yield from table.get("more") or []


def _cell(row: dict, column: str, by_id: dict[str, Placed]) -> Optional[Placed]:
    entry = (row.get("values") or {}).get(column) or {}
    return by_id.get(entry.get("figure_id") or "")


def _readings(form: dict, column: str, by_id: dict[str, Placed]) -> list[list[Placed]]:
    """The parts the total may sum: the funds row's cell (when it has one) with every
    indicator's, and, when budget execution is weighed again as an indicator row, the
    indicators alone. None (empty) when an indicator lacks the number (the column can't be summed),
    fewer than two indicators have it, or the form's funds part was not read with them."""
    indicators = [_cell(row, column, by_id) for row in form.get("indicators") or []
                  if not _is_subtotal(row)]
    if len(indicators) < 2 or None in indicators or not form.get("funds"):
        return []  # no funds part read with the indicators: whether it weighs in is unknown
    funds = next((cell for row in form.get("funds") or []
                  if (cell := _cell(row, column, by_id)) is not None), None)
    if funds is None:
        return [indicators]
    again = any(EXECUTION.search(row.get("row") or "") for row in form["indicators"])
    return [[funds] + indicators] + ([indicators] if again else [])


def _is_subtotal(row: dict) -> bool:
    """An indicator group's own row (产出指标 | 50, 效益指标（30分）): a subtotal, not a part."""
    name = re.sub(r"[(（][^)）]*[)）]|\s", "", row.get("row") or "")
    return name in _group_words()


@lru_cache(maxsize=1)
def _group_words() -> frozenset[str]:
    return frozenset(load("tables")["inline_rows"]["indicator_words"])


def funds_totals(ctx: Context, form: dict, by_id: dict[str, Placed]) -> list[Finding]:
    """年度资金总额 against its 其中 rows, in each amount column (PX028)."""
    rows = form.get("funds") or []
    if len(rows) < 3 or re.sub(r"\s", "", rows[0].get("row") or "") not in _total_funds_rows():
        return []
    findings: list[Finding] = []
    for column in rows[0].get("values") or {}:
        total = _cell(rows[0], column, by_id)
        parts = [_cell(row, column, by_id) for row in rows[1:]]
        if total is None or None in parts or total.figure.kind != "money" \
                or any(p.figure.kind != "money" or is_approx(p.figure) for p in parts):
            continue
        refs = [ref(total, "total")] + [ref(p, "part") for p in parts]
        findings.extend(judged("PX028", ctx, refs, total, parts_interval(parts), parts_value(parts),
                               [total, *parts]))
    return findings


@lru_cache(maxsize=1)
def _total_funds_rows() -> frozenset[str]:
    return frozenset(load("selfeval")["total_funds_rows"])


def run(ctx: Context) -> list[Finding]:
    by_id = {p.figure.id: p for p in ctx.placed}
    findings: list[Finding] = []
    for form in _forms(ctx.report.self_eval_table):
        findings.extend(funds_totals(ctx, form, by_id))
        for key, column in COLUMNS:
            stated = by_id.get((form.get(key) or {}).get("figure_id") or "")
            readings = _readings(form, column, by_id)
            if stated is None or not readings or any(
                    p.figure.kind not in ("score", "other") for p in [stated, *readings[0]]):
                continue
            if any(stated.interval.overlaps(_points(parts, form)) for parts in readings[1:]):
                continue
            parts = readings[0]
            refs = [ref(stated, "total")] + [ref(p, "part") for p in parts]
            findings.extend(judged("PX027", ctx, refs, stated, _points(parts, form), parts_value(parts),
                                   [stated, *parts]))
    return findings


def _points(parts: list[Placed], form: dict) -> Interval:
    """The sum of a form's weights or scores: an indicator's points are given, not measured
    (exact as written); the funds row's may be computed (得分 = 分值 × 执行率) and rounded."""
    funds = {(cell or {}).get("figure_id") for row in form.get("funds") or []
             for cell in (row.get("values") or {}).values()}
    return total(p.interval if p.figure.id in funds else exact(p.figure.normalized.value)
                 for p in parts)
