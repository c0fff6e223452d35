"""The project's own corpus: every format of every report gives exactly its ground-truth figures.

Matching is strict here (the truth was written by the generator, so each figure is known
exactly): the multiset of (verbatim text without whitespace, kind, normalized value) must be
equal. Table cells whose unit sits in a caption are included.
"""
from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from extractor import extract

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FORMATS = ["txt", "docx", "pdf", "html"]
KIND_ALIASES = {"rate_delta": "rate"}


def _key(text: str, kind: str, value: str) -> tuple[str, str, Decimal]:
    return ("".join(text.split()), KIND_ALIASES.get(kind, kind), Decimal(value).normalize())


def _truth_files() -> list[Path]:
    return sorted((CORPUS / "truth").glob("*.json"))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("truth_path", _truth_files(), ids=lambda p: p.stem)
def test_report_figures_equal_truth(truth_path: Path, fmt: str):
    source = CORPUS / f"{truth_path.stem}.{fmt}"
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    expected = Counter(_key(f["text"], f["kind"], f["normalized"]["value"]) for f in truth["figures"])
    report = extract(source)
    got = Counter(_key(f.text, f.kind, str(f.normalized.value)) for f in report.figures)
    missing, extra = expected - got, got - expected
    assert not missing and not extra, f"missing {sorted(missing)[:10]} extra {sorted(extra)[:10]}"
    # the generator's reports are consistent: no format may produce a finding
    assert [f["rule"] for f in report.findings] == []
