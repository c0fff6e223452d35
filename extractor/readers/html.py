"""HTML reader (lxml.html) for report pages saved from government portals.

- Decoding: BOM, then the page's meta charset, then UTF-8, then GB18030 (text.decode_text).
- nav, header, footer, aside, script, style, noscript, iframe and form are dropped.
- The main content container is preferred: among div/article/section/td whose class or id
  names content/article/main/zoom/TRS_Editor/text, the one with the most Chinese text
  (the outermost on a tie); else body.
- Paragraph-level elements (p, div, li, h1-h6 with their level, br-separated lines) become
  blocks. A data table becomes a table block on its grid: a rowspan/colspan cell's text sits in
  its top-left grid cell and the cells it covers are empty. A layout table (one holding a
  nested table or a very long cell) is read as ordinary blocks.
- A page declaring entities (<!ENTITY) is refused; entities are never resolved.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..models import Block
from .base import NOT_WRAPPED, Document, ReaderError
from .structure import add_text, assign_sections, table_block
from .text import decode_text

DROPPED_TAGS = ("nav", "header", "footer", "aside", "script", "style", "noscript", "iframe",
                "form", "template", "svg", "button", "select", "textarea", "object", "embed")
BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
              "h6", "blockquote", "section", "article", "main", "pre", "center", "address",
              "figure", "figcaption", "caption", "tr", "td", "th", "tbody", "thead", "tfoot",
              "hr", "body", "html", "title"}
CONTAINER_HINT = re.compile(r"content|article|main|zoom|trs_editor|text", re.IGNORECASE)
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
CJK = re.compile(r"[\u4e00-\u9fff]")
ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)
XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
LAYOUT_CELL_CHARS = 1000
MAX_SPAN = 100
MAX_GRID_CELLS = 1_000_000
MIN_CONTAINER_CJK = 20
GB_ALIASES = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "euc-cn"}


def read_html(path: Path) -> Document:
    """Read an HTML page's main content into blocks; ReaderError for bad input."""
    text = decode_html(path.read_bytes(), path).replace("\x00", "")
    if ENTITY_DECL.search(text):
        raise ReaderError(path, "XML entity bomb risk: the page declares entities "
                                "(<!ENTITY); refused")
    try:
        import lxml.html
        root = lxml.html.document_fromstring(XML_DECL.sub("", text) or "<html></html>")
        blocks = html_blocks(root)
    except NOT_WRAPPED:
        raise
    except Exception as exc:
        raise ReaderError(path, f"cannot read html: {type(exc).__name__}: {exc}") from None
    if not blocks:
        raise ReaderError(path, "no text: the page has no readable content")
    return Document(path=path, format="html", blocks=assign_sections(blocks))


def decode_html(data: bytes, path: Path) -> str:
    """BOM first (decode_text does it), then meta charset, then UTF-8 / GB18030."""
    if data[:3] == b"\xef\xbb\xbf" or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return decode_text(data, path)
    match = CHARSET.search(data[:4096])
    if match:
        name = match.group(1).decode("ascii", "replace").lower()
        encoding = "gb18030" if name in GB_ALIASES else name
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data, path)


def html_blocks(root) -> list[Block]:
    """Blocks of the main content of a parsed page."""
    for element in list(root.iter(*DROPPED_TAGS)):
        parent = element.getparent()
        if parent is not None:
            _remove_keep_tail(element)
    body = root.find("body")
    container = _content_container(root)
    if container is None:
        container = body if body is not None else root
    walker = _Walker()
    walker.walk(container)
    walker.flush()
    return walker.blocks


def _remove_keep_tail(element) -> None:
    parent = element.getparent()
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _content_container(root):
    best, best_count = None, MIN_CONTAINER_CJK - 1
    for element in root.iter("div", "article", "section", "td", "main"):
        hint = f"{element.get('class', '')} {element.get('id', '')}"
        if not CONTAINER_HINT.search(hint):
            continue
        count = len(CJK.findall(element.text_content()))
        if count > best_count:
            best, best_count = element, count
    return best


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


class _Walker:
    """Collects inline text into lines; block elements and <br> end a line."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.level: int | None = None

    def flush(self) -> None:
        text = _clean("".join(self.buffer))
        if text:
            add_text(self.blocks, text, self.level)
        self.buffer = []

    def walk(self, element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "table" and _is_data_table(element):
            self.flush()
            rows = _table_rows(element)
            if any(cell for row in rows for cell in row):
                self.blocks.append(table_block(rows))
            return
        if tag == "br":
            self.flush()
            return
        is_block = tag in BLOCK_TAGS or tag == "table"
        heading = int(tag[1]) if re.fullmatch(r"h[1-6]", tag) else None
        if is_block:
            self.flush()
        if heading:
            self.level = heading
        if tag and element.text:
            self.buffer.append(element.text)
        for child in element:
            self.walk(child)
            if child.tail:
                self.buffer.append(child.tail)
        if is_block:
            self.flush()
        if heading:
            self.level = None


def _is_data_table(table) -> bool:
    if table.find(".//table") is not None:
        return False
    return all(len(cell.text_content()) <= LAYOUT_CELL_CHARS for cell in table.iter("td", "th"))


def _cell_text(cell) -> str:
    walker = _Walker()
    walker.walk(cell)
    walker.flush()
    return " ".join(block.text for block in walker.blocks)


def _span(cell, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1")), MAX_SPAN))
    except ValueError:
        return 1


def _table_rows(table) -> list[list[str]]:
    """Grid of cell texts; a spanning cell's text in its top-left grid cell only."""
    grid: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.iter("tr")]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            rowspan = min(_span(cell, "rowspan"), len(rows) - r)
            colspan = _span(cell, "colspan")
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = ""
            grid[(r, c)] = _cell_text(cell)
            c += colspan
            if len(grid) > MAX_GRID_CELLS:
                raise ValueError(f"table too large (over {MAX_GRID_CELLS} grid cells)")
    widths: dict[int, int] = {}
    for r, c in grid:
        widths[r] = max(widths.get(r, 0), c + 1)
    out: list[list[str]] = []
    for r in range(len(rows)):
        row = [grid.get((r, c), "") for c in range(widths.get(r, 0))]
        if any(row):
            out.append(row)
    return out
