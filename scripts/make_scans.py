#!/usr/bin/env python3
"""Make image-only ("scanned") PDFs of the project corpus PDFs and of the seed report.

usage: python scripts/make_scans.py [OUT_DIR] [--only NAME] [--pages N]

Each page is rendered at 200 dpi in grey, turned by a small seeded angle (0.3-0.9 degrees,
either way), JPEG-compressed (quality 60) and written into a PDF with no text layer. The seed
(a .txt file in ../shared/seed) is first typeset as a text PDF (reportlab, the corpus
generator's font), which is kept beside the scan (``<id>.text.pdf``) so the text-layer result
and the OCR result are measured on the same pages. OUT_DIR defaults to outputs/scans (ignored
by git); nothing here is committed.
"""
from __future__ import annotations

import argparse
import html
import io
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED = ROOT.parent / "shared" / "seed"
DPI = 200
JPEG_QUALITY = 60


def scan_page(image, rng: random.Random):
    """A page image as a scanner would give it: grey, slightly turned, JPEG artefacts."""
    from PIL import Image
    angle = rng.uniform(0.3, 0.9) * rng.choice((-1, 1))
    grey = image.convert("L").rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    buffer = io.BytesIO()
    grey.save(buffer, "JPEG", quality=JPEG_QUALITY)
    buffer.seek(0)
    return Image.open(buffer)


def scan_pdf(source: Path, target: Path, seed: int = 12, pages: int | None = None) -> int:
    """Write an image-only copy of the PDF ``source``; returns its page count."""
    import pypdfium2 as pdfium
    rng = random.Random(f"{seed}:{source.name}")
    pdf = pdfium.PdfDocument(str(source))
    images = []
    for index in range(len(pdf) if pages is None else min(pages, len(pdf))):
        page = pdf[index]
        images.append(scan_page(page.render(scale=DPI / 72, grayscale=True).to_pil(), rng))
        page.close()
    pdf.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(target, "PDF", resolution=DPI, save_all=True, append_images=images[1:])
    return len(images)


def text_pdf(source: Path, target: Path) -> None:
    """Typeset a plain-text report as a PDF with a text layer (one paragraph per line)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=12, leading=20,
                           wordWrap="CJK", spaceAfter=4)
    story = [Paragraph(html.escape(line.strip(), quote=False), style)
             for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    target.parent.mkdir(parents=True, exist_ok=True)
    SimpleDocTemplate(str(target), pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                      topMargin=25 * mm, bottomMargin=25 * mm, invariant=1).build(story)


def sources(out: Path) -> list[tuple[str, Path]]:
    """(name, text-layer PDF) of every corpus report and of the seed (typeset first)."""
    found = [(path.stem, path) for path in sorted(CORPUS.glob("*.pdf"))]
    for seed_txt in sorted(SEED.glob("*.txt")):
        typeset = out / f"{seed_txt.stem}.text.pdf"
        if not typeset.exists():
            text_pdf(seed_txt, typeset)
        found.append((seed_txt.stem, typeset))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(ROOT / "outputs" / "scans"))
    parser.add_argument("--only", default="", help="only reports whose name contains this")
    parser.add_argument("--pages", type=int, default=None, help="at most this many pages each")
    args = parser.parse_args()
    out = Path(args.out)
    for name, source in sources(out):
        if args.only in name:
            count = scan_pdf(source, out / f"{name}.scan.pdf", pages=args.pages)
            print(f"{out / (name + '.scan.pdf')}: {count} page(s) from {source}")


if __name__ == "__main__":
    main()
