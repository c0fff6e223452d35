"""Word .docx reader: paragraphs, tables and text boxes in body order.

Choices worth knowing:
- Heading level comes from the paragraph style (Heading 1 / 标题 1, or an outline level set on
  the style or the paragraph), else from Chinese numbering text (structure.heading_level).
- A paragraph's manual line breaks (w:br) split it into one block per line.
- Table cells sit on the table grid: a horizontally merged cell gives its text once, at its
  first grid column, and the columns it spans are empty; a vertically merged continuation
  cell is empty (the text stays in the top cell only, so no figure is counted twice).
- A nested table is flattened into its cell's text: cells and rows joined by spaces.
- Text boxes (w:txbxContent) become their own blocks right after the paragraph or table
  anchoring them; the mc:Fallback copy of a box is skipped so a box is read once.
- Deleted revisions (w:del), hidden runs (w:vanish) and field codes are not text.
- Footnotes and endnotes follow the body as paragraphs whose section is 脚注 / 尾注; page
  headers and footers are left out (running titles and page numbers, as in the pdf reader).
"""
from __future__ import annotations

import re
from pathlib import Path

from ..models import Block
from .base import NOT_WRAPPED, Document, ReaderError, package_error
from .safety import check_package
from .structure import add_text, assign_sections, table_block

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, TBL, TR, TC, SDT, SDT_CONTENT, CUSTOM_XML = (_w(t) for t in (
    "p", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml"))
T, TAB, BR, CR, TXBX, DEL, R, RPR, VANISH, NO_BREAK_HYPHEN, SOFT_HYPHEN = (_w(t) for t in (
    "t", "tab", "br", "cr", "txbxContent", "del", "r", "rPr", "vanish", "noBreakHyphen",
    "softHyphen"))
PPR, PSTYLE, OUTLINE, VAL, TCPR, GRID_SPAN, VMERGE, TRPR, GRID_BEFORE = (_w(t) for t in (
    "pPr", "pStyle", "outlineLvl", "val", "tcPr", "gridSpan", "vMerge", "trPr", "gridBefore"))
MC_FALLBACK = f"{{{MC}}}Fallback"
SKIPPED = {DEL, MC_FALLBACK, _w("instrText"), _w("delText"), PPR, _w("sectPr")}
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def read_docx(path: Path) -> Document:
    """Read a .docx into blocks; ReaderError for bad, unsafe or unreadable packages."""
    check_package(path, "docx", "word/document.xml")
    try:
        import docx  # python-docx
        document = docx.Document(str(path))
        styles = _style_levels(document.styles.element)
        reader = _BodyReader(styles)
        reader.container(document.element.body)
        notes = _note_blocks(document, styles)
    except NOT_WRAPPED:
        raise
    except Exception as exc:  # python-docx / lxml on a damaged package
        raise package_error(path, "docx", exc) from None
    if not reader.blocks:
        raise ReaderError(path, "no text: the document body is empty")
    blocks = assign_sections(reader.blocks)
    for block in notes:
        block.index = len(blocks)
        blocks.append(block)
    return Document(path=path, format="docx", blocks=blocks)


NOTE_PARTS = (("/word/footnotes.xml", "footnote", "脚注"), ("/word/endnotes.xml", "endnote", "尾注"))


def _note_blocks(document, style_levels: dict[str, int]) -> list[Block]:
    """Footnote and endnote paragraphs (not the separator notes), sectioned 脚注 / 尾注."""
    from docx.oxml.parser import (
        parse_xml,  # python-docx's parser: entities not resolved
    )
    blocks: list[Block] = []
    for part in document.part.package.iter_parts():
        for partname, tag, section in NOTE_PARTS:
            if part.partname != partname:
                continue
            reader = _BodyReader(style_levels)
            for note in parse_xml(part.blob).iter(_w(tag)):
                if note.get(_w("type")) in (None, "normal"):
                    reader.container(note)
            for block in reader.blocks:
                if block.kind == "heading":
                    block.kind, block.level = "paragraph", None
                block.section = [section]
            blocks.extend(reader.blocks)
    return blocks


def _style_levels(styles_el) -> dict[str, int]:
    """Style id -> heading level, from the style name or its (inherited) outline level."""
    own: dict[str, int | None] = {}
    based_on: dict[str, str] = {}
    for style in styles_el.iter(_w("style")):
        style_id = style.get(_w("styleId"))
        if not style_id:
            continue
        name_el = style.find(_w("name"))
        name = name_el.get(VAL, "") if name_el is not None else ""
        match = HEADING_STYLE.match(name.strip())
        level = int(match.group(1)) if match else None
        if level is None:
            outline = style.find(f"{PPR}/{OUTLINE}")
            level = _outline_level(outline)
        own[style_id] = level
        base = style.find(_w("basedOn"))
        if base is not None and base.get(VAL):
            based_on[style_id] = base.get(VAL)
    levels: dict[str, int] = {}
    for style_id in own:
        current, seen = style_id, set()
        while current and current not in seen:
            seen.add(current)
            if own.get(current):
                levels[style_id] = own[current]  # type: ignore[assignment]
                break
            current = based_on.get(current)
    return levels


def _outline_level(element) -> int | None:
    """w:outlineLvl val 0..8 is heading level 1..9; 9 means body text."""
    if element is None:
        return None
    try:
        value = int(element.get(VAL, "9"))
    except ValueError:
        return None
    return value + 1 if 0 <= value <= 8 else None


class _BodyReader:
    """Walks w:body (or a text box, or a content control) and collects blocks."""

    def __init__(self, style_levels: dict[str, int]):
        self.style_levels = style_levels
        self.blocks: list[Block] = []

    def container(self, element) -> None:
        for child in element:
            if child.tag == P:
                self.paragraph(child)
            elif child.tag == TBL:
                self.table(child)
            elif child.tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.container(content)
            elif child.tag == CUSTOM_XML:
                self.container(child)

    def paragraph(self, p) -> None:
        parts: list[str] = []
        boxes: list = []
        _inline_text(p, parts, boxes)
        level = self._level(p)
        for line in "".join(parts).split("\n"):
            line = line.strip()
            if line:
                add_text(self.blocks, line, level)
        self.text_boxes(boxes)

    def text_boxes(self, boxes: list) -> None:
        for box in boxes:
            self.container(box)

    def _level(self, p) -> int | None:
        ppr = p.find(PPR)
        if ppr is None:
            return None
        level = _outline_level(ppr.find(OUTLINE))
        if level:
            return level
        style = ppr.find(PSTYLE)
        return self.style_levels.get(style.get(VAL, "")) if style is not None else None

    def table(self, tbl) -> None:
        boxes: list = []
        rows = _table_rows(tbl, boxes)
        if any(cell for row in rows for cell in row):
            self.blocks.append(table_block(rows))
        self.text_boxes(boxes)


def _inline_text(element, parts: list[str], boxes: list) -> None:
    """Visible text of a paragraph's runs in order; text boxes go to ``boxes``."""
    for child in element:
        tag = child.tag
        if tag == T:
            parts.append(child.text or "")
        elif tag == TAB:
            parts.append("\t")
        elif tag in (BR, CR):
            if child.get(_w("type")) in (None, "textWrapping"):
                parts.append("\n")
        elif tag == NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == TXBX:
            boxes.append(child)
        elif tag in SKIPPED or not isinstance(tag, str):
            continue
        elif tag == R and _hidden(child):
            continue
        else:
            _inline_text(child, parts, boxes)


def _hidden(run) -> bool:
    rpr = run.find(RPR)
    if rpr is None:
        return False
    vanish = rpr.find(VANISH)
    return vanish is not None and vanish.get(VAL, "true") not in ("0", "false", "off")


def _table_rows(tbl, boxes: list) -> list[list[str]]:
    """Rows of grid-aligned cell texts (see the module notes on merged cells)."""
    rows: list[list[str]] = []
    for tr in tbl.iter(TR):
        if _enclosing_table(tr) is not tbl:
            continue  # a row of a nested table
        row: list[str] = [""] * _int_val(tr.find(f"{TRPR}/{GRID_BEFORE}"), 0)
        for tc in _row_cells(tr):
            tcpr = tc.find(TCPR)
            span = _int_val(tcpr.find(GRID_SPAN) if tcpr is not None else None, 1)
            vmerge = tcpr.find(VMERGE) if tcpr is not None else None
            continuation = vmerge is not None and vmerge.get(VAL) != "restart"
            row.append("" if continuation else _cell_text(tc, boxes))
            row.extend([""] * (max(span, 1) - 1))
        rows.append(row)
    return rows


def _enclosing_table(element):
    parent = element.getparent()
    while parent is not None and parent.tag != TBL:
        parent = parent.getparent()
    return parent


def _row_cells(element) -> list:
    """The w:tc of a row, including cells wrapped in a content control."""
    cells = []
    for child in element:
        if child.tag == TC:
            cells.append(child)
        elif child.tag in (SDT, CUSTOM_XML):
            inner = child.find(SDT_CONTENT) if child.tag == SDT else child
            if inner is not None:
                cells.extend(_row_cells(inner))
    return cells


def _cell_text(tc, boxes: list) -> str:
    """A cell's paragraphs joined by spaces; a nested table flattened the same way."""
    pieces: list[str] = []
    for child in tc:
        if child.tag == P:
            parts: list[str] = []
            _inline_text(child, parts, boxes)
            pieces.append("".join(parts).replace("\n", " ").strip())
        elif child.tag == TBL:
            for row in _table_rows(child, boxes):
                pieces.extend(cell for cell in row if cell)
        elif child.tag in (SDT, CUSTOM_XML):  # a content control wrapping paragraphs
            inner = child.find(SDT_CONTENT) if child.tag == SDT else child
            if inner is not None:
                pieces.append(_cell_text(inner, boxes))
    return " ".join(piece for piece in pieces if piece)


def _int_val(element, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(VAL, default))
    except (TypeError, ValueError):
        return default
