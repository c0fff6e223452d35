"""The box face pdfium gets for non-embedded CJK fonts (extractor/readers/pdfium_fonts.py).

The PDFs here name reportlab's STSong-Light, a CID font of the Adobe-GB1 collection that
reportlab never embeds: the case the box face is for. pdfplumber (pdfminer) reads the same
files as the reference: it takes every box from the PDF's own metrics."""
from __future__ import annotations

import ctypes
from pathlib import Path

import pytest

pdfium = pytest.importorskip("pypdfium2")
pytest.importorskip("reportlab")

import fixtures_build as build  # noqa: E402

from extractor.readers import pdfium_fonts, pdfium_text  # noqa: E402


def _pdf(path: Path, runs: list[tuple[float, float, str]]) -> Path:
    """One A4 page; each run (x, y, text) is its own text object in STSong-Light, 12 pt."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas
    font = build._cjk_font()
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    for x, y, text in runs:
        canvas.setFont(font, 12)
        canvas.drawString(x, y, text)
    canvas.showPage()
    canvas.save()
    return path


def _pdfium_chars(path: Path) -> list[dict]:
    with pdfium_fonts.box_faces():
        document = pdfium.PdfDocument(str(path))
        page = document[0]
        textpage = page.get_textpage()
        chars = pdfium_text.page_chars(textpage, page.get_height())
        textpage.close()
        page.close()
        document.close()
    return chars


def _pdfplumber_chars(path: Path) -> list[dict]:
    import pdfplumber
    with pdfplumber.open(str(path)) as pdf:
        return [c for c in pdf.pages[0].chars if c["text"].strip()]


def test_box_font_maps_every_character_to_one_advance():
    """pdfium loads the generated font, and every code point, Latin or CJK, has a glyph."""
    raw = pdfium_text.raw()
    data = pdfium_fonts.box_font()
    buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    document = raw.FPDF_CreateNewDocument()
    font = raw.FPDFText_LoadFont(document, buffer, len(data), raw.FPDF_FONT_TRUETYPE, False)
    try:
        assert font
        width = ctypes.c_float()
        for char in "临A9j，":
            assert raw.FPDFFont_GetGlyphWidth(font, ord(char), 1.0, width)
            assert width.value == pytest.approx(1.0)
    finally:
        raw.FPDFFont_Close(font)
        raw.FPDF_CloseDocument(document)


def test_lone_character_object_is_kept(tmp_path):
    """A text object of one CJK character (a wrapped cell's last character) is read; pdfium
    drops a text object whose glyphs have no extent, so an empty box glyph would lose it."""
    path = _pdf(tmp_path / "lone.pdf", [(72, 700, "预算执行"), (72, 686, "率"),
                                        (300, 700, "完成值"), (300, 686, "达"), (400, 686, "标")])
    assert "".join(c["text"] for c in _pdfium_chars(path)) == "预算执行率完成值达标"


def test_boxes_match_pdfminer(tmp_path):
    """Characters whose system glyphs reach past their advance or below the descent (j, g,
    |, a traditional character): x0 and x1 as pdfminer has them, one bottom per line."""
    runs = [(72, 700, "项目jpg|資金98.6%"), (72, 660, "駐地g（一）12,345.67万元")]
    path = _pdf(tmp_path / "glyphs.pdf", runs)
    ours, reference = _pdfium_chars(path), _pdfplumber_chars(path)
    assert [c["text"] for c in ours] == [c["text"] for c in reference]
    for mine, theirs in zip(ours, reference):
        assert mine["x0"] == pytest.approx(theirs["x0"], abs=0.01), mine["text"]
        assert mine["x1"] == pytest.approx(theirs["x1"], abs=0.01), mine["text"]
    bottoms = {round(c["bottom"], 3) for c in ours}
    assert len(bottoms) == 2  # one per line, whatever the glyph


def test_rendering_outside_the_reader_keeps_system_glyphs(tmp_path):
    """A page rendered outside ``box_faces`` (OCR, a caller's own code) draws the same pixels
    before and after the reader has installed the mapping and read a document."""
    path = _pdf(tmp_path / "render.pdf", [(72, 700, "部门整体支出绩效自评")])

    def pixels() -> bytes:
        document = pdfium.PdfDocument(str(path))
        try:
            return document[0].render(scale=0.5, grayscale=True).to_pil().tobytes()
        finally:
            document.close()

    before = pixels()
    _pdfium_chars(path)
    assert pixels() == before
    with pdfium_fonts.box_faces():
        boxed = pixels()
    assert boxed != before  # inside the block the box face draws; the test sees a change
