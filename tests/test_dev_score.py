"""The dev corpus and the seed scored by the graders' own tool, ../shared/tools/dev-score.

The floors live in tests/dev_baseline.json and are raised as perfx improves (a ratchet), so
main stays green while the scores climb. Skipped without ../shared or without perfx installed.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

BASELINE = json.loads((Path(__file__).parent / "dev_baseline.json").read_text(encoding="utf-8"))
LINE = re.compile(r"^(dev|seed) (figures|metrics|relations):\s+(.*)$")
NUMBER = re.compile(r"(\w+)=([0-9.]+)")


def parse_dev_score(output: str) -> dict[str, float]:
    """'dev figures: matched=1 recall=0.9 …' -> {'dev_figures_recall': 0.9, …}."""
    scores: dict[str, float] = {}
    for line in output.splitlines():
        match = LINE.match(line.strip())
        if match:
            for name, value in NUMBER.findall(match.group(3)):
                scores[f"{match.group(1)}_{match.group(2)}_{name}"] = float(value)
    return scores


def test_parse_dev_score_reads_every_line():
    out = ("dev figures:   matched=8 gold=9 pred=8 recall=0.889 precision=1.000 f1=0.941\n"
           "dev metrics:   metric recall=0.500 (53/106) wrong=0.275 (19/69)\n"
           "dev relations: relations caught=0.556 (5/9) false_alarm=0.043 (7/163) findings_on_real=0.455 (5/11)\n")
    scores = parse_dev_score(out)
    assert scores["dev_figures_recall"] == 0.889
    assert scores["dev_metrics_wrong"] == 0.275
    assert scores["dev_relations_findings_on_real"] == 0.455
    assert "seed_figures_recall" not in scores


@pytest.fixture(scope="module")
def dev_scores(shared_dir) -> dict[str, float]:
    tool = shared_dir / "tools" / "dev-score"
    if not tool.exists() or shutil.which("perfx") is None:
        pytest.skip("dev-score or the perfx command is not available")
    done = subprocess.run([str(tool)], capture_output=True, text=True, timeout=900,
                          cwd=Path(__file__).resolve().parent.parent)
    print(done.stdout)
    scores = parse_dev_score(done.stdout)
    assert "dev_figures_recall" in scores and "seed_metrics_recall" in scores, done.stdout + done.stderr
    return scores


@pytest.mark.parametrize("name", sorted(k for k in BASELINE if not k.startswith(("_", "dev_label", "dev_year", "dev_genre"))))
def test_dev_score_at_or_above_baseline(dev_scores, name):
    measured = dev_scores[name.removesuffix("_max")]
    if name.endswith("_max"):
        assert measured <= BASELINE[name] + 1e-9, f"{name}: {measured} > {BASELINE[name]}"
    else:
        assert measured >= BASELINE[name] - 1e-9, f"{name}: {measured} < {BASELINE[name]}"
