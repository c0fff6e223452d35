"""Self-evaluation tables (部门整体支出绩效自评表 / 项目支出绩效自评表).

Recognised by their header cells (patterns/selfeval.yaml), in table blocks from any reader
(docx, pdf, html, xlsx, pipe or tab rows in text) and in tables a web page flattened to one
cell per line. Each table is read into funds rows (年初预算数, 全年预算数, 全年执行数, 分值,
执行率, 得分) and indicator rows (一级/二级/三级指标, 年度指标值, 实际完成值, 分值, 得分,
偏差原因分析); every number in it is a figure whose label is "row column".

Metrics follow from row and column (``cell_metrics`` in the pattern file): 年度资金总额 ×
执行率 is execution.rate; 总分 × 得分 is self_eval.score; in a department's whole-spending
table 年度资金总额 × 年初预算数 / 全年预算数 / 全年执行数 are budget.initial.expenditure /
budget.adjusted.expenditure / final.expenditure. A project table's money is the project's
own: its total row gives budget.initial.project / budget.adjusted.project / final.project (a
project report's unit is the project), its 其中 rows no key. Tables flattened to one cell per
line give labels, and metrics only for full rows (as many numbers as number columns).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Callable, Optional

from .figures import recognizer
from .labels import strip_row_label
from .metrics import cell_key
from .models import Block, Figure, Normalized
from .normalize import fold_width
from .patterns import load, on_change
from .tables import flattened_runs, is_numbered, is_ordinal_line

NOTE = re.compile(r"[（(][^（）()]*[)）]")


@lru_cache(maxsize=1)
def settings() -> dict:
    data = dict(load("selfeval"))
    forms: dict[str, tuple[str, str]] = {}
    for group in ("funds_columns", "indicator_columns", "goal_columns"):
        for name, names in (data.get(group) or {}).items():
            for form in names:
                forms.setdefault(_norm(str(form)), (group, str(name)))
    data["_forms"] = forms
    data["_rows"] = {key: {_norm(str(x)) for x in data.get(key) or []}
                     for key in ("total_funds_rows", "total_score_rows", "funds_rows")}
    return data


def _clear() -> None:
    settings.cache_clear()
    _norm.cache_clear()
    cell_metric.cache_clear()


on_change(_clear)


@lru_cache(maxsize=16384)
def _norm(text: str) -> str:
    text = fold_width(text or "")
    text = NOTE.sub("", text)
    return re.sub(r"[\s:：]", "", text)


def column_name(text: str) -> Optional[tuple[str, str]]:
    """(group, column) when ``text`` is a self-evaluation header cell."""
    return settings()["_forms"].get(_norm(text))


def _row_kind(row_label: str) -> str:
    s = settings()
    name = re.sub(r"^[^\w]+", "", _norm(row_label)).removeprefix("其中")  # ……总分: elided rows
    for kind, key in (("total_funds", "total_funds_rows"), ("total_score", "total_score_rows"),
                      ("funds", "funds_rows")):
        if name in s["_rows"][key]:
            return kind
    return "indicator"


def _table_kind(title: str, genre: Optional[str]) -> str:
    text = _norm(title)
    for kind, names in (settings().get("kinds") or {}).items():
        if any(_norm(n) in text for n in names):
            return kind
    return "dept_overall" if genre == "dept_overall_self_eval" else "project"


@lru_cache(maxsize=4096)
def cell_metric(table_kind: str, row_label: str, column: str,
                genre: Optional[str] = None) -> Optional[str]:
    """The metric a rule of ``cell_metrics`` gives a cell (a rule may name the table kinds and
    report genres it holds in: a project table is the unit's own only in a project report).
    Cached: a row's cells and a table's rows ask again and again."""
    row = _row_kind(row_label)
    for rule in settings().get("cell_metrics") or []:
        if rule.get("row") == row and rule.get("column") == column and \
                (not rule.get("kinds") or table_kind in rule["kinds"]) and \
                (not rule.get("genres") or genre in rule["genres"]):
            return str(rule["metric"])
    return None


def _read_cell(kind: str, row_label: str, group: str, column: str, figure: Figure,
               genre: Optional[str] = None) -> Optional[str]:
    """A metric a row names, in the column that holds it.

    Funds rows of a department's table (其中：基本支出 × 年初预算数 -> budget.initial.basic);
    indicator rows in the 实际完成值 column (部门预算执行率 -> execution.rate, 服务对象满意度 ->
    satisfaction.rate). A project table's funds are the project's own: no key.
    """
    s = settings()
    if group == "funds_columns":
        if kind != "dept_overall" or _row_kind(row_label) == "total_score":
            return None
        name = row_label if _row_kind(row_label) != "total_funds" else "支出合计"
        return cell_key(name, column, figure)
    if group == "indicator_columns" and column in s.get("actual_columns", ["实际完成值"]):
        if kind == "project" and genre not in s.get("project_indicator_genres", [genre]):
            return None  # one project's table in a department's report
        if figure.qualifier and figure.qualifier not in figure.text:
            return None  # ≧ | 95 | %: bounded by the 指标性质 cell, the target, not the actual
        return cell_key(row_label, "", figure, actual_only=True)
    return None


@dataclass
class Parsed:
    """What the self-evaluation stage found in one report."""
    tables: list[dict] = field(default_factory=list)
    # block index -> (row, col) -> (row label, column) for table blocks
    header_for: dict[int, Callable[[int, int], Optional[tuple[str, str]]]] = field(default_factory=dict)
    flattened_labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    metrics: dict[str, str] = field(default_factory=dict)  # figure id -> metric

    @property
    def table(self) -> Optional[dict]:
        """The first table titled as a self-evaluation table (else the first table found
        by its headers, such as a 收支预算执行情况 table), the others under "more"."""
        if not self.tables:
            return None
        tables = sorted(self.tables, key=lambda t: not _titled(t["title"]))
        first = dict(tables[0])
        if len(tables) > 1:
            first["more"] = tables[1:]
        return first


def _titled(title: str) -> bool:
    """Whether a table's title names a self-evaluation table (patterns' ``kinds``)."""
    text = _norm(title)
    return any(_norm(n) in text for names in (settings().get("kinds") or {}).values()
               for n in names)


def _named_cell(cells: list, header: dict[int, tuple[str, str]]):
    """A row's name cell that also holds a figure (满意度指标(10分)服务对象满意度): the first cell
    with words outside the value columns, or None."""
    names = settings().get("indicator_name_columns", [])
    return next((c for c in cells if len(re.findall(r"[\u4e00-\u9fff]", c.text)) >= 2
                 and (header.get(c.col) is None or header[c.col][1] in names)
                 and not column_name(c.text)), None)


def _entry(text: str, figure: Optional[Figure]) -> dict:
    return {"text": text, "value": str(figure.value) if figure is not None else None,
            "figure_id": figure.id if figure is not None else None}


# ---------------------------------------------------------------------------------------
# table blocks
# ---------------------------------------------------------------------------------------

def _parse_table_block(block: Block, figures: list[Figure], title: str, genre: Optional[str],
                       parsed: Parsed, continues: bool = False) -> bool:
    """Read one table block; True when it is (part of) a self-evaluation table. A block that
    ``continues`` the last table (its rest on the next page) adds its rows to that table."""
    rows: dict[int, list] = {}
    for cell in block.cells:
        rows.setdefault(cell.row, []).append(cell)
    header_hits = sum(1 for c in block.cells if column_name(c.text))
    if header_hits < int(settings().get("min_header_cells", 3)):
        return False
    by_cell: dict[tuple[int, int], list[Figure]] = {}
    for fig in figures:
        if fig.location.row is not None:
            by_cell.setdefault((fig.location.row, fig.location.col), []).append(fig)
    kind = _table_kind(title + " " + block.text[:200], genre)
    table = {"kind": kind, "title": title, "source": {"block": block.index, "layout": "table"},
             "funds": [], "goals": [], "indicators": [], "total_score": None}
    names: dict[tuple[int, int], tuple[str, str]] = {}
    header: dict[int, tuple[str, str]] = {}
    header_starts_at_zero = False
    carried: dict[str, str] = {}
    name_columns = list(settings().get("indicator_name_columns", []))
    for r in sorted(rows):
        cells = sorted(rows[r], key=lambda c: c.col)
        hits = {c.col: column_name(c.text) for c in cells if c.text.strip() and column_name(c.text)}
        if len(hits) >= 2:
            header = hits
            first_text = next((c for c in cells if c.text.strip()), None)
            # a header row without the row-label column (全年预算数(A) | 全年执行数(B) | …
            # over 年度资金总额 | 808.1 | 692.98 | …) is shifted by one against its data rows
            header_starts_at_zero = (first_text is not None and first_text.col == 0
                                     and first_text.col in hits
                                     and hits[first_text.col][1] not in
                                     settings().get("indicator_name_columns", []))
            continue
        if not header:
            continue
        label_cell = next((c for c in cells if c.text.strip() and not by_cell.get((r, c.col))
                           and not column_name(c.text)), None) or _named_cell(cells, header)
        row_label = strip_row_label(label_cell.text) if label_cell else ""
        shift = 1 if header_starts_at_zero and label_cell is not None and label_cell.col == 0 else 0
        groups = {g for g, _ in header.values()}
        record_values: dict[str, dict] = {}
        indicator_names: dict[str, str] = {}
        for c in cells:
            hit = header.get(c.col - shift)
            if hit is None:
                continue
            group, column = hit
            if column in name_columns:
                text = strip_row_label(c.text)
                if text and not re.fullmatch(r"[/\\—\-–－、.…]*", text):
                    if carried.get(column) != text:
                        # a new 一级指标 ends the 二级/三级 names carried down merged cells
                        for deeper in name_columns[name_columns.index(column) + 1:]:
                            carried.pop(deeper, None)
                    carried[column] = text
                indicator_names[column] = carried.get(column, "")
                continue
            figs = by_cell.get((r, c.col), [])
            record_values[column] = _entry(c.text.strip(), figs[0] if figs else None)
        if "indicator_columns" in groups and indicator_names:
            row_label = next((indicator_names[n] for n in ("三级指标", "二级指标", "一级指标")
                              if indicator_names.get(n)), row_label)
        for c in cells:
            hit = header.get(c.col - shift)
            if hit is None or hit[1] in name_columns:
                continue
            names[(r, c.col)] = (row_label, hit[1])
            for fig in by_cell.get((r, c.col), []):
                metric = cell_metric(kind, row_label, hit[1], genre)
                if metric is None:
                    metric = _read_cell(kind, row_label, hit[0], hit[1], fig, genre)
                if metric:
                    parsed.metrics[fig.id] = metric
        if not record_values:
            continue
        row_kind = _row_kind(row_label)
        record = {"row": row_label, "values": record_values}
        if row_kind == "total_score":
            score = record_values.get("得分") or next(iter(record_values.values()))
            table["total_score"] = score
            if record_values.get("得分") and record_values.get("分值"):
                table["total_weight"] = record_values["分值"]  # 总分 | 100 | … | 96.5
        elif "funds_columns" in groups and (row_kind in ("funds", "total_funds") or
                                            not groups & {"indicator_columns", "goal_columns"}):
            # under a header of funds columns only, every row is funds (其中：基本支出)
            table["funds"].append(record)
        elif "goal_columns" in groups:
            table["goals"].append(record)
        else:
            record.update({k: v for k, v in indicator_names.items()})
            table["indicators"].append(record)
    if not (table["funds"] or table["indicators"] or table["goals"]):
        return False
    if continues or _completes(parsed.tables[-1] if parsed.tables else None, table, title):
        _merge_into(parsed.tables[-1], table)
    else:
        parsed.tables.append(table)
    parsed.header_for[block.index] = lambda row, col, _n=names: _n.get((row, col))
    return True


def _completes(last: Optional[dict], table: dict, title: str) -> bool:
    """Whether ``table`` is the indicator part of the form ``last`` began: a form whose funds
    rows came without indicators, then indicators without funds and no title of a new form
    (the form's goal rows, read as prose, stood between its two parts)."""
    return (last is not None and bool(last["funds"]) and not last["indicators"]
            and bool(table["indicators"]) and not table["funds"] and not _titled(title))


# ---------------------------------------------------------------------------------------
# tables flattened to one cell per line
# ---------------------------------------------------------------------------------------

def _header_tokens(lines: list[str], i: int) -> Optional[tuple[tuple[str, str], int]]:
    """A column name starting at line i, possibly split over up to three lines."""
    joined = ""
    best = None
    for j in range(i, min(i + 3, len(lines))):
        joined += _norm(lines[j])
        hit = column_name(joined)
        if hit:
            best = (hit, j - i + 1)
    return best


def _reread_bare_value(fig: Figure, row_label: str, column: str) -> None:
    """Fix the kind of a sign-less number by its column, once the column is known.

    A flattened table's bare integers up to 100 are first read as scores. Under an
    always-percent column (执行率), or a value column of an indicator named as a rate
    (工程完工率 100), the number is a percentage; under another value column (培训人数 50)
    it is the indicator's own quantity, kind "other".
    """
    if not fig.unit and column in ("分值", "得分") and fig.kind in ("money", "other"):
        fig.kind = "score"  # 99.8 under 得分 (a decimal was first read as an amount)
        fig.normalized = Normalized(value=fig.value, unit="分")
        return
    if fig.unit or fig.kind != "score":
        return
    kind = "rate" if column in settings().get("always_percent_columns", []) \
        else recognizer().indicator_value_kind(column, row_label)
    if kind == "rate":
        fig.kind = "rate"
        fig.normalized = Normalized(value=fig.value * Decimal("0.01"), unit="")
    elif kind == "other":
        fig.kind = "other"
        fig.normalized = Normalized(value=fig.value, unit="")


def _parse_flattened(run: list[Block], figures_by_block: dict[int, list[Figure]], title: str,
                     genre: Optional[str], parsed: Parsed) -> None:
    lines = [fold_width(b.text).strip() for b in run]
    numbered = is_numbered(run)
    kind = _table_kind(title + " " + " ".join(lines[:10]), genre)
    table = {"kind": kind, "title": title,
             "source": {"block": run[0].index, "layout": "flattened"},
             "funds": [], "goals": [], "indicators": [], "total_score": None}
    header: list[tuple[str, str]] = []
    value_columns: list[str] = []
    rows: list[tuple[str, list[tuple[Figure, str, str]], int]] = []  # label, cells, columns
    row_label, before_header = "", ""
    position = 0
    record: Optional[dict] = None
    i = 0
    in_header = False
    while i < len(lines):
        block = run[i]
        figs = figures_by_block.get(block.index, [])
        whole = [f for f in figs if f.text.strip() == block.text.strip()]
        hit = None if whole else _header_tokens(lines, i)
        if hit:
            (group, column), width = hit
            if not in_header:
                header, in_header = [], True
                before_header = row_label
            header.append((group, column))
            value_columns = [c for g, c in header
                             if c not in settings().get("indicator_name_columns", [])]
            i += width
            row_label, position, record = "", 0, None
            continue
        in_header = False
        if whole and not value_columns:
            # no known columns (a final-accounts table: 项目 | 行次 | 金额): the row names it
            parsed.flattened_labels[whole[0].id] = (row_label, "")
        elif whole:
            fig = whole[0]
            label = row_label or before_header
            columns = value_columns
            if _row_kind(label) == "total_score":  # 总分 | 100 | 99.8: the score columns
                columns = _score_columns(value_columns, position + _values_ahead(
                    run, figures_by_block, i))
            column = columns[position] if position < len(columns) else ""
            position += 1
            _reread_bare_value(fig, label, column)
            parsed.flattened_labels[fig.id] = (label, column)
            if position == 1:
                rows.append((label, [], len(columns) if columns is not value_columns
                             else _numeric_columns(header)))
            rows[-1][1].append((fig, dict((c, g) for g, c in header).get(column, ""), column))
            if record is None:
                record = {"row": label, "values": {}}
                groups = {g for g, _ in header}
                row_kind = _row_kind(label)
                if row_kind == "total_score":
                    table["total_score"] = _entry(fig.text, fig)
                    record = {"row": label, "values": {}, "total": True}
                elif "indicator_columns" in groups:
                    table["indicators"].append(record)
                elif "goal_columns" in groups:
                    table["goals"].append(record)
                else:
                    table["funds"].append(record)
            if column:
                record["values"][column] = _entry(fig.text, fig)
            if record.get("total") and column in ("得分", "分值"):
                table["total_score" if column == "得分" else "total_weight"] = \
                    _entry(fig.text, fig)
        elif lines[i] and not (numbered and is_ordinal_line(lines[i])):
            row_label = strip_row_label(lines[i])
            position, record = 0, None
        i += 1
    if table["funds"] or table["indicators"] or table["goals"]:
        parsed.tables.append(table)
    for label, cells, columns in rows:
        _flattened_row_metrics(kind, label, cells, columns, parsed, genre)


def _values_ahead(run: list[Block], figures_by_block: dict[int, list[Figure]], i: int) -> int:
    """How many lines from ``i`` on are one number each (a flattened row's values)."""
    count = 0
    for block in run[i:]:
        if not any(f.text.strip() == block.text.strip() for f in figures_by_block.get(block.index, [])):
            break
        count += 1
    return count


def _score_columns(value_columns: list[str], values: int) -> list[str]:
    """The columns of a flattened 总分 row's ``values`` numbers: the header's last score
    columns (分值, 得分) when it has as many, else the value columns in order."""
    scores = [c for c in value_columns if c in ("分值", "得分")]
    return scores[-values:] if 0 < values <= len(scores) else value_columns


def _numeric_columns(header: list[tuple[str, str]]) -> int:
    """How many of a header's columns hold numbers (not names, not reasons)."""
    text_columns = set(settings().get("indicator_name_columns", [])) | \
        set(settings().get("text_columns", []))
    return sum(1 for _g, c in header if c not in text_columns)


def _flattened_row_metrics(kind: str, label: str, cells: list[tuple[Figure, str, str]],
                           columns: int, parsed: Parsed, genre: Optional[str] = None) -> None:
    """Metrics of a flattened row, only when it is full: as many numbers as the header has
    number columns, so every number sits under its own column (a row with a blank cell
    could have shifted its numbers, and gets none)."""
    text_columns = set(settings().get("text_columns", []))
    cells = [c for c in cells if c[2] not in text_columns]  # a number in a reason column
    if len(cells) != columns:
        return
    for fig, group, column in cells:
        metric = cell_metric(kind, label, column, genre) or \
            _read_cell(kind, label, group, column, fig, genre)
        if metric:
            parsed.metrics[fig.id] = metric


# ---------------------------------------------------------------------------------------
# the whole report
# ---------------------------------------------------------------------------------------

def parse_self_eval(blocks: list[Block], figures: list[Figure], title: str = "",
                    genre: Optional[str] = None) -> Parsed:
    """Find and read the self-evaluation tables of one report."""
    parsed = Parsed()
    by_block: dict[int, list[Figure]] = {}
    for fig in figures:
        by_block.setdefault(fig.location.block, []).append(fig)
    previous_text = title or ""
    last: Optional[Block] = None  # the self-evaluation table block just before, if any
    for block in blocks:
        if block.kind == "table":
            # a table broken by a page break: the next page's block goes on with it
            follows = last is not None and None not in (last.page, block.page) \
                and block.page != last.page
            found = _parse_table_block(block, by_block.get(block.index, []), previous_text,
                                       genre, parsed, follows)
            last = block if found else None
        elif block.text.strip():
            previous_text = block.text.strip()[:80]
            last = None
    for run in flattened_runs(blocks):
        _parse_flattened(run, by_block, title or "", genre, parsed)
    _join_parts(parsed.tables)
    return parsed


def _join_parts(tables: list[dict]) -> None:
    """A form read in two parts (its funds as a table, its indicators as a flattened run,
    both under the form's title) is one form: the indicators join the funds part."""
    for part in list(tables):
        if part["funds"] or not part["indicators"]:
            continue
        head = next((t for t in tables if t is not part and t["title"] == part["title"]
                     and t["funds"] and not t["indicators"]), None)
        if head is not None:
            _merge_into(head, part)
            tables.remove(part)


def _merge_into(head: dict, part: dict) -> None:
    """Add a form's later part to its head: its rows after the head's, and its totals (the
    总分 row comes last) over the head's."""
    for rows in ("funds", "goals", "indicators"):
        head[rows].extend(part[rows])
    for total in ("total_score", "total_weight"):
        if part.get(total):
            head[total] = part[total]
