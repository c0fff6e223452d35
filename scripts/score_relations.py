#!/usr/bin/env python3
"""Score `perfx check` against the gold relations of the dev corpus (and the seed).

A gold relation is *flagged* when one finding (any severity) names, among its figures, the
relation's total / result / rate and at least one of its other figures (figure texts compared
verbatim, spaces ignored, either containing the other). Prints the share of `holds: false`
relations flagged (target >= 90%), the share of `holds: true` relations flagged (target <= 5%)
and every miss and false flag.

    python scripts/score_relations.py [--corpus ../shared/corpus/dev] [--seed ../shared/seed]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.check import check_report  # noqa: E402
from extractor.extract import build_report  # noqa: E402
from extractor.readers import read_document  # noqa: E402

HEADS = ("total", "result", "rate")
OTHERS = ("parts", "minuend", "subtrahend", "numerator", "denominator", "current", "previous",
          "change", "plus", "minus")


def _norm(text: str) -> str:
    return "".join(str(text).split())


def _same(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return bool(a and b) and (a == b or a in b or b in a)


def relation_texts(relation: dict) -> tuple[str | None, list[str]]:
    head = next((relation[k] for k in HEADS if relation.get(k)), None)
    others: list[str] = []
    for key in OTHERS:
        value = relation.get(key)
        if isinstance(value, list):
            others.extend(str(v) for v in value)
        elif value:
            others.append(str(value))
    return head, others


def flagged_by(relation: dict, findings) -> list:
    head, others = relation_texts(relation)
    if head is None:
        return []
    hits = []
    for finding in findings:
        texts = [r.text for r in finding.figures]
        if any(_same(head, t) for t in texts) and any(_same(o, t) for o in others for t in texts
                                                        if not _same(head, t) or o != head):
            hits.append(finding)
    return hits


def score(pairs: list[tuple[Path, Path]]) -> dict:
    """pairs of (report text, gold json) -> counts, misses and false flags."""
    result = {"false_total": 0, "false_flagged": 0, "true_total": 0, "true_flagged": 0,
              "misses": [], "false_flags": [], "by_severity": {}}
    for text_path, gold_path in pairs:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        document = read_document(text_path)
        findings = check_report(build_report(document, text_path), document)
        for relation in gold.get("relations", []):
            hits = flagged_by(relation, findings)
            head, others = relation_texts(relation)
            label = f"{text_path.name}: {relation.get('kind')} {head} <- {', '.join(others)}"
            if relation.get("holds") is False:
                result["false_total"] += 1
                if hits:
                    result["false_flagged"] += 1
                    for hit in hits[:1]:
                        result["by_severity"][hit.severity] = result["by_severity"].get(hit.severity, 0) + 1
                else:
                    result["misses"].append(label)
            elif relation.get("holds") is True:
                result["true_total"] += 1
                if hits:
                    result["true_flagged"] += 1
                    result["false_flags"].append(f"{label} [{hits[0].rule} {hits[0].severity}]")
    return result


def dev_pairs(corpus: Path) -> list[tuple[Path, Path]]:
    return [(corpus / f"{g.stem}.txt", g) for g in sorted((corpus / "gold").glob("*.json"))
            if (corpus / f"{g.stem}.txt").is_file()]


def seed_pairs(seed: Path) -> list[tuple[Path, Path]]:
    texts = sorted(seed.glob("*.txt"))
    gold = seed / "gold.json"
    return [(texts[0], gold)] if texts and gold.is_file() else []


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def report(name: str, result: dict) -> str:
    lines = [f"{name}: holds:false flagged {result['false_flagged']}/{result['false_total']} "
             f"({_pct(result['false_flagged'], result['false_total'])}, target >= 90%); "
             f"holds:true flagged {result['true_flagged']}/{result['true_total']} "
             f"({_pct(result['true_flagged'], result['true_total'])}, target <= 5%)",
             f"  flagged holds:false by severity: {result['by_severity']}"]
    lines += [f"  MISS   {m}" for m in result["misses"]]
    lines += [f"  FALSE  {m}" for m in result["false_flags"]]
    return "\n".join(lines)


def passes(result: dict) -> bool:
    recall = result["false_flagged"] / result["false_total"] if result["false_total"] else 1.0
    noise = result["true_flagged"] / result["true_total"] if result["true_total"] else 0.0
    return recall >= 0.9 and noise <= 0.05


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    parser.add_argument("--seed", type=Path, default=ROOT.parent / "shared" / "seed")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 1
    dev = score(dev_pairs(args.corpus))
    print(report("dev", dev))
    if args.seed.is_dir():
        print(report("seed", score(seed_pairs(args.seed))))
    return 0 if passes(dev) else 1


if __name__ == "__main__":
    sys.exit(main())
