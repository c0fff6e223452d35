"""Runs tests/specs/unit_cells: a bare number in a ragged text table whose next cell is a unit."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractor import extract

SPEC = Path(__file__).parent / "specs" / "unit_cells" / "ragged.json"
CASES = json.loads(SPEC.read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"][:40] for c in CASES])
def test_unit_cell(case, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("项目支出绩效自评表\n" + "\n".join(case["lines"]) + "\n", encoding="utf-8")
    report = extract(path)
    with_unit = [f for f in report.figures if f.unit and f.text == str(f.value)]
    got = [[f.text, f.unit, f.kind, f.normalized.value, f.qualifier] for f in with_unit]
    expected = [[t, u, k, Decimal(n), q] for t, u, k, n, q in case["figures"]]
    assert [[t, u, k, Decimal(str(n)), q] for t, u, k, n, q in got] == expected
    for text in case.get("no_metric", []):
        assert all(f.metric is None for f in report.figures if f.text == text)
    for text in case.get("scores", []):
        assert [f.kind for f in report.figures if f.text == text] == ["score"]
    for text in case.get("not_scores", []):
        assert all(f.kind != "score" for f in report.figures if f.text == text)
