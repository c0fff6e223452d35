"""Hard-wrapped text reflowed into paragraphs (extractor/readers/reflow.py), from spec cases."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.readers import read_document
from extractor.readers.reflow import reflow_lines

SPEC = Path(__file__).parent / "specs" / "reflow" / "wrapped_text.json"
CASES = json.loads(SPEC.read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"][:50] for case in CASES])
def test_reflow_spec(case):
    assert reflow_lines(case["lines"]) == case["expected"]


def test_wrapped_text_file_gives_whole_figures(tmp_path):
    """Read as a file: the number cut by the wrap is one figure, with its label."""
    path = tmp_path / "wrapped.txt"
    path.write_text("\n".join(CASES[0]["lines"]) + "\n", encoding="utf-8")
    from extractor import extract
    report = extract(path)
    texts = [figure.text for figure in report.figures]
    assert "186.24万元" in texts and "1" not in texts
    assert read_document(path).blocks[0].text.endswith("离退休经费。")
