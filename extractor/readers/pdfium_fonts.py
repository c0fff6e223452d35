"""The face pdfium uses for a CJK font a PDF names but does not embed (STSong-Light, ...).

pdfium needs a font program for every font it loads. For a CID font of a Chinese, Japanese or
Korean character collection that the file does not embed (reportlab's and iText's
STSong-Light, Adobe's Asian font packs), its default lookup picks a system font, here a Noto
CJK collection, and loads every character's CFF outline from it to measure the glyph: about
ten milliseconds a page, more than the rest of reading the page.

perfx reads text and never renders it, and such a font's advances come from the PDF itself
(/W and /DW), so any face will do. ``install`` gives pdfium a tiny one for those fonts: every
character maps to one glyph, a small box from the baseline up. The box is not empty, because
pdfium drops a text object whose glyphs have no extent (a lone character would be lost); it
is narrow and sits above the baseline, so pdfium's character boxes come out as pdfminer's
(origin to advance, bottom at the font's descent), where the system face's glyphs widened a
few (a descending g, a j's negative bearing).

Every other request (simple fonts, fonts of no CJK collection) goes to pdfium's default
lookup as before, and so does every request outside ``box_faces()``, the block the PDF reader
opens, reads and closes a document in: a page rendered elsewhere in the process (OCR, a
caller's own rendering) still draws those fonts with the system's glyphs.
"""
from __future__ import annotations

import contextlib
import ctypes
import functools
import struct
from typing import Iterator

CJK_CHARSETS = (128, 129, 134, 136)  # ShiftJIS, Hangeul, GB2312, Big5 as pdfium asks for them
BOX_FACE_NAME = b"PerfxBox"
UNITS_PER_EM = 1000
ASCENT, DESCENT = 880, -120  # font-wide metrics; the PDF's own descriptor overrides them
BOX = (0, 0, 200, 500)  # glyph box in font units: x0, y0, x1, y1, narrower than any advance


def box_font() -> bytes:
    """A TrueType font with two glyphs, both the box (glyph 0 is .notdef); its cmap (format 13)
    maps every code point to glyph 1."""
    glyph = _box_glyph()
    tables = {
        b"cmap": struct.pack(">HHHHI", 0, 1, 3, 10, 12)  # one subtable: Windows, UCS-4
        + struct.pack(">HHIIIIII", 13, 0, 28, 0, 1, 0, 0x10FFFF, 1),
        b"glyf": glyph * 2,
        b"head": struct.pack(">IIIIHHqqhhhhHHhhh", 0x10000, 0x10000, 0, 0x5F0F3CF5, 0x000B,
                             UNITS_PER_EM, 0, 0, *BOX, 0, 8, 2, 0, 0),
        b"hhea": struct.pack(">IhhhHhhhhhh4hhH", 0x10000, ASCENT, DESCENT, 0, UNITS_PER_EM,
                             0, 0, BOX[2], 1, 0, 0, 0, 0, 0, 0, 0, 2),
        b"hmtx": struct.pack(">HhHh", UNITS_PER_EM, 0, UNITS_PER_EM, 0),
        b"loca": struct.pack(">HHH", 0, len(glyph) // 2, len(glyph)),  # short offsets, halved
        b"maxp": struct.pack(">IHHHHHHHHHHHHHH", 0x10000, 2, 4, 1, 0, 0, 2, *[0] * 8),
    }
    return _sfnt(tables)


def _box_glyph() -> bytes:
    """One closed contour of four on-curve points around BOX (coordinates as deltas)."""
    x0, y0, x1, y1 = BOX
    points = [(x0, y0), (x0, y1), (x1, y1), (x1, y0)]
    deltas = [(x - px, y - py) for (px, py), (x, y) in zip([(0, 0)] + points, points)]
    data = struct.pack(">hhhhhHH", 1, *BOX, len(points) - 1, 0) + bytes([1] * len(points))
    data += struct.pack(">4h", *(dx for dx, _ in deltas))
    data += struct.pack(">4h", *(dy for _, dy in deltas))
    return data + b"\0" * (len(data) % 2)


def _sfnt(tables: dict[bytes, bytes]) -> bytes:
    """The font file: offset table, table directory (tags sorted), tables padded to 4 bytes.
    Checksums are left zero; FreeType does not verify them."""
    count = len(tables)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x10000, count, power * 16, count.bit_length() - 1,
                         (count - power) * 16)
    offset = len(header) + 16 * count
    directory, body = b"", b""
    for tag in sorted(tables):
        data = tables[tag]
        directory += struct.pack(">4sIII", tag, 0, offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    return header + directory + body


@contextlib.contextmanager
def box_faces() -> Iterator[None]:
    """Within this block pdfium gives non-embedded CJK fonts the box face. A document keeps
    the faces it loaded for its life: open, read and close it inside."""
    mapping = _mapping()
    if mapping is None:
        yield
        return
    previous, mapping.boxing = mapping.boxing, True
    try:
        yield
    finally:
        mapping.boxing = previous


@functools.lru_cache(maxsize=1)
def _mapping() -> _BoxFontInfo | None:
    """The font info installed in pdfium, once per process; None when this pypdfium2 has no
    font-mapping API (pdfium then keeps its default lookup)."""
    try:
        import pypdfium2.raw as pdfium_c
        mapping = _BoxFontInfo(pdfium_c)
    except (ImportError, AttributeError):
        return None
    pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(mapping.info))  # the cache keeps it alive
    return mapping


class _BoxFontInfo:
    """An FPDF_SYSFONTINFO that answers CJK charsets with the box face while ``boxing`` and
    hands every other call to pdfium's default system font info (faces are cached by the
    name GetFaceName gives, so box faces and system faces never stand in for each other)."""

    def __init__(self, pdfium_c):
        self.boxing = False
        self.default = pdfium_c.FPDF_GetDefaultSystemFontInfo()
        if not self.default:
            raise AttributeError("pdfium has no default system font info")
        self.data = ctypes.create_string_buffer(box_font())
        base = ctypes.addressof(self.data)
        # one handle per charset, addresses inside our own buffer: never one of pdfium's
        self.handles = {base + offset: charset for offset, charset in enumerate(CJK_CHARSETS)}
        self.by_charset = {charset: handle for handle, charset in self.handles.items()}
        kinds = dict(pdfium_c.FPDF_SYSFONTINFO._fields_)
        self.info = pdfium_c.FPDF_SYSFONTINFO(version=1)
        for name in ("Release", "EnumFonts", "MapFont", "GetFont", "GetFontData",
                     "GetFaceName", "GetFontCharset", "DeleteFont"):
            setattr(self.info, name, kinds[name](getattr(self, "_" + name)))

    def _default(self, name: str, *args, otherwise=None):
        """The default font info's answer to ``name``(``args``); ``otherwise`` when it has
        no such callback."""
        function = getattr(self.default.contents, name)
        return function(self.default, *args) if function else otherwise

    def _Release(self, this) -> None:
        return None  # installed for the life of the process

    def _EnumFonts(self, this, mapper) -> None:
        self._default("EnumFonts", mapper)

    def _MapFont(self, this, weight, italic, charset, pitch, face, exact):
        if self.boxing and charset in self.by_charset:
            return self.by_charset[charset]
        return self._default("MapFont", weight, italic, charset, pitch, face, exact)

    def _GetFont(self, this, face):
        return self._default("GetFont", face)

    def _GetFontData(self, this, handle, table, buffer, size) -> int:
        if handle not in self.handles:
            return self._default("GetFontData", handle, table, buffer, size, otherwise=0)
        if table:  # one table of the font: pdfium asks for the whole file (table 0) only
            return 0
        length = len(self.data) - 1  # create_string_buffer adds a terminating zero
        if buffer and size >= length:
            ctypes.memmove(buffer, self.data, length)
        return length

    def _GetFaceName(self, this, handle, buffer, size) -> int:
        if handle not in self.handles:
            return self._default("GetFaceName", handle, buffer, size, otherwise=0)
        name = BOX_FACE_NAME + b"\0"
        if buffer and size >= len(name):
            ctypes.memmove(buffer, name, len(name))
        return len(name)

    def _GetFontCharset(self, this, handle) -> int:
        if handle in self.handles:
            return self.handles[handle]
        return self._default("GetFontCharset", handle, otherwise=0)

    def _DeleteFont(self, this, handle) -> None:
        if handle not in self.handles:
            self._default("DeleteFont", handle)
