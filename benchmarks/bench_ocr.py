#!/usr/bin/env python3
"""Benchmark the OCR reader (issue 12, acceptance 3).

usage: python benchmarks/bench_ocr.py [--scans DIR] [--pages 4] [--files 4] [--no-speedup]

1. seconds per page of the OCR stage (render + recognise + layout, as the PDF reader does for
   a page without a text layer) against bare recogniser calls on the same page images
   (ratio asked <= 1.2);
2. the speed-up of `perfx ingest` with 2 workers over 1 on the same scanned PDFs (each worker
   gets its share of the cores as ONNX Runtime threads).

Scans come from scripts/make_scans.py (made into --scans when missing). The machine may be
shared: the load average is printed with the numbers; the ratios within one run are what count.
Each ingestion runs in a fresh process.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNNER = r"""
import json, sys, time
from extractor import ingest
started = time.perf_counter()
summary = ingest(sys.argv[1], sys.argv[2], workers=int(sys.argv[3]), progress=False)
print(json.dumps({"seconds": time.perf_counter() - started, "reports": summary.reports,
                  "figures": summary.figures, "errors": summary.errors}))
"""


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def scans(folder: Path) -> list[Path]:
    found = sorted(p for p in folder.glob("*.scan.pdf"))
    if not found:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_scans.py"), str(folder)],
                       check=True, stdout=subprocess.DEVNULL)
        found = sorted(folder.glob("*.scan.pdf"))
    return found


def stage_vs_bare(pdf: Path, pages: int) -> dict:
    """Seconds per page: bare recogniser calls, and the OCR stage, on the same rendered pages."""
    import contextlib
    import io

    import numpy as np

    from extractor.readers import ocr
    images = [ocr.render_pdf_page(pdf, i) for i in range(pages)]
    arrays = [np.stack([np.asarray(im)] * 3, axis=-1) for im in images]
    ocr.engine()(arrays[0])  # load the models and warm up once
    bare = stage = 0.0
    for i, array in enumerate(arrays):  # interleaved, so load changes hit both alike
        started = time.perf_counter()
        ocr.engine()(array)
        bare += time.perf_counter() - started
        started = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()):
            ocr.ocr_image(ocr.render_pdf_page(pdf, i), i + 1, ocr.RENDER_SCALE)
        stage += time.perf_counter() - started
    return {"pages": pages, "bare_s_per_page": bare / pages, "stage_s_per_page": stage / pages,
            "ratio": stage / bare, "threads": ocr.threads()}


def _pages(pdf: Path) -> int:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


def ingest_seconds(folder: Path, workers: int) -> dict:
    out = Path(tempfile.mkdtemp(prefix="perfx-bench-ocr-"))
    try:
        run = subprocess.run([sys.executable, "-c", RUNNER, str(folder), str(out), str(workers)],
                             capture_output=True, text=True, check=True, cwd=ROOT)
        return json.loads(run.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", default=str(ROOT / "outputs" / "scans"))
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--files", type=int, default=2, help="4-page scans for the speed-up")
    parser.add_argument("--no-speedup", action="store_true")
    args = parser.parse_args()
    found = scans(Path(args.scans))
    print(f"load average before: {load()}; cores: {len(os.sched_getaffinity(0))}")
    result = stage_vs_bare(found[0], args.pages)
    print(f"OCR stage {result['stage_s_per_page']:.2f} s/page, bare recogniser "
          f"{result['bare_s_per_page']:.2f} s/page, ratio {result['ratio']:.3f} (<= 1.2 asked); "
          f"{result['pages']} pages of {found[0].name}, {result['threads']} ONNX threads; "
          f"load {load()}", flush=True)
    if args.no_speedup:
        return
    folder = Path(tempfile.mkdtemp(prefix="perfx-bench-ocr-in-"))
    try:
        same = [pdf for pdf in found if _pages(pdf) == 4][:args.files] or found[:args.files]
        for pdf in same:  # files of one length, so two workers share the work evenly
            shutil.copy(pdf, folder / pdf.name)
        pages = 0
        for pdf in same:
            pages += _pages(pdf)
        one = ingest_seconds(folder, 1)
        print(f"ingest, 1 worker: {one['seconds']:.1f} s for {pages} pages "
              f"({one['seconds'] / pages:.2f} s/page); load {load()}", flush=True)
        two = ingest_seconds(folder, 2)
        print(f"ingest, 2 workers: {two['seconds']:.1f} s ({two['seconds'] / pages:.2f} s/page); "
              f"speed-up {one['seconds'] / two['seconds']:.2f}x; load {load()}; "
              f"figures {one['figures']} / {two['figures']}, errors {one['errors']} / "
              f"{two['errors']}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
