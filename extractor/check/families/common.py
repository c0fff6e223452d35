"""Judging a stated figure against what other figures imply, with written-precision tolerance."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Optional

from ..context import Context, Placed
from ..findings import FigureRef, Finding
from ..rules import make
from ..tolerance import Interval, half_unit, interval, is_approx, total

OK, BAD, ROUNDING, IMPOSSIBLE = "ok", "bad", "rounding", "impossible"

FILLER_HEAD = re.compile(r"^(?:(?:19|20)\d{2}\s*年度?|我局|我单位|本单位|本部门|本部門|其中|[\s，,、：:。；;])*")
FILLER_TAIL = re.compile(r"(?:总计|合计|總計|合計|共计|共計|总额|總額|金额|金額|数|數|为|為|是|达到|達到|达|達|共|"
                         r"[\s：:])*$")


def label_of(ctx: Context, item: Placed) -> str:
    """The words naming a figure: its clause before it (not past another figure), without a
    leading year or the unit's own name, and without 总计 / 合计 / 数 / 为 ... at the end
    (worked out once per figure of a report)."""
    label = ctx.label_cache.get(item)
    if label is None:
        label = ctx.label_cache[item] = FILLER_TAIL.sub("", FILLER_HEAD.sub("", ctx.left(item)))
    return label


def verdict(found: Interval, expected: Interval, expected_mid, approx: bool) -> str:
    """bad: the intervals are apart; rounding: they meet only thanks to the inputs' rounding
    (the exact computation misses the stated figure's own precision); impossible: apart even
    with approximate figures' wide intervals."""
    if not found.overlaps(expected):
        return IMPOSSIBLE if approx else BAD
    if approx:
        return OK
    if not (found.low <= expected_mid <= found.high):
        return ROUNDING
    return OK


def truncated(figure, expected: Interval) -> bool:
    """The written figure is a value of ``expected`` cut off at its written places (toward zero)
    with fewer places than a rate or amount is usually given: 99.96% -> 99%."""
    if figure.normalized.value <= 0 or expected.high <= 0:
        return False
    half = half_unit(figure)
    if half == 0:
        return False
    written = figure.normalized.value  # cutting x off gives the written w when w <= x < w + 2*half
    return written + half < expected.low < written + 2 * half


def judged(rule_id: str, ctx: Context, refs: list[FigureRef], anchor: Placed,
           expected: Interval, expected_mid, involved: list[Placed], family: Optional[str] = None,
           found_interval: Optional[Interval] = None, found_value=None, **fields) -> list[Finding]:
    """The finding (if any) for ``anchor`` stated against ``expected``: rule_id when the
    intervals are apart, PX091 (rounding only) or PX090 (approximate, impossible) notes.
    ``found_value`` is what the anchor states when that is not its written value (a decrease
    stated as 减少 3 is −3)."""
    approx = any(is_approx(p.figure) for p in involved)
    found = found_interval or interval(anchor.figure)
    outcome = verdict(found, expected, expected_mid, approx)
    if outcome == OK:
        return []
    from ..rules import catalogue
    family = family or catalogue()[rule_id].family
    chosen = {BAD: rule_id, ROUNDING: "PX091", IMPOSSIBLE: "PX090"}[outcome]
    if outcome == BAD and found_interval is None and truncated(anchor.figure, expected):
        chosen = "PX092"  # 99.96% written 99%: cut off, not rounded — a warning, never an error
    found_value = anchor.figure.normalized.value if found_value is None else found_value
    return [make(chosen, refs, expected=expected_mid, found=found_value,
                 anchor=anchor.figure, family=family, **fields)]


def parts_interval(parts: list[Placed]) -> Interval:
    """What the parts can add up to, each at its written precision."""
    return total(p.interval for p in parts)


def parts_value(parts: list[Placed]) -> Decimal:
    """The parts added up as written."""
    return sum((p.figure.normalized.value for p in parts), Decimal(0))


def ref(item: Placed, role: str) -> FigureRef:
    return FigureRef.of(item.figure, role)
