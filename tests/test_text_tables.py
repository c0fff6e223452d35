"""Tables in plain text (pipe and tab rows) become table blocks; their bare numbers are figures."""
from __future__ import annotations

from decimal import Decimal

from extractor import extract
from extractor.readers import read_document

HEADER = ["项目", "全年预算数（万元）", "全年执行数（万元）", "执行率", "分值", "得分"]
ROW = ["年度资金总额", "43.2", "37.24", "86%", "10", "9"]
EXPECTED = [("43.2", "money", Decimal("432000"), 1), ("37.24", "money", Decimal("372400"), 2),
            ("86%", "rate", Decimal("0.86"), 3), ("10", "score", Decimal("10"), 4),
            ("9", "score", Decimal("9"), 5)]


def _kinds(path):
    return [(f.text, f.kind, f.normalized.value) for f in extract(path).figures]


def _figures(path):
    report = extract(path)
    return [(f.text, f.kind, f.normalized.value, f.location.col) for f in report.figures]


def test_tab_separated_rows(tmp_path):
    path = tmp_path / "tab.txt"
    path.write_text("\t".join(HEADER) + "\n" + "\t".join(ROW) + "\n", encoding="utf-8")
    assert _figures(path) == EXPECTED


def test_pipe_rows(tmp_path):
    path = tmp_path / "pipe.md"
    path.write_text("| " + " | ".join(HEADER) + " |\n|---|---|---|---|---|---|\n| "
                    + " | ".join(ROW) + " |\n", encoding="utf-8")
    assert _figures(path) == EXPECTED


def test_flattened_table_one_cell_per_line(tmp_path):
    cells = ["项目资金", "（万元）", "年初", "预算数", "全年", "预算数", "全年", "执行数", "分值",
             "执行率", "得分", "年度资金总额", "43.2", "43.2", "37.24", "10", "86%", "9"]
    path = tmp_path / "flat.txt"
    path.write_text("项目支出绩效自评表\n" + "\n".join(cells) + "\n", encoding="utf-8")
    assert _kinds(path) == [("43.2", "money", Decimal("432000")), ("43.2", "money", Decimal("432000")),
                   ("37.24", "money", Decimal("372400")), ("10", "score", Decimal("10")),
                   ("86%", "rate", Decimal("0.86")), ("9", "score", Decimal("9"))]


def test_self_eval_rows_flattened_to_one_line_with_spaces(tmp_path):
    line = ("产出指标数量指标培训覆盖率=100% 30 28.5 时效指标按期完成率≥95% 20 20 "
            "效益指标社会效益指标满意度≥90% 50 48 合计100 评价结论良好。第 3 季度完成验收。")
    path = tmp_path / "row.txt"
    path.write_text(line + "\n", encoding="utf-8")
    assert _kinds(path) == [("100%", "rate", Decimal("1")), ("30", "score", Decimal("30")),
                   ("28.5", "score", Decimal("28.5")), ("≥95%", "rate", Decimal("0.95")),
                   ("20", "score", Decimal("20")), ("20", "score", Decimal("20")),
                   ("≥90%", "rate", Decimal("0.9")), ("50", "score", Decimal("50")),
                   ("48", "score", Decimal("48")), ("100", "score", Decimal("100"))]


def test_spaced_numbers_outside_indicator_rows_are_not_scores(tmp_path):
    path = tmp_path / "prose.txt"
    path.write_text("全镇辖 31 个村，完成率100% 30 户已验收，第 3 季度完成。\n", encoding="utf-8")
    got = [f.text for f in extract(path).figures]
    assert got == ["31 个", "100%", "30 户"]


def test_flattened_indicator_values_read_by_their_column(tmp_path):
    cells = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
             "产出指标", "质量指标", "工程完工率", "100", "95", "10", "9",
             "数量指标", "培训人数", "50", "48", "10", "8"]
    path = tmp_path / "flat.txt"
    path.write_text("项目支出绩效自评表\n" + "\n".join(cells) + "\n", encoding="utf-8")
    got = [(f.text, f.kind, f.normalized.value, f.label) for f in extract(path).figures]
    assert got == [("100", "rate", Decimal("1"), "工程完工率 年度指标值"),
                   ("95", "rate", Decimal("0.95"), "工程完工率 实际完成值"),
                   ("10", "score", Decimal("10"), "工程完工率 分值"),
                   ("9", "score", Decimal("9"), "工程完工率 得分"),
                   ("50", "other", Decimal("50"), "培训人数 年度指标值"),
                   ("48", "other", Decimal("48"), "培训人数 实际完成值"),
                   ("10", "score", Decimal("10"), "培训人数 分值"),
                   ("8", "score", Decimal("8"), "培训人数 得分")]


def test_flattened_final_accounts_table_skips_row_numbers(tmp_path):
    cells = ["收入支出决算总表", "金额单位：万元", "收入", "支出", "项目", "行次", "金额", "项目", "行次",
             "金额", "栏次", "1", "栏次", "2", "一、一般公共预算财政拨款收入", "1", "512.30",
             "一、一般公共服务支出", "29", "498.05", "二、上级补助收入", "2", "0.00", "二、教育支出",
             "30", "14.25"]
    path = tmp_path / "flat.txt"
    path.write_text("\n".join(cells) + "\n", encoding="utf-8")
    got = [(f.text, f.kind, f.normalized.value, f.label) for f in extract(path).figures]
    assert got == [("512.30", "money", Decimal("5123000"), "一般公共预算财政拨款收入"),
                   ("498.05", "money", Decimal("4980500"), "一般公共服务支出"),
                   ("0.00", "money", Decimal("0"), "上级补助收入"),
                   ("14.25", "money", Decimal("142500"), "教育支出")]


def test_rows_parted_by_spaces_under_a_header_of_column_names(tmp_path):
    path = tmp_path / "spaced.txt"
    path.write_text("项目支出绩效自评表\n"
                    "项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n"
                    "年度资金总额 120.5 130 126.36 10 97.2% 9.72\n"
                    "\n"
                    "其中：当年财政拨款 120.5 130 126.36 / / /\n"
                    "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n"
                    "产出指标 数量指标 培训人次 500 520 20 18\n", encoding="utf-8")
    report = extract(path)
    got = [(f.text, f.kind, f.normalized.value, f.location.row, f.location.col) for f in report.figures]
    assert got == [("120.5", "money", Decimal("1205000"), 1, 1), ("130", "money", Decimal("1300000"), 1, 2),
                   ("126.36", "money", Decimal("1263600"), 1, 3), ("10", "score", Decimal("10"), 1, 4),
                   ("97.2%", "rate", Decimal("0.972"), 1, 5), ("9.72", "score", Decimal("9.72"), 1, 6),
                   ("120.5", "money", Decimal("1205000"), 2, 1), ("130", "money", Decimal("1300000"), 2, 2),
                   ("126.36", "money", Decimal("1263600"), 2, 3),
                   ("500", "other", Decimal("500"), 1, 3), ("520", "other", Decimal("520"), 1, 4),
                   ("20", "score", Decimal("20"), 1, 5), ("18", "score", Decimal("18"), 1, 6)]
    assert report.self_eval_table["funds"][0]["row"] == "年度资金总额"


def test_spaced_lines_without_a_column_header_stay_text(tmp_path):
    path = tmp_path / "prose.txt"
    path.write_text("年初预算数 全年预算数 全年执行数 三项均已公开\n"
                    "2021 2022 2023\n"
                    "全年预算数 执行数 执行率\n"
                    "本年度完成培训 3 期，合计 120 人次。\n", encoding="utf-8")
    assert {block.kind for block in read_document(path).blocks} == {"paragraph"}
    assert [f.text for f in extract(path).figures] == ["三项", "3 期", "120 人次"]


def test_bare_indicator_values_in_a_table_read_by_their_column(tmp_path):
    path = tmp_path / "ind.md"
    path.write_text("项目支出绩效自评表\n"
                    "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分\n"
                    "产出指标 | 质量指标 | 工程完工率 | 100 | 98 | 10 | 9.8\n"
                    "成本指标 | 经济成本指标 | 项目支出控制 | 50 | 48.5 | 10 | 10\n", encoding="utf-8")
    assert _kinds(path) == [("100", "rate", Decimal("1")), ("98", "rate", Decimal("0.98")),
                   ("10", "score", Decimal("10")), ("9.8", "score", Decimal("9.8")),
                   ("50", "other", Decimal("50")), ("48.5", "other", Decimal("48.5")),
                   ("10", "score", Decimal("10")), ("10", "score", Decimal("10"))]
