"""Cross-year comparison: a department x metric x year table from extracted reports.

Values come from each report's canonical ``metrics`` map (the first value when a report gives
a key several values — that cell is marked as a conflict). Money is stated in 万元 and rates
in %, converted exactly with ``Decimal``; year-over-year change is exact, the percentage change
is rounded half-up to 0.01. Years a department has no report for are gaps, not zeros.

Department names that differ only in form across years are matched: width and bracket forms,
spaces, a (本级) suffix, short forms of the unit's name (西湖区应急局 = 西湖区应急管理局, from
patterns/departments.yaml), 人民政府 in front of a department, and a region prefix given or left
out (南昌市西湖区应急管理局, 西湖区应急管理局) — never a different region (东湖区应急管理局).
A short name that fits several full names (西湖区应急管理局 beside both 南昌市西湖区… and
杭州市西湖区…) is not guessed: it keeps its own rows and the ambiguity is reported.
"""
from __future__ import annotations

import csv
import fnmatch
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache
from typing import Iterable, Optional

from .load_reports import LoadedReport
from .meta import clean_department_name as clean_name
from .meta import normalize_department
from .patterns import load, on_change


@lru_cache(maxsize=1)
def _metric_order() -> dict[str, int]:
    """Canonical metric keys in the taxonomy's order (patterns/metrics.yaml, user folders too)."""
    return {key: i for i, key in enumerate(load("metrics")["metrics"])}


on_change(_metric_order.cache_clear)

# Which report of a department-year wins when several give one metric (lower first).
GENRE_PRIORITY = {"dept_overall_self_eval": 0, "final_accounts": 1, "budget_execution": 2,
                  "other": 3, None: 4, "project_self_eval": 5}
GENRE_LABEL = {"dept_overall_self_eval": "部门整体", "project_self_eval": "项目",
               "final_accounts": "决算", "budget_execution": "预算执行", "other": "其他"}

# money units -> the power of ten to 万元 (scaleb is exact and needs no context)
MONEY_EXPONENTS = {"元": -4, "圆": -4, "千元": -1, "万元": 0, "亿元": 4}
MONEY_UNIT = "万元"
WAN = Decimal(10000)
PCT_Q = Decimal("0.01")


def metric_sort_key(key: str) -> tuple:
    """Taxonomy order first; keys the taxonomy does not know follow alphabetically."""
    order = _metric_order()
    return (order.get(key, len(order)), key)


def decimal_text(value: Optional[Decimal]) -> str:
    """Plain notation, no exponent, no trailing zeros: 1268.2285, 400, -0.5."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def is_rate_key(key: str) -> bool:
    return key.endswith("rate") or key.endswith("_rate")


def to_display(key: str, value: Decimal, unit: str) -> tuple[Decimal, str]:
    """A metric value in the unit the table states: money in 万元, rates in %. Exact."""
    unit = (unit or "").strip()
    exponent = MONEY_EXPONENTS.get(unit)
    if exponent is not None:
        return (value.scaleb(exponent) if exponent else value), MONEY_UNIT
    if unit in ("%", "％", "﹪"):
        return value, "%"
    if unit == "" and is_rate_key(key):
        return value.scaleb(2), "%"
    if unit == "‰":
        return value.scaleb(-1), "%"
    return value, unit


def change_unit(unit: str) -> str:
    return "百分点" if unit == "%" else unit


# ---------------------------------------------------------------------------------------
# department names
# ---------------------------------------------------------------------------------------

_REGION_PART = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|州|盟|区|县|旗)")
# Nouns that end like a region but are part of a department's own name.
_NOT_REGION = {"城市", "超市", "都市", "社区", "园区", "校区", "景区", "片区", "矿区", "库区", "城区",
               "辖区", "郊区", "山区", "牧区", "灾区", "新区", "特区", "街区", "营区", "厂区",
               "保护区", "开发区", "示范区", "试验区", "功能区", "风景区", "工业区", "经济区"}


def department_key(name: str) -> str:
    """The form names are matched in: ``extractor.meta.normalize_department`` (formatting
    normalised, short forms such as 应急局 written in full, the region prefix kept)."""
    return normalize_department(name) if name else ""


def is_region_prefix(text: str) -> bool:
    """True when ``text`` is one or more region names (江西省南昌市, 杭州市西湖区) and nothing else."""
    if not text or len(text) > 40:
        return False

    def splits(pos: int) -> bool:
        if pos == len(text):
            return True
        for end in range(pos + 2, min(len(text), pos + 12) + 1):
            part = text[pos:end]
            if not _REGION_PART.fullmatch(part) or part in _NOT_REGION or part[-2:] in _NOT_REGION:
                continue
            if splits(end):
                return True
        return False

    return splits(0)


def with_region(name: str, region: Optional[str]) -> str:
    """``name`` with the report's region in front when the name leaves it out."""
    region = clean_name(region or "")
    if not region or name.startswith(region) or not is_region_prefix(region):
        return name
    # 南昌市西湖区 + 西湖区应急管理局: the overlap is written once
    for cut in range(len(region)):
        tail = region[cut:]
        if name.startswith(tail) and is_region_prefix(region[:cut]):
            return region[:cut] + name
    return region + name


def _shorter_forms(name: str, names: set[str]) -> list[str]:
    """The names in ``names`` that are ``name`` without a region prefix."""
    out = []
    for cut in range(2, len(name) - 1):
        if name[cut - 1] in "省市区县州旗盟" and name[cut:] in names and is_region_prefix(name[:cut]):
            out.append(name[cut:])
    return out


@dataclass
class NameMatch:
    group: dict[str, str]  # cleaned full name -> the group's display name
    aliases: dict[str, list[str]]  # display name -> every raw name seen for it
    warnings: list[dict]


def match_departments(names: Iterable[str]) -> dict[str, str]:
    """cleaned name -> the fullest name of its group, for names that match unambiguously."""
    return _group_names(set(names))[0]


def _group_names(names: set[str]) -> tuple[dict[str, str], list[dict]]:
    extended_by: dict[str, set[str]] = {n: set() for n in names}
    for name in names:
        for short in _shorter_forms(name, names):
            extended_by[short].add(name)
    maximal = {n for n in names if not extended_by[n]}
    group: dict[str, str] = {}
    warnings: list[dict] = []
    for name in sorted(names):
        if name in maximal:
            group[name] = name
            continue
        tops = sorted(n for n in extended_by[name] if n in maximal)
        if len(tops) == 1:
            group[name] = tops[0]
        else:
            group[name] = name
            warnings.append({
                "kind": "ambiguous_department", "name": name, "candidates": tops,
                "message": f"department name {name!r} matches several departments "
                           f"({', '.join(tops)}); its reports are kept apart, not merged"})
    return group, warnings


# ---------------------------------------------------------------------------------------
# the table
# ---------------------------------------------------------------------------------------

_TITLE_TAIL = re.compile(r"(?:项目)?(?:支出)?(?:绩效)?(?:自评|评价)?(?:报告|表)?$")
_YEAR_TEXT = re.compile(r"[(（]?(?:19|20)\d{2}\s*年度?[)）]?")


def project_subject(report: LoadedReport, department: str) -> str:
    """The project a project self-evaluation is about ('' for a whole-department report)."""
    meta = report.meta
    if meta.get("genre") != "project_self_eval":
        return ""
    for key in ("project", "project_name", "subject"):
        if meta.get(key):
            return clean_name(str(meta[key]))
    title = clean_name(meta.get("title") or "")
    for name in (department, clean_name(meta.get("department") or "")):
        if name and name in title:
            title = title.split(name, 1)[1]
    title = _YEAR_TEXT.sub("", title)
    subject = _TITLE_TAIL.sub("", title).strip()
    return subject or (title or report.sha256[:8])


@dataclass
class Cell:
    value: Decimal
    unit: str
    conflict: bool = False
    values: list[str] = field(default_factory=list)  # every distinct value seen, first first
    figure_ids: list[str] = field(default_factory=list)
    sha256: str = ""
    path: str = ""
    genre: Optional[str] = None


@dataclass
class Series:
    department: str
    subject: str = ""  # project name for project reports, '' for the department itself
    aliases: set[str] = field(default_factory=set)
    cells: dict[str, dict[int, Cell]] = field(default_factory=dict)  # metric -> year -> Cell
    years: list[int] = field(default_factory=list)
    reports: dict[int, list[LoadedReport]] = field(default_factory=dict)  # year -> reports

    @property
    def label(self) -> str:
        return f"{self.department} · {self.subject}" if self.subject else self.department

    def metric_keys(self) -> list[str]:
        return sorted(self.cells, key=metric_sort_key)

    def unit(self, key: str) -> str:
        for cell in self.cells[key].values():
            return cell.unit
        return ""

    def change(self, key: str, year: int) -> tuple[Optional[Decimal], Optional[Decimal]]:
        """(absolute change, % change) from ``year - 1``; None where either year is a gap."""
        cells = self.cells.get(key, {})
        now, before = cells.get(year), cells.get(year - 1)
        if now is None or before is None or now.unit != before.unit:
            return None, None
        with localcontext() as ctx:
            ctx.prec = 60
            diff = now.value - before.value
            pct = None
            if before.value != 0:
                pct = (diff / before.value * 100).quantize(PCT_Q, ROUND_HALF_UP)
        return diff, pct


@dataclass
class CompareTable:
    series: list[Series] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    metric_filter: Optional[list[str]] = None
    department_filter: Optional[list[str]] = None

    @property
    def years(self) -> list[int]:
        return sorted({y for s in self.series for y in s.years})

    def rows(self) -> Iterable[dict]:
        """Long format: one row per series x metric x year, gaps included; all strings."""
        for s in self.series:
            for key in s.metric_keys():
                unit = s.unit(key)
                for year in s.years:
                    cell = s.cells[key].get(year)
                    diff, pct = s.change(key, year)
                    yield {
                        "department": s.department, "subject": s.subject, "metric": key,
                        "unit": unit, "year": str(year),
                        "value": decimal_text(cell.value) if cell else "",
                        "change": decimal_text(diff), "change_unit": change_unit(unit) if diff is not None else "",
                        "change_pct": decimal_text(pct) if pct is not None else "",
                        "conflict": ("yes" if cell.conflict else "") if cell else "",
                        "values": "|".join(cell.values) if cell and cell.conflict else "",
                        "report_sha256": cell.sha256 if cell else "",
                        "figure_ids": " ".join(cell.figure_ids) if cell else "",
                    }


def metric_selected(key: str, patterns: Optional[list[str]]) -> bool:
    if not patterns:
        return True
    for pattern in patterns:
        if key == pattern or fnmatch.fnmatchcase(key, pattern) \
                or (pattern.endswith(".") and key.startswith(pattern)) \
                or key.startswith(pattern + "."):
            return True
    return False


def _first_value(key: str, entries) -> Optional[tuple[Decimal, str, bool, list[str], list[str]]]:
    """(display value, unit, conflict, distinct values, figure ids) of one metrics entry list."""
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list) or not entries:
        return None
    parsed = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        try:
            value = Decimal(entry.get("value"))
        except (InvalidOperation, ValueError, TypeError):
            continue
        if not value.is_finite():
            continue
        parsed.append((to_display(key, value, entry.get("unit") or ""), entry))
    if not parsed:
        return None
    (value, unit), first = parsed[0]
    distinct = [decimal_text(value)]
    conflict = bool(first.get("conflict"))
    for (v, u), entry in parsed[1:]:
        text = decimal_text(v) + ("" if u == unit else u)
        if text not in distinct:
            distinct.append(text)
        conflict = conflict or bool(entry.get("conflict"))
    conflict = conflict or len(distinct) > 1
    ids = [str(i) for i in (first.get("figure_ids") or [])]
    return value, unit, conflict, distinct, ids


def department_name(report: LoadedReport) -> Optional[str]:
    name = report.meta.get("department")
    if not name:
        return None
    return with_region(department_key(str(name)), report.meta.get("region"))


def _name_wanted(wanted: str, display: str, name: str) -> bool:
    """--department: a part of the name, or the name with a region prefix in front."""
    if wanted in display or wanted in name:
        return True
    return any(wanted.endswith(n) and is_region_prefix(wanted[:-len(n)]) for n in (display, name))


def build_table(reports: list[LoadedReport], departments: Optional[list[str]] = None,
                metrics: Optional[list[str]] = None) -> CompareTable:
    """Align the reports' metrics by department, subject and year."""
    table = CompareTable(metric_filter=metrics, department_filter=departments or None)
    named: list[tuple[str, LoadedReport]] = []
    for report in reports:
        name = department_name(report)
        if name is None or report.year is None:
            missing = "department" if name is None else "year"
            table.warnings.append({"kind": f"no_{missing}", "path": report.path,
                                   "sha256": report.sha256,
                                   "message": f"{report.path}: no {missing} in the report's "
                                              "metadata; left out of the comparison"})
            continue
        named.append((name, report))
    group, name_warnings = _group_names({name for name, _ in named})
    table.warnings.extend(name_warnings)

    wanted = [department_key(d) for d in departments or []]
    series: dict[tuple[str, str], Series] = {}
    ordered = sorted(named, key=lambda nr: (GENRE_PRIORITY.get(nr[1].meta.get("genre"), 4),
                                            nr[1].path, nr[1].sha256))
    for name, report in ordered:
        display = group[name]
        if wanted and not any(_name_wanted(w, display, name) for w in wanted):
            continue
        subject = project_subject(report, display)
        s = series.setdefault((display, subject), Series(display, subject))
        s.aliases.add(str(report.meta.get("department")))
        year = report.year
        s.reports.setdefault(year, []).append(report)
        for key, entries in report.metrics.items():
            if not metric_selected(key, metrics):
                continue
            got = _first_value(key, entries)
            if got is None:
                continue
            value, unit, conflict, distinct, ids = got
            cells = s.cells.setdefault(key, {})
            cell = cells.get(year)
            if cell is None:
                cells[year] = Cell(value, unit, conflict, distinct, ids, report.sha256,
                                   report.path, report.meta.get("genre"))
                continue
            for text in distinct:  # a second report of the same year: agree or conflict
                if text not in cell.values:
                    cell.values.append(text)
                    cell.conflict = True
    # every series of a department spans that department's years, gaps included
    spans: dict[str, list[int]] = {}
    for s in series.values():
        span = spans.setdefault(s.department, [])
        span.extend(s.reports)
    for s in series.values():
        years = spans[s.department]
        s.years = list(range(min(years), max(years) + 1))
    table.series = sorted(series.values(), key=lambda s: (s.department, s.subject))
    return table


# ---------------------------------------------------------------------------------------
# output formats
# ---------------------------------------------------------------------------------------

CSV_COLUMNS = ["department", "subject", "metric", "unit", "year", "value", "change", "change_unit",
               "change_pct", "conflict", "values", "report_sha256", "figure_ids"]


def to_csv(table: CompareTable) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([row[c] for c in CSV_COLUMNS] for row in table.rows())
    return out.getvalue()


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _signed(value: Decimal) -> str:
    text = decimal_text(value)
    return text if text.startswith("-") or text == "0" else "+" + text


def to_markdown(table: CompareTable, findings: Optional[list[dict]] = None) -> str:
    lines = ["# 跨年度比较 / Cross-year comparison", "",
             "金额单位万元，比率单位 %；括号内为较上年增减（绝对值，百分比）；— 为缺失年度；"
             "⚠ 为同一指标多个取值（取第一个）。", ""]
    for s in table.series:
        lines += [f"## {_md_escape(s.label)}", ""]
        header = ["指标 metric", "单位"] + [str(y) for y in s.years]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for key in s.metric_keys():
            unit = s.unit(key)
            row = [key, unit or "—"]
            for year in s.years:
                cell = s.cells[key].get(year)
                if cell is None:
                    row.append("—")
                    continue
                text = decimal_text(cell.value)
                diff, pct = s.change(key, year)
                if diff is not None:
                    text += f" ({_signed(diff)}" + (f", {_signed(pct)}%" if pct is not None else "") + ")"
                if cell.conflict:
                    text += " ⚠ " + "/".join(cell.values)
                row.append(_md_escape(text))
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    if findings:
        lines += ["## 跨年度核查 / Cross-year findings", ""]
        for f in findings:
            lines.append(f"- **{f.get('rule', '')}** {_md_escape(f.get('message_zh', ''))}")
        lines.append("")
    if table.warnings:
        lines += ["## 警告 / Warnings", ""]
        lines += [f"- {_md_escape(w['message'])}" for w in table.warnings]
        lines.append("")
    return "\n".join(lines)


def to_json_dict(table: CompareTable, findings: Optional[list[dict]] = None) -> dict:
    series = []
    for s in table.series:
        metrics = []
        for key in s.metric_keys():
            years = {}
            for year in s.years:
                cell = s.cells[key].get(year)
                diff, pct = s.change(key, year)
                if cell is None:
                    years[str(year)] = None
                    continue
                years[str(year)] = {
                    "value": decimal_text(cell.value), "change": decimal_text(diff) or None,
                    "change_pct": decimal_text(pct) if pct is not None else None,
                    "conflict": cell.conflict, "values": cell.values if cell.conflict else [],
                    "report_sha256": cell.sha256, "path": cell.path, "figure_ids": cell.figure_ids,
                }
            metrics.append({"key": key, "unit": s.unit(key), "change_unit": change_unit(s.unit(key)),
                            "years": years})
        series.append({"department": s.department, "subject": s.subject,
                       "aliases": sorted(s.aliases), "years": s.years, "metrics": metrics})
    return {"years": table.years, "series": series, "findings": findings or [],
            "warnings": table.warnings}


def write_xlsx(table: CompareTable, path, findings: Optional[list[dict]] = None) -> None:
    """One sheet in the CSV's long format plus a findings sheet. Numbers are written as text
    cells: openpyxl would store a Decimal as a binary float, which is not exact."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "compare"
    sheet.append(CSV_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows():
        sheet.append([row[c] for c in CSV_COLUMNS])
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKLM", (28, 18, 34, 8, 6, 16, 14, 8, 10, 8, 16, 18, 14)):
        sheet.column_dimensions[letter].width = width
    cols = ["rule", "severity", "department", "year", "message_zh", "message_en", "expected",
            "found", "difference"]
    fsheet = book.create_sheet("findings")
    fsheet.append(cols)
    for f in findings or []:
        fsheet.append([str(f.get(c, "") if f.get(c) is not None else "") for c in cols])
    wsheet = book.create_sheet("warnings")
    wsheet.append(["kind", "message"])
    for w in table.warnings:
        wsheet.append([w.get("kind", ""), w.get("message", "")])
    buffer = io.BytesIO()
    book.save(buffer)
    from . import atomic
    atomic.write_bytes(path, buffer.getvalue())
