"""One PDF page read with pdfium: characters and ruling edges as pdfplumber-style dicts.

pdfium parses a page in C about thirty times faster than pdfminer. This module turns what it
finds into the dicts pdfplumber's own algorithms take, so the PDF reader keeps one layout code
path for both engines:

- characters: text and pdfminer's box for a character (from its origin to its advance, the
  em square above the font's descent), with ``top``/``bottom`` measured from the page top;
  pdfium's loose box gives the origin and the descent, its end (the glyph's own right edge
  where that is further) stands in when the font cannot tell the advance;
- edges: every straight horizontal or vertical segment of the page's painted paths (lines,
  rectangles, polygons; inside form XObjects too), as pdfplumber's ``page.edges`` lists them,
  so ``pdfplumber.table.TableFinder`` finds the same ruled tables.

``PageGeometry`` carries both and stands in for a pdfplumber page in ``TableFinder`` and
``Table.extract``. ``needs_pdfplumber`` names what pdfium's reading does not cover (rotated
pages, a crop box off the media box, rotated characters); the reader sends those pages to
pdfplumber.
"""
from __future__ import annotations

import bisect
import ctypes
import functools
import operator
from dataclasses import dataclass, field

from pdfplumber.utils.text import LIGATURES

UPRIGHT_SKEW = 0.01  # a character matrix skewed more than this (relative) is not upright
AXIS_TOLERANCE = 1e-3  # points; float noise of a transformed straight segment
MIN_EDGE_LENGTH = 1  # points; pdfplumber's edge_min_length_prefilter: shorter edges are
# dropped before edges are joined, so they bound no cell
OVERHANG = 0.25  # ems; a glyph's box ends at most this far past its advance
BOX_TOLERANCE = 0.5  # points; crop and media boxes this close are the same box


@dataclass
class PageGeometry:
    """A page's characters and edges in pdfplumber's coordinates (top-left origin)."""
    page_number: int
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)

    def may_hold_cells(self) -> bool:
        """Whether the edges could bound a cell: a cell needs two horizontal and two
        vertical edges that pdfplumber keeps (joining and snapping edges only lowers their
        count), so a page with fewer (a rule under the header, an underline) has no table
        and skips the table finder."""
        long = [edge["orientation"] for edge in self.edges
                if (edge["width"] if edge["orientation"] == "h" else edge["height"])
                >= MIN_EDGE_LENGTH]
        return long.count("h") >= 2 and long.count("v") >= 2



def table_rows(table, chars: list[dict]) -> list[list[str | None]]:
    """What ``table.extract()`` (a pdfplumber Table) returns, computed from ``chars``
    sorted once by their vertical centre instead of scanning every character per row and
    cell: a character belongs to the cell holding its centre, [x0, x1) x [top, bottom).
    The characters of a row band are sorted by their horizontal centre once, for its cells."""
    left, upper, right, lower = table.bbox
    centres = sorted((cy, index, cx) for index, char in enumerate(chars)
                     for cy, cx in [((char["top"] + char["bottom"]) / 2,
                                     (char["x0"] + char["x1"]) / 2)]
                     if upper <= cy <= lower and left <= cx <= right)
    verticals = [centre[0] for centre in centres]
    bands: dict[tuple[float, float], tuple[list[float], list[int]]] = {}
    rows: list[list[str | None]] = []
    for row in table.rows:
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            x0, top, x1, bottom = cell
            band = bands.get((top, bottom))
            if band is None:
                start = bisect.bisect_left(verticals, top)
                end = bisect.bisect_left(verticals, bottom, start)
                across = sorted((middle, index) for _, index, middle in centres[start:end])
                band = bands[(top, bottom)] = ([m for m, _ in across], [i for _, i in across])
            middles, indexes = band
            inside = sorted(indexes[bisect.bisect_left(middles, x0):bisect.bisect_left(middles, x1)])
            texts.append(cell_text([chars[index] for index in inside]) if inside else "")
        rows.append(texts)
    return rows


def cell_text(chars: list[dict]) -> str:
    """``pdfplumber.utils.extract_text(chars)`` with its default settings, for upright
    characters, without its per-call set-up: the words of ``words`` clustered into lines
    by their top (3 pt) and joined with spaces and line breaks."""
    top = chars[0]["top"] if chars else None
    if all(char["top"] == top for char in chars):  # one line (most cells): one cluster
        return " ".join(word["text"] for word in _line_words(chars))
    lines = _clusters(words(chars), _TOP)
    return "\n".join(" ".join(word["text"] for word in line) for line in lines)


def words(chars: list[dict]) -> list[dict]:
    """``pdfplumber.utils.extract_words(chars)`` with its default settings, for upright
    characters (text, x0, x1, top, bottom of each word): characters clustered into lines by
    their top (3 pt), sorted by x0 and cut into words at blanks and at gaps of more than
    3 pt."""
    return [word for line in _clusters(chars, _TOP) for word in _line_words(line)]


def _line_words(line: list[dict]) -> list[dict]:
    """The words of one line of characters: sorted by x0, cut at blanks and at gaps."""
    found: list[dict] = []
    current: list[dict] = []
    for char in sorted(line, key=_X0):
        if char["text"].isspace():
            if current:
                found.append(_word(current, LIGATURES))
                current = []
            continue
        if current:
            last = current[-1]
            if (char["x0"] < last["x0"] or char["x0"] > last["x1"] + WORD_TOLERANCE
                    or abs(char["top"] - last["top"]) > WORD_TOLERANCE):
                found.append(_word(current, LIGATURES))
                current = []
        current.append(char)
    if current:
        found.append(_word(current, LIGATURES))
    return found


WORD_TOLERANCE = 3  # pdfplumber's default x and y tolerance, points


def _clusters(items: list[dict], key) -> list[list[dict]]:
    """``pdfplumber.utils.cluster_objects(items, key, WORD_TOLERANCE)``: distinct key values
    sorted and chained into groups while each is within the tolerance of the previous one;
    the groups in that order, each keeping its items' order."""
    group_of: dict[float, int] = {}
    last = None
    for value in sorted(set(map(key, items))):
        if last is None or value > last + WORD_TOLERANCE:
            group_of[value] = len(group_of) and group_of[last] + 1
        else:
            group_of[value] = group_of[last]
        last = value
    groups: list[list[dict]] = [[] for _ in range(group_of[last] + 1)] if items else []
    for item in items:
        groups[group_of[key(item)]].append(item)
    return groups


_TOP = operator.itemgetter("top")  # a character's top, as a sort and cluster key
_X0 = operator.itemgetter("x0")
_X1 = operator.itemgetter("x1")
_BOTTOM = operator.itemgetter("bottom")
_TEXT = operator.itemgetter("text")


def _word(chars: list[dict], ligatures: dict[str, str]) -> dict:
    """The word made of ``chars`` (in reading order): text with ligatures spelled out, box."""
    return {"text": "".join([ligatures.get(text, text) for text in map(_TEXT, chars)]),
            "x0": min(map(_X0, chars)), "x1": max(map(_X1, chars)),
            "top": min(map(_TOP, chars)), "bottom": max(map(_BOTTOM, chars))}


def raw():
    """The ctypes bindings of pdfium (imported on first use)."""
    import pypdfium2.raw as pdfium_c
    return pdfium_c


def needs_pdfplumber(page) -> str | None:
    """Why pdfium's reading of ``page`` (a pypdfium2 page) would not match pdfplumber's, or
    None: a /Rotate, or a crop box that is not the media box at the origin."""
    if page.get_rotation():
        return "rotated page"
    media = page.get_mediabox()
    crop = page.get_cropbox()
    if any(abs(a - b) > BOX_TOLERANCE for a, b in zip(media, crop)):
        return "crop box"
    if abs(media[0]) > BOX_TOLERANCE or abs(media[1]) > BOX_TOLERANCE:
        return "page origin"
    return None


def page_chars(textpage, height: float) -> list[dict] | None:
    """The page's characters, in content order, as pdfplumber char dicts; None when one is
    rotated (pdfplumber handles vertical text). Generated spaces and line breaks are left out."""
    c = raw()
    handle = textpage.raw
    text = _page_text(c, handle)
    text_object_at, loose_box = _per_character_calls()
    matrix = c.FS_MATRIX()
    width = ctypes.c_float()
    box = (ctypes.c_float * 4)()  # an FS_RECTF: left, top, right, bottom
    box_address = ctypes.addressof(box)
    advances: dict[tuple[int, int], float] = {}  # (font, character) -> advance per point
    chars: list[dict] = []
    current = None  # address of the text object of the previous character
    handle_address = ctypes.cast(handle, ctypes.c_void_p).value
    for index, char in enumerate(text):
        if char in "\r\n\x00\ufffe\uffff" or (char == " " and c.FPDFText_IsGenerated(handle, index)):
            continue
        address = text_object_at(handle_address, index)
        if address != current:  # a new text object: its font, size and matrix, read once
            current = address
            c.FPDFText_GetMatrix(handle, index, matrix)
            if not _upright(matrix):
                return None
            size = c.FPDFText_GetFontSize(handle, index)
            em, stretch = size * matrix.d, size * matrix.a
            font = c.FPDFTextObj_GetFont(c.FPDFText_GetTextObject(handle, index)) if address else None
            font_key = ctypes.cast(font, ctypes.c_void_p).value if font else 0
        loose_box(handle_address, index, box_address)
        left, _, right, bottom = box[:]
        key = (font_key, ord(char))
        advance = advances.get(key)
        if advance is None:
            ok = font_key and c.FPDFFont_GetGlyphWidth(font, ord(char), 1.0, width)
            advance = advances[key] = width.value if ok else -1.0
        x1 = left + advance * stretch
        if not right - OVERHANG * em <= x1 <= right + 0.01:
            x1 = right  # no usable advance: pdfium's loose box already ends past it
        bottom = height - bottom
        top = bottom - em  # pdfminer's box: the em square above the font's descent
        chars.append({"text": char, "x0": left, "x1": x1, "top": top, "bottom": bottom,
                      "doctop": top, "upright": True})
    return chars


@functools.lru_cache(maxsize=1)
def _per_character_calls():
    """FPDFText_GetTextObject (the object's address as an int: one cheap call per character
    to see where a new text object, with its font, size and matrix, begins) and
    FPDFText_GetLooseCharBox, both taking plain addresses: called once per character, they
    skip ctypes' argument conversion."""
    functions = raw()
    address = ctypes.c_void_p
    text_object = ctypes.CFUNCTYPE(address, address, ctypes.c_int)
    loose_box = ctypes.CFUNCTYPE(ctypes.c_int, address, ctypes.c_int, address)
    return (text_object(ctypes.cast(functions.FPDFText_GetTextObject, address).value),
            loose_box(ctypes.cast(functions.FPDFText_GetLooseCharBox, address).value))


def _upright(matrix) -> bool:
    """Whether a character matrix keeps text upright and unmirrored."""
    scale = max(abs(matrix.a), abs(matrix.d), 1e-9)
    return (matrix.a > 0 and matrix.d > 0 and abs(matrix.b) <= UPRIGHT_SKEW * scale
            and abs(matrix.c) <= UPRIGHT_SKEW * scale)


def _page_text(c, handle) -> str:
    """The page's text with one character per character index, in one call when pdfium's
    text buffer lines up with its character list (it does unless characters lie beyond the
    BMP or were left out), else one call per character."""
    count = max(c.FPDFText_CountChars(handle), 0)
    if not count:
        return ""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = c.FPDFText_GetText(handle, 0, count, buffer)
    units = buffer[:max(written - 1, 0)]
    if (len(units) == count and c.FPDFText_GetTextIndexFromCharIndex(handle, count - 1)
            == count - 1 and not any(0xD800 <= unit <= 0xDFFF for unit in units)):
        return "".join(map(chr, units))
    return "".join(_char_text(c, handle, index) for index in range(count))


def _char_text(c, handle, index: int) -> str:
    code = c.FPDFText_GetUnicode(handle, index)
    return "\x00" if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else chr(code)


def page_edges(page, height: float) -> list[dict]:
    """Horizontal and vertical segments of the painted paths on ``page``, as edges."""
    c = raw()
    edges: list[dict] = []
    for obj, matrix in _path_objects(c, page.raw):
        _path_edges(c, obj, matrix, height, edges)
    return edges


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _object_matrix(c, obj) -> Matrix:
    matrix = c.FS_MATRIX()
    if not c.FPDFPageObj_GetMatrix(obj, matrix):
        return IDENTITY
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


def _path_objects(c, page_handle):
    """(path object, its matrix to page space) for every path, forms included."""
    stack = [(c.FPDFPage_GetObject(page_handle, i), IDENTITY)
             for i in range(c.FPDFPage_CountObjects(page_handle))]
    stack.reverse()
    while stack:
        obj, outer = stack.pop()
        kind = c.FPDFPageObj_GetType(obj)
        if kind == c.FPDF_PAGEOBJ_PATH:
            yield obj, _compose(_object_matrix(c, obj), outer)
        elif kind == c.FPDF_PAGEOBJ_FORM:
            matrix = _compose(_object_matrix(c, obj), outer)
            children = [(c.FPDFFormObj_GetObject(obj, i), matrix)
                        for i in range(c.FPDFFormObj_CountObjects(obj))]
            stack.extend(reversed(children))


def _path_edges(c, obj, matrix: Matrix, height: float, edges: list[dict]) -> None:
    """Append the straight axis-aligned segments of one painted path to ``edges``."""
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    if c.FPDFPath_GetDrawMode(obj, fill, stroke) and not fill.value and not stroke.value:
        return  # neither filled nor stroked: nothing is drawn
    a, b, cc, d, e, f = matrix
    x = ctypes.c_float()
    y = ctypes.c_float()
    start = current = None
    for index in range(c.FPDFPath_CountSegments(obj)):
        segment = c.FPDFPath_GetPathSegment(obj, index)
        c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (a * x.value + cc * y.value + e, b * x.value + d * y.value + f)
        kind = c.FPDFPathSegment_GetType(segment)
        if kind == c.FPDF_SEGMENT_MOVETO or current is None:
            start = current = point
            continue
        if kind == c.FPDF_SEGMENT_LINETO:
            _add_edge(current, point, height, edges)
        current = point
        if c.FPDFPathSegment_GetClose(segment):
            _add_edge(current, start, height, edges)
            current = start


def _add_edge(p0: tuple[float, float], p1: tuple[float, float], height: float,
              edges: list[dict]) -> None:
    (x0, y0), (x1, y1) = p0, p1
    if abs(x0 - x1) <= AXIS_TOLERANCE:
        orientation, x1 = "v", x0
    elif abs(y0 - y1) <= AXIS_TOLERANCE:
        orientation, y1 = "h", y0
    else:
        return  # a slanted line is no table ruling
    top = height - max(y0, y1)
    bottom = height - min(y0, y1)
    edges.append({"object_type": "line", "orientation": orientation,
                  "x0": min(x0, x1), "x1": max(x0, x1), "top": top, "bottom": bottom,
                  "doctop": top, "width": abs(x1 - x0), "height": bottom - top})
