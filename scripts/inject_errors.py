#!/usr/bin/env python3
"""Plant each rule family's kind of error in generated reports and score `perfx check`.

Builds reports with scripts/generate_corpus.py (its data, content and relations), then, per
report, picks one rule family at random and breaks one of that family's relations at a
random position by rewriting the figure that states the result (a total, a net value, a
rate, one of a metric's two mentions, this year's opening carryover). Every planted error is
recorded. Relations whose other operand is last year's value are used only when last year's
report is in the set. The reports are rendered as txt, extracted and checked; a planted error
is found when a finding (of any rule) names the rewritten figure (--by-rule shows which rules
did); a finding is counted under its own rule's family, and is true when it names a planted
figure. Prints recall and precision per family; --clean plants nothing (every finding is a
false flag).

    python scripts/inject_errors.py [--count 200] [--seed 11] [--out DIR] [--by-rule] [--clean]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import generate_corpus as gen  # noqa: E402

from extractor.check import check_reports  # noqa: E402
from extractor.extract import build_report  # noqa: E402
from extractor.readers import read_document  # noqa: E402

FAMILIES = ("sum", "difference", "ratio", "growth", "duplicate", "cross_year")
RESULT_KEY = {"sum": "total", "difference": "result", "ratio": "rate", "growth": "rate"}
OPERANDS = {"sum": ("parts",), "difference": ("minuend", "subtrahend"),
            "ratio": ("numerator", "denominator"), "growth": ("current", "previous")}


def _plain(fig) -> bool:
    """A figure whose written number can be rewritten in place."""
    return (isinstance(fig, gen.Fig) and not fig.approx and fig.range is None
            and fig.value in fig.text and fig.value.count(".") <= 1
            and fig.text.count(fig.value) == 1)


def _shift(fig, rng: random.Random, at_least: Decimal) -> None:
    """Rewrite ``fig`` to a clearly different value with the same written precision."""
    places = len(fig.value.partition(".")[2])
    quantum = Decimal(1).scaleb(-places)
    old = Decimal(fig.value)
    step = max(abs(old) * Decimal(rng.choice(["0.08", "0.12", "0.2", "0.3"])), at_least, quantum * 20)
    new = old + step if (old == 0 or rng.random() < 0.5) else old - step
    if new <= 0:
        new = old + step
    new = new.quantize(quantum, ROUND_HALF_UP)
    if new == old:
        new = old + quantum * 20
    new_text = format(new, "f")
    factor = fig.norm_value / old if old != 0 else gen.classify(fig.unit)[2]
    fig.text = fig.text.replace(fig.value, new_text)
    fig.norm_value = new * factor
    fig.value = new_text


def _candidates(report, family: str, previous_ids: dict, built_ids: frozenset = frozenset()) -> list:
    """(figure to rewrite, description) pairs for one family in one report."""
    out = []
    if family in RESULT_KEY:
        for rel in report.relations:
            if rel["kind"] != family:
                continue
            figs = [v for k, v in rel.items() if isinstance(v, gen.Fig)]
            figs += [p for p in rel.get("parts", []) if isinstance(p, gen.Fig)]
            if any(f.approx for f in figs):
                continue
            unstated = [k for k in OPERANDS[family] if k in rel
                        and not all(isinstance(v, gen.Fig) for v in
                                    (rel[k] if isinstance(rel[k], list) else [rel[k]]))]
            if (unstated or rel.get("previous_report")) and rel.get("previous_report") not in built_ids:
                # an operand is last year's value and last year's report is not in the set
                # (or there is none): the text states nothing the planted figure contradicts
                continue
            target = rel[RESULT_KEY[family]]
            if _plain(target) and (family != "growth" or isinstance(rel.get("previous"), gen.Fig)):
                out.append((target, rel.get("note", family)))
    elif family == "duplicate":
        by_metric = defaultdict(list)
        for fig in report.figures():
            if fig.metric and not fig.approx:
                by_metric[fig.metric].append(fig)
        for metric, figs in by_metric.items():
            if len(figs) >= 2 and len({f.norm_value for f in figs}) == 1 and _plain(figs[-1]):
                out.append((figs[-1], f"second mention of {metric}"))
    elif family == "cross_year":
        if report.id in previous_ids:
            for fig in report.figures():
                if fig.metric == "carryover.begin" and _plain(fig):
                    out.append((fig, "opening carryover vs last year's closing"))
    return out


def plant(reports: list, rng: random.Random) -> list[dict]:
    """Break one relation of a randomly chosen family in each report; return the records."""
    ids = {r.id for r in reports}
    previous_ids = {r.id: r.previous for r in reports
                    if r.previous and f"{r.department}" and any(o.id != r.id for o in reports)}
    previous_ids = {r.id: True for r in reports
                    if any(o.department == r.department and o.year == r.year - 1 and o.genre == r.genre
                           and o.title.replace(str(o.year), "") == r.title.replace(str(r.year), "")
                           for o in reports)}
    records = []
    for report in reports:
        families = list(FAMILIES)
        rng.shuffle(families)
        for family in families:
            options = _candidates(report, family, previous_ids, frozenset(ids))
            if not options:
                continue
            target, note = rng.choice(options)
            original = target.text
            # a sum's total must move by more than its parts' combined rounding
            _shift(target, rng, Decimal(0))
            records.append({"report": report.id, "family": family, "original": original,
                            "planted": target.text, "note": note})
            break
    assert ids
    return records


def run(count: int, seed: int, out: Path | None = None, plant_errors: bool = True) -> dict:
    """Plant (unless ``plant_errors`` is false: the clean corpus), extract, check, score."""
    rng = random.Random(seed)
    built = [report for _, report in gen.build_reports(count, seed)]
    records = plant(built, rng) if plant_errors else []
    with tempfile.TemporaryDirectory(prefix="perfx-inject-") as scratch:
        folder = out or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        extracted, documents = [], []
        for report in built:
            path = folder / f"{report.id}.txt"
            path.write_text(gen.render_txt(report), encoding="utf-8")
            document = read_document(path)
            extracted.append(build_report(document, path))
            documents.append(document)
        results = check_reports(extracted, documents)
    by_report = {Path(p).stem: fs for p, fs in results.items()}
    planted_by_report = defaultdict(list)
    for record in records:
        planted_by_report[record["report"]].append(record)
    table = {f: Counter() for f in FAMILIES}
    misses, false = [], []
    for record in records:
        findings = by_report.get(record["report"], [])
        hit = [f for f in findings if any(r.text == record["planted"] for r in f.figures)]
        record["found_by"] = sorted({f.rule for f in hit})
        table[record["family"]]["planted"] += 1
        if hit:
            table[record["family"]]["found"] += 1
        else:
            misses.append(record)
    for report_id, findings in by_report.items():
        planted = {r["planted"] for r in planted_by_report.get(report_id, [])}
        for finding in findings:
            family = "cross_year" if finding.rule in ("PX060",) else finding.family
            family = family if family in table else "sum"
            table[family]["flags"] += 1
            if any(r.text in planted for r in finding.figures):
                table[family]["true_flags"] += 1
            else:
                false.append(f"{report_id}: {finding.rule} {finding.message_zh}")
    return {"table": table, "misses": misses, "false": false, "records": records}


def by_rule(result: dict) -> str:
    """Which rules found each family's planted errors (one error may be found by several)."""
    lines = []
    for family in FAMILIES:
        counts = Counter(rule for r in result["records"] if r["family"] == family for rule in r["found_by"])
        lines.append(f"  {family:12} " + ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items())))
    return "\n".join(lines)


def render(result: dict) -> str:
    lines = [f"{'family':12} {'planted':>8} {'found':>6} {'recall':>7} {'flags':>6} {'true':>5} {'precision':>9}"]
    for family, c in result["table"].items():
        recall = c["found"] / c["planted"] if c["planted"] else float("nan")
        precision = c["true_flags"] / c["flags"] if c["flags"] else float("nan")
        lines.append(f"{family:12} {c['planted']:>8} {c['found']:>6} {recall:>7.3f} {c['flags']:>6} "
                     f"{c['true_flags']:>5} {precision:>9.3f}")
    lines += [f"  MISS  {m['report']} {m['family']} {m['original']} -> {m['planted']} ({m['note']})"
              for m in result["misses"]]
    lines += [f"  FALSE {f}" for f in result["false"]]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, help="keep the planted reports and records here")
    parser.add_argument("--by-rule", action="store_true", help="also print which rules found each family's errors")
    parser.add_argument("--clean", action="store_true", help="plant nothing: every finding is a false flag")
    args = parser.parse_args(argv)
    result = run(args.count, args.seed, args.out, plant_errors=not args.clean)
    if args.out:
        (args.out / "planted.json").write_text(json.dumps(result["records"], ensure_ascii=False, indent=1),
                                               encoding="utf-8")
    print(render(result))
    if args.by_rule:
        print("found by:")
        print(by_rule(result))
    ok = all((c["found"] / c["planted"] >= 0.95 if c["planted"] else True)
             and (c["true_flags"] / c["flags"] >= 0.95 if c["flags"] else True)
             for c in result["table"].values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
