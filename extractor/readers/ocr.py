"""Optional OCR of image-only pages (``pip install 'perfx[ocr]'``): page image -> lines and tables.

The recogniser is RapidOCR on ONNX Runtime (``rapidocr-onnxruntime``), whose wheel ships the
PP-OCRv4 Chinese detection and recognition models, so nothing is fetched at run time. PDF pages
are rendered with pypdfium2 (installed with pdfplumber).

Layout is rebuilt from the detected text boxes alone:

- boxes are de-skewed (the median slope of their top edges), then grouped into visual rows by
  their vertical centres;
- a run of two or more rows that hold several boxes apart by wide gaps is a table: its columns
  are the merged horizontal extents of those boxes, each box goes to the column it overlaps most,
  and a row whose first column is empty while the row above holds text there continues that row
  (a cell wrapped onto a second line);
- every other row is one text line, handed to the PDF reader's reflow like a text-layer line.

Numbers read by OCR get the common confusions fixed where the context leaves one reading
(``digit_fixes``); each fix and each ambiguous case is reported. The reader returns, per OCR
page, the recogniser's confidence of every line so figures can say they came from OCR.
"""
from __future__ import annotations

import math
import os
import re
import statistics
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from ..models import Block
from .base import ReaderError

INSTALL_HINT = "install the OCR extra: pip install 'perfx[ocr]'"
RENDER_SCALE = 2.0  # PDF pages are rendered at 2x (144 dpi): enough for 10.5 pt text
IMAGE_DPI = 200  # an image file without a DPI tag is taken as a 200 dpi scan
LOW_CONFIDENCE = 0.9  # a figure on a line recognised with less than this gets a warning
TABLE_GAP = 2.0  # boxes on one row farther apart than this many line heights are table cells
THREADS_ENV = "PERFX_OCR_THREADS"  # onnxruntime threads per process (set by perfx ingest)
PROGRESS_ENV = "PERFX_OCR_PROGRESS"
SECONDS_PER_PAGE = 60.0  # time a file's limit grows by for each page it OCRs


@dataclass
class TextBox:
    """One detected text box, in page points after de-skewing."""
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class OcrPage:
    """What OCR found on one page: text lines, tables (rows of cells) and line confidences."""
    number: int
    width: float
    height: float
    lines: list[TextBox] = field(default_factory=list)
    tables: list[tuple[float, float, list[list[str]]]] = field(default_factory=list)  # top, x0
    scores: list[tuple[str, float]] = field(default_factory=list)  # every box: text, confidence
    notes: list[str] = field(default_factory=list)


# -- the extra ----------------------------------------------------------------------------------

def available() -> bool:
    """Whether the OCR extra (rapidocr-onnxruntime) is installed."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except Exception:  # noqa: BLE001 - a broken install is as good as none
        return False
    return True


def needs_ocr_error(path: Path, what: str = "scanned PDF") -> ReaderError:
    """The one-line error for an image-only file when the OCR extra is missing."""
    return ReaderError(path, f"no text layer: {what}, needs OCR; {INSTALL_HINT}")


def threads() -> int:
    """ONNX Runtime threads for this process: PERFX_OCR_THREADS, else the usable cores."""
    value = os.environ.get(THREADS_ENV, "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@lru_cache(maxsize=1)
def engine():
    """The recogniser, loaded once per process (models from the wheel, no network)."""
    from rapidocr_onnxruntime import RapidOCR
    n = threads()
    return RapidOCR(use_cls=False, intra_op_num_threads=n, inter_op_num_threads=1)


def recognise(image) -> list[tuple[list[list[float]], str, float]]:
    """Bare recogniser call: (quad, text, confidence) per detected box of a greyscale image."""
    import numpy as np
    array = np.asarray(image)
    if array.ndim == 2:
        array = np.stack([array] * 3, axis=-1)
    result, _ = engine()(array)
    return [(quad, text, float(score)) for quad, text, score in (result or [])]


# -- page images --------------------------------------------------------------------------------

def render_pdf_page(path: Path, index: int, scale: float = RENDER_SCALE):
    """Page ``index`` (0-based) of a PDF as a greyscale PIL image."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[index]
        try:
            return page.render(scale=scale, grayscale=True).to_pil().convert("L")
        finally:
            page.close()
    finally:
        pdf.close()


def read_image_pages(path: Path) -> list[tuple[Any, float]]:
    """The frames of an image file as greyscale images with their pixels per point."""
    from PIL import Image, ImageSequence
    with Image.open(path) as image:
        dpi = image.info.get("dpi") or (IMAGE_DPI, IMAGE_DPI)
        try:
            resolution = float(dpi[0]) if float(dpi[0]) >= 50 else IMAGE_DPI
        except (TypeError, ValueError):
            resolution = IMAGE_DPI
        frames = [frame.convert("L") for frame in ImageSequence.Iterator(image)]
    return [(frame, resolution / 72.0) for frame in frames]


def ocr_image(image, number: int, scale: float) -> OcrPage:
    """OCR one page image (``scale`` pixels per point) into lines and tables."""
    width, height = image.size
    page = OcrPage(number=number, width=width / scale, height=height / scale)
    raw = recognise(image)
    boxes = deskewed_boxes(raw, scale, (width / 2, height / 2))
    from .ocr_terms import term_fixes
    for box in boxes:
        fixed, notes = digit_fixes(box.text)
        fixed, word_notes = term_fixes(fixed)
        notes += word_notes
        box.text = fixed
        page.notes += [f"page {number}: {note}" for note in notes]
        page.scores.append((box.text, box.score))
    layout(page, boxes)
    return page


def progress(message: str) -> None:
    """One line of progress on stderr (for long OCR files); PERFX_OCR_PROGRESS=0 silences it
    (perfx ingest's workers, whose run has its own progress)."""
    if os.environ.get(PROGRESS_ENV, "1") != "0":
        print(f"perfx: {message}", file=sys.stderr, flush=True)


def ocr_pages(path: Path, images: Sequence[tuple[int, Callable[[], Any], float]],
              total: int) -> list[OcrPage]:
    """OCR each (page number, image loader, scale), with progress and a longer time limit."""
    from ..timeout import grant
    pages = []
    for done, (number, load, scale) in enumerate(images, start=1):
        grant(SECONDS_PER_PAGE)
        progress(f"{path.name}: OCR page {number} of {total} ({done}/{len(images)} scanned)")
        pages.append(ocr_image(load(), number, scale))
    return pages


FEW_CHARS = 20  # a page with fewer text-layer characters than this may still be a scan
IMAGE_SHARE = 0.5  # ... when images cover at least this share of it (a stamp, a page number)


def scanned_pages(path: Path, chars: Sequence[int]) -> list[int]:
    """Indexes of the pages without a usable text layer, given each page's character count.

    No characters at all, or a few (a page number or stamp text added over a scan) on a page
    mostly covered by images.
    """
    empty = [i for i, count in enumerate(chars) if not count]
    few = [i for i, count in enumerate(chars) if 0 < count < FEW_CHARS]
    if few:
        covered = image_cover(path, few)
        empty = sorted(empty + [i for i in few if covered.get(i, 0.0) >= IMAGE_SHARE])
    return empty


def image_cover(path: Path, indexes: Sequence[int]) -> dict[int, float]:
    """Share of each page's area covered by image objects (pypdfium2); {} when it cannot tell."""
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c
        pdf = pdfium.PdfDocument(str(path))
    except Exception:  # noqa: BLE001 - no renderer, or it cannot open the file
        return {}
    shares = {}
    try:
        for i in indexes:
            page = pdf[i]
            width, height = page.get_size()
            area = 0.0
            for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
                left, bottom, right, top = image.get_bounds()
                area += max(0.0, min(right, width) - max(left, 0.0)) * \
                    max(0.0, min(top, height) - max(bottom, 0.0))
            shares[i] = area / (width * height) if width and height else 0.0
            page.close()
    except Exception:  # noqa: BLE001 - a damaged page: keep its text layer
        pass
    finally:
        pdf.close()
    return shares


def read_pdf_pages(path: Path, numbers: list[int], total: int, warnings: list[str],
                   every_page: bool) -> Optional[list[OcrPage]]:
    """OCR the pages ``numbers`` (1-based) of a PDF; None, with a warning, without the extra.

    When ``every_page`` is scanned and the extra is missing, the file cannot be read at all:
    the one-line "needs OCR" ReaderError is raised instead.
    """
    if not available():
        if every_page:
            raise needs_ocr_error(path)
        warnings.append(f"pages without a text layer (scanned? needs OCR; {INSTALL_HINT}): "
                        f"{', '.join(map(str, numbers))}")
        return None
    loaders = [(n, (lambda n=n: render_pdf_page(path, n - 1)), RENDER_SCALE) for n in numbers]
    pages = ocr_pages(path, loaders, total)
    warnings.append(f"pages read by OCR: {', '.join(map(str, numbers))}")
    for page in pages:
        warnings.extend(page.notes)
    return pages


def to_page_data(page: OcrPage, page_cls: type, line_cls: type, margin_share: float = 0.12):
    """The PDF reader's page object (``page_cls`` with ``line_cls`` lines) for an OCR page."""
    data = page_cls(number=page.number)
    for box in page.lines:
        edge = min(box.top, page.height - box.bottom)
        data.lines.append(line_cls(text=box.text, x0=box.x0, x1=box.x1, top=box.top,
                                   bottom=box.bottom, size=max(box.height, 1.0), edge=edge,
                                   margin=box.top < page.height * margin_share
                                   or box.bottom > page.height * (1 - margin_share)))
    data.tables = [(top, rows) for top, _, rows in page.tables]
    data.chars = sum(len(text) for text, _ in page.scores)
    data.right_edge = max((line.x1 for line in data.lines), default=0.0)
    return data


# -- geometry -----------------------------------------------------------------------------------

def skew_angle(quads: Sequence[Sequence[Sequence[float]]]) -> float:
    """The page's skew (radians): median slope of the top edges of the wider boxes."""
    slopes = []
    for quad in quads:
        (x0, y0), (x1, y1) = quad[0], quad[1]
        if x1 - x0 > 3 * abs(quad[3][1] - quad[0][1]):  # long boxes give a reliable slope
            slopes.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(slopes) if slopes else 0.0


def deskewed_boxes(raw: Sequence[tuple[Sequence[Sequence[float]], str, float]], scale: float,
                   centre: tuple[float, float]) -> list[TextBox]:
    """Axis-aligned boxes in points, rotated back by the page's skew about ``centre``."""
    angle = skew_angle([quad for quad, _, _ in raw])
    cos, sin = math.cos(-angle), math.sin(-angle)
    cx, cy = centre
    boxes = []
    for quad, text, score in raw:
        text = text.strip()
        if not text:
            continue
        xs, ys = [], []
        for x, y in quad:
            dx, dy = x - cx, y - cy
            xs.append(cx + dx * cos - dy * sin)
            ys.append(cy + dx * sin + dy * cos)
        boxes.append(TextBox(text=text, x0=min(xs) / scale, top=min(ys) / scale,
                             x1=max(xs) / scale, bottom=max(ys) / scale, score=score))
    return boxes


def visual_rows(boxes: list[TextBox]) -> list[list[TextBox]]:
    """Boxes grouped into rows by vertical centre, each row left to right, rows top down."""
    rows: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: b.middle):
        if rows:
            row = rows[-1]
            middle = statistics.median(b.middle for b in row)
            height = statistics.median(b.height for b in row)
            if abs(box.middle - middle) <= 0.5 * max(height, box.height) * 0.9:
                row.append(box)
                continue
        rows.append([box])
    return [sorted(row, key=lambda b: b.x0) for row in rows]


def _is_cell_row(row: list[TextBox]) -> bool:
    """Several boxes on one row, some of them apart by a gap wider than TABLE_GAP heights."""
    if len(row) < 2:
        return False
    height = statistics.median(b.height for b in row)
    return any(b.x0 - a.x1 > TABLE_GAP * height for a, b in zip(row, row[1:]))


def columns(rows: list[list[TextBox]]) -> list[tuple[float, float]]:
    """Column extents: the horizontal spans of the boxes of the cell rows, merged on overlap."""
    spans = sorted((b.x0, b.x1) for row in rows if _is_cell_row(row) for b in row)
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 < merged[-1][1] - 1:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def _column_of(box: TextBox, cols: list[tuple[float, float]]) -> int:
    overlaps = [min(box.x1, x1) - max(box.x0, x0) for x0, x1 in cols]
    best = max(range(len(cols)), key=lambda i: overlaps[i])
    if overlaps[best] > 0:
        return best
    centre = (box.x0 + box.x1) / 2
    return min(range(len(cols)), key=lambda i: abs((cols[i][0] + cols[i][1]) / 2 - centre))


def table_rows(rows: list[list[TextBox]]) -> list[list[str]]:
    """Rows of cell texts of one table; a line wrapped inside a cell joins the row above."""
    cols = columns(rows)
    out: list[list[str]] = []
    previous: list[TextBox] | None = None
    for row in rows:
        cells = [""] * len(cols)
        for box in row:
            i = _column_of(box, cols)
            cells[i] += box.text
        if out and previous is not None and _is_continuation(out[-1], cells, previous, row):
            out[-1] = [a + b for a, b in zip(out[-1], cells)]
        else:
            out.append(cells)
        previous = row
    return out


def _is_continuation(above: list[str], cells: list[str], above_boxes: list[TextBox],
                     boxes: list[TextBox]) -> bool:
    """Part of the row above: boxes overlapping it vertically (cells centred beside a cell of
    two lines), or a wrapped cell line close under it (less than half a line height apart)
    filling few columns, each under a cell whose text does not end with a number or unit."""
    height = statistics.median(b.height for b in boxes)
    gap = min(b.top for b in boxes) - max(b.bottom for b in above_boxes)
    if gap < 0:
        return True
    filled = [i for i, text in enumerate(cells) if text]
    return gap < 0.5 * height and bool(filled) and len(filled) < len(cells) / 2 + 0.5 and all(
        above[i] and not re.search(r"[\d%％]\S{0,2}$", above[i]) for i in filled)


def layout(page: OcrPage, boxes: list[TextBox]) -> None:
    """Split a page's boxes into text lines and tables (runs of two or more cell rows)."""
    rows = visual_rows(boxes)
    flags = [_is_cell_row(row) for row in rows]
    # a single-box row between two cell rows belongs to the table (a cell alone on its row)
    for i in range(1, len(rows) - 1):
        if not flags[i] and flags[i - 1] and flags[i + 1]:
            flags[i] = True
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and flags[j]:
            j += 1
        if j - i >= 2:
            run = rows[i:j]
            page.tables.append((min(b.top for b in run[0]), min(b.x0 for r in run for b in r),
                                table_rows(run)))
            i = j
            continue
        row = rows[i]
        page.lines.append(_join_row(row))
        i += 1


def _join_row(row: list[TextBox]) -> TextBox:
    """One text line from the boxes of a row (no space between Chinese, one between Latin)."""
    text = row[0].text
    for before, box in zip(row, row[1:]):
        if before.text[-1].isascii() and before.text[-1].isalnum() and box.text[0].isascii() \
                and box.text[0].isalnum():
            text += " "
        text += box.text
    return TextBox(text=text, x0=row[0].x0, top=min(b.top for b in row), x1=row[-1].x1,
                   bottom=max(b.bottom for b in row), score=min(b.score for b in row))


# -- OCR confusions in numbers ------------------------------------------------------------------

LOOKALIKE_DIGITS = {"O": "0", "o": "0", "l": "1", "I": "1", "|": "1", "丨": "1"}
# a run of digits, decimal points and letters a recogniser confuses with digits
NUMBER_RUN = re.compile(r"[\dOolI|丨.]+")
LATIN = re.compile(r"[A-Za-z]")
PERCENT = "%％"
# "94，63%": a full-width comma inside a number with one or two digits after it and a % or a
# unit after those is a misread decimal point (a thousands comma has three digits after it)
COMMA_DECIMAL = re.compile(r"(?<![\d,，])(\d{1,3})，(\d{1,2})(?=\s*(?:%|％|万|亿|元|分|个|人|次))")
COMMA_AMBIGUOUS = re.compile(r"\d，\d{3}(?!\d)")


def _fix_run(run: str, after: str) -> tuple[str, bool]:
    """The run with its lookalike letters made digits, and whether a doubt remains.

    A lookalike between digits, or before the first digit, is a digit; one after the last digit
    only before a % sign (else "3D", "5l" may be what was printed: a doubt is reported).
    """
    digits = [i for i, ch in enumerate(run) if ch.isdigit()]
    out, doubt = [], False
    for i, ch in enumerate(run):
        if ch not in LOOKALIKE_DIGITS:
            out.append(ch)
        elif i < digits[-1] or after in PERCENT:
            out.append(LOOKALIKE_DIGITS[ch])
        else:
            out.append(ch)
            doubt = True
    return "".join(out), doubt


def digit_fixes(text: str) -> tuple[str, list[str]]:
    """Fix lookalike letters in numbers and misread decimal commas; notes for each fix/doubt.

    A run touching another Latin letter is a code ("GB5O596", "ISO14001") and is left alone.
    Every fix replaces one character by one, so offsets into the line are kept.

    >>> digit_fixes("收入1O5.3万元，完成率l00%")
    ('收入105.3万元，完成率100%', ["OCR read '1O5.3' as '105.3'", "OCR read 'l00' as '100'"])
    >>> digit_fixes("执行率94，63%")
    ('执行率94.63%', ["OCR read '94，63%' as '94.63%'"])
    >>> digit_fixes("按GB5O标准，ISO9001")[0]
    '按GB5O标准，ISO9001'
    """
    notes: list[str] = []

    def fix(match: re.Match) -> str:
        run = match.group()
        before = text[match.start() - 1:match.start()]
        after = text[match.end():match.end() + 1]
        if not any(ch.isdigit() for ch in run) or not any(ch in LOOKALIKE_DIGITS for ch in run) \
                or LATIN.match(before or " ") or LATIN.match(after or " "):
            return run
        new, doubt = _fix_run(run, after)
        if new != run:
            notes.append(f"OCR read {run!r} as {new!r}")
        if doubt:
            notes.append(f"OCR read {run + after!r}: a letter after the digits, or a digit "
                         "misread; left as written")
        return new

    text = NUMBER_RUN.sub(fix, text)

    def comma(match: re.Match) -> str:
        new = f"{match.group(1)}.{match.group(2)}"
        unit = text[match.end():match.end() + 1]
        notes.append(f"OCR read {match.group() + unit!r} as {new + unit!r}")
        return new

    text = COMMA_DECIMAL.sub(comma, text)
    for match in COMMA_AMBIGUOUS.finditer(text):
        notes.append(f"ambiguous '，' in {match.group()!r}: a thousands separator or a misread "
                     "decimal point; left as written")
    return text, notes


# -- OCR provenance of blocks -------------------------------------------------------------------

def line_spans(blocks: list[Block], pages: list[OcrPage]) -> dict[int, list[tuple[int, int, float]]]:
    """Per block index, the (start, end, confidence) of each OCR box found in its text.

    Boxes are looked up in the blocks of their page (and the block running onto it), in order.
    """
    by_page: dict[int, list[Block]] = {}
    for block in blocks:
        if block.page is not None:
            by_page.setdefault(block.page, []).append(block)
    spans: dict[int, list[tuple[int, int, float]]] = {}
    ordered = sorted(blocks, key=lambda b: b.index)
    for page in pages:
        candidates = list(by_page.get(page.number, []))
        earlier = [b for b in ordered if b.page is not None and b.page < page.number]
        if earlier:
            candidates.insert(0, earlier[-1])  # a paragraph continued from the page before
        cursors = {b.index: 0 for b in candidates}
        for text, score in page.scores:
            for block in candidates:
                at = block.text.find(text, cursors[block.index])
                if at < 0:
                    at = block.text.find(text)
                if at >= 0:
                    spans.setdefault(block.index, []).append((at, at + len(text), score))
                    cursors[block.index] = at + len(text)
                    break
    for block in blocks:  # a block of an OCR page keeps the flag even where no box matched
        if any(block.page == page.number for page in pages):
            spans.setdefault(block.index, [])
    return spans


def span_confidence(spans: list[tuple[int, int, float]], start: int, end: int) -> Optional[float]:
    """The lowest confidence of the OCR boxes overlapping text[start:end], if any."""
    scores = [score for a, b, score in spans if a < end and start < b]
    return min(scores) if scores else None


def mark_figures(document, figures: list) -> None:
    """Set ``location.ocr`` and ``location.confidence`` of figures read by OCR, in place.

    A figure on a line recognised with less than LOW_CONFIDENCE gets a warning in
    ``document.warnings`` naming its page and text, so it is checked rather than trusted.
    """
    spans = getattr(document, "ocr", None) or {}
    if not spans:
        return
    for figure in figures:
        location = figure.location
        if location.block not in spans:
            continue
        location.ocr = True
        confidence = span_confidence(spans[location.block], location.start, location.end)
        if confidence is None:
            continue
        location.confidence = round(confidence, 4)
        if confidence < LOW_CONFIDENCE:
            document.warnings.append(
                f"page {location.page}: figure {figure.text!r} read by OCR with confidence "
                f"{confidence:.2f}; check its digits")
