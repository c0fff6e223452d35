"""The seed report's text turned into docx and pdf gives the same figures (skipped without ../shared).

The fixture writes one paragraph per text line: python-docx for docx, reportlab with its
built-in CJK font for pdf (so long paragraphs wrap across lines and pages, and the reader's
reflow is exercised).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from extractor import extract
from extractor.scoring import load_gold, match_figures

TARGET = 0.98


def _seed_lines(shared: Path) -> list[str]:
    text = next((shared / "seed").glob("*.txt")).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def write_docx(lines: list[str], path: Path) -> Path:
    import docx
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(path)
    return path


def write_pdf(lines: list[str], path: Path) -> Path:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=16,
                           wordWrap="CJK", spaceAfter=4)
    story = [Paragraph(escape(line), style) for line in lines]
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)
    return path


@pytest.mark.parametrize("writer", [write_docx, write_pdf], ids=["docx", "pdf"])
def test_seed_in_other_formats(shared_dir, tmp_path, writer):
    suffix = ".docx" if writer is write_docx else ".pdf"
    path = writer(_seed_lines(shared_dir), tmp_path / f"seed{suffix}")
    report = extract(path).model_dump(mode="json")
    score = match_figures(load_gold(shared_dir / "seed" / "gold.json"), report["figures"])
    print(f"seed {suffix}: recall={score.recall:.3f} precision={score.precision:.3f}")
    for g in score.misses:
        print(f"  MISS  {g['text']!r}")
    for p in score.extras:
        print(f"  EXTRA {p['text']!r}")
    assert score.recall >= TARGET
    assert score.precision >= TARGET
