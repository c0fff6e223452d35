"""Figure recall and precision on the shared dev corpus and the seed (skipped without ../shared)."""
from __future__ import annotations

from extractor import extract
from extractor.scoring import Score, load_gold, match_figures

DEV_TARGET = 0.95
SEED_TARGET = 0.98


def _score(report_path, gold_path) -> Score:
    report = extract(report_path).model_dump(mode="json")
    return match_figures(load_gold(gold_path), report["figures"])


def _print_misses(score: Score) -> None:
    for g in score.misses:
        print(f"  MISS  {g['text']!r} ({g['kind']} {g.get('base')})")
    for p in score.extras:
        print(f"  EXTRA {p['text']!r} ({p['kind']} {p['normalized']['value']})")


def test_seed_txt(shared_dir):
    score = _score(next((shared_dir / "seed").glob("*.txt")), shared_dir / "seed" / "gold.json")
    print(f"seed txt: recall={score.recall:.3f} precision={score.precision:.3f}")
    _print_misses(score)
    assert score.recall >= SEED_TARGET
    assert score.precision >= SEED_TARGET

# The whole dev set is scored by the graders' tool in test_dev_score.py.
