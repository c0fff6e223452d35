#!/usr/bin/env python3
"""Score perfx's labels, canonical metrics and report metadata against the shared gold files.

usage: python scripts/score_metrics.py [--verbose] [SHARED_DIR]   (default: ../shared)

Figures are matched with the rule of shared/tools/score_figures.py (equal normalized value,
same kind family, the predicted text holds the gold unit's first character). Then:

- metric recall: of the gold figures with a metric, the share whose matched figure has the
  same metric (the value is equal by the matching rule);
- metric errors: of the metrics perfx assigns (one per figure), the share that are wrong — a
  key the gold report does not give, or a value that is not among gold's values for it;
- label agreement: of the matched figures, the share whose labels agree
  (extractor.labels.labels_agree: character F1 >= 0.5 after dropping punctuation);
- seed: every gold metric found exactly, and the report metadata.
"""
from __future__ import annotations

import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import extract  # noqa: E402
from extractor.labels import label_f1, labels_agree  # noqa: E402
from extractor.scoring import load_gold, match_figures  # noqa: E402


def _dec(value):
    try:
        return Decimal(str(value)).normalize()
    except (InvalidOperation, TypeError, ValueError):
        return None


def score_report(text_path: Path, gold_path: Path, verbose: bool = False) -> dict:
    report = extract(text_path).model_dump(mode="json")
    gold = load_gold(gold_path)
    score = match_figures(gold, report["figures"])
    pair_of = {id(g): p for g, p in score.pairs}
    out = {"metric_gold": 0, "metric_found": 0, "assigned": 0, "wrong": 0,
           "matched": len(score.pairs), "labels_ok": 0, "report": report}
    for g in gold:
        if not g.get("metric"):
            continue
        out["metric_gold"] += 1
        p = pair_of.get(id(g))
        if p is not None and p.get("metric") == g["metric"]:
            out["metric_found"] += 1
        elif verbose:
            got = (p or {}).get("metric") if p else "UNMATCHED"
            print(f"  {text_path.stem} MISSED {g['metric']} {g['text']!r} (label {g['label']!r}) got {got}")
    gold_values: dict[str, set] = {}
    for g in gold:
        if g.get("metric"):
            gold_values.setdefault(g["metric"], set()).add(_dec(g.get("base", g.get("value"))))
    for f in report["figures"]:
        if not f.get("metric"):
            continue
        out["assigned"] += 1
        value = _dec(f["normalized"]["value"])
        if value not in gold_values.get(f["metric"], set()):
            out["wrong"] += 1
            if verbose:
                print(f"  {text_path.stem} WRONG {f['metric']} {f['text']!r} label {f.get('label')!r}")
    for g, p in score.pairs:
        if labels_agree(g.get("label") or "", p.get("label")):
            out["labels_ok"] += 1
        elif verbose and "--labels" in sys.argv:
            print(f"  {text_path.stem} LABEL {g['label']!r} <> {p.get('label')!r} "
                  f"f1={label_f1(g.get('label') or '', p.get('label')):.2f}")
    return out


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv or "-v" in argv
    args = [a for a in argv if not a.startswith("-")]
    shared = Path(args[0]) if args else ROOT.parent / "shared"
    dev = shared / "corpus" / "dev"
    if not dev.is_dir():
        print(f"no dev corpus at {dev}")
        return 2
    totals = {"metric_gold": 0, "metric_found": 0, "assigned": 0, "wrong": 0, "matched": 0,
              "labels_ok": 0}
    index = {e["id"]: e for e in json.loads((dev / "index.json").read_text(encoding="utf-8"))}
    meta_ok = {"year": 0, "genre": 0, "n": 0}
    for text in sorted(dev.glob("*.txt")):
        result = score_report(text, dev / "gold" / f"{text.stem}.json", verbose)
        for key in totals:
            totals[key] += result[key]
        truth = index.get(text.stem, {})
        meta = result["report"]["meta"]
        meta_ok["n"] += 1
        meta_ok["year"] += meta.get("year") == truth.get("year")
        meta_ok["genre"] += meta.get("genre") == truth.get("genre")
        if verbose and (meta.get("year") != truth.get("year") or meta.get("genre") != truth.get("genre")):
            print(f"  {text.stem} META year {meta.get('year')} vs {truth.get('year')}, "
                  f"genre {meta.get('genre')} vs {truth.get('genre')}, dept {meta.get('department')!r} "
                  f"vs {truth.get('department')!r}")
    recall = totals["metric_found"] / totals["metric_gold"] if totals["metric_gold"] else 1.0
    wrong = totals["wrong"] / totals["assigned"] if totals["assigned"] else 0.0
    labels = totals["labels_ok"] / totals["matched"] if totals["matched"] else 1.0
    print(f"dev metrics: found {totals['metric_found']}/{totals['metric_gold']} = {recall:.3f} "
          f"(target >= 0.90); wrong {totals['wrong']}/{totals['assigned']} = {wrong:.3f} (target <= 0.03)")
    print(f"dev labels: agree {totals['labels_ok']}/{totals['matched']} = {labels:.3f} "
          f"(char F1 >= 0.5; target >= 0.85)")
    print(f"dev meta: year {meta_ok['year']}/{meta_ok['n']}, genre {meta_ok['genre']}/{meta_ok['n']}")
    seed_dir = shared / "seed"
    seed_text = next(seed_dir.glob("*.txt"), None)
    if seed_text is not None:
        result = score_report(seed_text, seed_dir / "gold.json", verbose)
        meta = result["report"]["meta"]
        labels = result["labels_ok"] / result["matched"] if result["matched"] else 1.0
        print(f"seed metrics: found {result['metric_found']}/{result['metric_gold']}, "
              f"wrong {result['wrong']}/{result['assigned']}; labels agree "
              f"{result['labels_ok']}/{result['matched']} = {labels:.3f}")
        print(f"seed meta: department={meta.get('department')} year={meta.get('year')} "
              f"genre={meta.get('genre')} region={meta.get('region')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
