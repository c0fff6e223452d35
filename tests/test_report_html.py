"""perfx report: one self-contained, escaped, printable HTML page (checked without a browser)."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from test_compare import loaded, make_figure, make_report, write_reports
from test_crossyear import build_corpus

from extractor.cli import main
from extractor.compare import build_table
from extractor.crossyear import cross_year_findings
from extractor.load_reports import LoadResult
from extractor.report_html import highlight, line_chart, render


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> Collector:
    collector = Collector()
    collector.feed(page)
    return collector


def _outputs(tmp_path: Path) -> Path:
    reports, _, _ = build_corpus(seed=11, departments=5)
    figure = make_figure("x1", "164件", "164", "件", "count",
                         "固定资产164件，其中通用设备85件、专用设备25件、家具94件。", page=3)
    reports[0]["figures"].append(figure)
    reports[0]["findings"].append({
        "rule": "PX001", "name": "sum_total", "family": "sum", "severity": "error",
        "message_zh": "合计164件与各项之和204件不符", "message_en": "total differs from parts",
        "figures": [{"id": "x1", "text": "164件", "role": "total", "value": "164", "unit": "件",
                     "location": figure["location"], "report": None}],
        "expected": "204", "found": "164", "difference": "-40", "unit": "件"})
    reports[1]["meta"]["department"] = "<b>&\"局"
    folder = write_reports(tmp_path / "outputs", reports)
    (folder / "errors.jsonl").write_text(json.dumps(
        {"path": "archive/<坏>.pdf", "reason": "encrypted", "stage": "read"}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    # the ingest findings.jsonl repeats the report's own finding: shown once
    # (rows as extractor.export writes them: the report's context beside the finding), plus
    # one finding no report JSON carries
    extra = {"rule": "PX999", "name": "only_in_jsonl", "severity": "info", "message_zh": "仅见于 jsonl",
             "figures": []}
    rows = [{"sha256": reports[0]["source"]["sha256"], "path": reports[0]["source"]["path"],
             "rule": "PX001", "finding": reports[0]["findings"][0]},
            {"sha256": reports[2]["source"]["sha256"], "path": reports[2]["source"]["path"],
             "rule": "PX999", "finding": extra}]
    (folder / "findings.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                           encoding="utf-8")
    return folder


def test_report_page_is_self_contained_escaped_and_complete(tmp_path, capsys):
    folder = _outputs(tmp_path)
    out = tmp_path / "report.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    doc = parse(page)
    # nothing fetched: no external scripts, styles, images or fonts
    for tag, attrs in doc.tags:
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            assert not re.match(r"(https?:)?//", value), (tag, attrs)
        assert not (tag == "script" and attrs.get("src"))
        assert not (tag == "link" and attrs.get("rel") == "stylesheet")
    assert "@import" not in page and "url(" not in page
    # escaped text: the hostile department name and error path stay text
    assert "<b>&\"局" not in page and "&lt;b&gt;&amp;&quot;局" in page
    assert "archive/&lt;坏&gt;.pdf" in page
    # charts, findings with highlighted figures and pages, errors, filter, print, fonts
    assert sum(1 for t, _ in doc.tags if t == "svg") >= 5 * 5
    assert sum(1 for t, _ in doc.tags if t == "section") == 6  # 5 + the renamed one
    findings = [a for t, a in doc.tags if t == "li" and "finding" in (a.get("class") or "")]
    assert len(findings) >= 2
    assert page.count("PX001") == 1  # once, though in the report JSON and findings.jsonl
    assert page.count("<p class=\"msg\">仅见于 jsonl") == 1
    assert "<mark>164件</mark>" in page and "第 3 页" in page
    assert 'id="filter"' in page and "@media print" in page
    assert '"Noto Sans CJK SC"' in page and '"Microsoft YaHei"' in page
    assert "encrypted" in page
    assert (out.stat().st_mode & 0o044) == 0o044  # shareable, not the temp file's 0600


def test_findings_count_and_department_filter(tmp_path):
    folder = _outputs(tmp_path)
    reports = [r for r in loaded(*[json.loads(p.read_text(encoding="utf-8"))
                                   for p in sorted((folder / "reports").glob("*.json"))])]
    table = build_table(reports)
    cross = cross_year_findings(reports, table)
    assert cross
    page = render(LoadResult(reports=reports), table, cross)
    assert page.count('class="finding sev-') == len(cross) + 1
    name = table.series[-1].department
    filtered = build_table(reports, departments=[name])
    only = [f for f in cross if f["department"] == name]
    page = render(LoadResult(reports=reports), filtered, cross_year_findings(reports, filtered))
    assert page.count('class="finding sev-') == len(only)
    assert page.count("<section") == 1


def test_chart_breaks_at_gaps_and_marks_conflicts():
    reports = loaded(
        make_report("青禾县水利局", 2019, {"staff.actual": ("10", "人")}),
        make_report("青禾县水利局", 2020, {"staff.actual": ("12", "人")}),
        make_report("青禾县水利局", 2022, {"staff.actual": [("15", "人"), ("16", "人")]}),
        make_report("青禾县水利局", 2023, {"staff.actual": ("14", "人")}),
    )
    series = build_table(reports).series[0]
    svg = line_chart(series, "staff.actual")
    assert svg.count("<polyline") == 2  # 2019-2020 and 2022-2023, nothing across 2021
    assert svg.count("<circle") == 4 and svg.count('class="pt conflict"') == 1
    assert "2020: 12 人（较上年 2，20%）" in svg
    assert ">—</text>" in svg  # the gap year


def test_highlight_escapes_around_the_mark():
    assert highlight("a<b 12万元 c&d", "12万元") == "a&lt;b <mark>12万元</mark> c&amp;d"
    assert highlight("", "5%") == "<mark>5%</mark>"
    # a table row: the figure's own column, not the first cell with the same text
    assert highlight("培训人次 | 10分 | 10分", "10分", col=2) == "培训人次 | 10分 | <mark>10分</mark>"


def test_chart_axis_labels_are_readable_and_never_clipped():
    """A long value (1168.919287) reads 1,168.92 on the axis, in full in its tooltip, and the
    left margin leaves room for the whole label."""
    from decimal import Decimal

    from extractor.report_html import AXIS_CHAR_PX, axis_label
    reports = loaded(
        make_report("青禾县水利局", 2021, {"final.expenditure": ("1168.919287", "万元")}),
        make_report("青禾县水利局", 2022, {"final.expenditure": ("86512345.5", "万元")}),
    )
    series = build_table(reports).series[0]
    svg = line_chart(series, "final.expenditure")
    assert axis_label(Decimal("1168.919287")) == "1,168.92"
    labels = re.findall(r'<text class="ylab" x="([\d.]+)"[^>]*>([^<]+)<title>([^<]+)</title>', svg)
    assert {t for _, t, _ in labels} == {"1,168.92", "86,512,346"}
    assert {full for _, _, full in labels} == {"1168.919287", "86512345.5"}
    for x, text, _ in labels:
        assert float(x) - AXIS_CHAR_PX * len(text) >= 0  # right-anchored at x: starts inside the chart
