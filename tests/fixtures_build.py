"""Build small reader fixtures at test time (nothing binary is committed).

Each builder writes one file into the given path and returns the path. The texts are short,
made-up report lines shaped like real 绩效自评报告 content.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

CJK_FONT = "STSong-Light"

# ---------------------------------------------------------------- docx

TEXT_BOX_XML = """
<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
     xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
     xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
     xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
     xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
     xmlns:v="urn:schemas-microsoft-com:vml">
  <mc:AlternateContent>
    <mc:Choice Requires="wps">
      <w:drawing><wp:anchor><a:graphic><a:graphicData
          uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
        <wps:wsp><wps:txbx><w:txbxContent>
          <w:p><w:r><w:t>{text}</w:t></w:r></w:p>
        </w:txbxContent></wps:txbx></wps:wsp>
      </a:graphicData></a:graphic></wp:anchor></w:drawing>
    </mc:Choice>
    <mc:Fallback>
      <w:pict><v:shape><v:textbox><w:txbxContent>
        <w:p><w:r><w:t>{text}</w:t></w:r></w:p>
      </w:txbxContent></v:textbox></v:shape></w:pict>
    </mc:Fallback>
  </mc:AlternateContent>
</w:r>
"""


def build_docx(path: Path) -> Path:
    """Headings (style and numbering), a merged-cell table with a nested table, a text box."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("某某局2023年度部门整体支出绩效自评报告")
    document.add_heading("部门概况", level=1)
    document.add_paragraph("本部门年初预算1268.2285万元，全年支出1250万元。")
    anchor = document.add_paragraph("详见下方文本框。")
    anchor._p.append(parse_xml(TEXT_BOX_XML.format(text="文本框：结转资金18.23万元")))
    document.add_paragraph("（一）预算执行情况")

    table = document.add_table(rows=4, cols=3)
    top = table.cell(0, 0).merge(table.cell(0, 1))
    top.text = "项目名称与类别"
    table.cell(0, 2).text = "金额（万元）"
    side = table.cell(1, 0).merge(table.cell(2, 0))
    side.text = "基本支出"
    table.cell(1, 1).text = "人员经费"
    table.cell(1, 2).text = "800.5"
    table.cell(2, 1).text = "公用经费"
    table.cell(2, 2).text = "200"
    table.cell(3, 0).text = "项目支出"
    table.cell(3, 1).text = "专项"
    nested = table.cell(3, 2).add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "249.5"
    nested.cell(0, 1).text = "含追加"

    style = document.styles.add_style("标题 2", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("绩效目标完成情况", style=style)
    lines = document.add_paragraph("满意度95.6%")
    lines.add_run().add_break()
    lines.add_run("自评得分92分")
    document.save(path)
    return path


# ---------------------------------------------------------------- pdf

def _cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CJK_FONT


class _Writer:
    """Draws lines top-down on a canvas; wrapped lines are justified to the text width."""

    left, width, size, leading = 72.0, 451.0, 12.0, 20.0

    def __init__(self, canvas, page_height: float):
        self.canvas = canvas
        self.y = page_height - 100

    def line(self, text: str, full: bool = False, centered: bool = False) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth
        c = self.canvas
        natural = stringWidth(text, CJK_FONT, self.size)
        obj = c.beginText()
        obj.setFont(CJK_FONT, self.size)
        x = self.left + (self.width - natural) / 2 if centered else self.left
        obj.setTextOrigin(x, self.y)
        if full and len(text) > 1:
            obj.setCharSpace((self.width - natural) / (len(text) - 1))
        obj.textLine(text)
        c.drawText(obj)
        self.y -= self.leading

    def paragraph(self, lines: list[str]) -> None:
        for i, text in enumerate(lines):
            self.line(text, full=i < len(lines) - 1)
        self.y -= 6


def _running(canvas, number: int, page_width: float, page_height: float) -> None:
    canvas.setFont(CJK_FONT, 9)
    canvas.drawCentredString(page_width / 2, page_height - 40, "某某局部门整体支出绩效自评报告")
    canvas.drawCentredString(page_width / 2, 30, f"- {number} -")


def build_pdf(path: Path) -> Path:
    """Three pages: running header/footer, figures cut by line wraps, a ruled table."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Table, TableStyle

    _cjk_font()
    width, height = A4
    c = Canvas(str(path), pagesize=A4, invariant=1)

    _running(c, 1, width, height)
    w = _Writer(c, height)
    w.line("某某局2023年度部门整体支出绩效自评报告", centered=True)
    w.y -= 10
    w.line("一、部门基本情况")
    w.paragraph(["本部门2023年度预算资金全部到位，全年共计支出资金合计为1268.",
                 "2285万元，预算执行率为98.5%。"])
    w.line("二、绩效目标完成情况")
    w.paragraph(["项目资金主要用于购置办公设备和信息化系统运行维护，实际支出81.1",
                 "2万元，节约资金3.88万元。"])
    c.showPage()

    _running(c, 2, width, height)
    w = _Writer(c, height)
    w.line("（一）产出指标")
    w.paragraph(["产出指标完成情况见下表。"])
    table = Table([["指标", "目标值", "完成值"], ["培训人次", "500人次", "526人次"],
                   ["设备数量", "20台", "20台"]], colWidths=[150, 120, 120])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), CJK_FONT),
                               ("FONTSIZE", (0, 0), (-1, -1), 11),
                               ("GRID", (0, 0), (-1, -1), 0.8, (0, 0, 0))]))
    _, table_height = table.wrapOn(c, w.width, 300)
    table.drawOn(c, w.left, w.y - table_height + 10)
    w.y -= table_height + 20
    w.paragraph(["表中各项指标均已完成。下一年度本部门将继续加强预算绩效管理工作，持续提升预算"])
    c.showPage()

    _running(c, 3, width, height)
    w = _Writer(c, height)
    w.paragraph(["编制的科学性和资金使用效益。"])
    w.line("三、存在的问题")
    w.paragraph(["部分项目前期论证不够充分。"])
    c.showPage()
    c.save()
    return path


def build_pdf_text(path: Path, lines: list[str], encrypt: str | None = None) -> Path:
    """One page of plain lines; ``encrypt`` sets a user password."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    _cjk_font()
    c = Canvas(str(path), pagesize=A4, invariant=1, encrypt=encrypt)
    w = _Writer(c, A4[1])
    for text in lines:
        w.line(text)
    c.showPage()
    c.save()
    return path


def build_pdf_no_text(path: Path) -> Path:
    """Two pages of shapes and an image: a 'scanned' PDF with no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=A4, invariant=1)
    c.rect(72, 600, 300, 100, fill=1)
    c.showPage()
    c.drawImage(ImageReader(io.BytesIO(_tiny_png())), 72, 500, width=200, height=200)
    c.showPage()
    c.save()
    return path


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + b"\x80\x80\x80" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# ---------------------------------------------------------------- html

HTML_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某某局2023年度部门整体支出绩效自评报告</title>
<style>.x {{ color: red }}</style><script>var s = "脚本里的1000万元";</script></head>
<body>
<div class="header">网站首页</div>
<nav><a href="/">首页</a><a href="/gk">政务公开 导航里的20万元</a></nav>
<div class="sidebar"><p>相关链接：其他部门报告共3份</p></div>
<div class="main-box">
 <h1>某某局2023年度部门整体支出绩效自评报告</h1>
 <div class="TRS_Editor">
  <p>一、部门概况</p>
  <p>本部门年初预算<b>1268.2285</b>万元，全年支出1250万元。</p>
  <div>第一行：人员经费800万元<br>第二行：公用经费200万元</div>
  <h3>项目支出情况</h3>
  <table border="1">
   <tr><th rowspan="2">项目</th><th colspan="2">资金（万元）</th></tr>
   <tr><th>预算数</th><th>执行数</th></tr>
   <tr><td>培训<p>（含线上）</p></td><td>100</td><td>98.5</td></tr>
  </table>
  <ul><li>满意度95.6%</li><li>自评得分92分</li></ul>
 </div>
</div>
<form><input name="q"><p>搜索框里的5元</p></form>
<footer>版权所有 联系电话 12345678</footer>
<noscript>请启用脚本</noscript>
</body></html>
"""


def build_html(path: Path, encoding: str = "gb18030") -> Path:
    path.write_bytes(HTML_PAGE.format().encode(encoding))
    return path


# ---------------------------------------------------------------- xlsx

def build_xlsx(path: Path) -> Path:
    """Two sheets with text, floats, integers, a percent cell; one empty sheet between."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "收支情况"
    sheet.append(["2023年部门收支表"])
    sheet.append([])
    sheet.append(["项目", "预算数", "执行数", "执行率"])
    sheet.append(["基本支出", 1268.2285, 1250.0, 0.985])
    sheet.append(["项目支出", 0.1, 300, 1.0])
    sheet["D4"].number_format = "0.00%"
    sheet["D5"].number_format = "0%"
    workbook.create_sheet("空表")
    notes = workbook.create_sheet("说明")
    notes.append(["单位：万元"])
    notes.append(["备注", None, "含结转18.23万元"])
    workbook.save(path)
    return path


# ---------------------------------------------------------------- hostile packages

def build_zip_bomb_docx(path: Path, megabytes: int = 8) -> Path:
    """A docx-shaped zip whose document.xml is megabytes of zeros (ratio ~1000)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"0" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(block)
    return path


def build_declared_huge_docx(path: Path, declared: int = 0xFFFF_FFF0) -> Path:
    """A small docx whose central directory declares a ~4 GB uncompressed member."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buffer.getvalue())
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = declared.to_bytes(4, "little")  # uncompressed size
    path.write_bytes(bytes(data))
    return path


ENTITY_BOMB = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>
"""


def build_entity_bomb_docx(path: Path, source: Path) -> Path:
    """A copy of a real docx whose word/document.xml declares nested entities."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w",
                                                              zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "word/document.xml":
                data = ENTITY_BOMB.encode("utf-8")
            out.writestr(info, data)
    return path


FOOTNOTES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>其中上年结转资金12.5万元。</w:t></w:r></w:p></w:footnote>
</w:footnotes>
"""
FOOTNOTES_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
FOOTNOTES_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def build_docx_with_footnote(path: Path) -> Path:
    """A one-paragraph docx whose footnote holds a figure (python-docx cannot write notes)."""
    import docx
    document = docx.Document()
    document.add_paragraph("本年度收入总计100万元。")
    document.save(path)
    with zipfile.ZipFile(path) as original:
        entries = [(info, original.read(info)) for info in original.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in entries:
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", f'<Override PartName="/word/footnotes.xml" '
                                    f'ContentType="{FOOTNOTES_CONTENT}"/></Types>'.encode())
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", f'<Relationship Id="rIdNotes" '
                                    f'Type="{FOOTNOTES_TYPE}" Target="footnotes.xml"/>'
                                    f'</Relationships>'.encode())
            out.writestr(info, data)
        out.writestr("word/footnotes.xml", FOOTNOTES.encode("utf-8"))
    return path
