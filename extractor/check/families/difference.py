"""Difference family: net = original − accumulated depreciation (and the like), found by the
words before the figures within one paragraph, or by canonical metrics when they are set;
and a change against a base that is named but not restated (PX012): "调整后预算支出 A，
较年初预算增加 C" — C against A − B, with B the figure the report gives for the named base
(年初预算支出 B), found by metric (the same quantity at the named stage) or by label."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from ...patterns import load
from ..context import Context, Placed, unit_key
from ..findings import Finding
from ..tolerance import interval, is_approx
from .common import FILLER_TAIL, judged, label_of, ref
from .growth import _change_amount

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
            if not result_re.search(ctx.text(block)):
                continue  # no result named in the block: no figure's left text names one
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
    return findings + named_base(ctx)


# -- a change against a named base ------------------------------------------------------------

# "较年初预算增加 C": the comparison word, the base's name, the verb, right before the change
NAMED_BASE = re.compile(r"(?:比|较|較|相比|相较于?|相較於?|对比|對比)\s*(?P<name>[^\d，,。；;：:、（）()\s]{2,12}?)"
                        r"(?:相比|相较|比较)?\s*(?:的)?\s*(?:增加|减少|增長|增长|下降|调增|调减|調增|調減|"
                        r"追加|核减|核增|提高|降低|上升|减|增|減)(?:了)?\s*$")
# the last year / same period: a base in another report (crossyear.py), not in this one
OTHER_PERIOD = re.compile(r"上年|去年|上一年|同期|上期|上月|前一年|往年|以前年度|\d{2,4}年|同比|环比")
METRIC_STAGES = {"initial": "budget.initial.", "adjusted": "budget.adjusted.", "final": "final."}


@lru_cache(maxsize=1)
def _stage_words() -> list[tuple[str, str]]:
    """(word, scope) from patterns/metrics.yaml's scopes, longest first."""
    scopes = (load("metrics") or {}).get("scopes", {})
    pairs = [(str(w), scope) for scope, words in scopes.items() if scope != "previous" for w in words]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def _strip_stage(label: str) -> tuple[str, Optional[str]]:
    """(label without its leading stage words, the scope of the last of them):
    全年调整后预算支出 -> (支出, adjusted)."""
    scope = None
    stripped = True
    while stripped:
        stripped = False
        for word, word_scope in _stage_words():
            if label.startswith(word):
                label, scope, stripped = label[len(word):], word_scope, True
                break
    return label, scope


def _by_metric(ctx: Context, current: Placed, name: str) -> Optional[Placed]:
    """The same canonical quantity at the named stage (年初预算 -> budget.initial.*)."""
    metric = current.figure.metric or ""
    rest, scope = _strip_stage(FILLER_TAIL.sub("", name))
    if rest or scope not in METRIC_STAGES:
        return None
    for prefix in METRIC_STAGES.values():
        if metric.startswith(prefix):
            wanted = METRIC_STAGES[scope] + metric[len(prefix):]
            if wanted == metric:
                return None
            found = [p for p in ctx.placed if p.figure.metric == wanted and ctx.role(p) == ctx.role(current)
                     and not is_approx(p.figure)]
            earlier = [p for p in found if p.index < current.index]
            return (earlier or found or [None])[-1 if earlier else 0]
    return None


def _by_label(ctx: Context, current: Placed, name: str) -> Optional[Placed]:
    """The nearest earlier figure, same unit, within a few paragraphs, that is what the
    current figure is at the named stage: labelled 年初预算支出 for 调整后预算支出 against
    年初预算 (stage words from patterns/metrics.yaml), or literally <name><noun>."""
    noun, _ = _strip_stage(label_of(ctx, current))
    name = FILLER_TAIL.sub("", name)
    name_rest, name_scope = _strip_stage(name)
    key = unit_key(current.figure)
    for p in reversed(ctx.placed[:ctx.placed.index(current)]):
        if p.block < current.block - 8:
            break
        if unit_key(p.figure) != key or ctx.role(p) != ctx.role(current) or is_approx(p.figure):
            continue
        label = label_of(ctx, p)
        if not label:
            continue
        if name_scope and not name_rest:
            if _strip_stage(label) == (noun, name_scope):
                return p
        elif label == name + noun or (noun and name.endswith(noun) and label == name):
            return p
    return None


def _currents(ctx: Context, change: Placed) -> list[Placed]:
    """The level the change is of: the nearest figure of its unit before it in the sentence
    (outside parentheses), and the total it is a part of when it is one (其中 A、B，较 … 增加)."""
    s_start, _ = ctx.sentence_bounds(change.block, change.start)
    points = "百分点" in (change.figure.unit or "") or change.figure.kind == "rate_delta"
    key = unit_key(change.figure)
    for p in reversed(ctx.between(change.block, s_start, change.start)):
        if ctx.depth(change.block, p.start, s_start) or unit_key(p.figure) != key:
            continue
        if points and not (ctx.role(p) == "rate" and p.figure.kind == "rate" and "百分点" not in p.figure.unit):
            continue
        if not points and ctx.role(p) != "main":
            continue
        out = [p]
        for b in getattr(ctx, "breakdowns", []):
            if b.kind in ("forward", "paren") and any(q is p for q in b.parts) and b.total not in out:
                out.append(b.total)
        return out
    return []


def named_base(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for change in ctx.placed:
        points = "百分点" in (change.figure.unit or "") or change.figure.kind == "rate_delta"
        if not (ctx.role(change) == "delta" or (points and ctx.role(change) == "rate")):
            continue
        if is_approx(change.figure):
            continue
        match = NAMED_BASE.search(ctx.left(change))
        if not match or OTHER_PERIOD.search(match.group("name")):
            continue
        name = match.group("name")
        results = []
        for current in _currents(ctx, change):
            base = _by_metric(ctx, current, name) or _by_label(ctx, current, name)
            if base is None or base is current:
                results = []
                break  # one reading with no base: nothing to judge the others against
            results.append(_change_amount(ctx, change, current, base, rule="PX012"))
        if results and all(r and r[0].severity != "info" for r in results):
            findings.extend(results[-1])
        elif len(results) == 1:
            findings.extend(results[0])
    return findings
