"""What a finding compared, at which precision, and why it has its level — in one line.

Filled in once for every finding after the rule families ran, from the report's text: each
figure gets a quote (the figure with the words that name it and the noun it counts), and the
finding a basis line in both languages.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .context import Context, Placed
from .findings import FigureRef, Finding, fmt
from .tolerance import decimals, factor, half_unit, is_approx

LEFT_WORDS = re.compile(r"[^\d，,。；;：:、（）()|\n\s]{1,10}$")
RIGHT_NOUN = re.compile(r"^[^\d，,。；;：:、（）()|\n\s的和与及]{1,4}")

WHY_ZH = {
    "error": "各数按所写精度取区间后仍不相交，且各数关系明确，故为错误",
    "warning": "数值不符，但各数关系由措辞推断或所写精度不足以定论，故为警告",
    "info": "仅在舍入或约数范围内相符，或关系不确定，故为提示",
}
WHY_EN = {
    "error": "the intervals stay apart at every input's written precision and the figures are unambiguously related, so it is an error",
    "warning": "the figures disagree, but their relation is inferred from wording or the written precision cannot settle it, so it is a warning",
    "info": "they agree only within rounding or approximation, or the relation is uncertain, so it is a note",
}


def quote(ctx: Context, item: Placed) -> str:
    """The figure with the words right before it (not past punctuation or another figure)
    and the counted noun right after it: 年中增加8个项目."""
    text = ctx.text(item.block)
    left = LEFT_WORDS.search(ctx.left(item))
    right = RIGHT_NOUN.match(text[item.end:item.end + 4]) if item.figure.kind == "count" else None
    words = re.sub(r"^年度?", "", left.group(0)) if left else ""  # the rest of a year before it
    return words + text[item.start:item.end] + (right.group(0) if right else "")


def _precision(ref: FigureRef, item: Placed | None) -> str:
    if item is None:
        return ref.text
    figure = item.figure
    if is_approx(figure):
        return f"{ref.text}≈"
    half = half_unit(figure)
    if half == 0:
        return f"{ref.text}(exact)"
    fac = factor(figure) or Decimal(1)
    written = half / abs(fac)
    unit = figure.unit or ""
    if figure.kind in ("rate", "rate_delta") and unit in ("%", "％", ""):
        unit = "%"
    places = decimals(figure.value)
    return f"{ref.text}±{fmt(written, places + 1)}{unit}"


def explained(ctx: Context, finding: Finding, by_id: dict[str, Placed] | None = None) -> Finding:
    """``finding`` with quotes on its figures and its basis line (``by_id``: the context's
    figures by id, when the caller explains many findings)."""
    by_id = by_id if by_id is not None else {p.figure.id: p for p in ctx.placed}
    refs = []
    for ref in finding.figures:
        item = by_id.get(ref.id) if ref.report in (None, ctx.report.source.path) else None
        refs.append(ref.model_copy(update={"quote": quote(ctx, item)}) if item is not None and ref.quote is None
                    else ref)
    compared = "；".join(f"{r.role} {r.quote or r.text}" for r in refs)
    precision = "、".join(_precision(r, by_id.get(r.id)) for r in refs)
    basis_zh = f"比较：{compared}；精度：{precision}；{WHY_ZH[finding.severity]}。"
    compared_en = "; ".join(f"{r.role} {r.text}" for r in refs)
    basis_en = f"Compared {compared_en}; precision {precision}; {WHY_EN[finding.severity]}."
    return finding.model_copy(update={"figures": tuple(refs), "basis_zh": basis_zh, "basis_en": basis_en})
