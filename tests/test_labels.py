"""Labels from context: spec cases, the agreement measure, table cells, and the dev corpus
label agreement (skipped without ../shared)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from _reports import figure, report_of, spec_cases

from extractor import extract
from extractor.labels import compact, label_f1, labels_agree, words
from extractor.scoring import load_gold, match_figures

DEV_LABEL_TARGET = json.loads((Path(__file__).parent / "dev_baseline.json").read_text(encoding="utf-8"))["dev_label_agreement"]


def test_label_f1_is_character_overlap():
    assert label_f1("调整后基本支出", "基本支出") == pytest.approx(2 * 1 * (4 / 7) / (1 + 4 / 7))
    assert labels_agree("调整后基本支出", "基本支出")
    assert label_f1("在职公务员", "公务员") == pytest.approx(0.75)
    assert not labels_agree("编制人数", "一二三四五六七八编制")
    assert label_f1("资产原值合计", None) == 0.0
    # punctuation, spaces and width do not count
    assert label_f1("家具、用具、装具", "家具 用具 装具") == 1.0
    assert compact("“三公”经费（合计）") == "三公经费合计"


def test_gold_note_counts_both_ways():
    assert labels_agree("年度资金(摘要)", "年度资金")          # a meta note
    assert labels_agree("下降(公务用车)", "公务用车运行维护费下降")  # a content note


@pytest.mark.parametrize("name,case", spec_cases("labels"), ids=lambda v: v if isinstance(v, str) else "")
def test_label_spec(tmp_path, name, case):
    report = report_of(tmp_path, case["text"], case.get("title"))
    problems = {}
    for key, wanted in case["labels"].items():
        label = figure(report, key).label or ""
        missing = [w for w in wanted if w not in label]
        unwanted = [w for w in case.get("not", {}).get(key, []) if w in label]
        if missing or unwanted:
            problems[key] = (label, missing, unwanted)
    assert problems == {}, f"{name}: (label, missing, unwanted) {problems}"


def test_every_figure_gets_a_label(tmp_path):
    report = report_of(tmp_path, "全局共有干部职工45人。预算执行率98.5%。全年开展培训12次，覆盖人员600人次。")
    assert all(f.label for f in report.figures)


def test_pipe_table_cells_take_row_and_column(tmp_path):
    text = ("项目 | 年初预算数 | 全年预算数 | 全年执行数\n"
            "基本支出 | 100 | 110 | 108\n"
            "项目支出 | 50 | 60 | 55\n")
    report = report_of(tmp_path, text, "某县示范局2023年度部门整体支出绩效自评报告")
    labels = {(f.location.row, f.location.col): f.label for f in report.figures}
    assert labels[(1, 2)] == "基本支出 全年预算数"
    assert labels[(2, 3)] == "项目支出 全年执行数"


def test_domain_words_are_single_tokens():
    assert words("调整后预算支出总计") == ["调整后预算", "支出总计"]
    assert "年末结转和结余" in words("年末结转和结余0万元")
    assert "结转和结余" in words("本年结转和结余情况")
    assert "实有人数" in words("实有人数21人")


def test_dev_corpus_label_agreement(shared_dir):
    dev = shared_dir / "corpus" / "dev"
    agree = total = 0
    for text in sorted(dev.glob("*.txt")):
        report = extract(text).model_dump(mode="json")
        score = match_figures(load_gold(dev / "gold" / f"{text.stem}.json"), report["figures"])
        for gold, predicted in score.pairs:
            total += 1
            agree += labels_agree(gold.get("label") or "", predicted.get("label"))
    print(f"dev labels: {agree}/{total} = {agree / total:.3f}")
    assert agree / total >= DEV_LABEL_TARGET
