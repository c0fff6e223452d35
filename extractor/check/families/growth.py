"""Growth family (and the change amounts of the difference family).

"A，比上年 B 增长/下降 r%" — r against (A − B) / B (PX030);
"A，比上年 B 增加/减少 C" — C against |A − B| with the stated direction (PX011, difference);
"A，同比增收 C，增长 r%" — r against C / (A ∓ C) (PX031);
"A%，比上年 B% 提高 C 个百分点" — C against A − B (PX011);
"A，上年决算 B，较上年减少 C" — the previous level stated by its own label (PX011).
A is the nearest figure of the same unit before the comparison in the same sentence that is
a level (not itself a change or a base).
"""
from __future__ import annotations

import re
from typing import Optional

from ..context import DELTA_BEFORE, REF_BEFORE, Context, Placed, unit_key
from ..findings import Finding
from ..tolerance import Interval, interval
from .common import judged, label_of, ref

UP = re.compile(r"(增长|增加|增收|增支|提高|上升|提升|上涨|增幅|多|超|增|漲|增長|調增|调增|高出|高于)")
DOWN = re.compile(r"(下降|减少|减收|减支|降低|回落|下滑|节约|节省|降幅|减幅|少|减|降|減|調減|调减|低于)")


def direction(ctx: Context, item: Placed) -> Optional[int]:
    left = ctx.left(item)[-8:]
    if item.figure.direction == "up":
        return 1
    if item.figure.direction == "down":
        return -1
    down, up = DOWN.search(left), UP.search(left)
    if down and (not up or down.end() >= up.end()):
        return -1
    if up:
        return 1
    return None


def _current(ctx: Context, item: Placed, key: str, before: int) -> Optional[Placed]:
    s_start, _ = ctx.sentence_bounds(item.block, item.start)
    for p in reversed(ctx.between(item.block, s_start, before)):
        if unit_key(p.figure) == key and ctx.role(p) == ("rate" if key == "rate" else "main"):
            if key == "rate" and p.figure.kind != "rate":
                continue
            return p
    return None


PREVIOUS_LABEL = re.compile(r"^(?:上年|去年|上一年|上年度|上一年度)(?:度)?")
AGAINST_PREVIOUS = re.compile(r"(?:比|较|較|同比|相比)(?:上年|去年|上一年|上年度)(?:同期)?\s*"
                              r"(?:相比)?\s*[^\d，,。；;]{0,4}$")


def stated_previous(ctx: Context) -> list[Finding]:
    """"A，上年决算 B，较上年减少 C": the comparison names last year without a figure, and the
    figure right before it is last year's level by its own label (上年 + a stage word or the
    same noun as A's): C against A − B (PX011)."""
    findings: list[Finding] = []
    for change in ctx.placed:
        if ctx.role(change) != "delta" or not AGAINST_PREVIOUS.search(ctx.left(change)):
            continue
        s_start, _ = ctx.sentence_bounds(change.block, change.start)
        key = unit_key(change.figure)
        levels = [p for p in ctx.between(change.block, s_start, change.start)
                  if ctx.role(p) == "main" and unit_key(p.figure) == key]
        if len(levels) < 2 or not _last_years(ctx, levels[-1]) or _last_years(ctx, levels[-2]):
            continue
        previous, current = levels[-1], levels[-2]
        findings.extend(_change_amount(ctx, change, current, previous))
    return findings


def _last_years(ctx: Context, item: Placed) -> bool:
    """The figure's own label opens with last year: 上年决算, or the year before the report's."""
    year = ctx.report.meta.year if ctx.report.meta else None
    return bool(PREVIOUS_LABEL.search(label_of(ctx, item))) or (year is not None and re.search(
        rf"(?:^|[，,；;。\s]){year - 1}年(?:度)?[^\d，,；;。]*$", ctx.left(item)) is not None)


def _followers(ctx: Context, start: Placed) -> list[Placed]:
    """Figures after ``start`` up to the next level figure or the sentence end."""
    _, s_end = ctx.sentence_bounds(start.block, start.start)
    out = []
    for p in ctx.iter_between(start.block, start.end, s_end):
        role = ctx.role(p)
        if role in ("main", "ref") and p.figure.kind != "rate":
            break
        out.append(p)
    return out


def _growth_rate(ctx, rate, current, previous) -> list[Finding]:
    sign = direction(ctx, rate)
    if sign is None or previous.figure.normalized.value <= 0:
        return []
    rate_iv = interval(rate.figure)
    if sign < 0:
        rate_iv = Interval(-rate_iv.high, -rate_iv.low)
    change = interval(current.figure) - interval(previous.figure)
    expected = change.divided_by(interval(previous.figure))
    if expected is None:
        return []
    mid = (current.figure.normalized.value - previous.figure.normalized.value) / previous.figure.normalized.value
    refs = [ref(rate, "rate"), ref(current, "current"), ref(previous, "previous")]
    found = rate.figure.normalized.value * sign
    return judged("PX030", ctx, refs, rate, expected, mid, [rate, current, previous],
                  found_interval=rate_iv, found_value=found)


def _change_amount(ctx, change, current, previous, rule: str = "PX011") -> list[Finding]:
    sign = direction(ctx, change)
    if sign is None:
        return []
    change_iv = interval(change.figure)
    if sign < 0:
        change_iv = Interval(-change_iv.high, -change_iv.low)
    expected = interval(current.figure) - interval(previous.figure)
    mid = current.figure.normalized.value - previous.figure.normalized.value
    refs = [ref(change, "change"), ref(current, "current"), ref(previous, "previous")]
    return judged(rule, ctx, refs, change, expected, mid, [change, current, previous],
                  family="difference", found_interval=change_iv,
                  found_value=sign * change.figure.normalized.value)


def _glossed_change(ctx: Context, rate: Placed, changes: list[Placed]) -> bool:
    """"减少1.5万元（42.86%）": a rate in parentheses right after the change glosses it."""
    previous = ctx.previous_in_block(rate)
    if previous is None or not any(previous is c for c in changes):
        return False
    between = ctx.text(rate.block)[previous.end:rate.end + 1]
    return bool(re.fullmatch(r"\s*[（(]\s*" + re.escape(rate.figure.text) + r"\s*[）)]", between))


def _change_and_rate(ctx, rate, change, current) -> list[Finding]:
    sign_change = direction(ctx, change)
    glossed = _glossed_change(ctx, rate, [change])
    sign_rate = sign_change if glossed else direction(ctx, rate)
    if sign_rate is None or sign_change is None or sign_rate != sign_change:
        return []
    sign = sign_rate
    change_iv = interval(change.figure)
    previous_iv = interval(current.figure) - (change_iv if sign > 0 else -change_iv)
    if previous_iv.low <= 0:
        return []
    expected = change_iv.divided_by(previous_iv)
    previous_mid = current.figure.normalized.value - sign * change.figure.normalized.value
    if expected is None or previous_mid <= 0:
        return []
    mid = change.figure.normalized.value / previous_mid
    refs = [ref(rate, "rate"), ref(current, "current"), ref(change, "change")]
    return judged("PX031", ctx, refs, rate, expected, mid, [rate, change, current], family="growth")


BASE_NAMES = re.compile(r"(上年|去年|上一年|同期|上期|(?:19|20)\d{2}\s*年)")


def _names_base(ctx: Context, item: Placed, between: str) -> bool:
    """"A，2014年为 B，较2014年增加 C": B's own clause names the period the comparison is
    against, so B is the previous level, not the current one."""
    compared = re.search(r"(?:比|较|較|相比|相较)\s*" + BASE_NAMES.pattern, between)
    if compared is None:
        return False
    own = BASE_NAMES.search(ctx.left(item))
    return own is not None and re.sub(r"\s", "", own.group(1)) == re.sub(r"\s", "", compared.group(1))


def _against_previous(ctx: Context, previous: Placed, change: Placed, rate: Placed) -> list[Finding]:
    """The change and the rate judged against the current level stated before the previous one."""
    s_start, _ = ctx.sentence_bounds(previous.block, previous.start)
    current = _current(ctx, previous, unit_key(previous.figure), previous.start)
    if current is None or current.start < s_start:
        return []
    return _change_amount(ctx, change, current, previous) + _growth_rate(ctx, rate, current, previous)


def run(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    done: set[int] = set()
    part_to_total = {id(p): b.total for b in getattr(ctx, "breakdowns", [])
                     if b.kind in ("forward", "paren", "backward") and len(b.parts) >= 2
                     for p in b.parts}
    for item in ctx.placed:
        role = ctx.role(item)
        base = role == "ref" or (role == "rate" and item.figure.kind == "rate"
                                 and REF_BEFORE.search(ctx.clause_left(item))
                                 and not DELTA_BEFORE.search(ctx.left(item)))
        if base and re.search(r"比|较|較|同比|相比", ctx.clause_left(item)):
            if re.search(r"的\s*$", ctx.text(item.block)[item.end:item.end + 2]):
                continue  # 占 B 的: a share, not a comparison
            key = unit_key(item.figure)
            current = _current(ctx, item, key, ctx.clause_start(item.block, item.start))
            if current is None:
                continue
            # "其中 A、B、C，较上年的 X 下降 r%": the comparison may be the total's, not C's
            candidates = [current] + ([part_to_total[id(current)]] if id(current) in part_to_total else [])
            for follower in _followers(ctx, item):
                if ctx.role(follower) == "rate" and follower.figure.kind == "rate" and key != "rate":
                    check = _growth_rate
                elif unit_key(follower.figure) == key or (key == "rate" and follower.figure.kind == "rate_delta"):
                    check = _change_amount
                else:
                    continue
                results = [check(ctx, follower, c, item) for c in candidates]
                if all(r and r[0].severity != "info" for r in results):
                    findings.extend(results[-1])
                elif results[0]:
                    findings.extend(f for f in results[0] if f.severity == "info" and len(results) == 1)
                done.add(id(follower))
        elif role == "main" and item.figure.kind != "rate":
            followers = _followers(ctx, item)
            changes = [p for p in followers if ctx.role(p) == "delta" and unit_key(p.figure) == unit_key(item.figure)]
            rates = [p for p in followers if ctx.role(p) == "rate" and p.figure.kind == "rate"
                     and (re.search(r"(增长|增幅|下降|降幅|增長|减少|增加)\s*$", ctx.left(p))
                          or _glossed_change(ctx, p, changes))]
            if len(changes) == 1 and len(rates) == 1 and id(rates[0]) not in done \
                    and not any(ctx.role(p) == "ref" for p in followers):
                between = ctx.text(item.block)[item.end:rates[0].start]
                if not re.search(r"比|较|較|同比|相比|上年|去年", between):
                    continue
                if _names_base(ctx, item, between):
                    findings.extend(_against_previous(ctx, item, changes[0], rates[0]))
                else:
                    findings.extend(_change_and_rate(ctx, rates[0], changes[0], item))
    return findings + stated_previous(ctx)
