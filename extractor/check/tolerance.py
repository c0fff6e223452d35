"""Intervals from written precision: the XBRL calculation idea (Arelle's ValidateXbrlCalcs).

A figure written "81.12万元" stands for any value that rounds to it: [81.115, 81.125]万元.
A computed total is inconsistent with a reported one only when their intervals do not
overlap. Counts of discrete things written as whole numbers in their own unit (164件) are
exact. Approximate figures (约 / 余 / 以上 / 近 ...) get a wide interval from the bound their
qualifier expresses; they may only ever make an info note. All arithmetic is Decimal.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import lru_cache
from typing import Iterable, Optional

from ..models import Figure
from ..patterns import load

ZERO = Decimal(0)
HALF = Decimal("0.5")


@dataclass(frozen=True)
class Interval:
    low: Decimal
    high: Decimal

    @property
    def mid(self) -> Decimal:
        return (self.low + self.high) / 2

    def __add__(self, other: "Interval") -> "Interval":
        return Interval(self.low + other.low, self.high + other.high)

    def __sub__(self, other: "Interval") -> "Interval":
        return Interval(self.low - other.high, self.high - other.low)

    def __neg__(self) -> "Interval":
        return Interval(-self.high, -self.low)

    def overlaps(self, other: "Interval") -> bool:
        return self.low <= other.high and other.low <= self.high

    def divided_by(self, other: "Interval") -> Optional["Interval"]:
        """self / other; None when the divisor's interval holds zero."""
        if other.low <= ZERO <= other.high:
            return None
        with localcontext() as ctx:
            ctx.prec = 40
            corners = [a / b for a in (self.low, self.high) for b in (other.low, other.high)]
        return Interval(min(corners), max(corners))

    def gap(self, other: "Interval") -> Decimal:
        """How far apart two intervals are (0 when they overlap)."""
        if self.overlaps(other):
            return ZERO
        return other.low - self.high if self.high < other.low else self.low - other.high


def exact(value: Decimal) -> Interval:
    return Interval(value, value)


def total(intervals: Iterable[Interval]) -> Interval:
    result = Interval(ZERO, ZERO)
    for interval in intervals:
        result = result + interval
    return result


@lru_cache(maxsize=1)
def _bounds() -> dict[str, str]:
    qualifiers = load("qualifiers")
    bounds = {}
    for group in ("before", "after"):
        bounds.update({str(k): str(v) for k, v in qualifiers.get(group, {}).items()})
    return bounds


def bound_kind(figure: Figure) -> Optional[str]:
    """approx | lower_bound | upper_bound for an approximate figure; None when exact.

    达到 / 高达 ("reached") state the value itself, so such a figure counts as exact.
    """
    if not figure.approx:
        return None
    kinds = {_bounds().get(q, "approx") for q in (figure.qualifier or "").split("、") if q}
    kinds.discard("reached")
    if not kinds:
        return None if figure.qualifier else "approx"
    for kind in ("approx", "lower_bound", "upper_bound"):
        if kind in kinds:
            return kind
    return "approx"


def is_approx(figure: Figure) -> bool:
    return bound_kind(figure) is not None or figure.range is not None


def decimals(written: Decimal) -> int:
    """Digits after the point as written: Decimal('81.12') -> 2, Decimal('100') -> 0."""
    exponent = written.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def factor(figure: Figure) -> Decimal:
    """normalized value / written value (1 for 元, 10000 for 万元, 0.01 for %)."""
    if figure.value == 0:
        text = figure.unit or ""
        if "亿" in text:
            return Decimal(100000000)
        if "万" in text or "萬" in text:
            return Decimal(10000)
        if figure.kind == "rate" and "%" in (figure.unit or "%"):
            return Decimal("0.01")
        return Decimal(1)
    return figure.normalized.value / figure.value


def half_unit(figure: Figure) -> Decimal:
    """Half a unit in the last written place, in normalized units; 0 for exact counts and
    for a zero written without decimals (因公出国（境）费0万元: nothing was spent)."""
    fac = factor(figure)
    places = decimals(figure.value)
    if places == 0 and (figure.value == 0 or (figure.kind == "count" and fac == 1)):
        return ZERO
    return HALF * Decimal(10) ** -places * abs(fac)


def interval(figure: Figure) -> Interval:
    """What a figure can stand for, in normalized units."""
    value = figure.normalized.value
    if figure.range is not None:
        fac = factor(figure)
        return Interval(figure.range.low * fac, figure.range.high * fac)
    kind = bound_kind(figure)
    if kind is None:
        half = half_unit(figure)
        return Interval(value - half, value + half)
    magnitude = abs(value)
    if kind == "lower_bound":
        return Interval(value, value + magnitude)  # 40余次: at least 40, generously below 80
    if kind == "upper_bound":
        return Interval(min(ZERO, value), value)
    return Interval(value - magnitude / 5, value + magnitude / 5)  # 约 / 近 / 左右: ±20%


def rate_interval(figure: Figure) -> Interval:
    """A rate as a fraction, widened by half its last written place (98.8% -> ±0.0005)."""
    return interval(figure)
