"""PDF reader: reflowed paragraphs and ruled tables, page by page.

- Engines: each page is parsed by pdfium (``pdfium_text``: characters with pdfminer's boxes,
  painted path segments as edges) and laid out by pdfplumber's own word and table finders, so
  the result is pdfplumber's at a fraction of its cost; pages pdfium's reading does not cover
  (rotated pages, crop boxes, vertical text) and files it cannot open or that look truncated
  are parsed by pdfplumber itself. ``PERFX_PDF_ENGINE=pdfplumber`` (or ``engine=``) parses every
  page with pdfplumber, the reference the pdfium road is tested against. Each PageData says
  which road its page took (ROAD_*).

- Words are read once per page (extract_words) and grouped into lines; Chinese is joined with
  no space, a space is kept only between two Latin letters or digits.
- Reflow: a line that does not end a sentence (。；：！？) and is followed by a line that does
  not start a numbered heading or list item is continued by it with no space, so a figure cut
  by a line wrap ("1268.\\n2285万元") comes out whole. A line ending well short of the page's
  right text edge, or a vertical gap larger than the page's usual line gap, ends a paragraph.
  A paragraph may continue onto the next page; its block keeps the page it starts on.
- Running headers and footers (a line repeated at the same distance from the page edge on
  most pages) and page-number lines ("- 3 -", "第3页", "第 3 页 共 10 页") are dropped.
- Ruled tables (page.find_tables, lattice lines) become table blocks at their vertical
  position; their characters are kept out of the paragraph text.
"""
from __future__ import annotations

import math
import os
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from ..figures import recognizer
from ..models import Block
from . import aligned, ocr
from .base import NOT_WRAPPED, Document, ReaderError
from .structure import assign_sections, ends_sentence, starts_item, table_block, text_block

PAGE_NUMBER = [
    re.compile(r"^[-—–－~·•\s]*\d{1,4}[-—–－~·•\s]*$"),
    re.compile(r"^第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),
    re.compile(r"^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE),
    re.compile(r"^共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页$"),
]
ENGINES = ("pdfium", "pdfplumber")
ENGINE_VARIABLE = "PERFX_PDF_ENGINE"
ROAD_TEXT = "pdfium text"  # no painted lines: pdfium's characters only
ROAD_TABLES = "pdfium + table finder"  # pdfium's characters and edges, pdfplumber's TableFinder
# (with ruled_cells' indexed cell finder)
ROAD_PDFPLUMBER = "pdfplumber"  # the whole page parsed by pdfplumber (pdfminer)
MARGIN_SHARE = 0.12  # top/bottom share of the page where running headers/footers sit
REPEAT_SHARE = 0.5  # a margin line on at least this share of pages is a running header
POSITION_TOLERANCE = 6.0  # points
FULL_LINE_SHARE = 0.75  # a line this share of the column wide shows where the column ends
NUMBER_END = set("0123456789%％")
SHORT_LINE_CHARS = 4.0  # a line ending this many char widths before the edge ends a paragraph


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    edge: float = 0.0  # distance from the nearer page edge (top or bottom)
    margin: bool = False
    cells: list[tuple[float, float, str]] = field(default_factory=list)  # see aligned.py


@dataclass
class PageData:
    number: int
    lines: list[Line] = field(default_factory=list)
    tables: list[tuple[float, list[list[str]]]] = field(default_factory=list)
    chars: int = 0
    right_edge: float = 0.0
    road: str = ""  # which engine read the page: ROAD_TEXT, ROAD_TABLES or ROAD_PDFPLUMBER
    width: float = 0.0  # the page's width (0 when unknown, as for OCR pages)


def read_pdf(path: Path, engine: str | None = None) -> Document:
    """Read a PDF's text layer into blocks; ReaderError for encrypted, scanned or bad files.

    ``engine`` (default: $PERFX_PDF_ENGINE, else "pdfium") picks how pages are parsed:
    "pdfium" reads pages with pdfium and sends only pages it does not cover to pdfplumber;
    "pdfplumber" reads every page with pdfplumber (the reference the pdfium road is tested
    against).
    """
    warnings: list[str] = []
    truncated = not _has_eof_marker(path)
    pages, encrypted = read_pages(path, engine, truncated)
    if not pages:
        raise ReaderError(path, "corrupt PDF: no pages" + (" (truncated file)" if truncated
                                                          else ""))
    unreadable = encrypted or (truncated and not any(page.chars for page in pages))
    scanned = None if unreadable else _ocr_hook(path, pages, warnings)  # issue 12: OCR
    if not any(page.chars for page in pages):
        if encrypted:
            raise ReaderError(path, "encrypted PDF: no text could be extracted")
        if truncated:
            raise ReaderError(path, "corrupt PDF: truncated file, no text could be read")
        raise ReaderError(path, "no text layer: scanned PDF, and OCR found no text on it")
    if truncated:
        warnings.append("PDF looks truncated (no %%EOF at its end); text may be incomplete")
    _drop_running_lines(pages)
    for page in pages:
        _take_aligned_tables(page)
    blocks = assign_sections(_reflow(pages))
    return Document(path=path, format="pdf", blocks=blocks, pages=len(pages), warnings=warnings,
                    ocr=ocr.line_spans(blocks, scanned) if scanned else {})


def _ocr_hook(path: Path, pages: list[PageData], warnings: list[str]):
    """Pages without a text layer are rendered and OCR'd in place (readers/ocr.py).

    Returns the OCR pages, or None when there are none or the OCR extra is missing (then a
    warning names the pages; a file with no text layer at all is refused as needing OCR).
    """
    scanned = ocr.scanned_pages(path, [page.chars for page in pages])
    if not scanned:
        return None
    result = ocr.read_pdf_pages(path, [pages[i].number for i in scanned], len(pages), warnings,
                                every_page=len(scanned) == len(pages))
    for i, page in zip(scanned, result or []):
        pages[i] = ocr.to_page_data(page, PageData, Line, MARGIN_SHARE)
    return result


def read_pages(path: Path, engine: str | None = None, truncated: bool | None = None
               ) -> tuple[list[PageData], bool]:
    """Every page's lines and tables, and whether the file is encrypted.

    A damaged file (no %%EOF at its end) or one pdfium cannot open goes whole to pdfplumber,
    whose errors are mapped to the one-line messages of ReaderError."""
    engine = engine or os.environ.get(ENGINE_VARIABLE) or "pdfium"
    if engine not in ENGINES:
        raise ValueError(f"unknown PDF engine {engine!r}; one of {', '.join(ENGINES)}")
    if truncated is None:
        truncated = not _has_eof_marker(path)
    if engine == "pdfium" and not truncated:
        try:
            return _pdfium_pages(path)
        except NOT_WRAPPED:
            raise
        except Exception:  # noqa: BLE001 - pdfplumber reads it again and names the problem
            pass
    return _pdfplumber_pages(path, truncated)


def _pdfplumber_pages(path: Path, truncated: bool) -> tuple[list[PageData], bool]:
    """All pages read by pdfplumber; its errors become ReaderErrors."""
    try:
        import pdfplumber
        from pdfplumber.utils.exceptions import PdfminerException
    except ImportError as exc:  # pragma: no cover - a dependency
        raise ReaderError(path, f"cannot read pdf: {exc}") from None
    encrypted = False
    try:
        with pdfplumber.open(str(path)) as pdf:
            encrypted = bool(getattr(pdf.doc, "encryption", None))
            pages = [_read_page(page) for page in _pages(pdf)]
    except PdfminerException as exc:
        if exc.args and isinstance(exc.args[0], NOT_WRAPPED):
            raise exc.args[0] from None
        raise ReaderError(path, _pdfminer_reason(exc, truncated)) from None
    except NOT_WRAPPED:
        raise
    except Exception as exc:
        if encrypted:
            raise ReaderError(path, f"encrypted PDF: text extraction failed "
                                    f"({type(exc).__name__}: {exc})") from None
        reason = "corrupt PDF" + (" (truncated file)" if truncated else "")
        raise ReaderError(path, f"{reason}: {type(exc).__name__}: {exc}") from None
    return pages, encrypted


def _pdfium_pages(path: Path) -> tuple[list[PageData], bool]:
    """All pages read by pdfium, except those it does not cover (see pdfium_text), which
    pdfplumber reads; raises pdfium's own errors."""
    import pypdfium2

    from . import pdfium_fonts, pdfium_text
    with pdfium_fonts.box_faces():
        document = pypdfium2.PdfDocument(str(path))
        plumber = _LazyPlumber(path)
        try:
            encrypted = pdfium_text.raw().FPDF_GetSecurityHandlerRevision(document.raw) != -1
            pages = [_read_pdfium_page(document, index, plumber)
                     for index in range(len(document))]
        finally:
            plumber.close()
            document.close()
    return pages, encrypted


def _read_pdfium_page(document, index: int, plumber: _LazyPlumber) -> PageData:
    """One page: pdfium's characters and edges laid out like pdfplumber's, or the page read
    by pdfplumber when pdfium's reading would differ (rotation, crop box, vertical text)."""
    from . import pdfium_text
    page = document[index]
    try:
        if pdfium_text.needs_pdfplumber(page) is None:
            height = page.get_height()
            textpage = page.get_textpage()
            try:
                chars = pdfium_text.page_chars(textpage, height)
            finally:
                textpage.close()
            if chars is not None:
                edges = pdfium_text.page_edges(page, height) if chars else []
                geometry = pdfium_text.PageGeometry(index + 1, page.get_width(), height,
                                                    chars, edges)
                return _read_geometry(geometry)
    finally:
        page.close()
    data = _read_page(plumber.page(index))
    data.road = ROAD_PDFPLUMBER
    return data


class _LazyPlumber:
    """pdfplumber's view of the same file, opened only when a page needs it."""

    def __init__(self, path: Path):
        self.path = path
        self.pdf = None

    def page(self, index: int):
        if self.pdf is None:
            import pdfplumber
            self.pdf = pdfplumber.open(str(self.path))
        return self.pdf.pages[index]

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _pages(pdf):
    for page in pdf.pages:
        yield page


def _has_eof_marker(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 2048))
        return b"%%EOF" in handle.read()


def _pdfminer_reason(exc: Exception, truncated: bool) -> str:
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    name = type(inner).__name__
    if name in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning",
                "PDFTextExtractionNotAllowed") or "encrypt" in name.lower():
        detail = str(inner) if str(inner) not in ("", name) else ""
        return f"encrypted PDF: a password is needed to open it ({name}{': ' if detail else ''}" \
               f"{detail})"
    reason = "corrupt PDF" + (" (truncated file)" if truncated else "")
    return f"{reason}: {name}: {inner}".rstrip(": ")


def _read_page(page) -> PageData:
    """Lines outside ruled tables, and the tables, of one pdfplumber page; frees its cache."""
    data = PageData(number=page.page_number, road=ROAD_PDFPLUMBER, width=float(page.width))
    try:
        data.chars = len(page.chars)
        if not data.chars:
            return data
        if _has_duplicate_chars(page.chars):
            page = page.dedupe_chars()  # fake bold: each glyph drawn twice
        ruled = page.objects.get("line") or page.objects.get("rect") or page.objects.get("curve")
        boxes = _add_tables(data, page.find_tables() if ruled else [], page.chars)
        text_page = page.filter(lambda obj: obj.get("object_type") != "char"
                                or not _inside_any(obj, boxes)) if boxes else page
        words = text_page.extract_words(keep_blank_chars=False, use_text_flow=False)
        data.lines = _group_lines(words, float(page.height), _spaces(page.chars))
        data.right_edge = max((line.x1 for line in data.lines), default=0.0)
    finally:
        page.close()
    return data


def _read_geometry(page) -> PageData:
    """Lines outside ruled tables, and the tables, of a page read by pdfium (a
    pdfium_text.PageGeometry), laid out by the same rules as ``_read_page``."""
    from pdfplumber.utils import dedupe_chars

    from .pdfium_text import table_rows, words
    from .ruled_cells import TableFinder

    data = PageData(number=page.page_number, chars=len(page.chars), width=page.width,
                    road=ROAD_TABLES if page.may_hold_cells() else ROAD_TEXT)
    if not data.chars:
        return data
    if _has_duplicate_chars(page.chars):
        page.chars = dedupe_chars(page.chars, extra_attrs=())  # fake bold
    tables = TableFinder(page).tables if page.may_hold_cells() else []
    boxes = _add_tables(data, tables, page.chars, lambda table: table_rows(table, page.chars))
    chars = _outside(page.chars, boxes) if boxes else page.chars
    data.lines = _group_lines(words(chars), page.height, _spaces(chars))
    data.right_edge = max((line.x1 for line in data.lines), default=0.0)
    return data


def _add_tables(data: PageData, tables, chars: list[dict], extract=None
                ) -> list[tuple[float, float, float, float]]:
    """Add the ruled tables (pdfplumber Table objects) holding more than one filled cell to
    ``data``, rows stacked in one ruled row cut apart (``_unstacked``, from the page's
    ``chars``); return their boxes. ``extract(table)`` gives a table's rows (default
    ``table.extract()``)."""
    boxes: list[tuple[float, float, float, float]] = []
    for table in tables:
        rows = [[cell or "" for cell in row] for row in (extract or _extract)(table)]
        rows = _unstacked(table, rows, chars)
        rows = [row for row in rows if any(cell.strip() for cell in row)]
        if sum(len(row) for row in rows) <= 1:
            continue  # a ruled box around text, not a table
        boxes.append(table.bbox)
        data.tables.append((table.bbox[1], rows))
    return boxes


def _extract(table) -> list[list[str | None]]:
    return table.extract()


STACK_TOLERANCE = 3.0  # points; text lines whose tops differ less are one line


def _unstacked(table, rows: list[list[str]], chars: list[dict]) -> list[list[str]]:
    """The table's rows, a ruled row holding several data rows cut apart: a table that
    draws no line between its data rows gives one tall row whose cells hold a text line per
    data row (1\n2\n3). A row where a cell holds whole numbers only, one per line, is cut
    at those lines' tops; each cell's characters go to the band they stand in (a wrapped
    name stays with its row). A wrapped cell beside one-line numbers is left alone."""
    from .pdfium_text import cell_text
    out: list[list[str]] = []
    for ruled, row in zip(table.rows, rows):
        stacked = [i for i, cell in enumerate(row) if cell.count("\n") >= 1 and all(
            aligned.NUMBER.fullmatch(line.strip()) for line in cell.split("\n"))]
        if not stacked:
            out.append(row)
            continue
        inside = [[char for char in chars if box is not None and _inside_any(char, [box])]
                  for box in ruled.cells]
        tops = sorted({round(char["top"], 1) for i in stacked for char in inside[i]})
        starts = [top for n, top in enumerate(tops) if not n or top - tops[n - 1] > STACK_TOLERANCE]
        for band, start in enumerate(starts):
            end = starts[band + 1] if band + 1 < len(starts) else math.inf
            low = -math.inf if band == 0 else start - STACK_TOLERANCE
            high = end - STACK_TOLERANCE
            out.append([cell_text([c for c in cell if low <= c["top"] < high])
                        if cell else "" for cell in inside])
    return out


def _has_duplicate_chars(chars: list[dict]) -> bool:
    """True when some glyph sits twice at the same place (cheap test before dedupe_chars)."""
    places = {(char["text"], round(char["x0"]), round(char["top"])) for char in chars}
    return len(places) < len(chars)


def _outside(chars: list[dict], boxes: list[tuple[float, float, float, float]]) -> list[dict]:
    """The characters whose centre lies in none of the boxes (``not _inside_any``, one pass)."""
    out = []
    for char in chars:
        cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        for x0, top, x1, bottom in boxes:
            if x0 <= cx <= x1 and top <= cy <= bottom:
                break
        else:
            out.append(char)
    return out


def _inside_any(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


Spaces = dict[int, list[float]]  # rounded top of a line -> centres of its space characters


def _spaces(chars: list[dict]) -> Spaces:
    """Where the page's space characters stand (a space typed between two numbers)."""
    found: Spaces = {}
    for char in chars:
        if char["text"] == " ":
            found.setdefault(round(char["top"]), []).append((char["x0"] + char["x1"]) / 2)
    return found


def _spaced(before: dict, word: dict, spaces: Spaces) -> bool:
    """Whether a space character stands between two words of a line."""
    top = round(before["top"])
    return any(before["x1"] - 1 <= x <= word["x0"] + 1
               for key in (top - 1, top, top + 1) for x in spaces.get(key, ()))


def _group_lines(words: list[dict], height: float, spaces: Spaces | None = None
                 ) -> list[Line]:
    lines: list[Line] = []
    current: list[dict] = []

    def flush() -> None:
        if not current:
            return
        size = max(statistics.median(w["bottom"] - w["top"] for w in current), 1.0)
        text = _join_words(current, spaces or {})
        top = min(w["top"] for w in current)
        bottom = max(w["bottom"] for w in current)
        edge = min(top, height - bottom)
        lines.append(Line(text=text.strip(), x0=current[0]["x0"],
                          x1=max(w["x1"] for w in current), top=top, bottom=bottom,
                          size=size, edge=edge,
                          margin=top < height * MARGIN_SHARE
                          or bottom > height * (1 - MARGIN_SHARE),
                          cells=aligned.split_cells(current, size,
                                                    lambda group: _join_words(group,
                                                                              spaces or {}))))
        current.clear()

    for word in words:
        if current:
            last = current[-1]
            tolerance = max(2.0, 0.5 * (last["bottom"] - last["top"]))
            if abs(word["top"] - last["top"]) > tolerance or word["x0"] < last["x1"] - 1:
                flush()
        current.append(word)
    flush()
    lines = [line for line in lines if line.text]
    lines.sort(key=lambda line: (round(line.top), line.x0))
    return lines


def _join_words(words: list[dict], spaces: Spaces) -> str:
    """Words of one line joined: a space only between two Latin letters, and between two
    numbers with a space character between them (43.2 37.24, 100% 22.5), not between the
    pieces of one number spread by justified spacing (1 2 6 8.2 2 8 5)."""
    text = words[0]["text"]
    for before, word in zip(words, words[1:]):
        if _latin(before["text"][-1]) and _latin(word["text"][0]) or (
                before["text"][-1] in NUMBER_END and word["text"][0].isdigit()
                and _spaced(before, word, spaces)):
            text += " "
        text += word["text"]
    return text


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _is_page_number(text: str) -> bool:
    compact = text.strip()
    return any(pattern.match(compact) for pattern in PAGE_NUMBER)


UNNUMBERED_FRONT_PAGES = 3  # a page's printed number may trail its place by a cover and contents


def _numbers_page(text: str, number: int) -> bool:
    """Whether a page-number-like line outside the margins (the first or last line of page
    ``number``) is the page's number: any decorated form (- 3 -, 第3页, 3/10); a bare number
    only when it is the page's place or a few less (a cover and contents left unnumbered).
    Another bare number ending a page is a value (a form's last cell, 96) and stays."""
    compact = text.strip()
    if not compact.isdigit():
        return True
    return number - UNNUMBERED_FRONT_PAGES <= int(compact) <= number


DIGITS = re.compile(r"\d+")
SPACES = re.compile(r"\s+")


def _running_key(text: str) -> str:
    """A margin line's text without spaces, its numbers as # (page numbers vary)."""
    return DIGITS.sub("#", SPACES.sub("", text))


def _drop_running_lines(pages: list[PageData]) -> None:
    """Remove running headers/footers and page-number lines, in place."""
    with_text = [page for page in pages if page.lines]
    positions: dict[str, list[float]] = {}
    keys = {id(line): _running_key(line.text) for page in with_text for line in page.lines
            if line.margin}
    for page in with_text:
        seen: set[str] = set()
        for line in page.lines:
            key = keys.get(id(line), "")
            if line.margin and key not in seen:
                seen.add(key)
                positions.setdefault(key, []).append(line.edge)
    needed = max(2, math.ceil(len(with_text) * REPEAT_SHARE))
    running = {key: statistics.median(edges) for key, edges in positions.items()
               if len(edges) >= needed}
    for page in with_text:
        kept = []
        last = len(page.lines) - 1
        for i, line in enumerate(page.lines):
            key = keys.get(id(line), "")
            if (line.margin and key in running
                    and abs(line.edge - running[key]) <= POSITION_TOLERANCE):
                continue
            if _is_page_number(line.text) and (
                    line.margin or (i in (0, last) and _numbers_page(line.text, page.number))):
                continue
            kept.append(line)
        page.lines = kept
        page.right_edge = max((line.x1 for line in kept), default=0.0)


def _take_aligned_tables(page: PageData) -> None:
    """Move the page's whitespace-aligned tables (aligned.py) from its lines to its tables."""
    found = aligned.find_tables(page.lines)
    if not found:
        return
    taken: set[int] = set()
    for first, last, rows in found:
        page.tables.append((page.lines[first].top, rows))
        taken.update(range(first, last + 1))
    page.lines = [line for i, line in enumerate(page.lines) if i not in taken]
    page.right_edge = max((line.x1 for line in page.lines), default=0.0)


def _usual_gap(lines: list[Line]) -> float:
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if b.top > a.bottom - 1]
    return statistics.median(gaps) if gaps else 0.0


def _reflow(pages: list[PageData]) -> list[Block]:
    """Paragraph and table blocks in reading order across all pages."""
    blocks: list[Block] = []
    text = ""
    start_page = 0
    previous: Line | None = None
    previous_edge = 0.0

    def flush() -> None:
        nonlocal text, previous
        if text.strip():
            blocks.append(text_block(text.strip(), page=start_page))
        text, previous = "", None

    for page in pages:
        usual_gap = _usual_gap(page.lines)
        items: list[tuple[float, int, object]] = [(line.top, 1, line) for line in page.lines]
        items += [(top, 0, rows) for top, rows in page.tables]
        items.sort(key=lambda item: (item[0], item[1]))
        same_page = False
        right_edge = _text_edge(page)
        for _, kind, item in items:
            if kind == 0:
                flush()
                blocks.append(table_block(item, page=page.number))  # type: ignore[arg-type]
                continue
            line: Line = item  # type: ignore[assignment]
            if previous is not None and _continues(previous, line, previous_edge,
                                                   usual_gap if same_page else None):
                if _latin(text[-1]) and _latin(line.text[0]):
                    text += " "
                text += line.text
            else:
                flush()
                text, start_page = line.text, page.number
            previous, previous_edge, same_page = line, right_edge, True
    flush()
    return blocks


def _text_edge(page: PageData) -> float:
    """The right edge of the page's text column: where its longest line ends, unless no line
    comes near the mirror of the left margin (a page of short lines: form cells, a list, a
    table without rulings), whose edge is then that mirror (official documents have nearly
    symmetric margins), so that short lines end their paragraphs there too."""
    if not page.width or not page.lines:
        return page.right_edge
    left = min(line.x0 for line in page.lines)
    mirror = page.width - left
    if page.right_edge >= left + FULL_LINE_SHARE * (mirror - left):
        return page.right_edge
    return mirror


def _continues(previous: Line, line: Line, right_edge: float, usual_gap: float | None) -> bool:
    """Whether ``line`` continues the paragraph ending with ``previous``."""
    if ends_sentence(previous.text) or starts_item(line.text):
        return False
    if previous.x1 < right_edge - SHORT_LINE_CHARS * previous.size and \
            not recognizer().unit_split(previous.text, line.text):
        return False  # the previous line stopped short: its paragraph ended there (unless
        # it ends in a number whose unit opens the next line: 减少91.91 / 万元，下降)
    if usual_gap is not None:  # same page: a wide vertical gap separates paragraphs
        gap = line.top - previous.bottom
        if gap > usual_gap + 0.8 * max(previous.size, line.size):
            return False
    return True
