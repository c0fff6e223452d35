"""``perfx report``: one self-contained HTML review page.

Per department, line charts of the key metrics across years (hand-written inline SVG, no
library, nothing fetched) and the full metric x year table; every finding with its figures
highlighted inside their source sentences and the page they are on; the ingestion errors; a
filter box over departments and metrics (a few lines of inline JavaScript). All text is
escaped; values are the exact decimal strings (the SVG only uses floats for coordinates).
"""
from __future__ import annotations

import datetime as _dt
import html
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Optional

from . import __version__
from .compare import CompareTable, Series, decimal_text
from .load_reports import LoadedReport, LoadResult

METRIC_ZH = {
    "budget.initial.revenue": "年初预算收入", "budget.initial.expenditure": "年初预算支出",
    "budget.initial.basic": "年初预算基本支出", "budget.initial.project": "年初预算项目支出",
    "budget.adjusted.revenue": "调整后预算收入", "budget.adjusted.expenditure": "调整后预算支出",
    "budget.adjusted.basic": "调整后基本支出", "budget.adjusted.project": "调整后项目支出",
    "final.revenue": "决算收入", "final.expenditure": "决算支出（本年支出合计）",
    "final.basic": "决算基本支出", "final.project": "决算项目支出",
    "carryover.begin": "年初结转和结余", "carryover.end": "年末结转和结余",
    "execution.rate": "预算执行率", "funds.received": "资金到位数", "funds.received_rate": "资金到位率",
    "staff.authorized": "编制人数", "staff.authorized.administrative": "行政编制",
    "staff.authorized.institution": "事业编制", "staff.actual": "实有人数",
    "staff.in_service": "在职人数", "staff.retired": "退休人数", "staff.contract": "编外聘用人员",
    "assets.fixed.count": "固定资产数量", "assets.fixed.original_value": "固定资产原值",
    "assets.fixed.accumulated_depreciation": "累计折旧", "assets.fixed.net_value": "固定资产净值",
    "sangong.total": "“三公”经费", "sangong.travel_abroad": "因公出国（境）费",
    "sangong.vehicle": "公务用车购置及运行维护费", "sangong.reception": "公务接待费",
    "operating_expenses": "机关运行经费", "satisfaction.rate": "满意度", "self_eval.score": "自评得分",
}

KEY_METRICS = ["final.expenditure", "budget.adjusted.expenditure", "final.revenue",
               "final.project", "carryover.end", "execution.rate", "staff.actual",
               "staff.in_service", "sangong.total", "operating_expenses",
               "assets.fixed.net_value", "funds.received_rate", "satisfaction.rate",
               "self_eval.score"]
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
ROLE_ZH = {"begin": "本年年初", "end": "上年年末", "change": "增减表述", "current": "本年值",
           "previous": "上年值", "total": "合计", "part": "分项", "rate": "比率", "numerator": "分子",
           "denominator": "分母", "value": "数值"}

E = html.escape


def metric_name(key: str) -> str:
    return METRIC_ZH.get(key, key)


# ---------------------------------------------------------------------------------------
# charts
# ---------------------------------------------------------------------------------------

AXIS_CHAR_PX = 6  # width of one axis-label character at the chart's 10px font


def axis_label(value: Decimal) -> str:
    """An axis value at a readable precision: at most two decimals (none from 100000 up),
    thousands grouped; the exact value stays in the label's tooltip.

    >>> axis_label(Decimal("1168.919287"))
    '1,168.92'
    >>> axis_label(Decimal("98.5"))
    '98.5'
    >>> axis_label(Decimal("12682285.37"))
    '12,682,285'
    """
    places = 0 if abs(value) >= 100000 else 2
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def line_chart(series: Series, key: str, width: int = 280, height: int = 150) -> str:
    """An inline SVG line chart of one metric over the series' years; gaps break the line."""
    cells = series.cells.get(key, {})
    unit = series.unit(key)
    years = series.years
    low_cell = min(cells.values(), key=lambda c: c.value)
    high_cell = max(cells.values(), key=lambda c: c.value)
    labels = {id(c): axis_label(c.value) for c in (low_cell, high_cell)}
    # the left margin fits the longest axis label: a value is never cut at the chart's edge
    left, right, top, bottom = max(58, 10 + AXIS_CHAR_PX * max(len(t) for t in labels.values())), 12, 14, 26
    width = max(width, left + right + 120)
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(c.value) for c in cells.values()]
    low, high = min(values), max(values)
    if low == high:
        low, high = low - (abs(low) * 0.1 or 1), high + (abs(high) * 0.1 or 1)
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad

    def x_of(year: int) -> float:
        if len(years) == 1:
            return left + plot_w / 2
        return left + plot_w * (year - years[0]) / (years[-1] - years[0])

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    title = f"{metric_name(key)}（{unit}）" if unit else metric_name(key)
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" aria-label="{E(title)}">',
             f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}"/>',
             f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
             f'y2="{top + plot_h}"/>']
    for cell in {id(low_cell): low_cell, id(high_cell): high_cell}.values():
        y = y_of(float(cell.value))
        parts.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}"/>')
        parts.append(f'<text class="ylab" x="{left - 4}" y="{y + 3:.1f}">{E(labels[id(cell)])}'
                     f'<title>{E(decimal_text(cell.value))}</title></text>')
    for year in years:
        parts.append(f'<text class="xlab" x="{x_of(year):.1f}" y="{height - 8}">{year}</text>')
    run: list[str] = []
    runs: list[list[str]] = []
    for year in years:
        cell = cells.get(year)
        if cell is None:
            if run:
                runs.append(run)
            run = []
            continue
        run.append(f"{x_of(year):.1f},{y_of(float(cell.value)):.1f}")
    if run:
        runs.append(run)
    for points in runs:
        if len(points) > 1:
            parts.append(f'<polyline class="line" points="{" ".join(points)}"/>')
    for year in years:
        cell = cells.get(year)
        if cell is None:
            parts.append(f'<text class="gap" x="{x_of(year):.1f}" y="{top + plot_h - 4}">—</text>')
            continue
        diff, pct = series.change(key, year)
        tip = f"{year}: {decimal_text(cell.value)} {unit}"
        if diff is not None:
            tip += f"（较上年 {decimal_text(diff)}" + (f"，{decimal_text(pct)}%" if pct is not None else "") + "）"
        if cell.conflict:
            tip += "  ⚠ 多个取值: " + " / ".join(cell.values)
        css = "pt conflict" if cell.conflict else "pt"
        parts.append(f'<circle class="{css}" cx="{x_of(year):.1f}" cy="{y_of(float(cell.value)):.1f}" '
                     f'r="3.5"><title>{E(tip)}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------
# sections
# ---------------------------------------------------------------------------------------

def _filter_attr(*texts: str) -> str:
    return E(" ".join(t for t in texts if t).lower(), quote=True)


def _series_html(series: Series) -> str:
    keys = series.metric_keys()
    charts = [k for k in KEY_METRICS if k in series.cells]
    out = []
    if series.subject:
        out.append(f'<h3 class="subject">项目：{E(series.subject)}</h3>')
    if charts:
        out.append('<div class="charts">')
        for key in charts:
            unit = series.unit(key)
            out.append(f'<figure class="chart-box" data-filter="{_filter_attr(key, metric_name(key))}">'
                       f'<figcaption>{E(metric_name(key))}<span class="unit">{E(unit)}</span>'
                       f'<code>{E(key)}</code></figcaption>{line_chart(series, key)}</figure>')
        out.append("</div>")
    head = "".join(f"<th>{y}</th>" for y in series.years)
    out.append(f'<table class="metrics"><thead><tr><th>指标</th><th>单位</th>{head}</tr></thead><tbody>')
    for key in keys:
        unit = series.unit(key)
        tds = []
        for year in series.years:
            cell = series.cells[key].get(year)
            if cell is None:
                tds.append('<td class="gap" title="缺失年度">—</td>')
                continue
            diff, pct = series.change(key, year)
            change = ""
            if diff is not None:
                sign = "+" if diff > 0 else ""
                change = f'<span class="chg">{sign}{E(decimal_text(diff))}'
                if pct is not None:
                    change += f"，{'+' if pct > 0 else ''}{E(decimal_text(pct))}%"
                change += "</span>"
            flag = (f'<span class="conflict" title="{E("同一指标多个取值：" + " / ".join(cell.values), quote=True)}">⚠</span>'
                    if cell.conflict else "")
            tds.append(f'<td>{E(decimal_text(cell.value))}{flag}{change}</td>')
        out.append(f'<tr data-filter="{_filter_attr(key, metric_name(key))}"><th scope="row">'
                   f'{E(metric_name(key))}<code>{E(key)}</code></th><td>{E(unit)}</td>{"".join(tds)}</tr>')
    out.append("</tbody></table>")
    return "".join(out)


def departments_html(table: CompareTable) -> str:
    by_department: dict[str, list[Series]] = {}
    for series in table.series:
        by_department.setdefault(series.department, []).append(series)
    out = []
    for number, (name, group) in enumerate(by_department.items(), 1):
        aliases = sorted({a for s in group for a in s.aliases if a and a != name})
        years = sorted({y for s in group for y in s.reports})
        span = (f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])) if years else ""
        n_reports = sum(len(rs) for s in group for rs in s.reports.values())
        alias_html = (f'<p class="aliases">亦写作：{E("、".join(aliases))}</p>' if aliases else "")
        out.append(f'<section class="dept" id="dept-{number}" data-name="{_filter_attr(name, *aliases)}">'
                   f'<h2>{E(name)}</h2><p class="meta">{E(span)} · {n_reports} 份报告 · 有报告的年度：'
                   f'{E("、".join(str(y) for y in years))}</p>{alias_html}'
                   + "".join(_series_html(s) for s in group) + "</section>")
    return "".join(out)


def highlight(sentence: str, text: str, col: Optional[int] = None) -> str:
    """The sentence, escaped, with the figure's text marked. In a table row ("a | b | c")
    the mark goes into the figure's own column, else on the first occurrence."""
    if col is not None and " | " in sentence:
        parts = sentence.split(" | ")
        if 0 <= col < len(parts) and text and text in parts[col]:
            return E(" | ").join(highlight(part, text) if i == col else E(part)
                                 for i, part in enumerate(parts))
    if text and text in sentence:
        i = sentence.index(text)
        return E(sentence[:i]) + f"<mark>{E(text)}</mark>" + E(sentence[i + len(text):])
    if sentence:
        return E(sentence) + (f' <mark>{E(text)}</mark>' if text else "")
    return f"<mark>{E(text)}</mark>"


def _figure_html(ref: dict, reports_by_sha: dict[str, LoadedReport],
                 reports_by_path: dict[str, LoadedReport], default: Optional[LoadedReport]) -> str:
    report = reports_by_sha.get(ref.get("sha256") or "") or reports_by_path.get(ref.get("report") or "") \
        or default
    figure = report.figure(ref["id"]) if report is not None and ref.get("id") else None
    sentence = ref.get("sentence") or (figure or {}).get("sentence") or ""
    location = ref.get("location") or (figure or {}).get("location") or {}
    page = location.get("page") if isinstance(location, dict) else None
    where = []
    if page is not None:
        where.append(f"第 {page} 页")
    if isinstance(location, dict) and location.get("row") is not None:
        where.append(f"表格第 {location['row'] + 1} 行第 {location.get('col', 0) + 1} 列")
    if isinstance(location, dict) and location.get("section"):
        where.append(" › ".join(location["section"][-2:]))
    year = ref.get("year") or (report.year if report is not None else None)
    source = (report.path if report is not None else ref.get("report")) or ""
    role = ref.get("role") or ""
    return (f'<li class="fig"><span class="role" title="{E(role, quote=True)}">{E(ROLE_ZH.get(role, role))}</span> '
            f'<q>{highlight(sentence, ref.get("text") or "", location.get("col") if isinstance(location, dict) else None)}</q>'
            f'<span class="where">{E(str(year) + "年 · " if year else "")}{E(" · ".join(where))}'
            f'{" · " if where else ""}<span class="src">{E(source)}</span></span></li>')


def gather_findings(result: LoadResult, cross_year: Iterable[dict],
                    only: Optional[set[str]] = None) -> list[tuple[dict, Optional[LoadedReport]]]:
    """Every finding once: each report's own, the cross-year ones, and findings.jsonl rows
    that no report JSON carries. ``only``: the sha256s of the reports shown (a filtered page)."""
    out: list[tuple[dict, Optional[LoadedReport]]] = []
    seen: set[tuple] = set()
    by_sha = {r.sha256: r for r in result.reports}
    by_path = {r.path: r for r in result.reports}

    def key(f: dict, report: Optional[LoadedReport]) -> tuple:
        ids = tuple(sorted(str(x.get("id")) for x in f.get("figures") or [] if isinstance(x, dict)))
        where = report.sha256 if report is not None else (f.get("sha256") or f.get("report") or "")
        return (f.get("rule"), ids, where, f.get("year"))

    def add(f: dict, report: Optional[LoadedReport]) -> None:
        k = key(f, report)
        if k not in seen:
            seen.add(k)
            out.append((f, report))

    for report in result.reports:
        if only is not None and report.sha256 not in only:
            continue
        for f in report.findings:
            if isinstance(f, dict):
                add(f, report)
    for f in cross_year:
        add(f, by_sha.get(f.get("sha256") or ""))
    for row in result.findings:
        # an ingest findings.jsonl row: the report's sha256/path beside the finding itself
        f = row.get("finding")
        if isinstance(f, str):  # a table writer may keep the nested finding as JSON text
            try:
                f = json.loads(f)
            except ValueError:
                f = None
        f = f if isinstance(f, dict) else row
        report = by_sha.get(row.get("sha256") or f.get("sha256") or "") \
            or by_path.get(row.get("path") or f.get("report") or "")
        if only is not None and (report is None or report.sha256 not in only):
            continue
        add(f, report)
    order = {"error": 0, "warning": 1, "info": 2}
    out.sort(key=lambda fr: (order.get(fr[0].get("severity"), 3), str(fr[0].get("rule"))))
    return out


def findings_html(findings: list[tuple[dict, Optional[LoadedReport]]], result: LoadResult,
                  department_of: dict[str, str]) -> str:
    if not findings:
        return '<p class="none">未发现问题。No findings.</p>'
    by_sha = {r.sha256: r for r in result.reports}
    by_path = {r.path: r for r in result.reports}
    out = ['<ol class="findings">']
    for f, report in findings:
        severity = f.get("severity") or "info"
        department = f.get("department") or (department_of.get(report.sha256) if report else "") or ""
        year = f.get("year") or (report.year if report is not None else "")
        metric = f.get("metric") or ""
        figs = "".join(_figure_html(ref, by_sha, by_path, report) for ref in f.get("figures") or []
                       if isinstance(ref, dict))
        numbers = []
        for label, field in (("应为 expected", "expected"), ("实为 found", "found"),
                             ("差额 difference", "difference")):
            if f.get(field) not in (None, ""):
                numbers.append(f"<span>{label}: <b>{E(str(f[field]))}</b>{E(' ' + f['unit'] if f.get('unit') else '')}</span>")
        filt = _filter_attr(department, metric, metric_name(metric) if metric else "", str(f.get("rule", "")),
                            str(f.get("name", "")), str(f.get("family", "")), f.get("message_zh", ""))
        out.append(
            f'<li class="finding sev-{E(severity, quote=True)}" data-filter="{filt}">'
            f'<div class="fhead"><span class="badge">{E(SEVERITY_ZH.get(severity, severity))}</span>'
            f'<b>{E(str(f.get("rule", "")))}</b> <span class="rname">{E(str(f.get("name", "")))}</span>'
            f' <span class="fdept">{E(department)}{E(" · " + str(year) + "年") if year else ""}</span></div>'
            f'<p class="msg">{E(f.get("message_zh", ""))}</p>'
            f'<p class="msg-en">{E(f.get("message_en", ""))}</p>'
            + (f'<p class="basis">{E(f.get("basis_zh", ""))}</p>' if f.get("basis_zh") else "")
            + f'<p class="nums">{"".join(numbers)}</p><ul class="figs">{figs}</ul></li>')
    out.append("</ol>")
    return "".join(out)


def errors_html(result: LoadResult) -> str:
    rows = []
    for e in result.errors + result.load_errors:
        rows.append((str(e.get("path", "")), str(e.get("stage", "")), str(e.get("reason") or e.get("message", ""))))
    for report in result.reports:
        for e in report.data.get("errors") or []:
            if isinstance(e, dict):
                rows.append((report.path, str(e.get("stage", "")), str(e.get("message", ""))))
    if not rows:
        return '<p class="none">没有读取错误。No ingestion errors.</p>'
    body = "".join(f'<tr data-filter="{_filter_attr(p, s, r)}"><td class="src">{E(p)}</td><td>{E(s)}</td>'
                   f'<td>{E(r)}</td></tr>' for p, s, r in rows)
    return (f'<table class="errors"><thead><tr><th>文件 file</th><th>阶段 stage</th><th>原因 reason</th>'
            f'</tr></thead><tbody>{body}</tbody></table>')


CSS = """
:root{--fg:#1d2330;--mut:#5b6475;--line:#d8dde6;--acc:#1f5fbf;--err:#b3261e;--warn:#9a6700;--bg:#fff;--soft:#f4f6fa}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;color:var(--fg);background:var(--bg);line-height:1.55;font-size:15px}
header{padding:18px 28px 10px;border-bottom:1px solid var(--line);background:var(--soft)}
header h1{margin:0 0 4px;font-size:22px}
.summary{color:var(--mut);margin:0}
.toolbar{position:sticky;top:0;z-index:2;background:var(--bg);padding:10px 28px;border-bottom:1px solid var(--line);display:flex;gap:12px;align-items:center;flex-wrap:wrap}
#filter{font:inherit;padding:6px 10px;width:min(460px,90vw);border:1px solid #9aa3b2;border-radius:6px}
#count{color:var(--mut)}
nav a{margin-right:12px;color:var(--acc)}
main{padding:8px 28px 40px}
main>h1{font-size:20px;margin:26px 0 6px}
h2{font-size:19px;margin:22px 0 4px}
h3.subject{font-size:16px;margin:14px 0 4px}
.meta,.aliases{color:var(--mut);margin:0 0 6px}
.dept{border-top:2px solid var(--line);padding-top:4px}
.charts{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}
.chart-box{margin:0;border:1px solid var(--line);border-radius:6px;padding:6px 6px 2px;background:#fff;break-inside:avoid}
figcaption{font-size:13px;font-weight:600}
figcaption .unit{color:var(--mut);font-weight:400;margin-left:6px}
figcaption code,th code{display:block;font-size:11px;color:var(--mut);font-weight:400}
svg.chart{display:block}
.basis{font-size:12px;color:var(--mut);margin:2px 0}
svg .axis{stroke:#8a93a3;stroke-width:1}
svg .grid{stroke:#e3e7ee;stroke-dasharray:3 3}
svg .line{fill:none;stroke:var(--acc);stroke-width:2}
svg .pt{fill:var(--acc)}
svg .pt.conflict{fill:#fff;stroke:var(--err);stroke-width:2}
svg text{font-size:10px;fill:var(--mut);font-family:inherit}
svg .ylab{text-anchor:end}
svg .xlab,svg .gap{text-anchor:middle}
table{border-collapse:collapse;margin:8px 0 14px;font-size:13px}
th,td{border:1px solid var(--line);padding:3px 7px;text-align:right;vertical-align:top}
thead th{background:var(--soft)}
thead th:first-child{text-align:left}
tbody th{text-align:left;font-weight:500}
td.gap{color:#a0a7b4;text-align:center}
.chg{display:block;color:var(--mut);font-size:11px}
.conflict{color:var(--err);margin-left:3px;cursor:help}
.findings{padding-left:22px}
.finding{margin:0 0 14px;padding:8px 12px;border-left:4px solid var(--line);background:var(--soft);break-inside:avoid}
.finding.sev-error{border-left-color:var(--err)}
.finding.sev-warning{border-left-color:var(--warn)}
.badge{display:inline-block;font-size:12px;padding:0 6px;border-radius:4px;background:#6b7280;color:#fff;margin-right:6px}
.sev-error .badge{background:var(--err)}
.sev-warning .badge{background:var(--warn)}
.rname,.fdept{color:var(--mut)}
.msg{margin:4px 0}
.msg-en{margin:0 0 4px;color:var(--mut);font-size:13px}
.nums span{margin-right:16px;font-size:13px}
.figs{list-style:none;padding:0;margin:4px 0 0}
.fig{margin:4px 0}
.fig q{quotes:"「" "」"}
.fig .role{font-size:11px;color:var(--mut);display:inline-block;min-width:5em}
.where{display:block;font-size:12px;color:var(--mut);margin-left:5em}
.src{font-family:ui-monospace,monospace;font-size:11px;word-break:break-all}
mark{background:#ffe27a;padding:0 2px;border-radius:2px}
table.errors td{text-align:left}
.none{color:var(--mut)}
.hidden{display:none!important}
footer{color:var(--mut);font-size:12px;padding:10px 28px;border-top:1px solid var(--line)}
@media print{
  .toolbar,nav{display:none}
  body{font-size:11pt}
  header{background:none}
  .dept,.finding{break-inside:avoid-page}
  .chart-box{border-color:#999}
  a{color:inherit;text-decoration:none}
  mark{background:none;border-bottom:2px solid #000;font-weight:700}
  .finding{background:none}
}
"""

JS = """
(function(){
  var box=document.getElementById('filter'), count=document.getElementById('count');
  function has(el,q){return (el.getAttribute('data-filter')||'').indexOf(q)>=0;}
  function apply(){
    var q=box.value.trim().toLowerCase(), shown=0, depts=document.querySelectorAll('section.dept');
    for(var i=0;i<depts.length;i++){
      var d=depts[i], nameHit=!q||(d.getAttribute('data-name')||'').indexOf(q)>=0, any=false;
      var items=d.querySelectorAll('[data-filter]');
      for(var j=0;j<items.length;j++){
        var hit=nameHit||has(items[j],q);
        items[j].classList.toggle('hidden',!hit);
        if(hit)any=true;
      }
      var keep=nameHit||any;
      d.classList.toggle('hidden',!keep);
      if(keep)shown++;
    }
    var rest=document.querySelectorAll('#findings [data-filter], #errors [data-filter]');
    for(var k=0;k<rest.length;k++){rest[k].classList.toggle('hidden',!!q&&!has(rest[k],q));}
    count.textContent=shown+' / '+depts.length+' 个部门';
  }
  box.addEventListener('input',apply);
  apply();
})();
"""


def render(result: LoadResult, table: CompareTable, cross_year: list[dict],
           title: str = "perfx 绩效报告审阅 / Review report") -> str:
    """The whole page as one string."""
    department_of = {}
    for series in table.series:
        for reports in series.reports.values():
            for r in reports:
                department_of[r.sha256] = series.label
    findings = gather_findings(result, cross_year,
                               set(department_of) if table.department_filter else None)
    n_err = sum(1 for f, _ in findings if f.get("severity") == "error")
    years = table.years
    n_errors = len(result.errors) + len(result.load_errors) + sum(len(r.data.get("errors") or [])
                                                                  for r in result.reports)
    summary = (f"{len(result.reports)} 份报告 · {len({s.department for s in table.series})} 个部门 · "
               f"{years[0]}–{years[-1]} 年 · " if years else f"{len(result.reports)} 份报告 · ") + \
        f"{len(findings)} 条发现（{n_err} 条错误）· {n_errors} 个读取错误"
    warnings = "".join(f"<li>{E(w.get('message', ''))}</li>" for w in table.warnings)
    generated = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="perfx {E(__version__)}">
<link rel="icon" href="data:,">
<title>{E(title)}</title>
<style>{CSS}</style>
</head>
<body>
<header><h1>{E(title)}</h1><p class="summary">{E(summary)}</p></header>
<div class="toolbar"><input id="filter" type="search" placeholder="筛选部门或指标，如 应急管理局、execution.rate、三公" aria-label="筛选部门或指标 / filter departments and metrics" autocomplete="off"><span id="count"></span>
<nav><a href="#departments">部门</a><a href="#findings">发现</a><a href="#errors">错误</a></nav></div>
<main>
<h1 id="departments">部门趋势 / Departments</h1>
<p class="meta">金额单位万元，比率单位 %；表格中小字为较上年增减（绝对值，百分比）；— 为缺失年度；⚠ 为同一指标多个取值（图表与表格取第一个）。</p>
{f'<ul class="warnings">{warnings}</ul>' if warnings else ''}
{departments_html(table)}
<h1 id="findings">发现 / Findings</h1>
{findings_html(findings, result, department_of)}
<h1 id="errors">读取错误 / Ingestion errors</h1>
{errors_html(result)}
</main>
<footer>perfx {E(__version__)} · {E(generated)} · 本页离线可用，不引用任何外部资源。</footer>
<script>{JS}</script>
</body>
</html>
"""
