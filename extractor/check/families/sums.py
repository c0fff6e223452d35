"""Sum family: a total and the parts the text breaks it down into.

Text structures (figures + block text, no metrics needed):
- forward: "X，其中 A、B、C" / "包括" / "分别为" — parts after the cue, total before it;
- parenthesised: "17人（公务员6人、…）", "15个（含5个）";
- backward: "A；B；C；共计X", "X，加A，B，…，收入总计T";
- composition: "共N个，年初A个，…，年中增加B个" (N = A + B).
A breakdown whose running sum meets the total at some point is consistent (the rest of the
sentence may go on to other things). One part alone, or a "含" list, is a subset: it may not
exceed the total. Parts over the total are an error; parts short of a total that the text
does not mark as partial (主要 / 部分 / 等) are a warning: a breakdown may be incomplete.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from ...patterns import load
from ..context import Context, Placed, unit_key
from ..findings import Finding
from ..rules import make
from ..tolerance import Interval, interval, is_approx
from .common import ROUNDING, judged, label_of, parts_interval, parts_value, ref, verdict

FORWARD_CUE = re.compile(r"(?<!不)(?:其中(?:主要)?(?:包括|包含|含|有|为|是)?|(?:主要)?包括|包含|分别为|分别是|"
                         r"分別為|分別是|具体为|具體為)\s*[:：]?")
SPLIT_CUE = re.compile(r"分别|分別")
PARTIAL = re.compile(r"主要|部分|重点|重點|等")
BACKWARD_CUE = re.compile(r"^\s*(?:以上|上述)?(?:共计|合计|总计|总共|共|合計|總計|共計|累计共)"
                          r"(?:为|為|达|達)?\s*$")
ADD_CLAUSE = re.compile(r"[，,。；;]\s*加(?:上)?")
TOTAL_WORD = re.compile(r"总计|合计|總計|合計")
COMPOSITION_TOTAL = re.compile(r"共")
INITIAL = re.compile(r"年初|原有|原计划|原定")
ADDED = re.compile(r"(?:增加|新增|追加|调增|增补)(?:了)?\s*$")
REMOVED = re.compile(r"(?:减少|调减|核减|取消|撤销)(?:了)?\s*$")
SEGMENT_END = "；;"


@dataclass
class Breakdown:
    total: Placed
    parts: list[Placed]
    kind: str  # forward | paren | backward | composition


OPENING_PAREN = re.compile(r"[（(]")


def _eligible(ctx: Context, item: Placed, role: str, key: str) -> bool:
    return ctx.role(item) == role and unit_key(item.figure) == key


def _top_level(ctx: Context, block: int, start: int, end: int) -> list[Placed]:
    """Figures in [start, end) not inside parentheses opened after ``start``."""
    return [p for p in ctx.between(block, start, end) if ctx.depth(block, p.start, start) == 0]


def _matches(total: Placed, parts: list[Placed]) -> bool:
    return total.interval.overlaps(parts_interval(parts))


def _may_partition(ctx: Context, total: Placed, parts: list[Placed]) -> bool:
    """False when the listed figures cannot be parts of ``total``: they count levels of one
    hierarchy (一级…二级…三级), or the list after the total names the total's own kind as one
    member ("公务用车1辆，其中两辆执法车和一辆公务用车"), so it covers more than the total."""
    levels = re.compile(load("relations")["hierarchy_levels"])
    named = {m.group(0) for p in parts for m in [levels.search(label_of(ctx, p))] if m}
    if len(named) >= 2 or _holds_balance(parts) or len(_dimensions(ctx, parts)) >= 2:
        return False
    name = label_of(ctx, total)
    name = re.sub(r"^.*[的共计有]", "", name)
    if len(name) >= 2 and parts and parts[0].block == total.block:
        text = ctx.text(total.block)
        end = ctx.sentence_bounds(total.block, parts[-1].end)[1]
        after = text[total.end:end]
        if re.search(r"[\d一二两三四五六七八九十]\s*[个辆台名人家项处座件条]\s*" + re.escape(name), after):
            return False
    return True


def _dimensions(ctx: Context, parts: list[Placed]) -> set[str]:
    """The attribute dimensions (patterns/relations.yaml ``attribute_dimensions``: 政治面貌,
    性别, 学历 …) the parts' names fall in."""
    dimensions = load("relations").get("attribute_dimensions") or {}
    found = set()
    for part in parts:
        label = label_of(ctx, part)
        found.update(name for name, words in dimensions.items()
                     if any(str(word) in label for word in words))
    return found


def _holds_balance(parts: list[Placed]) -> bool:
    """Three listed figures in a row where the first less the second is the third (原值
    1960.30万元，累计折旧690.12万元，净值1270.18万元): an amount, a deduction and what is
    left, not three parts of one whole."""
    values = [p.figure.normalized.value for p in parts]
    return any(a - b == c for a, b, c in zip(values, values[1:], values[2:]))


def _names_other_total(ctx: Context, item: Placed) -> bool:
    """The figure is named as a whole of its own (负债总额, 资产总额 ...)."""
    return bool(_other_total().search(ctx.left(item)))


def _other_total():
    return re.compile(r"(?:" + "|".join(map(re.escape, load("relations")["other_totals"])) + r")[^，,。；;\d]{0,4}$")


def _until_other_total(ctx: Context, total: Placed, parts: list[Placed]) -> list[Placed]:
    """The parts up to a figure named as another whole once the parts before it make up the
    total: "资产总额 A，其中 B、C，负债总额 D" — D is not a part."""
    for k in range(2, len(parts)):
        if _names_other_total(ctx, parts[k]) and _matches(total, parts[:k]):
            return parts[:k]
    return parts


def _judge_sum(ctx: Context, total: Placed, parts: list[Placed], *, partial: bool,
               subset: bool, exceed_rule: str, short_rule: Optional[str],
               label: str) -> list[Finding]:
    """Findings for one total against its parts (all parts already chosen). The rule is
    decided from the intervals first; whether the figures may be parts of the total at all
    (:func:`_may_partition`) and the figure references are worked out only for a finding."""
    found = total.interval
    computed = parts_interval(parts)
    mid = parts_value(parts)
    approx = any(is_approx(p.figure) for p in [total] + parts)
    structure = {"structure": label}
    if computed.low > found.high:  # parts exceed the total
        rule, extra = ("PX090", {}) if approx else (exceed_rule, structure)
    elif subset:
        return []
    elif computed.high < found.low:  # parts short of the total
        if partial or short_rule is None or approx or _selection(found, computed, parts):
            return []
        rule, extra = short_rule, structure
    elif verdict(found, computed, mid, approx) == ROUNDING:
        rule, extra = "PX091", {}
    else:
        return []
    if not _may_partition(ctx, total, parts):
        return []
    refs = [ref(total, "total")] + [ref(p, "part") for p in parts]
    return [make(rule, refs, expected=mid, found=total.figure.normalized.value,
                 anchor=total.figure, family="sum", **extra)]


def _selection(found: Interval, computed: Interval, parts: list[Placed]) -> bool:
    """The parts, none of them a canonical quantity, fall short of the total by more than
    ``short_list_share`` of it (patterns/relations.yaml): the list names some members (门诊
    of some kinds), it does not break the total down. Parts with metric keys (在职人数,
    退休人员; 基本支出, 项目支出) are a breakdown however short they fall."""
    share = load("relations").get("short_list_share")
    return share is not None and not any(p.figure.metric for p in parts) \
        and computed.high < found.low * (1 - Decimal(str(share)))


def _segment_end(text: str, start: int, limit: int) -> int:
    ends = [i for i in (text.find(ch, start, limit) for ch in SEGMENT_END) if i != -1]
    return min(ends) if ends else limit


def _segment_between(ctx: Context, a: Placed, b: Placed) -> bool:
    between = ctx.text(a.block)[a.end:b.start]
    return any(ch in between for ch in SEGMENT_END + "。\n")


def _opens_breakdown(ctx: Context, item: Placed) -> bool:
    """A figure followed by its own breakdown (其中 / parentheses) starts a new total."""
    after = ctx.text(item.block)[item.end:item.end + 8]
    return bool(re.match(r"\s*(?:[，,]\s*其中|[（(])", after))


def _previous_sentence_start(ctx: Context, block: int, sentence_start: int) -> int:
    if sentence_start <= 0:
        return 0
    return ctx.sentence_bounds(block, sentence_start - 1)[0]


def forward(ctx: Context, out: list[Breakdown]) -> list[Finding]:
    findings: list[Finding] = []
    for block, text in ctx.texts.items():
        if block not in ctx.by_block or any(p.figure.location.row is not None for p in ctx.by_block[block]):
            continue  # table blocks: a 其中 row breaks down the row above column by column
        cues = [m for m in FORWARD_CUE.finditer(text)]
        for n, cue in enumerate(cues):
            if ctx.depth(block, cue.start()) > 0:
                continue  # inside parentheses: the parenthesised rule reads it
            s_start, s_end = ctx.sentence_bounds(block, cue.start())
            seg_start = max([s_start] + [text.rfind(ch, s_start, cue.start()) + 1 for ch in SEGMENT_END
                                         if text.rfind(ch, s_start, cue.start()) != -1])
            at_start = text[seg_start:cue.start()].strip(" \t,，:：、") == ""
            wide_end = s_end
            for later in cues[n + 1:]:
                if later.start() < wide_end and ctx.depth(block, later.start(), cue.end()) == 0:
                    wide_end = later.start()
                    break
            core_end = wide_end if at_start else _segment_end(text, cue.end(), wide_end)
            candidates = [p for p in _top_level(ctx, block, cue.end(), wide_end)
                          if ctx.role(p) in ("main", "delta")]
            if not candidates:
                continue
            first = candidates[0]
            role, key = ctx.role(first), unit_key(first.figure)
            if role == "delta" and not SPLIT_CUE.search(cue.group()):
                continue
            parts = [p for p in candidates if _eligible(ctx, p, role, key)]
            core = [p for p in parts if p.end <= core_end]
            search_start = _previous_sentence_start(ctx, block, s_start) if at_start else s_start
            before = [p for p in _top_level(ctx, block, search_start, cue.start())
                      if _eligible(ctx, p, role, key) and ctx.depth(block, p.start, search_start) == 0]
            if not before:
                continue
            total = before[-1]
            if at_start and any(_names_other_total(ctx, p) for p in parts[:1]):
                continue  # "净资产 A。其中，行政单位资产总额 B…": the parts are of another whole
            parts = _until_other_total(ctx, total, parts)
            if _record_list(text, cue.end(), parts):
                continue  # 其中：A支出X，预算Y，差值Z；B支出…: a record per item, not a partition
            core = [p for p in core if p in parts]
            scope_text = text[cue.start():core_end]
            partial = bool(PARTIAL.search(cue.group())) or bool(re.search(r"等(?![\d一二三四五六七八九十])", scope_text))
            if s_end >= len(text.rstrip()) and text.rstrip()[-1:] not in "。！？!?":
                partial = True  # the text stops mid-sentence: the list may go on
            findings.extend(_check_forward(ctx, total, parts, core, partial, out))
    return findings


def _record_list(text: str, start: int, parts: list[Placed]) -> bool:
    """True when the list's ；-segments mostly hold several amounts each: every item is a
    record of several quantities (its spending, budget and difference), not one part."""
    segments: dict[int, int] = {}
    for p in parts:
        segment = sum(text.count(mark, start, p.start) for mark in SEGMENT_END)
        segments[segment] = segments.get(segment, 0) + 1
    return len(segments) >= 2 and sum(n >= 2 for n in segments.values()) * 2 > len(segments)


def _check_forward(ctx: Context, total: Placed, parts: list[Placed], core: list[Placed],
                   partial: bool, out: list[Breakdown]) -> list[Finding]:
    # a running sum that meets the total at the end of a segment (；) closes the breakdown
    for k in range(1, len(parts) + 1):
        if k == 1 and len(parts) > 1:
            continue
        if k < len(parts) and not _segment_between(ctx, parts[k - 1], parts[k]) \
                and not _opens_breakdown(ctx, parts[k]):
            continue
        if _matches(total, parts[:k]):
            out.append(Breakdown(total, parts[:k], "forward"))
            return _judge_sum(ctx, total, parts[:k], partial=partial, subset=False,
                              exceed_rule="PX001", short_rule=None, label="其中")
    core = core or parts[:1]
    if len(core) == 1:
        out.append(Breakdown(total, core, "subset"))
        return _judge_sum(ctx, total, core, partial=True, subset=True, exceed_rule="PX005",
                          short_rule=None, label="其中")
    out.append(Breakdown(total, core, "forward"))
    return _judge_sum(ctx, total, core, partial=partial, subset=False, exceed_rule="PX001",
                      short_rule="PX002", label="其中")


def parenthesised(ctx: Context, out: list[Breakdown]) -> list[Finding]:
    findings: list[Finding] = []
    for block, text in ctx.texts.items():
        items = ctx.by_block.get(block, [])
        if not items:
            continue
        ends = {p.end for p in items}
        for opening in OPENING_PAREN.finditer(text):
            pos = opening.start()
            back = pos
            while back > 0 and text[back - 1] == " ":
                back -= 1
            if back not in ends:
                continue
            depth, close = 0, None
            for j in range(pos, min(len(text), pos + 400)):
                if text[j] in "（(":
                    depth += 1
                elif text[j] in "）)":
                    depth -= 1
                    if depth == 0:
                        close = j
                        break
            if close is None:
                continue
            inner = text[pos + 1:close]
            cue = re.match(r"\s*(其中|含|包括|包含|内含|其中含)", inner)
            subset_cue = bool(cue and "含" in cue.group(1))
            inside = [p for p in ctx.between(block, pos + 1, close)
                      if ctx.depth(block, p.start, pos + 1) == 0 and ctx.role(p) == "main"]
            clause_from = ctx.clause_start(block, back)
            for key in dict.fromkeys(unit_key(p.figure) for p in inside):
                parts = [p for p in inside if unit_key(p.figure) == key]
                owners = [p for p in ctx.between(block, clause_from, back)
                          if unit_key(p.figure) == key and ctx.role(p) == "main"
                          and ctx.depth(block, p.start, clause_from) == 0]
                if not owners:
                    continue
                total = owners[-1]
                if len(parts) == 1 and not cue:
                    continue
                subset = subset_cue or len(parts) == 1
                out.append(Breakdown(total, parts, "subset" if subset else "paren"))
                findings.extend(_judge_sum(ctx, total, parts, partial=bool(PARTIAL.search(inner)),
                                           subset=subset,
                                           exceed_rule="PX005" if subset else "PX001",
                                           short_rule="PX002", label="括号"))
    return findings


def backward(ctx: Context, out: list[Breakdown]) -> list[Finding]:
    findings: list[Finding] = []
    for item in ctx.placed:
        if ctx.role(item) != "main" or ctx.is_rate(item):
            continue
        cued = bool(BACKWARD_CUE.match(ctx.clause_left(item)))
        if not cued and not TOTAL_WORD.search(ctx.left(item)):
            continue  # neither 共计 before it nor a 总计 with 加 clauses before it
        block, text = item.block, ctx.text(item.block)
        s_start, _ = ctx.sentence_bounds(block, item.start)
        head = text[s_start:item.start]
        if not cued and not (ADD_CLAUSE.search(head)
                             and not re.search(r"净|淨|余额|餘額|差额", ctx.left(item))):
            continue
        key = unit_key(item.figure)
        last_cue = max([m.end() for m in FORWARD_CUE.finditer(head)] or [0])
        parts = [p for p in _top_level(ctx, block, s_start + last_cue, item.start)
                 if _eligible(ctx, p, "main", key)]
        if len(parts) < 2:
            continue
        matched = None
        for k in range(2, len(parts) + 1):
            if _matches(item, parts[-k:]):
                matched = parts[-k:]
                break
        chosen = matched or parts
        out.append(Breakdown(item, chosen, "backward"))
        if matched:
            findings.extend(_judge_sum(ctx, item, matched, partial=False, subset=False,
                                       exceed_rule="PX003", short_rule="PX003", label="合计"))
        else:
            findings.extend(_judge_sum(ctx, item, chosen, partial=False, subset=False,
                                       exceed_rule="PX003", short_rule="PX003", label="合计"))
    return findings


def composition(ctx: Context, out: list[Breakdown]) -> list[Finding]:
    """共N个 … 年初A个 … 年中增加B个 (… 减少C个): N = A + B − C."""
    findings: list[Finding] = []
    for item in ctx.placed:
        if ctx.role(item) != "main" or not COMPOSITION_TOTAL.search(ctx.left(item)):
            continue
        block = item.block
        _, s_end = ctx.sentence_bounds(block, item.start)
        key = unit_key(item.figure)
        after = [p for p in _top_level(ctx, block, item.end, s_end) if unit_key(p.figure) == key]
        initial = [p for p in after if ctx.role(p) == "main" and INITIAL.search(ctx.left(p))]
        added = [p for p in after if ADDED.search(ctx.left(p))]
        removed = [p for p in after if REMOVED.search(ctx.left(p))]
        if len(initial) != 1 or len(added) != 1 or len(removed) > 1:
            continue
        expected = interval(initial[0].figure) + interval(added[0].figure)
        mid = initial[0].figure.normalized.value + added[0].figure.normalized.value
        refs = [ref(item, "total"), ref(initial[0], "initial"), ref(added[0], "added")]
        involved = [item, initial[0], added[0]]
        if removed:
            expected = expected - interval(removed[0].figure)
            mid -= removed[0].figure.normalized.value
            refs.append(ref(removed[0], "removed"))
            involved.append(removed[0])
        out.append(Breakdown(item, involved[1:], "composition"))
        findings.extend(judged("PX006", ctx, refs, item, expected, mid, involved))
    return findings


TOTAL_ROW = re.compile(r"^\s*(合\s*计|总\s*计|小\s*计|总\s*分|合計|總計|小計|總分)\s*[:：]?\s*$")
TOP_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、．]|[(（][一二三四五六七八九十]{1,3}[)）])")
SUBTOTAL_ROW = re.compile(r"\S\s*(合\s*计|小\s*计|合計|小計)\s*[:：]?\s*$")  # 本年收入合计


def table_columns(ctx: Context, out: list[Breakdown]) -> list[Finding]:
    """A 合计 / 总计 / 总分 row of a table: each column's cell against the cells above it."""
    findings: list[Finding] = []
    tables: dict[int, dict[int, list[Placed]]] = {}
    for p in ctx.placed:
        if p.figure.location.row is not None and p.figure.location.col is not None:
            tables.setdefault(p.block, {}).setdefault(p.figure.location.row, []).append(p)
    form_totals = _form_total_ids(ctx.report.self_eval_table)
    for block, rows in tables.items():
        text = ctx.text(block)
        labels = {}
        for row, items in rows.items():
            first = min(items, key=lambda p: p.start)
            line_start = text.rfind("\n", 0, first.start) + 1
            labels[row] = re.split(r"\s*\|\s*|\t", text[line_start:first.start].strip())[0]
        ordered = sorted(rows)
        for position, row in enumerate(ordered):
            if not TOTAL_ROW.match(labels[row]):
                continue
            above = ordered[:position]
            last_total = max([a for a in above if TOTAL_ROW.match(labels[a])] or [-1])
            since = [r for r in above if r > last_total]
            plain = [r for r in above if not TOTAL_ROW.match(labels[r])]
            # 总计 = 本年收入合计 + 年初结转和结余: the last subtotal and the rows after it
            last_sub = max([a for a in since if SUBTOTAL_ROW.search(labels[a])] or [-1])
            after_sub = [r for r in since if r >= last_sub] if last_sub >= 0 else []
            # 一、工资福利支出 | 500 (基本工资 | 300, 津贴补贴 | 200) 二、…: the numbered heads
            heads = [r for r in since if TOP_ORDINAL.match(labels[r])]
            choices = ((heads,) if len(heads) >= 2 else ()) + (since, plain, above) \
                + ((after_sub,) if after_sub else ())  # the first is the one reported
            columns = [_by_column(rows, choice) for choice in choices]
            for cell in rows[row]:
                if ctx.is_rate(cell) or cell.figure.id in form_totals:
                    continue  # a self-evaluation form's 总分 also counts its funds row (PX027)
                col, key = cell.figure.location.col, unit_key(cell.figure)
                options, single = [], []
                for by_column in columns:
                    parts = by_column.get((col, key), [])
                    if len(parts) >= 2:
                        options.append(parts)
                    elif parts:
                        single.append(parts)  # 项目 | 300 / 小计 | 300: its one row
                if not options or any(_matches(cell, parts) for parts in options + single):
                    if options:
                        out.append(Breakdown(cell, options[0], "table"))
                    continue
                ragged = [r for r in above if any(unit_key(p.figure) == key for p in rows[r])
                          and not any(p.figure.location.col == col and unit_key(p.figure) == key
                                      for p in rows[r])]
                if ragged:
                    continue  # a row whose cells sit in other columns: the columns don't line up
                if _continues_table(ctx, block):
                    continue  # the table began in the block before (a page break): parts unseen
                out.append(Breakdown(cell, options[0], "table"))
                refs = [ref(cell, "total")] + [ref(p, "part") for p in options[0]]
                findings.extend(judged("PX007", ctx, refs, cell, parts_interval(options[0]), parts_value(options[0]),
                                       [cell] + options[0]))
    return findings


def _form_total_ids(table: Optional[dict]) -> set[str]:
    """Figure ids of the 总分 cells of the report's self-evaluation forms."""
    forms = [table, *(table.get("more") or [])] if table else []
    return {(form.get(key) or {}).get("figure_id") for form in forms
            for key in ("total_weight", "total_score")} - {None}


def _by_column(rows: dict[int, list[Placed]], choice: list[int]) -> dict[tuple, list[Placed]]:
    """The cells of the rows ``choice`` by (column, unit key), in row order: the parts a
    total row's cell may sum, gathered once per total row."""
    out: dict[tuple, list[Placed]] = {}
    for r in choice:
        for p in rows[r]:
            out.setdefault((p.figure.location.col, unit_key(p.figure)), []).append(p)
    return out


def _continues_table(ctx: Context, block: int) -> bool:
    """True when the block just before is a table too, so this table may be its second half.

    Readers split one table into two blocks at a page break or a gap (pdf); its total row
    then sums cells of both blocks, and checking only this block's cells would be wrong.
    """
    previous = ctx.text(block - 1)
    return bool(previous) and previous.count(" | ") >= 2 and "\n" in previous


def run(ctx: Context) -> list[Finding]:
    breakdowns: list[Breakdown] = []
    findings = parenthesised(ctx, breakdowns)
    findings += forward(ctx, breakdowns)
    findings += backward(ctx, breakdowns)
    findings += composition(ctx, breakdowns)
    findings += table_columns(ctx, breakdowns)
    ctx.breakdowns = breakdowns  # the ratio family reads shares of these totals
    return findings
