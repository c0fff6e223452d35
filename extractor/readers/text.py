"""Plain text and Markdown reader: encoding detection, paragraphs, tables.

Tables in text: rows parted by '|' (Markdown) or by tabs (pasted from a spreadsheet), and
rows parted by spaces under a header line of known column names (a pdf or web table copied
as text; see ``spaced_rows`` in patterns/tables.yaml).
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..models import Block
from ..patterns import load
from .base import Document, ReaderError
from .structure import assign_sections, table_block, text_block

BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16")]
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
MD_RULE_ROW = re.compile(r"^\s*\|?\s*:?-{2,}")
MAX_CONTROL_SHARE = 0.05
UTF16_PLAIN_SHARE = 0.95  # share of CJK, CJK punctuation and plain ASCII in real UTF-16 text


def decode_text(data: bytes, path: Path) -> str:
    """Decode report bytes: BOM first, then UTF-8, then GB18030 (a superset of GBK)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ReaderError(path, f"bad {encoding} text: {exc.reason}") from None
    if _looks_utf16(data):
        try:
            sample = data[:400]
            little = sample[1::2].count(0) >= sample[0::2].count(0)
            return data.decode("utf-16-le" if little else "utf-16-be")
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8")
        if _is_text(text):
            return text
    except UnicodeDecodeError:
        pass
    text = _utf16_without_bom(data)
    if text is not None:
        return text
    try:
        text = data.decode("gb18030")
        if _is_text(text):
            return text
    except UnicodeDecodeError:
        pass
    raise ReaderError(path, "not text: bytes are neither UTF-8, UTF-16 nor GBK/GB18030")


def _looks_utf16(data: bytes) -> bool:
    sample = data[:400]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4
                                 or sample[0::2].count(0) > len(sample) // 4)


def _utf16_without_bom(data: bytes) -> str | None:
    """Chinese UTF-16 with no BOM has few zero bytes; accept it only when it reads as text."""
    if len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        plain = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
                    or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f"
                    or (ch.isascii() and (ch.isprintable() or ch in "\r\n\t")))
        if text and plain / len(text) >= UTF16_PLAIN_SHARE:
            return text
    return None


def _is_text(text: str) -> bool:
    """False for binary noise that happened to decode: many control or private-use chars.

    NUL is not counted: stray NULs inside real text are dropped by the reader.
    """
    if not text:
        return True
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\r\n\t\f\x00") or
              0xE000 <= ord(ch) <= 0xF8FF or ch == "\ufffd")
    return bad / len(text) <= MAX_CONTROL_SHARE


def read_text(path: Path, fmt: str = "txt") -> Document:
    data = path.read_bytes()
    text = decode_text(data, path).replace("\x00", "")
    warnings = []
    if not text.strip():
        raise ReaderError(path, "no text: the file holds only whitespace")
    blocks = lines_to_blocks(text.splitlines(), markdown=(fmt == "md"))
    return Document(path=path, format=fmt, blocks=assign_sections(blocks), warnings=warnings)


def _split_row(line: str) -> list[str]:
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    return cells


SPACED_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?[%％]?")


def _spaced_header(line: str) -> list[str] | None:
    """The cells of a header line of known column names parted by spaces, else None."""
    config = load("tables")
    rules = config["spaced_rows"]
    cells = line.split()
    if len(cells) < rules["min_header_cells"] or any(SPACED_NUMBER.fullmatch(c) for c in cells):
        return None
    named = sum(any(word in cell for word in config["header_words"]) for cell in cells)
    return cells if named >= rules["min_header_words"] else None


def _spaced_row(line: str, width: int) -> list[str] | None:
    """A row under a spaced header, ``width`` cells: names (年度资金总额; 产出指标 数量指标
    培训人次) then numbers, percentages or empty marks, at least one number."""
    cells = line.split()
    marks = load("tables")["spaced_rows"]["empty_marks"]
    is_value = [bool(SPACED_NUMBER.fullmatch(c)) or c in marks for c in cells]
    if len(cells) != width or is_value[0] or True not in is_value:
        return None
    first_value = is_value.index(True)
    if not all(is_value[first_value:]):
        return None
    return cells if any(SPACED_NUMBER.fullmatch(c) for c in cells[first_value:]) else None


def lines_to_blocks(lines: list[str], markdown: bool = False) -> list[Block]:
    """Non-empty lines become paragraph or heading blocks; table rows become table blocks."""
    blocks: list[Block] = []
    table_rows: list[list[str]] = []
    spaced_width = 0  # cells per row while inside a spaced table, else 0
    spaced_header = ""  # that table's header line as written

    def flush_table() -> None:
        if len(table_rows) == 1 and spaced_header:
            blocks.append(text_block(spaced_header))  # a header with no rows is a line of text
        elif table_rows:
            blocks.append(table_block(list(table_rows)))
        table_rows.clear()

    for raw in lines:
        line = raw.strip()
        if line.count("|") >= 2 or (table_rows and "|" in line):
            if not MD_RULE_ROW.match(line):
                table_rows.append(_split_row(line))
            continue
        if line.count("\t") >= 2:  # tab-separated rows, as pasted from a spreadsheet
            table_rows.append([cell.strip() for cell in line.split("\t")])
            continue
        if spaced_width and not line:
            continue  # blank lines between the rows of a copied table
        row = _spaced_row(line, spaced_width) if spaced_width else None
        if row is not None:
            table_rows.append(row)
            continue
        flush_table()
        spaced_width, spaced_header = 0, ""
        if not line:
            continue
        header = _spaced_header(line)
        if header is not None:
            table_rows.append(header)
            spaced_width, spaced_header = len(header), line
            continue
        heading = MD_HEADING.match(line) if markdown else None
        if heading:
            blocks.append(text_block(heading.group(2), level=len(heading.group(1))))
        else:
            blocks.append(text_block(line))
    flush_table()
    return blocks
