"""OCR of scanned pages (issue 12): layout from boxes, digit confusions, provenance, mixed PDFs.

The layout and confusion tests need no recogniser. Tests that OCR a page need the extra
(``pip install 'perfx[ocr]'``) and a Chinese font to draw the page, and skip without them; they
OCR two page images in all, to stay quick.
"""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.readers import ReaderError, ocr, read_document

sys.path.insert(0, str(Path(__file__).parent))
import fixtures_build as build  # noqa: E402

SPECS = Path(__file__).parent / "specs" / "ocr"


def _fix_cases():
    """(fixer, case) of every OCR fix spec: digit_fixes.json and term_fixes.json."""
    from extractor.readers.ocr_terms import term_fixes
    for name, fixer in (("digit_fixes", ocr.digit_fixes), ("term_fixes", term_fixes)):
        spec = json.loads((SPECS / f"{name}.json").read_text(encoding="utf-8"))
        for rule in spec["rules"]:
            for case in rule["cases"]:
                yield pytest.param(fixer, case, id=f"{name}-{rule['rule'][:30]}-{case['text'][:10]}")


@pytest.mark.parametrize("fixer,case", list(_fix_cases()))
def test_fix_spec(fixer, case):
    fixed, notes = fixer(case["text"])
    assert fixed == case["fixed"]
    assert len(fixed) == len(case["text"])  # one character for one: offsets are kept
    assert len(notes) == case["notes"], notes


# -- layout from boxes (no recogniser) ----------------------------------------------------------

def _quad(x0, top, x1, bottom, tilt=0.0):
    """A detected box as the recogniser gives it: four corners, clockwise from top left."""
    return [[x0, top], [x1, top + tilt], [x1, bottom + tilt], [x0, bottom]]


def _page(raw):
    page = ocr.OcrPage(number=2, width=595, height=842)
    ocr.layout(page, ocr.deskewed_boxes(raw, 1.0, (297, 421)))
    return page


def test_rows_with_wide_gaps_become_a_table_and_other_rows_lines():
    raw = [(_quad(60, 100, 520, 116), "三、项目资金使用情况，本年度共安排资金如下表。", 0.99),
           (_quad(60, 140, 130, 156), "资金来源", 0.99), (_quad(250, 140, 320, 156), "预算数", 0.99),
           (_quad(420, 140, 490, 156), "执行数", 0.99),
           (_quad(60, 170, 130, 186), "省级补助", 0.99), (_quad(250, 170, 330, 186), "86.4万元", 0.97),
           (_quad(420, 170, 500, 186), "85.9万元", 0.98),
           (_quad(60, 200, 130, 216), "县级配套", 0.99), (_quad(420, 200, 500, 216), "12.05万元", 0.95),
           (_quad(60, 240, 300, 256), "以上资金均已拨付到位。", 0.99)]
    page = _page(raw)
    assert [line.text for line in page.lines] == ["三、项目资金使用情况，本年度共安排资金如下表。",
                                                  "以上资金均已拨付到位。"]
    assert len(page.tables) == 1
    assert page.tables[0][2] == [["资金来源", "预算数", "执行数"], ["省级补助", "86.4万元", "85.9万元"],
                                 ["县级配套", "", "12.05万元"]]


def test_tilted_scan_rows_are_straightened():
    # the whole page turned by about 1 degree: boxes on the right sit lower
    raw = [(_quad(60 + dx, 140 + dx * 0.0175, 140 + dx, 156 + dx * 0.0175, 1.4), text, 0.99)
           for dx, text in ((0, "指标名称"), (200, "目标值"), (400, "完成值"))]
    raw += [(_quad(60 + dx, 170 + dx * 0.0175, 140 + dx, 186 + dx * 0.0175, 1.4), text, 0.99)
            for dx, text in ((0, "培训人次"), (200, "300人次"), (400, "318人次"))]
    page = _page(raw)
    assert page.tables[0][2] == [["指标名称", "目标值", "完成值"], ["培训人次", "300人次", "318人次"]]


def test_a_cell_wrapped_onto_a_second_line_joins_its_row():
    raw = [(_quad(60, 140, 130, 156), "指标", 0.99), (_quad(300, 140, 360, 156), "完成值", 0.99),
           (_quad(60, 170, 200, 186), "农村公路养护里程", 0.99), (_quad(300, 170, 370, 186), "41.6公里", 0.99),
           (_quad(60, 190, 130, 206), "（县道）", 0.99),
           (_quad(60, 220, 200, 236), "危桥改造数量", 0.99), (_quad(300, 220, 350, 236), "3座", 0.99)]
    rows = _page(raw).tables[0][2]
    assert rows == [["指标", "完成值"], ["农村公路养护里程（县道）", "41.6公里"], ["危桥改造数量", "3座"]]


def test_cells_centred_beside_a_two_line_cell_stay_in_its_row():
    raw = [(_quad(60, 140, 130, 156), "指标", 0.99), (_quad(250, 140, 330, 156), "指标值", 0.99),
           (_quad(420, 140, 490, 156), "得分", 0.99),
           (_quad(60, 170, 220, 186), "村级道路硬化", 0.99),
           (_quad(250, 179, 330, 195), "≥15公里", 0.99), (_quad(420, 179, 460, 195), "9分", 0.99),
           (_quad(60, 188, 160, 204), "完成里程", 0.99),
           (_quad(60, 220, 200, 236), "群众满意度", 0.99), (_quad(250, 220, 320, 236), "≥90%", 0.99),
           (_quad(420, 220, 460, 236), "10分", 0.99)]
    rows = _page(raw).tables[0][2]
    assert rows == [["指标", "指标值", "得分"], ["村级道路硬化完成里程", "≥15公里", "9分"],
                    ["群众满意度", "≥90%", "10分"]]


def test_one_row_with_a_gap_is_not_a_table():
    raw = [(_quad(60, 100, 200, 116), "某某县交通运输局", 0.99), (_quad(400, 100, 520, 116), "2024年3月", 0.99)]
    page = _page(raw)
    assert page.tables == [] and [line.text for line in page.lines] == ["某某县交通运输局2024年3月"]


def test_figures_read_by_ocr_say_so_and_low_confidence_warns():
    from extractor.extract import document_figures
    from extractor.models import Block
    from extractor.readers.base import Document
    text = "发放补贴资金63.5万元，惠及农户812户。"
    document = Document(path=Path("x.png"), format="image", pages=1,
                        blocks=[Block(index=0, text=text, page=1)],
                        ocr={0: [(0, 15, 0.98), (15, len(text), 0.71)]})
    figures = document_figures(document)
    assert [(f.text, f.location.ocr, f.location.confidence) for f in figures] == \
        [("63.5万元", True, 0.98), ("812户", True, 0.71)]
    assert [w for w in document.warnings if "812户" in w and "confidence 0.71" in w]
    assert not [w for w in document.warnings if "63.5万元" in w]


def test_time_limit_grows_with_each_granted_page():
    import time

    from extractor.timeout import FileTimeout, grant, time_limit
    with time_limit(0.3):
        grant(0.5)
        time.sleep(0.5)  # past the first limit, inside the granted one
    with pytest.raises(FileTimeout):
        with time_limit(0.2):
            time.sleep(0.5)


def test_ingest_shares_the_cores_among_workers():
    from extractor.ingest import ocr_threads_per_worker
    assert ocr_threads_per_worker(1) >= 1
    assert ocr_threads_per_worker(1000) == 1


# -- without the extra (acceptance 4) -----------------------------------------------------------

def test_scanned_file_without_the_extra_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    png = tmp_path / "page.png"
    png.write_bytes(build._tiny_png())
    for path, what in ((build.build_pdf_no_text(tmp_path / "scan.pdf"), "scanned PDF"),
                       (png, "page image")):
        with pytest.raises(ReaderError) as info:
            read_document(path)
        message = str(info.value)
        assert message == f"{path}: no text layer: {what}, needs OCR; install the OCR extra: " \
                          "pip install 'perfx[ocr]'"


def test_cli_without_the_extra_says_how_to_install_it(tmp_path):
    path = build.build_pdf_no_text(tmp_path / "scan.pdf")
    code = ("import sys; sys.modules['rapidocr_onnxruntime'] = None; "  # the import fails
            "from extractor.cli import main; sys.exit(main(['extract', sys.argv[1]]))")
    run = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "needs OCR" in lines[0] and "perfx[ocr]" in lines[0] \
        and "scan.pdf" in lines[0], run.stderr


def test_mixed_pdf_without_the_extra_reads_its_text_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    path = _mixed_pdf(tmp_path, scanned_page=None)
    document = read_document(path)
    assert any("pages without a text layer" in w and ": 2" in w for w in document.warnings)
    assert {block.page for block in document.blocks} == {1, 3}


# -- with the extra: real recognition -----------------------------------------------------------

TEXT_PAGE_1 = ["一、部门基本情况", "本年度收入合计1386.42万元，其中财政拨款1290.07万元。"]
SCANNED_PAGE = ["二、项目绩效目标完成情况", "全年培训基层农技人员326人次，完成率为98.6%。"]
SCANNED_TABLE = [["指标名称", "年度目标", "实际完成"], ["新建灌溉渠道", "12公里", "12.8公里"],
                 ["病虫害防治面积", "5000亩", "5260亩"]]
TEXT_PAGE_3 = ["三、满意度", "服务对象满意度为95.3%，自评得分92.5分。"]


def _needs_ocr_and_font():
    pytest.importorskip("rapidocr_onnxruntime")
    pytest.importorskip("pypdfium2")
    pytest.importorskip("reportlab")
    if shutil.which("fc-list"):
        found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
        if found.strip():
            return
    pytest.skip("no Chinese font to draw the test page (fonts-noto-cjk)")


def _scanned_image(tmp_path: Path):
    """SCANNED_PAGE and SCANNED_TABLE drawn as a text PDF, rendered to a grey 200 dpi 'scan'."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Table, TableStyle
    build._cjk_font()
    source = tmp_path / "to_scan.pdf"
    c = Canvas(str(source), pagesize=A4, invariant=1)
    w = build._Writer(c, A4[1])
    for line in SCANNED_PAGE:
        w.line(line)
    table = Table(SCANNED_TABLE, colWidths=[150, 120, 120])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), build.CJK_FONT),
                               ("FONTSIZE", (0, 0), (-1, -1), 11),
                               ("GRID", (0, 0), (-1, -1), 0.8, (0, 0, 0))]))
    _, height = table.wrapOn(c, w.width, 300)
    table.drawOn(c, w.left, w.y - height)
    c.showPage()
    c.save()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import random

    import pypdfium2 as pdfium
    from make_scans import scan_page
    pdf = pdfium.PdfDocument(str(source))
    image = scan_page(pdf[0].render(scale=200 / 72, grayscale=True).to_pil(), random.Random(3))
    pdf.close()
    return image


def _mixed_pdf(tmp_path: Path, scanned_page) -> Path:
    """Page 1 text, page 2 a page image (``scanned_page``, or a tiny picture stretched over
    the page) with only a page number in its text layer, page 3 text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas
    build._cjk_font()
    path = tmp_path / "mixed.pdf"
    c = Canvas(str(path), pagesize=A4, invariant=1)
    for page, lines in ((1, TEXT_PAGE_1), (2, None), (3, TEXT_PAGE_3)):
        if lines is None:
            buffer = io.BytesIO()
            if scanned_page is None:
                buffer.write(build._tiny_png())
            else:
                scanned_page.save(buffer, "JPEG", quality=70)
            buffer.seek(0)
            c.drawImage(ImageReader(buffer), 0, 0, width=A4[0], height=A4[1])
            c.setFont(build.CJK_FONT, 9)
            c.drawCentredString(A4[0] / 2, 20, "- 2 -")  # a page number added over the scan
        else:
            w = build._Writer(c, A4[1])
            for line in lines:
                w.line(line)
        c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    _needs_ocr_and_font()
    return _scanned_image(tmp_path_factory.mktemp("scan"))


def test_mixed_pdf_gives_every_figure_with_its_page(scan, tmp_path):
    from extractor import extract
    report = extract(_mixed_pdf(tmp_path, scan))
    got = [(f.text, f.location.page, f.location.ocr) for f in report.figures]
    assert got == [("1386.42万元", 1, False), ("1290.07万元", 1, False),
                   ("326人次", 2, True), ("98.6%", 2, True),
                   ("12公里", 2, True), ("12.8公里", 2, True), ("5000亩", 2, True), ("5260亩", 2, True),
                   ("95.3%", 3, False), ("92.5分", 3, False)]
    for figure in report.figures:
        assert (figure.location.confidence is not None) == figure.location.ocr
        assert figure.location.confidence is None or 0.5 < figure.location.confidence <= 1
    assert any("pages read by OCR: 2" in w.message for w in report.warnings)
    table = [b for b in read_document(_mixed_pdf(tmp_path, scan)).blocks if b.kind == "table"]
    assert len(table) == 1 and table[0].page == 2
    rows = {}
    for cell in table[0].cells:
        rows.setdefault(cell.row, []).append(cell.text)
    assert list(rows.values()) == SCANNED_TABLE


def test_page_image_is_a_one_page_report(scan, tmp_path, capsys):
    from extractor import extract
    path = tmp_path / "扫描件.png"
    scan.save(path, dpi=(200, 200))
    report = extract(path)
    assert report.source.format == "image" and report.source.pages == 1
    assert [f.text for f in report.figures] == ["326人次", "98.6%", "12公里", "12.8公里", "5000亩",
                                               "5260亩"]
    assert all(f.location.ocr and f.location.page == 1 for f in report.figures)
    assert "OCR page 1 of 1" in capsys.readouterr().err  # progress on stderr
