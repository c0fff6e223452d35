"""Relation-graph family: the report's figure-relation graph (extractor.relations) judged at
written precision, where the text-window families cannot see the structure.

- PX001 / PX002: a list whose items stand in the paragraphs below its head ("基本支出620.5万元，
  其中：" then one paragraph per item, explanations in between);
- PX023: "主要用于：A x万元，占r%；…" — each item's share of the list's head.
"""
from __future__ import annotations

from ..context import Context, Placed
from ..findings import Finding
from .ratio import _quotient_check
from .sums import _judge_sum


def _placed(ctx: Context) -> dict[str, Placed]:
    return {p.figure.id: p for p in ctx.placed}


def lists_below(ctx: Context) -> list[Finding]:
    """Lists whose items run over the paragraphs after the head."""
    by_id = _placed(ctx)
    findings: list[Finding] = []
    for relation in ctx.relations:
        if relation.kind != "list":
            continue
        head = by_id.get(relation.head)
        parts = [by_id[i] for i in relation.items if i in by_id]
        if head is None or len(parts) < 2 or len(parts) != len(relation.items):
            continue
        if all(p.block == head.block for p in parts):
            continue  # within one paragraph: the sums family reads it
        findings.extend(_judge_sum(ctx, head, parts, partial=False, subset=False, exceed_rule="PX001",
                                   short_rule="PX002", label=relation.cue))
    return findings


def shares(ctx: Context) -> list[Finding]:
    """占 r% of a list item against the item over the list's head."""
    by_id = _placed(ctx)
    findings: list[Finding] = []
    for relation in ctx.relations:
        if relation.kind != "share" or relation.roles != ["part", "base"]:
            continue
        rate, part, base = by_id.get(relation.head), by_id.get(relation.items[0]), by_id.get(relation.items[1])
        if rate is None or part is None or base is None:
            continue
        findings.extend(_quotient_check("PX023", ctx, rate, part, base))
    return findings


def run(ctx: Context) -> list[Finding]:
    return lists_below(ctx) + shares(ctx)
