"""Runs every spec file in tests/specs/figures: input text -> the figures it must yield."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.figures import find_figures

SPEC_DIR = Path(__file__).parent / "specs" / "figures"


def _cases():
    for spec in sorted(SPEC_DIR.glob("*.json")):
        for number, case in enumerate(json.loads(spec.read_text(encoding="utf-8"))["cases"]):
            yield pytest.param(case, id=f"{spec.stem}-{number}-{case['text'][:12]}")


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
