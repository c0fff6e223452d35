"""The rule catalogue (patterns/rules.yaml) and the one way findings are made from it."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Optional

from ..models import Figure
from ..patterns import load
from .findings import FigureRef, Finding, fmt
from .tolerance import factor

FAMILIES = ("sum", "difference", "ratio", "growth", "duplicate", "balance", "cross_year", "any")
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    family: str
    severity: str
    description_zh: str
    description_en: str
    message_zh: str
    message_en: str
    examples: dict = field(default_factory=dict, hash=False, compare=False)


@lru_cache(maxsize=None)
def catalogue() -> dict[str, Rule]:
    data = load("rules")
    rules: dict[str, Rule] = {}
    for entry in data["rules"]:
        rule = Rule(id=entry["id"], name=entry["name"], family=entry["family"],
                    severity=entry["severity"],
                    description_zh=entry["description"]["zh"].strip(),
                    description_en=entry["description"]["en"].strip(),
                    message_zh=entry["message"]["zh"].strip(),
                    message_en=entry["message"]["en"].strip(),
                    examples=entry.get("examples", {}))
        if rule.family not in FAMILIES or rule.severity not in SEVERITIES:
            raise ValueError(f"rules.yaml: {rule.id}: bad family or severity")
        if rule.id in rules:
            raise ValueError(f"rules.yaml: duplicate rule id {rule.id}")
        rules[rule.id] = rule
    return rules


def _texts(refs: list[FigureRef], role: str) -> str:
    return "、".join(r.text for r in refs if r.role == role)


def make(rule_id: str, refs: list[FigureRef], *, expected: Optional[Decimal] = None,
         found: Optional[Decimal] = None, anchor: Optional[Figure] = None,
         family: Optional[str] = None, report: Optional[str] = None, **fields) -> Finding:
    """A finding of rule ``rule_id``. ``expected``/``found`` are normalized values; they are
    shown in the written unit of ``anchor`` (the figure whose value is being judged)."""
    rule = catalogue()[rule_id]
    unit = ""
    exp_w = found_w = diff_w = None
    if anchor is not None and (expected is not None or found is not None):
        fac = factor(anchor)
        unit = anchor.unit or ""
        if anchor.kind in ("rate", "rate_delta") and unit in ("%", "％", ""):
            fac, unit = Decimal("0.01"), "%"
        if fac == 0:
            fac = Decimal(1)
        exp_w = None if expected is None else _tidy(expected / fac)
        found_w = None if found is None else _tidy(found / fac)
        if exp_w is not None and found_w is not None:
            diff_w = _tidy(found_w - exp_w)
    values = {"expected": fmt(exp_w), "found": fmt(found_w), "difference": fmt(diff_w),
              "gap": fmt(abs(diff_w)) if diff_w is not None else "?", "unit": unit}
    for role in ("total", "part", "rate", "numerator", "denominator", "current", "previous",
                 "change", "original", "depreciation", "net", "value", "revenue", "expenditure",
                 "carryover", "begin", "end", "initial", "added", "removed"):
        values[role] = _texts(refs, role)
    values.update({k: v for k, v in fields.items()})
    return Finding(rule=rule.id, name=rule.name, family=family or rule.family,
                   severity=rule.severity,
                   message_zh=rule.message_zh.format(**values),
                   message_en=rule.message_en.format(**values),
                   figures=tuple(refs), expected=exp_w, found=found_w, difference=diff_w,
                   unit=unit, report=report)


def _tidy(value: Decimal) -> Decimal:
    """Drop noise digits from a division: at most 6 places, no trailing zeros."""
    quantized = value.quantize(Decimal("0.000001")) if value.as_tuple().exponent < -6 else value
    normalized = quantized.normalize()
    return normalized if normalized.as_tuple().exponent <= 0 else normalized.quantize(Decimal(1))
