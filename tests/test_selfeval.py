"""Self-evaluation tables: pipe tables in text, tables flattened one cell per line, and the
same table read alike from txt, docx, pdf, html and xlsx."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from _reports import figure, report_of

from extractor import extract

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

PROJECT_TABLE = """项目支出绩效自评表
（2023年度）
项目名称 | 示范项目 | | | | | |
资金投入情况（万元） | | | | | | |
全年预算数(A) | 全年执行数(B) | 预算执行率(B/A×100%) | | | | |
年度资金总额: | 200 | 190 | 95% | | | |
其中:财政资金 | 150 | 145 | 96.67% | | | |
一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分
产出指标 | 数量指标 | 培训人次 | 500 | 620 | 20 | 20
/ | 质量指标 | 培训合格率 | ≥90% | 96% | 20 | 18
满意度指标 | 服务对象满意度指标 | 服务对象满意度 | ≥90% | 95% | 10 | 10
总分 | / | / | / | / | 100 | 96.5
"""

DEPT_TABLE = """某县示范局部门整体支出绩效自评表
项目资金 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
年度资金总额 | 300 | 320 | 310 | 10 | 96.88% | 9.7
其中：基本支出 | 200 | 205 | 204 | / | 99.51% | /
项目支出 | 100 | 115 | 106 | / | 92.17% | /
"""


def test_pipe_table_is_read_into_funds_and_indicator_rows(tmp_path):
    report = report_of(tmp_path, PROJECT_TABLE, "某镇示范项目2023年度项目支出绩效自评报告")
    table = report.self_eval_table
    assert table["kind"] == "project"
    total = table["funds"][0]
    assert total["row"] == "年度资金总额"
    assert {k: v["value"] for k, v in total["values"].items()} == \
        {"全年预算数": "200", "全年执行数": "190", "执行率": "95"}
    assert table["funds"][1]["row"] == "财政资金"
    rows = {r["row"]: r for r in table["indicators"]}
    assert rows["培训人次"]["values"]["实际完成值"]["value"] == "620"
    assert rows["培训人次"]["一级指标"] == "产出指标"
    assert rows["培训合格率"]["一级指标"] == "产出指标"      # carried down a merged cell
    assert rows["培训合格率"]["二级指标"] == "质量指标"
    assert table["total_score"]["value"] == "96.5"


def test_a_project_table_in_a_department_report_is_one_project_of_several(tmp_path):
    report = report_of(tmp_path, PROJECT_TABLE, "某县示范局2023年度部门整体支出绩效自评报告")
    assert report.self_eval_table["kind"] == "project"
    assert [(f.text, f.metric) for f in report.figures if f.metric] == []


def test_table_cells_are_figures_with_cell_location_label_and_metric(tmp_path):
    report = report_of(tmp_path, PROJECT_TABLE, "某镇示范项目2023年度项目支出绩效自评报告")
    rate = figure(report, "95%")
    assert rate.location.row is not None and rate.location.col is not None
    assert rate.label == "年度资金总额 执行率"
    assert rate.metric == "execution.rate"
    assert figure(report, "96.67%").metric is None          # a part of the funds
    # a project report's unit is the project: its total row is the project's budget
    assert figure(report, "200").metric == "budget.adjusted.project"
    assert figure(report, "95%", ).label.startswith("年度资金总额")
    assert figure(report, "96.5").metric == "self_eval.score"
    satisfied = [f for f in report.figures if f.label == "服务对象满意度 实际完成值"]
    assert [f.metric for f in satisfied] == ["satisfaction.rate"]
    target = [f for f in report.figures if f.label == "服务对象满意度 年度指标值"]
    assert [f.metric for f in target] == [None]


def test_department_table_funds_are_the_units_budget(tmp_path):
    report = report_of(tmp_path, DEPT_TABLE, "某县示范局2023年度部门整体支出绩效自评报告")
    assert report.self_eval_table["kind"] == "dept_overall"
    # under a header of funds columns only, every row is a funds row (其中：基本支出)
    assert [r["row"] for r in report.self_eval_table["funds"]] == ["年度资金总额", "基本支出",
                                                                    "项目支出"]
    assert report.self_eval_table["indicators"] == []
    got = {f.label: f.metric for f in report.figures if f.metric}
    assert got["年度资金总额 年初预算数"] == "budget.initial.expenditure"
    assert got["年度资金总额 全年预算数"] == "budget.adjusted.expenditure"
    assert got["年度资金总额 全年执行数"] == "final.expenditure"
    assert got["年度资金总额 执行率"] == "execution.rate"
    assert got["基本支出 年初预算数"] == "budget.initial.basic"
    assert got["项目支出 全年执行数"] == "final.project"
    assert "年度资金总额 得分" not in got                    # the funds score is not the total


FLATTENED = """项目支出绩效自评表
项目资金
（万元）
年初
预算数
全年
预算数
全年
执行数
分值
执行率
得分
年度资金总额
60
60
54
10
90%
9
一级指标
二级指标
三级指标
年度
指标值
实际
完成值
分值
得分
产出指标
数量指标
指标1设备采购数量
12
12
20
20
质量指标
指标1验收合格率
100
100
20
20
"""


def test_table_flattened_one_cell_per_line_gets_row_and_column_labels(tmp_path):
    report = report_of(tmp_path, FLATTENED, "某校2023年度设备购置项目支出绩效自评报告")
    table = report.self_eval_table
    assert table["source"]["layout"] == "flattened"
    assert {k: v["value"] for k, v in table["funds"][0]["values"].items()} == \
        {"年初预算数": "60", "全年预算数": "60", "全年执行数": "54", "分值": "10", "执行率": "90",
         "得分": "9"}
    rows = {r["row"]: r["values"] for r in table["indicators"]}
    assert rows["设备采购数量"]["实际完成值"]["value"] == "12"
    assert rows["验收合格率"]["得分"]["value"] == "20"
    assert figure(report, "90%").label == "年度资金总额 执行率"
    # a full flattened row (a number under every number column) gets its metrics
    metrics = {f.label: f.metric for f in report.figures if f.metric}
    assert metrics == {"年度资金总额 年初预算数": "budget.initial.project",
                       "年度资金总额 全年预算数": "budget.adjusted.project",
                       "年度资金总额 全年执行数": "final.project",
                       "年度资金总额 执行率": "execution.rate"}


def test_flattened_row_with_a_blank_cell_gets_no_metrics(tmp_path):
    # 全年预算数 left blank: the numbers may have moved one column left, so no keys
    text = FLATTENED.replace("年度资金总额\n60\n60\n54\n", "年度资金总额\n60\n54\n")
    report = report_of(tmp_path, text, "某校2023年度设备购置项目支出绩效自评报告")
    assert [f.metric for f in report.figures if f.metric] == []


def _table_values(table):
    def rows(items):
        return [(r["row"], {k: v["value"] or v["text"] for k, v in r["values"].items()}) for r in items]
    return (table["kind"], rows(table["funds"]), rows(table["indicators"]), rows(table["goals"]),
            (table["total_score"] or {}).get("value"))


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_every_format_reads_the_same_table_as_the_text(fmt):
    index = json.loads((CORPUS / "index.json").read_text(encoding="utf-8"))
    checked = 0
    for entry in index["reports"]:
        base = extract(CORPUS / f"{entry['id']}.txt").self_eval_table
        other = extract(CORPUS / f"{entry['id']}.{fmt}").self_eval_table
        assert base is not None, entry["id"]
        assert other is not None, (entry["id"], fmt)
        assert _table_values(other) == _table_values(base), (entry["id"], fmt)
        checked += 1
    assert checked >= 8


def test_xlsx_self_evaluation_table(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "项目支出绩效自评表"
    for line in PROJECT_TABLE.strip().splitlines()[2:]:
        sheet.append([cell.strip() or None for cell in line.split("|")])
    path = tmp_path / "自评表.xlsx"
    book.save(path)
    table = extract(path).self_eval_table
    assert table is not None
    total = table["funds"][0]
    assert total["row"] == "年度资金总额"
    assert total["values"]["执行率"]["text"].startswith("95")
    assert table["total_score"]["value"] == "96.5"
    rows = {r["row"]: r for r in table["indicators"]}
    assert rows["培训人次"]["values"]["实际完成值"]["value"] == "620"


FORM_IN_TWO_PARTS = """某乡道路养护项目绩效自评表
项目资金（万元） | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
年度资金总额 | 80 | 72 | 10 | 90.00% | 9
年度总体目标：完成道路养护，保障通行。
一级指标 | 二级指标 | 三级指标 | 分值 | 年度指标值 | 全年实际值 | 得分
产出指标 | 数量指标 | 养护里程 | 50 | 30公里 | 31公里 | 50
效益指标 | 社会效益指标 | 通行条件改善 | 40 | 改善 | 改善 | 38
总分 | | | 100 | | | 97
"""


def test_a_form_split_by_its_goal_rows_is_one_form_with_both_totals(tmp_path):
    report = report_of(tmp_path, FORM_IN_TWO_PARTS, "某乡2023年度项目支出绩效自评报告")
    table = report.self_eval_table
    assert "more" not in table
    assert [r["row"] for r in table["funds"]] == ["年度资金总额"]
    assert [r["row"] for r in table["indicators"]] == ["养护里程", "通行条件改善"]
    assert (table["total_weight"]["value"], table["total_score"]["value"]) == ("100", "97")
    assert [f["rule"] for f in report.findings] == []  # 10 + 50 + 40 = 100; 9 + 50 + 38 = 97


def test_two_complete_forms_stay_two_forms(tmp_path):
    second = FORM_IN_TWO_PARTS.replace("某乡道路养护项目", "某乡桥梁维修项目").replace(
        "年度总体目标：完成道路养护，保障通行。\n", "")
    report = report_of(tmp_path, second + "\n" + second, "某乡2023年度项目支出绩效自评报告")
    assert len(report.self_eval_table["more"]) == 1


def test_form_total_that_leaves_out_the_funds_row_is_an_error(tmp_path):
    text = FORM_IN_TWO_PARTS.replace("| 50 | 30公里 | 31公里 | 50", "| 60 | 30公里 | 31公里 | 60")
    report = report_of(tmp_path, text, "某乡2023年度项目支出绩效自评报告")
    found = [(f["rule"], f["severity"], f["expected"], f["found"]) for f in report.findings]
    assert ("PX027", "error", "110", "100") in found  # 分值: 10 + 60 + 40
    assert ("PX027", "error", "107", "97") in found   # 得分: 9 + 60 + 38


def test_indicator_group_rows_are_subtotals_not_parts_of_the_form_total(tmp_path):
    text = FORM_IN_TWO_PARTS.replace(
        "产出指标 | 数量指标 | 养护里程", "产出指标（50分） | | | 50 | | | 50\n产出指标 | 数量指标 | 养护里程")
    report = report_of(tmp_path, text, "某乡2023年度项目支出绩效自评报告")
    assert [r["row"] for r in report.self_eval_table["indicators"]][0] == "产出指标(50分)"
    assert [f["rule"] for f in report.findings if f["rule"] == "PX027"] == []


OFFICIAL_COLUMNS = (  # a pdf's text layer that lost every separator
    "某镇供水设施改造项目绩效自评表项目资金(万元)全年预算数(A)全年执行数(B)分值执行率(B/A)得分"
    "年度资金总额:353510100.00%10年度总体目标完成管网改造。一级指标二级指标三级指标分值年度指标值"
    "全年实际值得分未完成原因及拟采取的改进措施产出指标(60分)数量指标改造管网长度60≥8公里8.4公里60"
    "满意度指标(30分)服务对象满意度指标用水户满意度30≥90%93%30总分100100\n")


def test_official_template_columns_and_names_that_hold_their_group_weight(tmp_path):
    report = report_of(tmp_path, OFFICIAL_COLUMNS, "某镇2023年度项目支出绩效自评报告")
    rows = report.self_eval_table["indicators"]
    assert [r["row"] for r in rows] == ["产出指标(60分)数量指标改造管网长度",
                                        "满意度指标(30分)服务对象满意度指标用水户满意度"]
    assert [r["values"]["实际完成值"]["text"] for r in rows] == ["8.4公里", "93%"]
    assert [(f.text, f.metric) for f in report.figures if f.metric == "satisfaction.rate"] == \
        [("93%", "satisfaction.rate")]


TWO_PART_PIPE_FORM = """某社区2024年度居家养老服务项目绩效自评表
项目资金（万元） | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
年度资金总额 | 48.00 | 45.60 | 10 | 95.00% | 9.5
一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分
产出指标 | 数量指标 | 上门服务人次 | 1200人次 | 1350人次 | 30 | 30
效益指标 | 社会效益指标 | 老人生活质量 | 提高 | 明显提高 | 30 | 27
满意度指标 | 服务对象满意度指标 | 老人满意度 | ≥90% | 94% | 30 | 28
总分 | / | / | / | / | 100 | 94.5
"""


def test_scores_under_a_qualitative_row_stay_scores_in_a_two_part_text_form(tmp_path):
    """A form's funds part (6 columns) and indicator part (7) in one text table: the cells
    below a row of words (提高 | 明显提高) are still read by the indicator header's 分值 / 得分,
    not as amounts under the funds caption's 万元."""
    report = report_of(tmp_path, TWO_PART_PIPE_FORM, "某社区2024年度项目支出绩效自评报告")
    kinds = {(f.location.row, f.text): f.kind for f in report.figures if f.location.row in (5, 6)}
    assert kinds == {(5, "≥90%"): "rate", (5, "94%"): "rate", (5, "30"): "score", (5, "28"): "score",
                     (6, "100"): "score", (6, "94.5"): "score"}
    assert [f["rule"] for f in report.findings] == []  # 9.5 + 30 + 27 + 28 = 94.5; 10 + 90 = 100
