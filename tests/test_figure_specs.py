"""Runs every spec file in tests/specs/figures: input text -> the figures it must yield."""
from __future__ import annotations

from decimal import Decimal

import pytest
from _reports import spec_cases

from extractor.figures import find_figures


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
