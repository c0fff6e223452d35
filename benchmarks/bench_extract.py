"""Extraction speed on a fixed corpus: pipeline stages and bare library baselines in one run.

    python benchmarks/bench_extract.py [CORPUS_DIR] [--repeat N] [--cpu] [--checkout DIR]
                                       [--formats pdf,docx,txt,html]

Per format (pdf, docx, txt, html) and for the whole corpus: each stage's time is the sum over
the files of its best time per file in N rounds. In every round each file runs through all
stages back to back (in an order that turns round by round), so a burst of load from other
processes falls on one file's stages alike and the best of N rounds drops it file by file:

- figures:        read the document, recognise figures, build Figure objects
                  (``extract.document_figures``); no labels, metrics, self-eval or checks.
- labels+metrics: figures plus metadata, labels, metrics and the self-evaluation table
                  (``extract.annotated_report``); no consistency checks.
- full:           ``extractor.extract``: all of the above plus ``check_report``.
- bare:           the bare library reading the same files: pdf ``pdfplumber``
                  ``page.extract_text()``; docx ``python-docx`` ``Document(path)`` plus paragraph
                  text; txt reading and decoding the bytes; html ``lxml.html`` parse plus
                  ``text_content()``.
- floor (pdf):    bare pdfium text of the same files (``get_textpage().get_text_range()`` per
                  page), the least any reader of the text layer can spend: once with
                  pdfium's own font lookup, once with the box faces perfx's reader gives a
                  CJK font the file does not embed (readers/pdfium_fonts.py; for such files,
                  the corpus's STSong-Light, most of pdfium's time is loading glyph outlines
                  from a system CJK font).

For pdf the run also says which road the reader's pages took (pdfium text only; pdfium with
pdfplumber's table finder on pdfium's edges; the whole page parsed by pdfplumber) and the ratio
of full to both baselines (issue 13: full / bare pdfplumber <= 0.5).

Machines here are noisy, so the ratios are what to compare across runs, not seconds.
``--cpu`` times process CPU time instead of wall time: steadier while other processes load
the machine (everything timed here runs in this one thread). ``--checkout DIR`` times the
extractor of another checkout (an older commit's worktree) with this same script, so two
versions can be compared back to back with one way of measuring; the corpus stays this
checkout's unless CORPUS_DIR is given.
Goals: labels+metrics / figures <= 1.2 on the corpus; full / bare <= 0.5 for pdf, <= 3 for docx.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("pdf", "docx", "txt", "html")


def best_of(repeat: int, funcs: dict[str, Callable[[Path], object]], files: list[Path],
            clock: Callable[[], float] = time.perf_counter) -> dict[str, float]:
    """Per function, the sum over ``files`` of its best time per file in ``repeat`` rounds.

    Each round takes the files in turn and runs every function on a file back to back, the
    functions' order turning by one each round, so load from other processes falls on all
    of them alike and the per-file best drops a burst that hit one file in one round."""
    names = list(funcs)
    best = {name: [float("inf")] * len(files) for name in names}
    for round_number in range(repeat):
        turn = round_number % len(names)
        order = names[turn:] + names[:turn]
        for position, path in enumerate(files):
            for name in order:
                started = clock()
                funcs[name](path)
                elapsed = clock() - started
                if elapsed < best[name][position]:
                    best[name][position] = elapsed
    return {name: sum(times) for name, times in best.items()}


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


def bare_txt(path: Path) -> None:
    path.read_bytes().decode("utf-8")


def bare_html(path: Path) -> None:
    import lxml.html
    lxml.html.document_fromstring(path.read_bytes()).text_content()


def bare_pdfium(path: Path) -> None:
    import pypdfium2
    document = pypdfium2.PdfDocument(str(path))
    try:
        for page in document:
            page.get_textpage().get_text_range()
    finally:
        document.close()


def bare_pdfium_boxed(path: Path) -> None:
    """Bare pdfium text with the faces perfx's reader gives non-embedded CJK fonts
    (readers/pdfium_fonts.py); plain ``bare_pdfium`` for a checkout without them."""
    try:
        from extractor.readers.pdfium_fonts import box_faces
    except ImportError:
        return bare_pdfium(path)
    with box_faces():
        bare_pdfium(path)


BARE = {"pdf": bare_pdfplumber, "docx": bare_docx, "txt": bare_txt, "html": bare_html}
FLOOR = {"pdf": {"floor": bare_pdfium, "floor (box faces)": bare_pdfium_boxed}}


def pdf_roads(files: list[Path]) -> dict[str, int]:
    """How many pages of ``files`` took each road through the PDF reader."""
    from collections import Counter

    try:
        from extractor.readers.pdf import read_pages
        return dict(Counter(page.road for path in files for page in read_pages(path)[0]))
    except (ImportError, AttributeError):  # an older checkout's reader keeps no roads
        return {}


def stage_figures(path: Path) -> None:
    from extractor.extract import document_figures
    from extractor.readers import read_document
    document_figures(read_document(path))


def stage_labels(path: Path) -> None:
    from extractor.extract import annotated_report
    from extractor.readers import read_document
    annotated_report(read_document(path), path)


def stage_full(path: Path) -> None:
    from extractor import extract
    extract(path)


STAGES = {"figures": stage_figures, "labels+metrics": stage_labels, "full": stage_full}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT / "corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cpu", action="store_true", help="time process CPU time, not wall time")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help=f"comma-separated formats to time (default {','.join(FORMATS)})")
    parser.add_argument("--checkout", type=Path, default=ROOT,
                        help="the checkout whose extractor to time (default: this one)")
    args = parser.parse_args()
    sys.path.insert(0, str(args.checkout.resolve()))  # that checkout's extractor, not the installed one

    import extractor
    from extractor.figures import recognizer
    print(f"extractor: {Path(extractor.__file__).parent}")
    recognizer()  # pattern compilation is start-up cost, not per-document cost
    formats = [f for f in args.formats.split(",") if f in FORMATS]
    for fmt in formats:  # warm imports and caches once, outside the timings
        for func in (*STAGES.values(), BARE[fmt], *FLOOR.get(fmt, {}).values()):
            for path in sorted(args.corpus.glob(f"*.{fmt}"))[:1]:
                func(path)

    clock = time.process_time if args.cpu else time.perf_counter
    print(f"corpus: {args.corpus}  (best of {args.repeat}, {'CPU' if args.cpu else 'wall'} seconds per pass)")
    print(f"{'format':<6} {'docs':>5} {'figures':>8} {'lab+met':>8} {'full':>8} {'bare':>8}"
          f" {'lab/fig':>8} {'full/fig':>8} {'full/bare':>9}")
    totals = dict.fromkeys((*STAGES, "bare"), 0.0)
    count = 0
    pdf_times: dict[str, float] = {}
    pdf_files: list[Path] = []
    for fmt in formats:
        files = sorted(args.corpus.glob(f"*.{fmt}"))
        if not files:
            continue
        times = best_of(args.repeat, {**STAGES, "bare": BARE[fmt], **FLOOR.get(fmt, {})},
                        files, clock)
        for name in totals:
            totals[name] += times[name]
        count += len(files)
        _row(fmt, len(files), times)
        if fmt == "pdf":
            pdf_times = times
            pdf_files = files
    if count:
        _row("all", count, totals)
    if pdf_files:
        roads = pdf_roads(pdf_files)
        pages = sum(roads.values())
        if pages:
            shares = ", ".join(f"{road}: {n}/{pages} ({n / pages:.0%})" for road, n in roads.items())
            print(f"pdf pages by road: {shares}")
        print(f"pdf full / bare pdfplumber extract_text = "
              f"{pdf_times['full'] / pdf_times['bare']:.2f} (goal <= 0.5); "
              f"full / bare pdfium text (the floor) = "
              f"{pdf_times['full'] / pdf_times['floor']:.2f} with pdfium's system fonts, "
              f"{pdf_times['full'] / pdf_times['floor (box faces)']:.2f} with the box faces "
              f"perfx reads with; bare pdfplumber / pdfium = "
              f"{pdf_times['bare'] / pdf_times['floor']:.1f}")


def _row(name: str, docs: int, times: dict[str, float]) -> None:
    fig, lab, full, bare = times["figures"], times["labels+metrics"], times["full"], times["bare"]
    print(f"{name:<6} {docs:>5} {fig:>8.3f} {lab:>8.3f} {full:>8.3f} {bare:>8.3f}"
          f" {lab / fig:>8.2f} {full / fig:>8.2f} {full / bare:>9.2f}")


if __name__ == "__main__":
    main()
