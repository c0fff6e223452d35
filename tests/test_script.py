"""Reports in traditional characters (extractor/script.py): read like their simplified twin,
written back verbatim. Wording invented; each report is written by hand in both scripts."""
from __future__ import annotations

from pathlib import Path

from extractor import extract
from extractor.check import check_report
from extractor.readers import read_document
from extractor.script import simplified_document

SIMPLIFIED = """东岭县农业农村局2022年度部门整体支出绩效自评报告
一、部门基本情况
本局核定编制36名，年末实有在职人员33人，退休人员12人。
二、预算执行情况
2022年度全年预算数1,286.40万元，全年执行数1,245.10万元，预算执行率96.79%。
“三公”经费支出决算为8.60万元，其中：公务接待费2.10万元，公务用车运行维护费6.50万元。
严格落实中央八项规定精神，项目预算资金640万元，实际到位资金600万元，到位率93.75%；到位资金600万元，已支付资金552万元，资金支付率95%。
三、自评结论
部门整体支出绩效自评得分为93.5分。
"""

TRADITIONAL = """東嶺縣農業農村局2022年度部門整體支出績效自評報告
一、部門基本情況
本局核定編制36名，年末實有在職人員33人，退休人員12人。
二、預算執行情況
2022年度全年預算數1,286.40萬元，全年執行數1,245.10萬元，預算執行率96.79%。
“三公”經費支出決算為8.60萬元，其中：公務接待費2.10萬元，公務用車運行維護費6.50萬元。
嚴格落實中央八項規定精神，項目預算資金640萬元，實際到位資金600萬元，到位率93.75%；到位資金600萬元，已支付資金552萬元，資金支付率95%。
三、自評結論
部門整體支出績效自評得分為93.5分。
"""


def _report(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, extract(path)


def test_traditional_report_reads_like_its_simplified_twin(tmp_path):
    _, simple = _report(tmp_path, "simple.txt", SIMPLIFIED)
    _, written = _report(tmp_path, "traditional.txt", TRADITIONAL)
    assert [(f.normalized.value, f.kind, f.metric) for f in written.figures] == \
        [(f.normalized.value, f.kind, f.metric) for f in simple.figures]
    assert written.meta.year == 2022 and written.meta.genre == "dept_overall_self_eval"
    assert [f["rule"] for f in written.findings] == [f["rule"] for f in simple.findings]
    assert "八" not in [f.text[0] for f in written.figures]  # 八項規定 is not a count
    keys = {f.text: f.metric for f in written.figures}
    assert keys["8.60萬元"] == "sangong.total" and keys["2.10萬元"] == "sangong.reception"
    assert keys["1,245.10萬元"] == "final.expenditure" and keys["93.5分"] == "self_eval.score"


def test_traditional_report_is_written_back_verbatim(tmp_path):
    path, report = _report(tmp_path, "traditional.txt", TRADITIONAL)
    blocks = {b.index: b.text for b in read_document(path).blocks}
    for figure in report.figures:
        location = figure.location
        assert figure.text == blocks[location.block][location.start:location.end]
        assert figure.sentence in blocks[location.block]
    labels = {f.text: f.label for f in report.figures}
    assert labels["1,286.40萬元"] == "全年預算數" and labels["96.79%"] == "預算執行率"
    assert report.meta.title.startswith("東嶺縣農業農村局")
    assert any("萬元" in f["message_zh"] for f in report.findings)  # 552萬元÷600萬元


def test_check_of_a_written_back_report_finds_the_same(tmp_path):
    """``perfx check`` checks the written-back report beside its original document, or alone
    (a report JSON): the same rules fire as when the report was made."""
    path, report = _report(tmp_path, "traditional.txt", TRADITIONAL)
    made = sorted(f["rule"] for f in report.findings)
    assert made  # the wrong 支付率 (552 / 600 is 92%, not 95%)
    assert sorted(f.rule for f in check_report(report, read_document(path))) == made
    assert sorted(f.rule for f in check_report(report)) == made


def test_simplified_report_is_read_as_it_is(tmp_path):
    path, report = _report(tmp_path, "simple.txt", SIMPLIFIED)
    assert simplified_document(read_document(path)) is None
    assert report.figures[0].text == "36名"
