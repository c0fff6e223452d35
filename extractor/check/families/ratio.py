"""Ratio family: a stated rate against its stated numerator and denominator.

- PX020 execution-type rates (执行率 / 完成率 / 到位率 / 支付率) with both amounts in the same
  sentence, or in the same table row (columns 预算数 … 执行数 … 执行率);
- PX021 "A，占/为/完成 <名称> B 的 r%": both amounts stated;
- PX022 "A，占 <名称> 的比重为 r%": the whole named, found by its name earlier in the report;
- PX023 "其中 A，占 r%": the share of a breakdown's total;
- PX024 per-head amounts (人均 / 户均 / 平均每辆);
- PX026 得分 = 分值 × 执行率 in a self-evaluation funds row, where the form says so;
- PX025 a rate whose formula names its operands — "执行率为 r%（本年支出合计/调整后预算支出）",
  "执行率（实际支出÷预算数）为 r%" — with the operands found by their labels earlier in the report.
A rate written as 98.8% matches a quotient within 0.05 percentage points; the amounts' own
rounding widens the quotient's interval (Decimal interval division).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from ..context import Context, Placed, unit_key
from ..findings import Finding
from ..tolerance import Interval, exact, interval, is_approx
from .common import FILLER_TAIL, judged, label_of, ref

EXEC_RATE = re.compile(r"(执行率|執行率|完成率|到位率|支付率|拨付率|撥付率|使用率|兑现率)")
DENOMINATOR_WORDS = re.compile(r"预算|預算|计划|計劃|总额|總額|下达|下達|批复|安排|资金共|應|应|目标|任务")
NUMERATOR_WORDS = re.compile(r"执行|執行|支出|拨付|撥付|完成|到位|使用|实际|實際|已|决算|決算")
SHARE_NAMED = re.compile(r"(占|佔)([^，,。；;占佔]{0,24}?)(的)?(比重|比例|份额|比)?\s*(为|為|是|达|達)?\s*$")
GENERIC_WHOLE = re.compile(r"^(总额|總額|总数|總數|总量|總量|合计|合計|总计|總計|全部|总体|总)$")


def _quotient_check(rule: str, ctx: Context, rate: Placed, num: Placed, den: Placed) -> list[Finding]:
    if den.figure.normalized.value == 0:
        return []
    quotient = interval(num.figure).divided_by(interval(den.figure))
    if quotient is None:
        return []
    mid = num.figure.normalized.value / den.figure.normalized.value
    refs = [ref(rate, "rate"), ref(num, "numerator"), ref(den, "denominator")]
    return judged(rule, ctx, refs, rate, quotient, mid, [rate, num, den], family="ratio")


def _sentence_amounts(ctx: Context, rate: Placed) -> list[Placed]:
    """Money amounts before the rate: in its segment (up to ；) when it holds two, else in
    its sentence since the execution-type rate before it (预算850万元，到位820万元，到位率96.5%；
    已支出792.6万元，支付率96.7%: the first two are the 到位率's, not the 支付率's); never inside
    parentheses."""
    s_start, _ = ctx.sentence_bounds(rate.block, rate.start)
    text = ctx.text(rate.block)
    seg_start = max([s_start] + [text.rfind(ch, s_start, rate.start) + 1 for ch in "；;"])
    s_start = max([s_start] + [p.end for p in ctx.between(rate.block, s_start, seg_start)
                               if p.figure.kind == "rate" and EXEC_RATE.search(ctx.left(p))])
    for start in (seg_start, s_start):
        amounts = [p for p in ctx.between(rate.block, start, rate.start)
                   if ctx.role(p) == "main" and p.figure.kind == "money"
                   and ctx.depth(rate.block, p.start, start) == 0]
        if len(amounts) >= 2:
            return amounts
    return amounts


def _pick(ctx: Context, amounts: list[Placed]) -> Optional[tuple[Placed, Placed]]:
    """(numerator, denominator) among the money amounts before an execution rate."""
    if len(amounts) == 2:
        first, second = amounts
        spent_first = NUMERATOR_WORDS.search(ctx.clause_left(first)) \
            and not DENOMINATOR_WORDS.search(ctx.clause_left(first))
        if spent_first and DENOMINATOR_WORDS.search(ctx.clause_left(second)):
            return first, second
        if spent_first and not NUMERATOR_WORDS.search(ctx.clause_left(second)):
            return None  # 实际支出X，结余Y，使用率r: the rate's budget is not among them
        return second, first
    dens = [p for p in amounts if DENOMINATOR_WORDS.search(ctx.clause_left(p))]
    nums = [p for p in amounts if NUMERATOR_WORDS.search(ctx.clause_left(p))
            and not DENOMINATOR_WORDS.search(ctx.clause_left(p))]
    if dens and nums:
        return nums[-1], dens[-1]
    return None


def execution(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for rate in ctx.placed:
        if ctx.role(rate) != "rate" or rate.figure.kind != "rate":
            continue
        if rate.figure.location.row is not None or ctx.text(rate.block).strip() == rate.figure.text.strip():
            continue  # tables below
        if not EXEC_RATE.search(ctx.left(rate)):
            continue
        pair = _pick(ctx, _sentence_amounts(ctx, rate))
        if pair is None:
            continue
        findings.extend(_quotient_check("PX020", ctx, rate, *pair))
    return findings


def _table_rows(ctx: Context) -> list[tuple[str, list[Placed]]]:
    """(header text, figures of one row) for table rows and for one-cell-per-block runs."""
    rows: list[tuple[str, list[Placed]]] = []
    grouped: dict[tuple[int, int], list[Placed]] = {}
    for item in ctx.placed:
        if item.figure.location.row is not None:
            grouped.setdefault((item.block, item.figure.location.row), []).append(item)
    for (block, row), items in grouped.items():
        text = ctx.text(block)
        first = min(p.start for p in items)
        header = text[max(0, first - 400):first]
        rows.append((header, items))
    # flattened tables: consecutive blocks each holding one bare figure
    run: list[Placed] = []
    blocks = sorted(ctx.texts)
    def flush():
        if len(run) >= 3:
            start_block = run[0].block
            earlier = [b for b in blocks if start_block - 40 <= b < start_block]
            header = " ".join(ctx.text(b) for b in earlier)
            rows.append((header, list(run)))
        run.clear()
    previous_block = None
    for block in blocks:
        items = ctx.by_block.get(block, [])
        lone = len(items) == 1 and items[0].figure.location.row is None \
            and ctx.text(block).strip() == items[0].figure.text.strip()
        if lone and (previous_block is None or block == previous_block + 1 or not run):
            run.append(items[0])
            previous_block = block
            continue
        flush()
        previous_block = None
        if lone:
            run.append(items[0])
            previous_block = block
    flush()
    return rows


def _header_cells(header: str) -> Optional[list[str]]:
    """The cells of the last pipe-table line of ``header`` naming an execution rate."""
    for line in reversed(header.splitlines()):
        if "|" in line and EXEC_RATE.search(line):
            cells = [c.strip() for c in line.split("|")]
            if cells and not cells[0]:
                cells = cells[1:]
            if cells and not cells[-1]:
                cells = cells[:-1]
            return cells
    return None


def _column_agrees(header: str, rate: Placed) -> bool:
    """A grid row's rate sits under the header cell naming the rate (when the header is a pipe
    line); a row shifted against its header (a blank cell dropped) pairs the wrong amounts."""
    col = rate.figure.location.col
    cells = _header_cells(header)
    if col is None or cells is None:
        return True
    return col < len(cells) and bool(EXEC_RATE.search(cells[col]))


def table_execution(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for header, items in _table_rows(ctx):
        if not EXEC_RATE.search(header):
            continue
        for position, rate in enumerate(items):
            if rate.figure.kind != "rate" or ctx.role(rate) != "rate":
                continue
            if not _column_agrees(header, rate):
                continue
            money = [p for p in items[:position] if p.figure.kind == "money"]
            # the amounts of this row: those since the previous rate in the run
            previous_rates = [i for i, p in enumerate(items[:position]) if p.figure.kind == "rate"]
            if previous_rates:
                money = [p for p in items[previous_rates[-1] + 1:position] if p.figure.kind == "money"]
            pair = _pair_by_columns(_header_cells(header), money, items) \
                if rate.figure.location.col is not None else None
            if pair is None and len(money) >= 2 and _header_cells(header) is None:
                pair = money[-1], money[-2]
            if pair is None:
                continue
            findings.extend(_quotient_check("PX020", ctx, rate, *pair))
    return findings


def _pair_by_columns(cells: Optional[list[str]], money: list[Placed], row: list[Placed]
                     ) -> Optional[tuple[Placed, Placed]]:
    """(executed, budget) of a grid row, read by the header cell above each amount: the executed
    amount under a column naming execution (执行数, 支出数), the budget the nearest column to its
    left naming a budget. None when the executed cell is empty, the header does not say, or an
    amount column of the row is blank: a row rebuilt from text with a cell left out can't tell
    which amount column is the empty one, so the pairing would be a guess."""
    if not cells:
        return None
    def header(p: Placed) -> str:
        col = p.figure.location.col
        return cells[col] if col is not None and col < len(cells) else ""
    executed = [p for p in money if NUMERATOR_WORDS.search(header(p)) and not DENOMINATOR_WORDS.search(header(p))]
    if not executed:
        return None
    num = executed[-1]
    filled = {p.figure.location.col for p in row}
    amount_columns = [i for i, c in enumerate(cells) if i <= (num.figure.location.col or 0)
                      and (NUMERATOR_WORDS.search(c) or DENOMINATOR_WORDS.search(c)) and not EXEC_RATE.search(c)]
    if any(i not in filled for i in amount_columns):
        return None
    budgets = [p for p in money if p.figure.location.col is not None and num.figure.location.col is not None
               and p.figure.location.col < num.figure.location.col and DENOMINATOR_WORDS.search(header(p))]
    return (num, budgets[-1]) if budgets else None


def _numerator_before(ctx: Context, item: Placed, key: Optional[str] = None,
                      subject: str = "") -> Optional[Placed]:
    s_start, _ = ctx.sentence_bounds(item.block, item.start)
    for p in reversed(ctx.between(item.block, s_start, item.start)):
        if ctx.role(p) != "main" or (key and unit_key(p.figure) != key):
            continue
        if subject:
            label = ctx.left(p)
            if not (subject in label or (label and label.strip() and label.strip() in subject)):
                return None
        return p
    return None


def stated_share(ctx: Context) -> list[Finding]:
    """A，占/为/完成 <名称> B 的 r%."""
    findings: list[Finding] = []
    for rate in ctx.placed:
        if ctx.role(rate) != "rate" or rate.figure.kind != "rate":
            continue
        whole = ctx.previous_in_block(rate)
        if whole is None or ctx.role(whole) != "ref":
            continue
        gap = ctx.text(rate.block)[whole.end:rate.start]
        if not re.fullmatch(r"\s*的\s*(比重|比例)?\s*(为|為|是|达|達)?\s*", gap):
            continue
        part = _numerator_before(ctx, whole, unit_key(whole.figure))
        if part is None:
            continue
        findings.extend(_quotient_check("PX021", ctx, rate, part, whole))
    return findings


def _subsequence_span(needle: str, haystack: str) -> Optional[int]:
    """Length of the shortest stretch of haystack holding needle's characters in order."""
    best = None
    for begin in range(len(haystack)):
        if haystack[begin] != needle[0]:
            continue
        i, j = 0, begin
        while j < len(haystack) and i < len(needle):
            if haystack[j] == needle[i]:
                i += 1
            j += 1
        if i == len(needle):
            span = j - begin
            best = span if best is None or span < best else best
    return best


def _named_whole(ctx: Context, name: str, part: Placed) -> Optional[Placed]:
    """The nearest earlier figure (same unit, larger) whose own label is ``name``."""
    name = re.sub(r"^(全|本|当年|當年|同期)", "", name)
    if len(name) < 2:
        return None
    key = unit_key(part.figure)
    best = None
    for p in ctx.placed:
        if p is part or p.index >= part.index or p.block < part.block - 6:
            continue
        if unit_key(p.figure) != key or ctx.role(p) != "main":
            continue
        if p.figure.normalized.value < part.figure.normalized.value:
            continue
        label = ctx.clause_left(p)
        span = _subsequence_span(name, label[-(len(name) * 3 + 6):])
        if span is not None and span <= 2 * len(name) + 2:
            best = p
    return best


def named_share(ctx: Context) -> list[Finding]:
    """A，占 <名称> 的比重为 r% (PX022) and shares of a breakdown's total (PX023)."""
    findings: list[Finding] = []
    part_of = {id(p): b.total for b in getattr(ctx, "breakdowns", []) for p in b.parts
               if b.kind in ("forward", "paren", "backward")}
    for rate in ctx.placed:
        if ctx.role(rate) != "rate" or rate.figure.kind != "rate":
            continue
        left = ctx.left(rate)
        match = SHARE_NAMED.search(left)
        if not match:
            continue
        clause = ctx.clause_left(rate)
        if ctx.between(rate.block, ctx.clause_start(rate.block, rate.start), rate.start):
            continue  # a figure in the same clause: PX021's business
        name = match.group(2).strip()
        subject = clause[:clause.rfind(match.group(1))].strip() if match.group(1) in clause else ""
        part = _numerator_before(ctx, rate, None, subject)
        if part is None or part.figure.kind == "rate":
            continue
        if not name or GENERIC_WHOLE.match(name):
            whole = part_of.get(id(part))
            if whole is not None:
                findings.extend(_quotient_check("PX023", ctx, rate, part, whole))
            continue
        whole = _named_whole(ctx, name, part)
        if whole is not None:
            findings.extend(_quotient_check("PX022", ctx, rate, part, whole))
    return findings


PER_HEAD = re.compile(r"(人均|户均|戶均|车均|車均|平均每\s*(人次|人|户|戶|辆|輛|车|車|家|个|個|名)|每\s*(人次|人|户|戶|辆|輛|家|名))[^，,。；;\d]{0,10}$")
HEAD_UNITS = {"人": ("人", "人次", "名"), "户": ("户", "戶"), "戶": ("户", "戶"), "辆": ("辆", "輛"),
              "輛": ("辆", "輛"), "车": ("辆", "輛"), "車": ("辆", "輛"), "家": ("家",), "个": ("个", "個"),
              "個": ("个", "個"), "名": ("人", "名")}


def per_head(ctx: Context) -> list[Finding]:
    """人均 / 户均 / 平均每辆 X = an amount over a count stated before it in the sentence."""
    findings: list[Finding] = []
    for item in ctx.placed:
        if item.figure.kind != "money" or ctx.role(item) != "main":
            continue
        match = PER_HEAD.search(ctx.left(item))
        if not match:
            continue
        head = (match.group(2) or match.group(3) or match.group(1)[0])[0]
        if head == "平":
            continue
        units = HEAD_UNITS.get(head, ())
        s_start, _ = ctx.sentence_bounds(item.block, item.start)
        before = [p for p in ctx.between(item.block, s_start, item.start) if ctx.role(p) == "main"]
        amounts = [p for p in before if p.figure.kind == "money" and not PER_HEAD.search(ctx.left(p))]
        counts = [p for p in before if p.figure.kind == "count" and p.figure.unit[-1:] in units
                  or (p.figure.kind == "count" and p.figure.unit[-2:] in units)]
        if not amounts or not counts:
            continue
        numerator, denominator = amounts[-1], counts[-1]
        if denominator.figure.normalized.value == 0:
            continue
        subject = re.sub(r"^[\s，,：:]*(?:其中|另|并|並|且)?", "", ctx.left(item)[:match.start()]).strip()
        if len(subject) >= 2 and subject not in ctx.clause_left(numerator):
            continue  # "分红款每户可分得 X": the per-head amount is of another sum than the one stated
        quotient = interval(numerator.figure).divided_by(interval(denominator.figure))
        if quotient is None:
            continue
        mid = numerator.figure.normalized.value / denominator.figure.normalized.value
        refs = [ref(item, "rate"), ref(numerator, "numerator"), ref(denominator, "denominator")]
        findings.extend(judged("PX024", ctx, refs, item, quotient, mid, [item, numerator, denominator]))
    return findings


_OPERAND = r"[^/÷（）()，,。；;：:、\d%]{2,24}?"
FORMULA = r"[(（]\s*[=＝]?\s*(?P<num>" + _OPERAND + r")\s*[/÷／]\s*(?P<den>" + _OPERAND + \
          r")\s*(?:[×xX*＊]\s*100\s*[%％])?\s*[)）]"
FORMULA_AFTER = re.compile(r"^\s*" + FORMULA)
FORMULA_BEFORE = re.compile(FORMULA + r"\s*(?:为|為|是|达到|達到|达|達)?\s*[:：]?\s*$")


YEAR_WORD = re.compile(r"^(?:全年|本年度?|当年|當年|年度)")


@lru_cache(maxsize=4096)
def _name_key(text: str) -> str:
    """A label or an operand's name without 全年 / 本年 in front and 合计 / 数 / 为 behind."""
    return FILLER_TAIL.sub("", YEAR_WORD.sub("", FILLER_TAIL.sub("", text.strip())))


def _named(ctx: Context, name: str, before: Placed) -> list[Placed]:
    """Figures before ``before`` labelled ``name`` (全年 / 合计 / 数 ... aside), each value once."""
    name = _name_key(name)
    out: list[Placed] = []
    for p in ctx.placed:
        if p.index >= before.index:
            break
        if ctx.role(p) != "main" or p.figure.kind == "rate" or is_approx(p.figure):
            continue
        if _name_key(label_of(ctx, p)) == name and all(q.figure.normalized.value != p.figure.normalized.value
                                            for q in out):
            out.append(p)
    return out


def formula(ctx: Context) -> list[Finding]:
    """执行率为 r%（A/B）: r against A / B, A and B found by their labels. When a label has
    several values in the report, the rate is flagged only when no pair of them fits."""
    findings: list[Finding] = []
    for rate in ctx.placed:
        if ctx.role(rate) != "rate" or rate.figure.kind != "rate" or "百分点" in rate.figure.unit:
            continue
        match = FORMULA_AFTER.match(ctx.text(rate.block)[rate.end:rate.end + 60]) \
            or FORMULA_BEFORE.search(ctx.left(rate))
        if not match or _name_key(match.group("num")) == _name_key(match.group("den")):
            continue
        if EXEC_RATE.search(ctx.left(rate)) and _pick(ctx, _sentence_amounts(ctx, rate)):
            continue  # both amounts in the sentence: PX020 judges it
        nums, dens = _named(ctx, match.group("num"), rate), _named(ctx, match.group("den"), rate)
        pairs = [(n, d) for n in nums for d in dens
                 if unit_key(n.figure) == unit_key(d.figure) and n is not d]
        if not pairs:
            continue
        results = [_quotient_check("PX025", ctx, rate, n, d) for n, d in pairs]
        if all(r and r[0].severity != "info" for r in results):
            findings.extend(results[0])
        elif len(results) == 1:
            findings.extend(results[0])
    return findings


def self_eval_execution(ctx: Context) -> list[Finding]:
    """执行率 = 全年执行数 / 全年预算数 in the funds rows of the parsed self-evaluation table
    (Report.self_eval_table), when each of the three cells holds a figure of the right kind: a
    row read against the wrong headers (a rate under 分值, a bare number under 执行率) is left
    alone."""
    table = ctx.report.self_eval_table or {}
    by_id = {p.figure.id: p for p in ctx.placed}
    findings: list[Finding] = []
    for row in table.get("funds") or []:
        values = row.get("values") or {}
        cells = [by_id.get((values.get(name) or {}).get("figure_id") or "")
                 for name in ("执行率", "全年执行数", "全年预算数")]
        rate, num, den = cells
        if rate is None or num is None or den is None or rate.figure.kind != "rate":
            continue
        if num.figure.kind in ("rate", "rate_delta") or den.figure.kind in ("rate", "rate_delta"):
            continue
        if num.figure.normalized.unit != den.figure.normalized.unit:
            continue
        findings.extend(_quotient_check("PX020", ctx, rate, num, den))
    return findings


SCORE_FORMULA = re.compile(r"得分\s*[(（]?\s*[=＝]\s*[(（]?\s*(?:分值\s*[×xX*＊]\s*(?:预算)?执行率|(?:预算)?执行率\s*[×xX*＊]\s*分值)")


def self_eval_score(ctx: Context) -> list[Finding]:
    """得分 = 分值 × 执行率 in the self-evaluation funds row, where the form says so (PX026)."""
    table = ctx.report.self_eval_table or {}
    stated = [*ctx.texts.values(), *(r.col_header or "" for r in ctx.relations if r.kind == "cell")]
    if not table.get("funds") or not any(SCORE_FORMULA.search(t) for t in stated):
        return []  # the form (its text, or a column header that travels with the report) says so
    by_id = {p.figure.id: p for p in ctx.placed}
    findings: list[Finding] = []
    for row in table["funds"]:
        values = row.get("values") or {}
        weight, rate, score = [by_id.get((values.get(name) or {}).get("figure_id") or "")
                               for name in ("分值", "执行率", "得分")]
        if weight is None or rate is None or score is None or rate.figure.kind != "rate":
            continue
        if any(p.figure.kind in ("rate", "rate_delta") for p in (weight, score)) or \
                any(is_approx(p.figure) for p in (weight, rate, score)):
            continue
        w, r = exact(weight.figure.normalized.value), rate.interval  # a weight (分值 10) is set
        corners = [a * b for a in (w.low, w.high) for b in (r.low, r.high)]
        expected = Interval(min(corners), max(corners))
        mid = weight.figure.normalized.value * rate.figure.normalized.value
        refs = [ref(score, "total"), ref(weight, "value"), ref(rate, "rate")]
        findings.extend(judged("PX026", ctx, refs, score, expected, mid, [weight, rate, score]))
    return findings


def run(ctx: Context) -> list[Finding]:
    return (execution(ctx) + table_execution(ctx) + self_eval_execution(ctx) + self_eval_score(ctx)
            + stated_share(ctx) + named_share(ctx) + per_head(ctx) + formula(ctx))
