"""Relation-graph family: the report's figure-relation graph (extractor.relations) judged at
written precision, where the text-window families cannot see the structure.

- PX001 / PX002: a list whose items stand in the paragraphs below its head ("基本支出620.5万元，
  其中：" then one paragraph per item, explanations in between), or within its paragraph behind
  item explanations (人员经费 x，主要包括…；公用经费 y) and colons, when nearly complete;
- PX023: "主要用于：A x万元，占r%；…" — each item's share of the list's head.
"""
from __future__ import annotations

from decimal import Decimal

from ...relations import NEAR_SHARE
from ..context import Context, Placed
from ..findings import Finding
from .ratio import _quotient_check
from .sums import _judge_sum


def _placed(ctx: Context) -> dict[str, Placed]:
    return {p.figure.id: p for p in ctx.placed}


def lists(ctx: Context) -> list[Finding]:
    """Lists whose items run over the paragraphs after the head; and lists within a paragraph
    that the sums family did not read (its text window stopped short) when the items come
    within ``NEAR_SHARE`` of the head — near-complete lists, whose mismatch is a misprint, not a
    list left partial."""
    by_id = _placed(ctx)
    read = {id(b.total) for b in getattr(ctx, "breakdowns", []) if len(b.parts) >= 2}
    findings: list[Finding] = []
    for relation in ctx.relations:
        if relation.kind != "list":
            continue
        head = by_id.get(relation.head)
        parts = [by_id[i] for i in relation.items if i in by_id]
        if head is None or len(parts) < 2 or len(parts) != len(relation.items):
            continue
        if all(p.block == head.block for p in parts) and (id(head) in read or not _near(head, parts)):
            continue
        findings.extend(_judge_sum(ctx, head, parts, partial=False, subset=False, exceed_rule="PX001",
                                   short_rule="PX002", label=relation.cue))
    return findings


def _near(head: Placed, parts: list[Placed]) -> bool:
    total = head.figure.normalized.value
    running = sum((p.figure.normalized.value for p in parts), Decimal(0))
    return abs(running - total) <= abs(total) * NEAR_SHARE


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
    return lists(ctx) + shares(ctx)
