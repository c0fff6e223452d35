"""Planted errors in 200 generated reports (scripts/inject_errors.py over the corpus
generator): every family's findings are precise, and recall meets 0.95 where the checker
reads the family's structure. Prints the per-family table. Skipped when the generator is
not in the tree."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"

# Families whose planted errors the checker does not yet reach at 0.95 (see the printed
# misses): difference (a change against a base named but not stated: 较年初预算增加 X),
# ratio (a rate whose formula names its operands: 执行率（本年支出合计/调整后预算支出）),
# duplicate (needs the labeller's metric on both mentions).
RECALL_GAPS = {"difference", "ratio", "duplicate"}


@pytest.fixture(scope="module")
def planted():
    if not (SCRIPTS / "generate_corpus.py").is_file():
        pytest.skip("scripts/generate_corpus.py is not in this tree")
    sys.path.insert(0, str(SCRIPTS))
    try:
        import inject_errors
    finally:
        sys.path.pop(0)
    result = inject_errors.run(200, 11)
    print(inject_errors.render(result))
    return result


def test_every_family_is_planted(planted):
    for family, counts in planted["table"].items():
        assert counts["planted"] > 0, family


def test_precision_per_family(planted):
    for family, counts in planted["table"].items():
        if counts["flags"]:
            assert counts["true_flags"] / counts["flags"] >= 0.95, (family, planted["false"][:5])


def test_recall_per_family(planted):
    for family, counts in planted["table"].items():
        recall = counts["found"] / counts["planted"]
        if family in RECALL_GAPS:
            assert recall >= 0.3, family  # known gap, must not regress
        else:
            assert recall >= 0.95, (family, [m for m in planted["misses"] if m["family"] == family][:5])
