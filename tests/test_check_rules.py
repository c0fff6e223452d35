"""Every rule in patterns/rules.yaml: its trigger examples raise it, its clean examples don't.

Each example text is written to a file and goes through the real pipeline (read, extract,
check); examples that name metrics get them set on the matching figures first, as the
labeller would.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from extractor.check import check_reports
from extractor.check.rules import catalogue
from extractor.extract import extract


def _examples(kind: str) -> list:
    return [pytest.param(rule.id, example, id=f"{rule.id}-{kind}-{number}")
            for rule in catalogue().values()
            for number, example in enumerate(rule.examples.get(kind, []))]


def _report(tmp_path: Path, example, number: int):
    if isinstance(example, str):
        example = {"text": example}
    path = tmp_path / f"example{number}.txt"
    path.write_text(example["text"] + "\n", encoding="utf-8")
    report = extract(path)
    metrics = example.get("metrics") or {}
    for figure in report.figures:
        if figure.text in metrics:
            figure.metric = metrics[figure.text]
    unknown = set(metrics) - {f.text for f in report.figures}
    assert not unknown, f"example names figures the extractor did not find: {unknown}"
    return report


def _findings(tmp_path: Path, example) -> list:
    texts = example["reports"] if isinstance(example, dict) and "reports" in example else [example]
    reports = [_report(tmp_path, text, n) for n, text in enumerate(texts)]
    return [f for fs in check_reports(reports).values() for f in fs]


@pytest.mark.parametrize("rule_id,example", _examples("trigger"))
def test_trigger_example_raises_its_rule(tmp_path, rule_id, example):
    findings = _findings(tmp_path, example)
    assert rule_id in {f.rule for f in findings}, [f.message_en for f in findings]
    for finding in findings:
        if finding.rule == rule_id:
            assert finding.severity == catalogue()[rule_id].severity
            assert finding.figures and finding.message_zh and finding.message_en


@pytest.mark.parametrize("rule_id,example", _examples("clean"))
def test_clean_example_does_not_raise_its_rule(tmp_path, rule_id, example):
    findings = _findings(tmp_path, example)
    assert rule_id not in {f.rule for f in findings}, [f.message_en for f in findings]


def test_every_rule_has_both_kinds_of_example():
    for rule in catalogue().values():
        assert rule.examples.get("trigger") and rule.examples.get("clean"), rule.id
        assert rule.description_zh and rule.description_en, rule.id
