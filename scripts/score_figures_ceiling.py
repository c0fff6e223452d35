#!/usr/bin/env python3
"""What the figure-matching rule allows on the dev corpus: perfx's score beside the gold's own.

usage: python scripts/score_figures_ceiling.py [SHARED_DIR]   (default: ../shared)

The rule (shared/tools/score_figures.py, extractor.scoring) asks the predicted text to hold
the gold unit. Gold gives bare table cells the unit their header implies (43.2 under
金额单位：万元), which no verbatim span holds, so some gold figures cannot be matched by
anything. This prints the gold scored against itself (the ceiling) and perfx's score.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import extract  # noqa: E402
from extractor.scoring import Score, load_gold, match_figures, unit_in_text  # noqa: E402


def gold_as_output(gold: list[dict]) -> list[dict]:
    """Gold figures in the shape of perfx output figures."""
    return [{"text": g["text"], "kind": g["kind"],
             "normalized": {"value": g.get("base", g["value"])}} for g in gold]


def main(argv: list[str]) -> int:
    shared = Path(argv[0]) if argv else ROOT.parent / "shared"
    dev = shared / "corpus" / "dev"
    ceiling, ours = Score(), Score()
    for text in sorted(dev.glob("*.txt")):
        gold = load_gold(dev / "gold" / f"{text.stem}.json")
        ceiling.add(match_figures(gold, gold_as_output(gold)))
        ours.add(match_figures(gold, extract(text).model_dump(mode="json")["figures"]))
    implied = sum(not unit_in_text(g) for g in ceiling.misses)
    print(f"gold figures: {ceiling.gold}, of which {implied} have a unit their text does not hold")
    for name, score in (("gold as output (ceiling)", ceiling), ("perfx", ours)):
        print(f"{name:<25} matched={score.matched} pred={score.predicted} "
              f"recall={score.recall:.3f} precision={score.precision:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
