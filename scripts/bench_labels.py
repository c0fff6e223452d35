#!/usr/bin/env python3
"""Throughput of extraction with labels, metrics and self-evaluation tables vs figures only.

usage: python scripts/bench_labels.py [--rounds N] [FILE_OR_DIR ...]
       (default: corpus/ and, when present, ../shared/corpus/dev and ../shared/seed)

Both variants run in the same process, interleaved round by round, and the best round of
each is compared (other work on the machine only ever slows a round down). "figures only"
is the same extraction with the annotation stage (extractor.annotate.annotate) replaced by
a no-op. Target: labels + metrics within 1.2x of figures only.
"""
from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.annotate import Annotated  # noqa: E402

extract_module = importlib.import_module("extractor.extract")


def files_from(args: list[str]) -> list[Path]:
    roots = [Path(a) for a in args] or [ROOT / "corpus", ROOT.parent / "shared" / "corpus" / "dev",
                                         ROOT.parent / "shared" / "seed"]
    out: list[Path] = []
    for root in roots:
        if root.is_file():
            out.append(root)
        elif root.is_dir():
            out += sorted(p for p in root.iterdir() if p.suffix in (".txt", ".docx", ".pdf", ".html", ".xlsx"))
    return out


def one_round(files: list[Path]) -> float:
    started = time.perf_counter()
    for path in files:
        extract_module.extract(path)
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    rounds = 5
    if "--rounds" in argv:
        at = argv.index("--rounds")
        rounds = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2:]
    files = files_from(argv)
    real = extract_module.annotate

    def skip(blocks, figures, meta):
        return Annotated(metrics={}, table=None, contexts=[])

    one_round(files)  # warm: imports, pattern files, jieba
    full, bare = [], []
    for _ in range(rounds):
        extract_module.annotate = real
        full.append(one_round(files))
        extract_module.annotate = skip
        bare.append(one_round(files))
    extract_module.annotate = real
    ratio = min(full) / min(bare)
    print(f"{len(files)} files, best of {rounds}: figures only {min(bare):.3f}s, "
          f"with labels+metrics+tables {min(full):.3f}s, ratio {ratio:.2f} (target <= 1.20)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
