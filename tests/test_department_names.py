"""Department names across years: tests/specs/departments/pairs.json (name a, name b, same?)
through perfx compare, and the short-form table patterns/departments.yaml."""
from __future__ import annotations

import pytest
from _reports import spec_cases
from test_compare import loaded, make_report

from extractor import patterns
from extractor.compare import build_table
from extractor.meta import normalize_department


@pytest.mark.parametrize("case", [c for _, c in spec_cases("departments")],
                         ids=[f"{c['a']}~{c['b']}" for _, c in spec_cases("departments")])
def test_department_pairs(case):
    regions = case.get("regions") or [None, None]
    reports = loaded(make_report(case["a"], 2021, {"staff.actual": ("10", "人")}, region=regions[0]),
                     make_report(case["b"], 2022, {"staff.actual": ("11", "人")}, region=regions[1]))
    table = build_table(reports)
    labels = [s.department for s in table.series]
    assert (len(labels) == 1) == case["same"], (labels, table.warnings)
    if case["same"]:
        assert table.series[0].years == [2021, 2022]
        assert table.series[0].aliases == {case["a"], case["b"]}


@pytest.fixture
def user_patterns(tmp_path):
    yield tmp_path
    patterns.set_user_dirs([])


def test_short_form_table_is_valid_and_conservative():
    aliases = patterns.department_aliases()
    assert 30 <= len(aliases) and aliases["应急局"] == "应急管理局"
    assert "财政局" not in aliases and "教育局" not in aliases
    assert normalize_department("西湖区应急局", keep_region=False) == "应急管理局"


def test_a_patterns_folder_extends_the_short_forms(user_patterns):
    (user_patterns / "departments.yaml").write_text("departments:\n  应急管理局: [应急办]\n"
                                                    "  大数据发展管理局: [大数据局]\n",
                                                    encoding="utf-8")
    patterns.set_user_dirs([user_patterns])
    assert normalize_department("西湖区应急办") == "西湖区应急管理局"
    assert normalize_department("西湖区大数据局") == "西湖区大数据发展管理局"
    assert normalize_department("西湖区应急局") == "西湖区应急管理局"  # the built-in ones stay


@pytest.mark.parametrize("text, message", [
    ("departments:\n  教育局: [应急局]\n", "stands under both"),
    ("departments:\n  应急管理局: [应急管理局]\n", "full name itself"),
    ("departments:\n  应急局: [应急]\n", "full name itself"),
    ("departments:\n  应急管理局: 应急局\n", "list of short forms"),
    ("departments:\n  应急管理局: [应急 局]\n", "not a name"),
    ("departments: [应急局]\n", "expected a mapping"),
])
def test_invalid_short_forms_are_refused(user_patterns, text, message):
    (user_patterns / "departments.yaml").write_text(text, encoding="utf-8")
    patterns.set_user_dirs([user_patterns])
    with pytest.raises(patterns.PatternError, match=message):
        patterns.department_aliases()
