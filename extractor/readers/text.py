"""Plain text and Markdown reader: encoding detection, paragraphs, tables.

Tables in text (pipes, tabs, spaced columns, header runs, one-line ledgers) are rebuilt into
rows and columns by ``textgrid``.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..figures import recognizer
from ..models import Block
from .base import Document, ReaderError
from .reflow import reflow_lines
from .structure import assign_sections, table_block, text_block
from .textgrid import Grid, rebuild

BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16")]
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
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
    blocks, table_warnings = text_blocks(reflow_lines(text.splitlines()), markdown=(fmt == "md"))
    warnings.extend(table_warnings)
    return Document(path=path, format=fmt, blocks=assign_sections(blocks), warnings=warnings)


def lines_to_blocks(lines: list[str], markdown: bool = False) -> list[Block]:
    """Non-empty lines become paragraph or heading blocks; table rows become table blocks."""
    return text_blocks(lines, markdown)[0]


def text_blocks(lines: list[str], markdown: bool = False) -> tuple[list[Block], list[str]]:
    """Blocks of the lines (tables rebuilt by ``textgrid``) and the warnings of tables that
    could not be rebuilt with confidence."""
    blocks: list[Block] = []
    warnings: list[str] = []
    for piece in rebuild(lines):
        if isinstance(piece, Grid):
            warnings.extend(piece.warnings)
            if piece.rows:
                blocks.append(table_block(piece.rows))
            continue
        line = piece.strip()
        if not line:
            continue
        heading = MD_HEADING.match(line) if markdown else None
        if not heading and blocks and blocks[-1].kind == "paragraph" and \
                recognizer().unit_split(blocks[-1].text, line):
            blocks[-1] = text_block(blocks[-1].text + "\n" + line)  # 91.91 / 万元: one figure
        elif heading:
            blocks.append(text_block(heading.group(2), level=len(heading.group(1))))
        else:
            blocks.append(text_block(line))
    return blocks, warnings
