"""Format readers on small fixtures built at test time (tests/fixtures_build.py)."""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from extractor.models import Block
from extractor.readers import Document, ReaderError, read_document
from extractor.readers.pdf import _is_page_number
from extractor.readers.xlsx import plain_number

sys.path.insert(0, str(Path(__file__).parent))
import fixtures_build as build  # noqa: E402
from _reports import table_bed  # noqa: E402


def texts(document: Document) -> list[str]:
    return [block.text for block in document.blocks]


def find(document: Document, text: str) -> Block:
    return next(block for block in document.blocks if block.text == text)


def grid(block: Block) -> dict[tuple[int, int], str]:
    return {(cell.row, cell.col): cell.text for cell in block.cells}


def assert_cell_offsets(block: Block) -> None:
    for cell in block.cells:
        assert block.text[cell.start:cell.end] == cell.text


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("readers")


# ---------------------------------------------------------------- docx

@pytest.fixture(scope="module")
def docx_doc(files) -> Document:
    return read_document(build.build_docx(files / "report.docx"))


def test_docx_body_order(docx_doc):
    assert docx_doc.format == "docx"
    assert texts(docx_doc)[:6] == [
        "某某局2023年度部门整体支出绩效自评报告", "部门概况",
        "本部门年初预算1268.2285万元，全年支出1250万元。", "详见下方文本框。",
        "文本框：结转资金18.23万元", "（一）预算执行情况"]
    assert [b.kind for b in docx_doc.blocks] == [
        "paragraph", "heading", "paragraph", "paragraph", "paragraph", "heading", "table",
        "heading", "paragraph", "paragraph"]
    assert [b.index for b in docx_doc.blocks] == list(range(len(docx_doc.blocks)))


def test_docx_heading_levels_from_style_and_numbering(docx_doc):
    assert find(docx_doc, "部门概况").level == 1  # Heading 1 style
    assert find(docx_doc, "（一）预算执行情况").level == 2  # numbering text
    assert find(docx_doc, "绩效目标完成情况").level == 2  # a style named 标题 2
    assert find(docx_doc, "满意度95.6%").section == ["部门概况", "绩效目标完成情况"]


def test_docx_text_box_read_once_after_its_anchor(docx_doc):
    box = [b for b in docx_doc.blocks if "文本框" in b.text and "结转" in b.text]
    assert len(box) == 1  # mc:Choice read, mc:Fallback copy skipped
    assert box[0].index == find(docx_doc, "详见下方文本框。").index + 1
    assert "结转" not in find(docx_doc, "详见下方文本框。").text


def test_docx_merged_cells_once_on_the_grid(docx_doc):
    table = next(b for b in docx_doc.blocks if b.kind == "table")
    cells = grid(table)
    assert cells[(0, 0)] == "项目名称与类别" and cells[(0, 1)] == ""  # horizontal merge
    assert cells[(0, 2)] == "金额（万元）"
    assert cells[(1, 0)] == "基本支出" and cells[(2, 0)] == ""  # vertical continuation empty
    assert (cells[(1, 2)], cells[(2, 1)], cells[(2, 2)]) == ("800.5", "公用经费", "200")
    assert table.text.count("项目名称与类别") == 1 and table.text.count("基本支出") == 1
    assert table.section == ["部门概况", "（一）预算执行情况"]
    assert_cell_offsets(table)


def test_docx_nested_table_flattened_into_its_cell(docx_doc):
    table = next(b for b in docx_doc.blocks if b.kind == "table")
    assert grid(table)[(3, 2)] == "249.5 含追加"
    assert sum(b.kind == "table" for b in docx_doc.blocks) == 1


def test_docx_line_break_splits_paragraph(docx_doc):
    assert texts(docx_doc)[-2:] == ["满意度95.6%", "自评得分92分"]


def test_docx_footnotes_follow_the_body(tmp_path):
    document = read_document(build.build_docx_with_footnote(tmp_path / "notes.docx"))
    assert [(b.text, b.section) for b in document.blocks] == [
        ("本年度收入总计100万元。", []), ("其中上年结转资金12.5万元。", ["脚注"])]
    assert [b.index for b in document.blocks] == [0, 1]


def test_docx_unsafe_package_checked_before_python_docx(tmp_path):
    path = build.build_zip_bomb_docx(tmp_path / "bomb.docx", megabytes=2)
    with pytest.raises(ReaderError, match="zip bomb"):
        read_document(path)


# ---------------------------------------------------------------- pdf

@pytest.fixture(scope="module")
def pdf_doc(files) -> Document:
    return read_document(build.build_pdf(files / "report.pdf"))


def test_pdf_pages_and_block_pages(pdf_doc):
    assert pdf_doc.format == "pdf" and pdf_doc.pages == 3
    assert find(pdf_doc, "一、部门基本情况").page == 1
    assert find(pdf_doc, "（一）产出指标").page == 2
    assert find(pdf_doc, "三、存在的问题").page == 3
    assert pdf_doc.warnings == []


def test_pdf_reflow_joins_figures_cut_by_line_wraps(pdf_doc):
    assert "本部门2023年度预算资金全部到位，全年共计支出资金合计为1268.2285万元，预算执行率为98.5%。" \
        in texts(pdf_doc)
    assert "项目资金主要用于购置办公设备和信息化系统运行维护，实际支出81.12万元，节约资金3.88万元。" \
        in texts(pdf_doc)


def _short_lines_pdf(path: Path) -> Path:
    """Page 1: a form without rulings, one short line per cell; page 2: a paragraph
    wrapped at the column's right edge with a figure cut by the wrap."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("STSong-Light", 12)
    for n, line in enumerate(["项目名称", "某某楼宇改造经费", "年度预算数", "43.5",
                              "执行率", "96%", "满意度指标", "98%"]):
        canvas.drawString(90, 760 - 18 * n, line)
    canvas.showPage()
    wrapped = ["本年度项目资金全部到位，三项工程共计支出资金合计1268.", "2285万元，执行率为98.5%。"]
    size = 12 * (595 - 2 * 90) / canvas.stringWidth(wrapped[0], "STSong-Light", 12)
    canvas.setFont("STSong-Light", size)
    canvas.drawString(90, 760, wrapped[0])
    canvas.drawString(90, 760 - 1.5 * size, wrapped[1])
    canvas.showPage()
    canvas.save()
    return path


def test_pdf_page_of_short_lines_keeps_one_line_per_paragraph(tmp_path):
    """A page whose lines all stop far short of the mirrored left margin (a form without
    rulings) is not reflowed into one paragraph; a full-width wrapped line still is."""
    document = read_document(_short_lines_pdf(tmp_path / "form.pdf"))
    assert texts(document)[:8] == ["项目名称", "某某楼宇改造经费", "年度预算数", "43.5",
                                   "执行率", "96%", "满意度指标", "98%"]
    assert texts(document)[8:] == ["本年度项目资金全部到位，三项工程共计支出资金合计1268.2285万元，执行率为98.5%。"]


def _unruled_table_pdf(path: Path) -> Path:
    """A unit caption, a table without rulings (columns at three x positions, one row name
    wrapped onto a second line of its cell), then prose: a line with one wide gap and a
    justified paragraph."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("STSong-Light", 10)
    canvas.drawRightString(505, 780, "单位：万元")
    y = 760
    rows = [("科目", "年初预算", "本年决算"), ("一般公共服务支出", "56.30", "61.08"),
            ("其中：机关信息系统运行与维护", "12.00", "9.75"), ("费", "", ""),  # wraps: fills
            ("合计", "68.30", "70.83")]  # its column up to the next one
    for name, budget, actual in rows:
        gap = 12 if name == "费" else 20  # a wrapped cell's second line sits closer
        y -= gap
        canvas.drawString(90, y, name)
        canvas.drawRightString(330, y, budget)
        canvas.drawRightString(470, y, actual)
    canvas.drawString(90, y - 60, "填报单位：某某局")
    canvas.drawString(330, y - 60, "填报日期：2024年3月5日")
    canvas.showPage()
    canvas.save()
    return path


def test_pdf_table_without_rulings_read_by_its_columns(tmp_path):
    """Columns aligned by whitespace become a table block: cells by column, the wrapped row
    name joined, the caption before it; one line with a wide gap stays a paragraph."""
    document = read_document(_unruled_table_pdf(tmp_path / "unruled.pdf"))
    kinds = [(b.kind, b.text) for b in document.blocks]
    assert kinds[0] == ("paragraph", "单位：万元")
    assert kinds[1] == ("table", "科目 | 年初预算 | 本年决算\n一般公共服务支出 | 56.30 | 61.08\n"
                                 "其中：机关信息系统运行与维护费 | 12.00 | 9.75\n合计 | 68.30 | 70.83")
    assert [kind for kind, _ in kinds[2:]] == ["paragraph"]
    assert_cell_offsets(document.blocks[1])


def test_pdf_contents_page_is_no_table_and_prose_stays_out_of_a_form(tmp_path):
    """Entries ending in rising page numbers (a table of contents) are not a table; the
    sentence above two lines of label pairs (a signature block) stays a paragraph."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "contents.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("STSong-Light", 12)
    for n, (entry, page) in enumerate([("第一部分 单位概况", "2"), ("第二部分 收支情况", "5"),
                                       ("第三部分 名词解释", "11")]):
        canvas.drawString(90, 760 - 20 * n, entry)
        canvas.drawRightString(505, 760 - 20 * n, page)
    canvas.drawString(90, 600, "项目组对全部12个子项逐一核查，结果如下所述。")
    for n, (left, right) in enumerate([("编制单位：某某中心", "负责人：王某"),
                                       ("复核人：赵某", "编制日期：2024年4月")]):
        canvas.drawString(90, 570 - 20 * n, left)
        canvas.drawString(330, 570 - 20 * n, right)
    canvas.showPage()
    canvas.save()
    blocks = [(b.kind, b.text) for b in read_document(path).blocks]
    assert blocks[:4] == [("paragraph", "第一部分单位概况2"), ("paragraph", "第二部分收支情况5"),
                          ("paragraph", "第三部分名词解释11"),
                          ("paragraph", "项目组对全部12个子项逐一核查，结果如下所述。")]
    assert blocks[4:] == [("table", "编制单位：某某中心 | 负责人：王某\n复核人：赵某 | 编制日期：2024年4月")]


def test_pdf_heading_numbers_set_apart_by_a_tab_are_no_table(tmp_path):
    """Headings whose numbers stand a tab's width before their text (Word's numbering) stay
    headings, not rows of a two-column table."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "numbered.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("STSong-Light", 12)
    for n, (number, text) in enumerate([("二、", "项目绩效目标"), ("（一）", "总体目标"),
                                        ("（二）", "阶段性目标"), ("1.", "完成改造4处。")]):
        canvas.drawString(90, 760 - 20 * n, number)
        canvas.drawString(132, 760 - 20 * n, text)
    canvas.showPage()
    canvas.save()
    assert [(b.kind, b.level, b.text) for b in read_document(path).blocks] == [
        ("heading", 1, "二、项目绩效目标"), ("heading", 2, "（一）总体目标"),
        ("heading", 2, "（二）阶段性目标"), ("heading", 3, "1.完成改造4处。")]


def test_pdf_numbers_set_apart_by_a_space_stay_apart(tmp_path):
    """A row of figures flattened into one line with single spaces (43.2 43.2 37.24) keeps
    the spaces between numbers; Chinese next to a number is still joined without one."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "spaced.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("STSong-Light", 12)
    canvas.drawString(90, 760, "年度资金总额 52.6 52.6 49.18 10 93.5% 9.35")
    canvas.showPage()
    canvas.save()
    assert texts(read_document(path)) == ["年度资金总额52.6 52.6 49.18 10 93.5% 9.35"]


def test_pdf_paragraph_continues_across_pages(pdf_doc):
    block = next(b for b in pdf_doc.blocks if b.text.startswith("表中各项指标"))
    assert block.text.endswith("持续提升预算编制的科学性和资金使用效益。")
    assert block.page == 2


def test_pdf_title_and_headings_are_separate_blocks(pdf_doc):
    assert texts(pdf_doc)[:2] == ["某某局2023年度部门整体支出绩效自评报告", "一、部门基本情况"]
    heading = find(pdf_doc, "二、绩效目标完成情况")
    assert heading.kind == "heading" and heading.level == 1
    assert find(pdf_doc, "产出指标完成情况见下表。").section == ["二、绩效目标完成情况", "（一）产出指标"]


def test_pdf_running_header_footer_and_page_numbers_dropped(pdf_doc):
    joined = "\n".join(texts(pdf_doc))
    assert "某某局部门整体支出绩效自评报告" not in joined
    assert "- 1 -" not in joined and "- 2 -" not in joined and "- 3 -" not in joined


def test_pdf_ruled_table_in_position_and_out_of_paragraphs(pdf_doc):
    table = next(b for b in pdf_doc.blocks if b.kind == "table")
    assert table.page == 2
    before = pdf_doc.blocks[table.index - 1].text
    after = pdf_doc.blocks[table.index + 1].text
    assert before == "产出指标完成情况见下表。" and after.startswith("表中各项指标")
    assert grid(table) == {(0, 0): "指标", (0, 1): "目标值", (0, 2): "完成值",
                           (1, 0): "培训人次", (1, 1): "500人次", (1, 2): "526人次",
                           (2, 0): "设备数量", (2, 1): "20台", (2, 2): "20台"}
    assert_cell_offsets(table)
    paragraphs = "\n".join(b.text for b in pdf_doc.blocks if b.kind != "table")
    assert "526人次" not in paragraphs and "培训人次" not in paragraphs


@pytest.mark.parametrize("line", ["3", "- 3 -", "— 12 —", "第3页", "第 3 页 共 10 页", "3/10",
                                  "Page 3 of 10", "共10页 第3页"])
def test_pdf_page_number_lines(line):
    assert _is_page_number(line)


@pytest.mark.parametrize("line", ["3个项目", "第3页显示的内容", "2023年", "1268.2285万元"])
def test_pdf_not_page_number_lines(line):
    assert not _is_page_number(line)


def _pages_pdf(path: Path, pages: list[list[str]]) -> Path:
    """Each page's lines drawn from the top, one per line, ending well above the margin."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas
    build._cjk_font()
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    for lines in pages:
        writer = build._Writer(canvas, A4[1])
        for text in lines:
            writer.line(text)
        canvas.showPage()
    canvas.save()
    return path


@pytest.mark.parametrize("ending, kept", [
    ("96", True),      # a form's last cell, far from page 2's number: a value
    ("12", True),
    ("2", False),      # page 2's own number, printed above the footer band
    ("1", False),      # a cover left unnumbered: page 2 prints 1
    ("- 2 -", False),  # decorated: a page number wherever it stands
    ("第2页", False),
])
def test_pdf_bare_number_ending_a_page_is_kept_unless_it_numbers_the_page(files, ending, kept):
    path = _pages_pdf(files / f"ending-{len(ending)}-{ending[-1]}.pdf", [
        ["第一页的正文内容。"],
        ["项目自评表", "指标", "分值", "得分", "总分", "100", ending],
        ["第三页的正文内容。"]])
    found = [line for block in read_document(path).blocks for line in block.text.split("\n")]
    assert (ending in found) == kept, found


# ---------------------------------------------------------------- html

@pytest.fixture(scope="module")
def html_doc(files) -> Document:
    return read_document(build.build_html(files / "report.html"))


def test_html_decodes_meta_charset_gb2312(html_doc):
    assert html_doc.format == "html"
    assert "本部门年初预算1268.2285万元，全年支出1250万元。" in texts(html_doc)


def test_html_drops_page_chrome(html_doc):
    joined = "\n".join(texts(html_doc))
    for noise in ("脚本", "导航", "网站首页", "搜索框", "版权所有", "请启用脚本", "相关链接", "color"):
        assert noise not in joined


def test_html_blocks_headings_and_br_lines(html_doc):
    assert texts(html_doc)[:5] == [
        "某某局2023年度部门整体支出绩效自评报告", "一、部门概况",
        "本部门年初预算1268.2285万元，全年支出1250万元。", "第一行：人员经费800万元",
        "第二行：公用经费200万元"]
    title = html_doc.blocks[0]
    assert title.kind == "heading" and title.level == 1  # h1
    assert find(html_doc, "项目支出情况").level == 3  # h3
    assert find(html_doc, "满意度95.6%").kind == "paragraph"  # li
    assert texts(html_doc)[-2:] == ["满意度95.6%", "自评得分92分"]


def test_html_table_spans_top_left(html_doc):
    table = next(b for b in html_doc.blocks if b.kind == "table")
    assert grid(table) == {(0, 0): "项目", (0, 1): "资金（万元）", (0, 2): "",
                           (1, 0): "", (1, 1): "预算数", (1, 2): "执行数",
                           (2, 0): "培训 （含线上）", (2, 1): "100", (2, 2): "98.5"}
    assert table.section == ["一、部门概况", "项目支出情况"]
    assert_cell_offsets(table)


def test_html_utf8_without_container_uses_body(tmp_path):
    path = tmp_path / "plain.htm"
    path.write_text("<html><head><meta charset='utf-8'></head><body><nav>首页</nav>"
                    "<p>（一）预算执行</p><p>执行率98.5%。</p></body></html>", encoding="utf-8")
    document = read_document(path)
    assert texts(document) == ["（一）预算执行", "执行率98.5%。"]
    assert document.blocks[1].section == ["（一）预算执行"]


def test_html_layout_table_read_as_blocks(tmp_path):
    path = tmp_path / "layout.html"
    inner = "<table><tr><td>指标</td><td>值</td></tr><tr><td>人数</td><td>12人</td></tr></table>"
    path.write_text(f"<html><body><table><tr><td><p>正文第一段。</p>{inner}</td></tr></table>"
                    "</body></html>", encoding="utf-8")
    document = read_document(path)
    assert document.blocks[0].text == "正文第一段。"
    assert grid(document.blocks[1]) == {(0, 0): "指标", (0, 1): "值", (1, 0): "人数",
                                        (1, 1): "12人"}


# ---------------------------------------------------------------- xlsx

@pytest.fixture(scope="module")
def xlsx_doc(files) -> Document:
    return read_document(build.build_xlsx(files / "report.xlsx"))


def test_xlsx_sheets_as_headings_and_tables(xlsx_doc):
    assert xlsx_doc.format == "xlsx"
    assert [(b.kind, b.text.split("\n")[0]) for b in xlsx_doc.blocks] == [
        ("heading", "收支情况"), ("table", "2023年部门收支表"), ("table", "项目 | 预算数 | 执行数 | 执行率"),
        ("heading", "说明"), ("table", "单位：万元")]  # the empty sheet gives nothing
    assert xlsx_doc.blocks[2].section == ["收支情况"]
    assert xlsx_doc.blocks[4].section == ["说明"]


def test_xlsx_numbers_as_written(xlsx_doc):
    cells = grid(xlsx_doc.blocks[2])
    assert cells[(1, 1)] == "1268.2285"
    assert cells[(1, 2)] == "1250"  # 1250.0
    assert cells[(1, 3)] == "98.5%"  # 0.985 formatted 0.00%
    assert cells[(2, 1)] == "0.1"
    assert cells[(2, 3)] == "100%"
    assert_cell_offsets(xlsx_doc.blocks[2])
    assert grid(xlsx_doc.blocks[4])[(1, 2)] == "含结转18.23万元"


@pytest.mark.parametrize("value, text", [("100.0", "100"), ("1E+7", "10000000"),
                                         ("0.00001", "0.00001"), ("-0.0", "0"), ("12.50", "12.5")])
def test_xlsx_plain_number(value, text):
    from decimal import Decimal
    assert plain_number(Decimal(value)) == text


# ---------------------------------------------------------------- doc / wps

def test_doc_without_libreoffice_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(ReaderError) as info:
        read_document(path)
    assert str(info.value) == (f"{path}: old Word format (.doc/.wps) needs LibreOffice (soffice) "
                               "to convert; it is not installed")


def test_wps_converted_by_soffice_then_read_as_docx(tmp_path, monkeypatch):
    converted = build.build_docx(tmp_path / "prepared.docx")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text(f"""#!{sys.executable}
import shutil, sys
from pathlib import Path
args = sys.argv[1:]
out = Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True, exist_ok=True)
shutil.copy({str(converted)!r}, out / (Path(args[-1]).stem + ".docx"))
""")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    path = tmp_path / "old.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    document = read_document(path)
    assert document.format == "wps" and document.path == path
    assert "本部门年初预算1268.2285万元，全年支出1250万元。" in texts(document)


def test_html_saved_as_doc_read_as_html(tmp_path):
    path = tmp_path / "web.doc"
    path.write_text("<html><body><p>全年支出1250万元。</p></body></html>", encoding="utf-8")
    document = read_document(path)
    assert document.format == "doc" and texts(document) == ["全年支出1250万元。"]


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
def test_number_and_unit_parted_by_a_paragraph_break_are_one_paragraph(fmt, tmp_path):
    """A document converted line by line: a paragraph ending in a number whose unit opens
    the next one is continued by it (one figure); a paragraph of a bare number followed by
    another bare number is not."""
    from extractor.extract import extract
    bed = table_bed()
    path = tmp_path / f"lines.{fmt}"
    writer = {"docx": bed.write_docx, "html": bed.write_html, "pdf": bed.write_pdf}[fmt]
    writer([("p", text) for text in ["本年支出较上年减少36.58", "万元，下降12.5%。", "年初预算数",
                                     "56.2", "58.9"]], path)
    report = extract(path)
    assert ["".join(b.text.split()) for b in read_document(path).blocks] == \
        ["本年支出较上年减少36.58万元，下降12.5%。", "年初预算数", "56.2", "58.9"]
    assert [(f.kind, str(f.normalized.value)) for f in report.figures][:2] == \
        [("money", "365800"), ("rate", "0.125")]


@pytest.mark.parametrize("rules", ["none", "grid"])
def test_unruled_tables_one_after_another_stay_apart(rules, tmp_path):
    """Tables printed one under another with a title line between them: each title line
    after a table's data rows opens the next table (a caption, a paragraph), also when no
    line is drawn; a title spanning the header rows inside a table does not."""
    bed = table_bed()
    path = tmp_path / "tables.pdf"
    bed.write_pdf(bed.segments(
        "部门决算\n\n表一 支出决算表\n科目名称 | 合计 | 基本支出 | 项目支出\n合计 | 860.50 | 600.00 | 260.50\n"
        "教育支出 | 700.00 | 500.00 | 200.00\n\n表二 人员情况表\n类别 | 编制数 | 实有人数\n合计 | 31 | 29\n"
        "行政 | 11 | 10\n"), path, rules=rules)
    blocks = [(b.kind, "".join(b.text.split())) for b in read_document(path).blocks]
    assert [kind for kind, _ in blocks] == ["paragraph", "paragraph", "table", "paragraph", "table"]
    assert blocks[3][1] == "表二人员情况表"
    assert blocks[4][1].startswith("类别|编制数|实有人数")
