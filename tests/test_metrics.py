"""Canonical metrics: the taxonomy as data, spec cases, the report map, user pattern folders,
and the seed and dev corpus scores (skipped without ../shared)."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from _reports import figure, report_of, spec_cases

from extractor import patterns
from extractor.metrics import metric_keys, read_phrase

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = [
    *(f"budget.{stage}.{part}" for stage in ("initial", "adjusted")
      for part in ("revenue", "expenditure", "basic", "project")),
    *(f"final.{part}" for part in ("revenue", "expenditure", "basic", "project")),
    "carryover.begin", "carryover.end", "execution.rate", "funds.received", "funds.received_rate",
    "staff.authorized", "staff.authorized.administrative", "staff.authorized.institution",
    "staff.actual", "staff.in_service", "staff.retired", "staff.contract",
    "assets.fixed.count", "assets.fixed.original_value", "assets.fixed.accumulated_depreciation",
    "assets.fixed.net_value", "sangong.total", "sangong.travel_abroad", "sangong.vehicle",
    "sangong.reception", "operating_expenses", "satisfaction.rate", "self_eval.score",
]


def test_taxonomy_has_every_required_key():
    keys = metric_keys()
    assert [k for k in REQUIRED if k not in keys] == []


def test_names_are_read_with_scope():
    reading = read_phrase("调整后预算支出总计")
    assert "budget.adjusted.expenditure" in reading.name.keys
    assert reading.scope == "adjusted"
    assert read_phrase("较上年").scope == "previous"
    assert read_phrase("完成预算数").scope == "budget"      # the head word decides
    assert read_phrase("其他公务接待费").prefix == "其他"


@pytest.mark.parametrize("name,case", spec_cases("metrics"), ids=lambda v: v if isinstance(v, str) else "")
def test_metric_spec(tmp_path, name, case):
    report = report_of(tmp_path, case["text"], case.get("title"))
    wrong = {}
    for key, expected in case["metrics"].items():
        got = figure(report, key).metric
        if got != expected:
            wrong[key] = (got, expected)
    assert wrong == {}, f"{name}: (got, expected) {wrong}"


def test_report_metrics_map_keeps_conflicting_values(tmp_path):
    report = report_of(tmp_path, "实有人数21人。\n另据统计，实有人数23人。",
                       "某县示范局2023年度部门整体支出绩效自评报告")
    entries = report.metrics["staff.actual"]
    assert [e["value"] for e in entries] == ["21", "23"]
    assert all(e["conflict"] for e in entries)
    assert entries[0]["figure_ids"] == [figure(report, "21人").id]
    single = report.metrics.get("staff.authorized")
    assert single is None


def test_same_value_twice_is_one_entry_without_conflict(tmp_path):
    report = report_of(tmp_path, "全年执行数150万元。\n决算支出总计150万元。",
                       "某县示范局2023年度部门整体支出绩效自评报告")
    entries = report.metrics["final.expenditure"]
    assert len(entries) == 1 and not entries[0]["conflict"]
    assert len(entries[0]["figure_ids"]) == 2 and entries[0]["unit"] == "元"
    assert entries[0]["value"] == "1500000"


def test_user_pattern_folder_adds_a_metric(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "metrics.yaml").write_text(
        "metrics:\n  staff.volunteers:\n    kind: count\n    scope: [current, final]\n"
        "    names: [志愿者人数]\n", encoding="utf-8")
    text = tmp_path / "r.txt"
    text.write_text("某县示范局2023年度部门整体支出绩效自评报告\n注册志愿者人数120人。\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "extractor.cli", "--patterns", str(folder),
                          "extract", str(text)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    report = report[0] if isinstance(report, list) else report
    assert report["metrics"]["staff.volunteers"][0]["value"] == "120"
    # and in this process, layered and removed again
    try:
        patterns.set_user_dirs([folder])
        assert "staff.volunteers" in metric_keys()
    finally:
        patterns.set_user_dirs([])
    assert "staff.volunteers" not in metric_keys()


def _score_script():
    spec = importlib.util.spec_from_file_location("score_metrics", ROOT / "scripts" / "score_metrics.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_seed_gold_metrics_all_found_exactly(shared_dir):
    module = _score_script()
    seed = shared_dir / "seed"
    result = module.score_report(next(seed.glob("*.txt")), seed / "gold.json")
    print(f"seed metrics: {result['metric_found']}/{result['metric_gold']}, wrong {result['wrong']}")
    assert result["metric_gold"] > 0
    assert result["metric_found"] == result["metric_gold"]
    assert result["wrong"] == 0
