"""Runs every spec file in tests/specs/figures: input text -> the figures it must yield."""
from __future__ import annotations

from decimal import Decimal

import pytest
from _reports import spec_cases

from extractor.extract import extract
from extractor.figures import find_figures, recognizer


def _cases():
    return [pytest.param(case, id=f"{name}-{case['text'][:12]}") for name, case in spec_cases("figures")]


@pytest.mark.parametrize("case", list(_cases()))
def test_figure_spec(case):
    found = find_figures(case["text"])
    assert [f.text for f in found] == [e["text"] for e in case["figures"]]
    for figure, expected in zip(found, case["figures"]):
        assert figure.value == Decimal(expected["value"])
        assert figure.unit == expected["unit"]
        assert figure.kind == expected["kind"]
        assert figure.normalized_value == Decimal(expected["normalized"])
        assert figure.approx == expected.get("approx", False)
        assert figure.direction == expected.get("direction")
        if "range" in expected:
            low, high = expected["range"]
            assert (figure.low, figure.high) == (Decimal(low), Decimal(high))
        # the span is verbatim source text
        assert case["text"][figure.start:figure.end] == figure.text


def _context_cases(name: str):
    return [pytest.param(case, id=f"{spec}") for spec, case in spec_cases("figure_context")
            if spec.startswith(name)]


def _assert_figure(found, expected, source: str) -> None:
    if expected is None:
        assert found is None
        return
    assert found is not None
    assert (found.text, found.value, found.kind) == (expected["text"], Decimal(expected["value"]), expected["kind"])
    assert source[found.start:found.end] == found.text


@pytest.mark.parametrize("case", _context_cases("list_heads"))
def test_list_head_count(case):
    found = recognizer().list_head_count(case["line"], case["following"])
    _assert_figure(found, case["figure"], case["line"])


@pytest.mark.parametrize("case", _context_cases("named_cells"))
def test_named_cell(case):
    found = recognizer().find_named_cell(case["cell"], case["row_name"])
    _assert_figure(found, case["figure"], case["cell"])


def test_list_head_count_in_a_document(tmp_path):
    """The list head and its list are two paragraphs of a text file: the count is found."""
    path = tmp_path / "report.txt"
    path.write_text("一、基本情况\n①局机关内设科室3\n内设科室：办公室、财务科、业务科。\n", encoding="utf-8")
    figures = extract(path).figures
    assert [(f.text, f.kind, f.value) for f in figures] == [("3", "count", Decimal(3))]


def test_number_parted_at_its_point_in_a_text_file(tmp_path):
    """A decimal number broken over two lines at its point, its unit after the decimals, is
    one figure; a list number alone on its line ("1.") is not joined to the next line."""
    path = tmp_path / "report.txt"
    path.write_text("项目资金1,234.\n56万元，其中本级\n8.5万元。\n1.\n12个乡镇完成整改。\n", encoding="utf-8")
    figures = extract(path).figures
    assert [(f.text, f.kind, f.value) for f in figures] == [
        ("1,234.\n56万元", "money", Decimal("1234.56")), ("8.5万元", "money", Decimal("8.5")),
        ("12个", "count", Decimal(12))]
