"""Figure recall and precision on the shared dev corpus and the seed (skipped without ../shared)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractor import extract
from extractor.scoring import Score, kind_family, load_gold, match_figures, unit_in_text

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


def _same_quantity(predicted: dict, gold: dict) -> bool:
    """Value and kind family agree: the match rule without its unit-in-text condition."""
    value = predicted["normalized"]["value"]
    return (Decimal(value) == Decimal(gold.get("base", gold["value"]))
            and kind_family(predicted["kind"]) == kind_family(gold["kind"]))


def test_dev_corpus(shared_dir):
    """As good as the match rule allows.

    The goal is recall and precision 0.95, but 30 of the 426 dev gold figures are table
    cells with an implied unit (43.2 under 金额单位：万元) that no verbatim span can hold, so
    the rule cannot match them: scored against itself, the gold reaches 0.930 / 0.930. The
    test therefore holds perfx to every matchable gold figure, and every extra to be one of
    the unmatchable gold figures.
    """
    total = Score()
    for text in sorted((shared_dir / "corpus" / "dev").glob("*.txt")):
        total.add(_score(text, shared_dir / "corpus" / "dev" / "gold" / f"{text.stem}.json"))
    print(f"dev: matched={total.matched} gold={total.gold} pred={total.predicted} "
          f"recall={total.recall:.3f} precision={total.precision:.3f} "
          f"matchable={total.matchable}")
    _print_misses(total)
    assert total.matched / total.matchable >= 0.98
    unmatchable = [g for g in total.misses if not unit_in_text(g)]
    unexplained = 0
    for extra in total.extras:
        twin = next((g for g in unmatchable if _same_quantity(extra, g)), None)
        if twin is None:
            unexplained += 1
        else:
            unmatchable.remove(twin)
    assert unexplained <= 0.02 * total.predicted
