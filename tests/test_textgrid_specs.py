"""Spec cases for rebuilding tables from text (extractor/readers/textgrid.py):
tests/specs/textgrid/<layout>.json, each case a text and the tables (rows of cell texts)
it must give, plus how many warnings; negative cases expect no table."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.readers.textgrid import Grid, rebuild

SPECS = Path(__file__).resolve().parent / "specs" / "textgrid"
CASES = [(path.stem, case) for path in sorted(SPECS.glob("*.json"))
         for case in json.loads(path.read_text(encoding="utf-8"))["cases"]]


@pytest.mark.parametrize("layout,case", CASES, ids=[f"{s}: {c['name']}" for s, c in CASES])
def test_textgrid_spec(layout: str, case: dict):
    pieces = rebuild(case["text"].splitlines())
    grids = [piece for piece in pieces if isinstance(piece, Grid)]
    assert [g.rows for g in grids if g.rows] == case["tables"]
    assert sum(len(g.warnings) for g in grids) == case.get("warnings", 0)
    for grid in grids:
        assert 0 <= grid.confidence <= 1
