"""Rules over canonical metrics (figure.metric, set by the labeller): canonical sums (PX004),
one metric with two values (PX040), revenue vs expenditure totals presented as balanced
(PX050). Without metrics these rules stay silent; the text-structure rules still run."""
from __future__ import annotations

from ..context import Context, Placed
from ..findings import Finding
from ..rules import make
from ..tolerance import interval, is_approx, total
from .common import judged, ref

# (total, parts, complete): a complete group must add up exactly; an open one (other
# categories exist, e.g. 工勤编制 beside 行政 and 事业编制) may only not be exceeded.
CANONICAL_SUMS = [
    ("budget.initial.expenditure", ["budget.initial.basic", "budget.initial.project"], True),
    ("budget.adjusted.expenditure", ["budget.adjusted.basic", "budget.adjusted.project"], True),
    ("final.expenditure", ["final.basic", "final.project"], True),
    ("staff.authorized", ["staff.authorized.administrative", "staff.authorized.institution"], False),
    ("sangong.total", ["sangong.travel_abroad", "sangong.vehicle", "sangong.reception"], True),
]
# A grand total (支出总计) also holds the year-end carry-over: it is checked against the parts
# with and without it, and left alone when the carry-over is not stated.
GRAND_TOTAL_EXTRA = {"final.expenditure": "carryover.end",
                     "budget.initial.expenditure": "carryover.end",
                     "budget.adjusted.expenditure": "carryover.end"}
GRAND_TOTAL_WORDS = ("总计", "總計")
BALANCED = [
    ("budget.initial.revenue", "budget.initial.expenditure"),
    ("budget.adjusted.revenue", "budget.adjusted.expenditure"),
    ("final.revenue", "final.expenditure"),
]


def metric_values(ctx: Context) -> dict[str, list[Placed]]:
    out: dict[str, list[Placed]] = {}
    for p in ctx.placed:
        if not p.figure.metric or is_approx(p.figure):
            continue
        role = ctx.role(p)
        if role == "main" or (role == "rate" and p.figure.kind == "rate"):
            out.setdefault(p.figure.metric, []).append(p)  # never a change or a comparison base
    return out


def canonical_sums(ctx: Context, values: dict[str, list[Placed]]) -> list[Finding]:
    findings: list[Finding] = []
    for total_metric, part_metrics, closed in CANONICAL_SUMS:
        if total_metric not in values:
            continue
        present = [values[m][0] for m in part_metrics if m in values]
        if len(present) < 2:
            continue
        complete = closed and len(present) == len(part_metrics)
        item = values[total_metric][0]
        extra = _grand_total_extra(item, total_metric, values)
        if extra is False:
            continue  # 支出总计 without its carry-over stated: the gap may be that
        if extra is not None and total(interval(p.figure) for p in present + [extra]) \
                .overlaps(interval(item.figure)):
            continue  # 支出总计 = 基本支出 + 项目支出 + 年末结转和结余
        computed = total(interval(p.figure) for p in present)
        mid = sum(p.figure.normalized.value for p in present)
        refs = [ref(item, "total")] + [ref(p, "part") for p in present]
        if not complete and computed.low <= interval(item.figure).high:
            continue  # a missing part may make up the shortfall
        findings.extend(judged("PX004", ctx, refs, item, computed, mid, [item] + present))
    return findings


def _grand_total_extra(item: Placed, total_metric: str, values: dict[str, list[Placed]]):
    """For a grand total (its label says 总计) of a metric that holds more than its parts:
    the stated extra part (year-end carry-over), or False when it is not stated; None for any
    other total."""
    extra_metric = GRAND_TOTAL_EXTRA.get(total_metric)
    if extra_metric is None or not any(w in (item.figure.label or "") for w in GRAND_TOTAL_WORDS):
        return None
    return values[extra_metric][0] if extra_metric in values else False


def duplicates(ctx: Context, values: dict[str, list[Placed]]) -> list[Finding]:
    """Two values of one metric; a total and one of its own parts are never the same metric
    (the labeller's mistake, not the report's)."""
    findings: list[Finding] = []
    parts_of: dict[int, set] = {}
    for b in getattr(ctx, "breakdowns", []):
        parts_of.setdefault(id(b.total), set()).update(p.figure.normalized.value for p in b.parts)

    def related(a: Placed, b: Placed) -> bool:
        return (b.figure.normalized.value in parts_of.get(id(a), ())
                or a.figure.normalized.value in parts_of.get(id(b), ()))

    for metric, items in values.items():
        first = items[0]
        for other in items[1:]:
            if first.figure.kind != other.figure.kind or related(first, other):
                continue
            if first.block == other.block and \
                    ctx.sentence_bounds(first.block, first.start) == ctx.sentence_bounds(other.block, other.start):
                continue  # one sentence giving two values (分别为 …) lists, it does not repeat
            a, b = sorted((abs(first.figure.normalized.value), abs(other.figure.normalized.value)))
            if a == 0 or b > 2 * a:
                continue  # far apart: more likely a different quantity the labeller mislabelled
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
    # revenue vs expenditure is checked only where the text presents them side by side
    # (balance.py): a government's revenue and expenditure need not be equal
    return canonical_sums(ctx, values) + duplicates(ctx, values)
