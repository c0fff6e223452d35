"""Rules over canonical metrics (figure.metric, set by the labeller): canonical sums (PX004),
one metric with two values (PX040), revenue vs expenditure totals presented as balanced
(PX050). Without metrics these rules stay silent; the text-structure rules still run."""
from __future__ import annotations

from ..context import Context, Placed
from ..findings import Finding
from ..tolerance import interval, is_approx, total
from .common import judged, ref
from ..rules import make

CANONICAL_SUMS = [
    ("budget.initial.expenditure", ["budget.initial.basic", "budget.initial.project"]),
    ("budget.adjusted.expenditure", ["budget.adjusted.basic", "budget.adjusted.project"]),
    ("final.expenditure", ["final.basic", "final.project"]),
    ("staff.authorized", ["staff.authorized.administrative", "staff.authorized.institution"]),
    ("sangong.total", ["sangong.travel_abroad", "sangong.vehicle", "sangong.reception"]),
]
BALANCED = [
    ("budget.initial.revenue", "budget.initial.expenditure"),
    ("budget.adjusted.revenue", "budget.adjusted.expenditure"),
    ("final.revenue", "final.expenditure"),
]


def metric_values(ctx: Context) -> dict[str, list[Placed]]:
    out: dict[str, list[Placed]] = {}
    for p in ctx.placed:
        if p.figure.metric and not is_approx(p.figure):
            out.setdefault(p.figure.metric, []).append(p)
    return out


def canonical_sums(ctx: Context, values: dict[str, list[Placed]]) -> list[Finding]:
    findings: list[Finding] = []
    for total_metric, part_metrics in CANONICAL_SUMS:
        if total_metric not in values:
            continue
        present = [values[m][0] for m in part_metrics if m in values]
        if len(present) < 2:
            continue
        complete = len(present) == len(part_metrics)
        item = values[total_metric][0]
        computed = total(interval(p.figure) for p in present)
        mid = sum(p.figure.normalized.value for p in present)
        refs = [ref(item, "total")] + [ref(p, "part") for p in present]
        if not complete and computed.low <= interval(item.figure).high:
            continue  # a missing part may make up the shortfall
        findings.extend(judged("PX004", ctx, refs, item, computed, mid, [item] + present))
    return findings


def duplicates(ctx: Context, values: dict[str, list[Placed]]) -> list[Finding]:
    findings: list[Finding] = []
    for metric, items in values.items():
        first = items[0]
        for other in items[1:]:
            if first.figure.kind != other.figure.kind:
                continue
            if not interval(first.figure).overlaps(interval(other.figure)):
                findings.append(make("PX040", [ref(first, "value"), ref(other, "value")],
                                     expected=first.figure.normalized.value,
                                     found=other.figure.normalized.value, anchor=other.figure,
                                     metric=metric))
                break
    return findings


def balanced(ctx: Context, values: dict[str, list[Placed]]) -> list[Finding]:
    findings: list[Finding] = []
    for revenue, expenditure in BALANCED:
        if revenue in values and expenditure in values:
            r, e = values[revenue][0], values[expenditure][0]
            refs = [ref(e, "expenditure"), ref(r, "revenue")]
            findings.extend(judged("PX050", ctx, refs, e, interval(r.figure), r.figure.normalized.value, [r, e]))
    return findings


def run(ctx: Context) -> list[Finding]:
    values = metric_values(ctx)
    if not values:
        return []
    return canonical_sums(ctx, values) + duplicates(ctx, values) + balanced(ctx, values)
