"""Difference family: net = original − accumulated depreciation (and the like), found by the
words before the figures within one paragraph, or by canonical metrics when they are set."""
from __future__ import annotations

import re

from ..context import Context, Placed, unit_key
from ..findings import Finding
from ..tolerance import interval
from .common import judged, ref

# (result, minuend, subtrahend) name patterns
TRIPLES = [
    (re.compile(r"净值|淨值|账面价值|賬面價值"), re.compile(r"原值|原價|原价|账面原值"), re.compile(r"累计折旧|累計折舊|折旧|折舊")),
]
METRIC_TRIPLES = [
    ("assets.fixed.net_value", "assets.fixed.original_value", "assets.fixed.accumulated_depreciation"),
]


def _by_words(ctx: Context, items: list[Placed], pattern) -> list[Placed]:
    return [p for p in items if ctx.role(p) == "main" and pattern.search(ctx.left(p)[-12:])]


def _check(ctx, net: Placed, original: Placed, depreciation: Placed) -> list[Finding]:
    if len({unit_key(p.figure) for p in (net, original, depreciation)}) != 1:
        return []
    expected = interval(original.figure) - interval(depreciation.figure)
    mid = original.figure.normalized.value - depreciation.figure.normalized.value
    refs = [ref(net, "net"), ref(original, "original"), ref(depreciation, "depreciation")]
    return judged("PX010", ctx, refs, net, expected, mid, [net, original, depreciation])


def run(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    seen: set[tuple] = set()
    for block, items in ctx.by_block.items():
        for result_re, minuend_re, subtrahend_re in TRIPLES:
            nets = _by_words(ctx, items, result_re)
            originals = [p for p in _by_words(ctx, items, minuend_re) if p not in nets]
            deps = [p for p in _by_words(ctx, items, subtrahend_re) if p not in nets and p not in originals]
            for net in nets:
                before_o = [p for p in originals if p.start < net.start]
                before_d = [p for p in deps if p.start < net.start]
                if before_o and before_d:
                    key = (id(net), id(before_o[-1]), id(before_d[-1]))
                    seen.add(key)
                    findings.extend(_check(ctx, net, before_o[-1], before_d[-1]))
    by_metric: dict[str, list[Placed]] = {}
    for p in ctx.placed:
        if p.figure.metric:
            by_metric.setdefault(p.figure.metric, []).append(p)
    for result, minuend, subtrahend in METRIC_TRIPLES:
        if result in by_metric and minuend in by_metric and subtrahend in by_metric:
            net, original, dep = by_metric[result][0], by_metric[minuend][0], by_metric[subtrahend][0]
            if (id(net), id(original), id(dep)) not in seen:
                findings.extend(_check(ctx, net, original, dep))
    return findings
