#!/usr/bin/env python3
"""Acceptance 1 of issue 12: figures from scanned PDFs against those from their text layers.

usage: python scripts/score_scans.py [SCAN_DIR] [--only NAME]

Reads the scans made by scripts/make_scans.py (default outputs/scans) and the text-layer PDFs
they were made from, extracts both with perfx and scores each against its truth (corpus/truth,
the seed's gold.json) with the graders' ../shared/tools/score_figures.py. Prints the micro
recall and precision of both and their ratios (scan / text; the issue asks >= 0.95).
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "tools" / "score_figures.py"
SEED = ROOT.parent / "shared" / "seed"


def scorer():
    spec = importlib.util.spec_from_file_location("score_figures", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pairs(scans: Path) -> list[tuple[str, Path, Path, Path]]:
    """(name, text PDF, scan PDF, truth) for every scan present."""
    out = []
    for scan in sorted(scans.glob("*.scan.pdf")):
        name = scan.name[:-len(".scan.pdf")]
        corpus_pdf = ROOT / "corpus" / f"{name}.pdf"
        if corpus_pdf.exists():
            out.append((name, corpus_pdf, scan, ROOT / "corpus" / "truth" / f"{name}.json"))
        elif (SEED / f"{name}.txt").exists():
            out.append((name, scans / f"{name}.text.pdf", scan, SEED / "gold.json"))
    return out


def extract_json(pdf: Path, target: Path) -> float:
    """Extract ``pdf`` into ``target`` (JSON); seconds taken."""
    from extractor import extract
    started = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):
        report = extract(pdf)
    target.write_text(report.model_dump_json(), encoding="utf-8")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scans", nargs="?", default=str(ROOT / "outputs" / "scans"))
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    scans = Path(args.scans)
    score = scorer().score
    totals = {"text": [0, 0, 0], "scan": [0, 0, 0]}
    pages = seconds = 0.0
    for name, text_pdf, scan_pdf, truth in pairs(scans):
        if args.only not in name:
            continue
        row = [name]
        for kind, pdf in (("text", text_pdf), ("scan", scan_pdf)):
            target = scans / f"{name}.{kind}.json"
            took = extract_json(pdf, target)
            with contextlib.redirect_stdout(io.StringIO()):
                matched, gold, pred = score(str(truth), str(target))
            for i, value in enumerate((matched, gold, pred)):
                totals[kind][i] += value
            row.append(f"{kind} {matched}/{gold} gold, {pred} pred")
            if kind == "scan":
                count = json.loads(target.read_text(encoding="utf-8"))["source"]["pages"] or 0
                pages += count
                seconds += took
        print("  ".join(row), flush=True)
    result = {}
    for kind, (matched, gold, pred) in totals.items():
        recall = matched / gold if gold else 0.0
        precision = matched / pred if pred else 0.0
        result[kind] = (recall, precision)
        print(f"{kind}: matched={matched} gold={gold} pred={pred} recall={recall:.3f} "
              f"precision={precision:.3f}")
    (tr, tp), (sr, sp) = result["text"], result["scan"]
    print(f"scan/text: recall {sr / tr if tr else 0:.3f}  precision {sp / tp if tp else 0:.3f}  "
          f"(>= 0.95 asked); OCR extraction {seconds / max(pages, 1):.1f} s/page over "
          f"{pages:.0f} pages")
    return 0 if tr and tp and sr / tr >= 0.95 and sp / tp >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
