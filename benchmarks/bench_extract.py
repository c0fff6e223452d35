"""Extraction speed on a fixed corpus, as ratios against bare library baselines in the same run.

    python benchmarks/bench_extract.py [CORPUS_DIR] [--repeat N]

For pdf: perfx extract vs bare ``pdfplumber`` ``page.extract_text()`` of the same files.
For docx: perfx extract vs bare ``python-docx`` ``Document(path)`` loading plus paragraph text.
For txt/html: absolute docs/s only. Machines here are noisy, so ratios (measured back to back,
best of N) are what to compare across runs, not seconds. Goal: pdf <= 1.5x, docx <= 3x.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best_of(repeat: int, func, files: list[Path]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for path in files:
            func(path)
        best = min(best, time.perf_counter() - started)
    return best


def bare_pdfplumber(path: Path) -> None:
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def bare_docx(path: Path) -> None:
    import docx
    document = docx.Document(str(path))
    for paragraph in document.paragraphs:
        paragraph.text  # noqa: B018 - the baseline reads the text


def pdf_pages(files: list[Path]) -> int:
    import pdfplumber
    total = 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            total += len(pdf.pages)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT / "corpus")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from extractor import extract
    from extractor.figures import recognizer
    recognizer()  # pattern compilation is start-up cost, not per-document cost

    baselines = {"pdf": bare_pdfplumber, "docx": bare_docx}
    print(f"corpus: {args.corpus}  (best of {args.repeat})")
    print(f"{'format':<6} {'docs':>5} {'perfx s':>9} {'docs/s':>8} {'pages/s':>8} {'bare s':>8} {'ratio':>6}")
    for fmt in ("pdf", "docx", "txt", "html"):
        files = sorted(args.corpus.glob(f"*.{fmt}"))
        if not files:
            continue
        ours = best_of(args.repeat, extract, files)
        pages = pdf_pages(files) if fmt == "pdf" else None
        bare = best_of(args.repeat, baselines[fmt], files) if fmt in baselines else None
        ratio = f"{ours / bare:6.2f}" if bare else "     -"
        pages_rate = f"{pages / ours:8.1f}" if pages else "       -"
        bare_text = f"{bare:8.3f}" if bare else "       -"
        print(f"{fmt:<6} {len(files):>5} {ours:>9.3f} {len(files) / ours:>8.1f} {pages_rate} {bare_text} {ratio}")


if __name__ == "__main__":
    main()
