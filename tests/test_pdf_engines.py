"""The pdfium road gives the figures pdfplumber gives (issue 13).

Each PDF is extracted twice in the same test: with ``PERFX_PDF_ENGINE=pdfplumber`` (every page
parsed by pdfplumber, the reader as it was) and with the default pdfium engine; the figure
lists (text, value, unit, kind, label, metric, location with page, block and characters) must
be identical. PDFs: the project corpus (corpus/*.pdf, real ruled tables), the fixture report
(running headers, wrapped figures, a ruled table), the seed and the dev texts rendered to PDF
(skipped without ../shared), and hand-written PDFs for the pages pdfium leaves to pdfplumber.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from extractor import extract
from extractor.readers import pdf
from extractor.readers.pdf import read_pages, read_pdf

sys.path.insert(0, str(Path(__file__).parent))
import fixtures_build as build  # noqa: E402
from test_seed_formats import write_pdf  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS_PDFS = sorted((ROOT / "corpus").glob("*.pdf"))
FIELDS = ("text", "value", "unit", "kind", "label", "metric", "location")


def figures(path: Path, engine: str, monkeypatch) -> list[dict]:
    """The figures of ``path`` read with ``engine`` (their FIELDS)."""
    monkeypatch.setenv(pdf.ENGINE_VARIABLE, engine)
    report = extract(path).model_dump(mode="json")
    return [{key: figure[key] for key in FIELDS} for figure in report["figures"]]


def assert_same_figures(path: Path, monkeypatch, source: str | None = None) -> int:
    """Both engines give the same figures; with the ``source`` text a PDF was rendered from,
    a difference is allowed only where pdfium's block text is in the source and pdfplumber's
    is not (pdfminer drops glyphs it cannot map, e.g. "·" and "•" of a CID font), and then
    only in the figures' character offsets."""
    reference = figures(path, "pdfplumber", monkeypatch)
    found = figures(path, "pdfium", monkeypatch)
    # the pdfium road really ran (a failure there would fall back to pdfplumber silently)
    assert pdf.ROAD_PDFPLUMBER not in {page.road for page in read_pages(path, "pdfium")[0]}
    if found == reference or source is None:
        assert found == reference, path.name
        return len(reference)
    before = read_pdf(path, engine="pdfplumber").blocks
    after = read_pdf(path, engine="pdfium").blocks
    assert len(found) == len(reference) and len(after) == len(before), path.name
    compact = "".join(source.split())
    for new, old in zip(found, reference):
        if new == old:
            continue
        block = new["location"]["block"]
        assert old["location"]["block"] == block, (path.name, new, old)
        assert {k: v for k, v in new.items() if k != "location"} == \
            {k: v for k, v in old.items() if k != "location"}, (path.name, new, old)
        assert "".join(after[block].text.split()) in compact, (path.name, after[block].text)
        assert "".join(before[block].text.split()) not in compact, (path.name, new, old)
    return len(reference)


@pytest.mark.parametrize("path", CORPUS_PDFS, ids=[p.stem for p in CORPUS_PDFS])
def test_corpus_pdf_same_figures(path, monkeypatch):
    assert assert_same_figures(path, monkeypatch) > 20
    roads = {page.road for page in read_pages(path, "pdfium")[0]}
    assert pdf.ROAD_PDFPLUMBER not in roads  # no page of a plain report needs pdfminer


def test_fixture_report_same_blocks(tmp_path):
    path = build.build_pdf(tmp_path / "report.pdf")
    before = read_pdf(path, engine="pdfplumber")
    after = read_pdf(path, engine="pdfium")
    assert [(b.kind, b.page, b.text, b.section) for b in after.blocks] == \
        [(b.kind, b.page, b.text, b.section) for b in before.blocks]
    assert any(b.kind == "table" for b in after.blocks)
    assert [page.road for page in read_pages(path, "pdfium")[0]] == \
        [pdf.ROAD_TEXT, pdf.ROAD_TABLES, pdf.ROAD_TEXT]  # only page 2 draws lines


def test_seed_pdf_same_figures(shared_dir, tmp_path, monkeypatch):
    text = next((shared_dir / "seed").glob("*.txt")).read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert assert_same_figures(write_pdf(lines, tmp_path / "seed.pdf"), monkeypatch,
                               source=text) > 50


def test_dev_texts_as_pdf_same_figures(shared_dir, tmp_path, monkeypatch):
    count = 0
    for source in sorted((shared_dir / "corpus" / "dev").glob("*.txt")):
        text = source.read_text(encoding="utf-8")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        count += assert_same_figures(write_pdf(lines, tmp_path / f"{source.stem}.pdf"),
                                     monkeypatch, source=text)
    assert count > 500


@pytest.mark.parametrize("rules", ["grid", "none", "three-line", "columns"])
def test_table_specs_as_published_pdf_same_figures(rules, tmp_path, monkeypatch):
    """The table_cells specs printed as published (cells centred, numbers set right), ruled,
    without rulings (columns by whitespace: readers/aligned.py), as 三线表 and without lines
    between data rows (pdf._unstacked): both engines give the same figures."""
    import importlib.util

    from _reports import spec_cases
    script = ROOT / "scripts" / "dev_tables_to_docx.py"
    spec = importlib.util.spec_from_file_location("dev_tables_to_docx", script)
    bed = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bed)
    parts = []
    for _, case in spec_cases("table_cells"):
        parts += [("p", text) for text in case["before"]]
        parts += [("t", rows) for rows in case.get("tables") or [case["rows"]]] + [("b", None)]
    path = tmp_path / f"specs-{rules}.pdf"
    bed.write_pdf(parts, path, rules=rules, published=True)
    assert assert_same_figures(path, monkeypatch) > 150


# -- pages pdfium leaves to pdfplumber, and pages without painted lines -----------------------

def _stream(data: bytes, head: bytes = b"") -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (head, len(data)) + data + b"\nendstream"


def _raw_pdf(path: Path, content: bytes, page_extra: bytes = b"", resources: bytes = b"",
             extra_objects: tuple[bytes, ...] = ()) -> Path:
    """A one-page PDF drawing ``content`` with Helvetica as /F1; ``extra_objects`` are
    numbered from 6."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]" + page_extra
               + b" /Resources << /Font << /F1 5 0 R >> " + resources
               + b" >> /Contents 4 0 R >>",
               _stream(content),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", *extra_objects]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


SCALED_TEXT = (b"BT /F1 1 Tf 12 0 0 12 72 700 Tm (Budget 4521.30 and rate 97.5%) Tj ET "
               b"q 2 0 0 2 0 0 cm BT /F1 8 Tf 36 300 Td (Staff 64 of 70) Tj ET Q")


def test_scaled_text_without_lines_reads_like_pdfplumber(tmp_path):
    path = _raw_pdf(tmp_path / "scaled.pdf", SCALED_TEXT)
    pages, _ = read_pages(path, "pdfium")
    assert [page.road for page in pages] == [pdf.ROAD_TEXT]
    before = read_pages(path, "pdfplumber")[0][0]
    assert [line.text for line in pages[0].lines] == [line.text for line in before.lines] == \
        ["Budget4521.30and rate97.5%", "Staff64of70"]  # spaces only between letters
    for line, reference in zip(pages[0].lines, before.lines):
        assert abs(line.top - reference.top) < 1 and abs(line.size - reference.size) < 0.5


def test_rotated_page_goes_to_pdfplumber(tmp_path):
    path = _raw_pdf(tmp_path / "rotated.pdf", SCALED_TEXT, b" /Rotate 90")
    pages, _ = read_pages(path, "pdfium")
    assert [page.road for page in pages] == [pdf.ROAD_PDFPLUMBER]
    assert [b.text for b in read_pdf(path).blocks] == \
        [b.text for b in read_pdf(path, engine="pdfplumber").blocks]


def test_vertical_text_goes_to_pdfplumber(tmp_path):
    path = _raw_pdf(tmp_path / "vertical.pdf",
                    b"BT /F1 12 Tf 0 1 -1 0 300 300 Tm (Total 88) Tj ET "
                    b"BT /F1 12 Tf 72 700 Td (Budget 12) Tj ET")
    assert [page.road for page in read_pages(path, "pdfium")[0]] == [pdf.ROAD_PDFPLUMBER]


def test_grid_inside_a_form_xobject_is_a_table(tmp_path):
    """Ruling lines drawn in a form XObject (a placed, scaled drawing) still make a table."""
    grid = b"0.5 w " + b" ".join(
        b"%d 0 m %d 60 l S" % (x, x) for x in (0, 100, 200)) + b" " + b" ".join(
        b"0 %d m 200 %d l S" % (y, y) for y in (0, 30, 60))
    form = _stream(grid, b"/Type /XObject /Subtype /Form /BBox [0 0 200 60]")
    content = (b"q 1 0 0 1 100 500 cm /Fm1 Do Q "
               b"BT /F1 10 Tf 110 540 Td (Item) Tj 100 0 Td (Amount) Tj ET "
               b"BT /F1 10 Tf 110 510 Td (Rent) Tj 100 0 Td (350.5) Tj ET")
    path = _raw_pdf(tmp_path / "form.pdf", content, resources=b"/XObject << /Fm1 6 0 R >>",
                    extra_objects=(form,))
    pages, _ = read_pages(path, "pdfium")
    reference, _ = read_pages(path, "pdfplumber")
    assert pages[0].road == pdf.ROAD_TABLES
    assert pages[0].tables == reference[0].tables
    assert [rows for _, rows in pages[0].tables] == [[["Item", "Amount"], ["Rent", "350.5"]]]


def test_unknown_engine_is_refused(tmp_path):
    path = _raw_pdf(tmp_path / "plain.pdf", SCALED_TEXT)
    with pytest.raises(ValueError, match="unknown PDF engine"):
        read_pdf(path, engine="mupdf")


@pytest.mark.parametrize("path", CORPUS_PDFS[:3], ids=[p.stem for p in CORPUS_PDFS[:3]])
def test_table_rows_equal_pdfplumber_extract(path):
    """The fast cell filling gives what pdfplumber's Table.extract gives, table by table."""
    import pypdfium2
    from pdfplumber.table import TableFinder

    from extractor.readers import pdfium_text

    document = pypdfium2.PdfDocument(str(path))
    tables = 0
    for page in document:
        height = page.get_height()
        geometry = pdfium_text.PageGeometry(1, page.get_width(), height,
                                            pdfium_text.page_chars(page.get_textpage(), height),
                                            pdfium_text.page_edges(page, height))
        for table in TableFinder(geometry).tables:
            assert pdfium_text.table_rows(table, geometry.chars) == table.extract()
            tables += 1
    document.close()
    assert tables >= 2


DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.mark.skipif(not DEJAVU.is_file(), reason="needs the DejaVu Sans TrueType font")
def test_embedded_truetype_justified_text_and_fake_bold(tmp_path):
    """An embedded TrueType subset (not a CID font), justified paragraphs (word spacing), a
    table with a shaded header row, and a line drawn twice (fake bold): same blocks."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(TTFont("DejaVuTest", str(DEJAVU)))
    style = ParagraphStyle("body", fontName="DejaVuTest", fontSize=10.5, leading=15,
                           alignment=4)
    text = ("The unit spent 3,904.17 thousand yuan of a 4,100.00 budget, basic expenditure "
            "2,877.40 and project expenditure 1,026.77; execution reached 95.22% and the "
            "survey 93.1%. ") * 3
    table = Table([["Indicator", "Target", "Actual"], ["Inspections", "120 times", "131 times"],
                   ["Rate", "≥90%", "96.4%"]], colWidths=[150, 120, 120])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "DejaVuTest"),
                               ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
                               ("BACKGROUND", (0, 0), (-1, 0), (0.9, 0.9, 0.9))]))
    flowing = tmp_path / "truetype.pdf"
    SimpleDocTemplate(str(flowing), pagesize=A4).build(
        [Paragraph(text, style), Spacer(1, 12), table, Spacer(1, 12), Paragraph(text, style)])
    bold = tmp_path / "bold.pdf"
    canvas = Canvas(str(bold), pagesize=A4)
    canvas.setFont("DejaVuTest", 12)
    for shift in (0, 0.3):
        canvas.drawString(72 + shift, 700, "Total outlay 2,615.0843 ten-thousand yuan")
    canvas.drawString(72, 680, "Completion 88.5%")
    canvas.showPage()
    canvas.save()
    for path, roads in ((flowing, [pdf.ROAD_TABLES]), (bold, [pdf.ROAD_TEXT])):
        after = read_pdf(path)
        assert [(b.kind, b.text) for b in after.blocks] == \
            [(b.kind, b.text) for b in read_pdf(path, engine="pdfplumber").blocks]
        assert [page.road for page in read_pages(path)[0]] == roads
    # the reader's spacing; two short lines on a page of short lines are two paragraphs
    assert [b.text for b in read_pdf(bold).blocks] == [
        "Total outlay2,615.0843ten-thousand yuan", "Completion88.5%"]


def test_words_and_cell_text_equal_pdfplumber():
    """The set-up-free words and cell text are pdfplumber's extract_words and extract_text:
    whole pages, runs and random samples of a corpus file's characters (several lines, gaps,
    blanks)."""
    import random

    import pypdfium2
    from pdfplumber.utils import extract_text, extract_words

    from extractor.readers import pdfium_text

    rng = random.Random(13)
    document = pypdfium2.PdfDocument(str(CORPUS_PDFS[0]))
    for page in document:
        chars = pdfium_text.page_chars(page.get_textpage(), page.get_height())
        samples = [chars] + [chars[start:start + rng.randrange(1, 150)]
                             for start in rng.sample(range(len(chars)), 15)]
        samples += [rng.sample(chars, rng.randrange(1, 40)) for _ in range(15)]
        for sample in samples:
            assert pdfium_text.cell_text(sample) == extract_text(sample)
            assert pdfium_text.words(sample) == [
                {key: word[key] for key in ("text", "x0", "x1", "top", "bottom")}
                for word in extract_words(sample)]
    document.close()
