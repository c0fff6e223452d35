"""Shared block structure: heading levels from Chinese numbering, section paths, tables."""
from __future__ import annotations

import re

from ..figures import recognizer
from ..models import Block, Cell

# 一、  （一）  1.  （1）  — the four numbering levels of Chinese official documents
HEADING_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）]")),
    (3, re.compile(r"^\d{1,2}[.．、](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[)）]")),
]
MAX_HEADING_CHARS = 40
SENTENCE_END = set("。；：！？;:!?")
CLOSERS = "”’」』）)】》\"' "
LIST_START = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]"
    r"|\d{1,2}[、.．](?!\d)|\d{1,2}[)）]|[①-⑳]|[●•◆◇■□▪►√]"
    r"|第[一二三四五六七八九十\d]{1,3}[章节条部分])")


def ends_sentence(text: str) -> bool:
    """The line ends a sentence (。；：！？, closing quotes and brackets aside), or is empty."""
    stripped = text.rstrip(CLOSERS)
    return not stripped or stripped[-1] in SENTENCE_END


def starts_item(text: str) -> bool:
    """The line opens a numbered heading or a list item (一、 （二） 3. ① ●)."""
    return bool(LIST_START.match(text)) or heading_level(text) is not None


def heading_level(text: str) -> int | None:
    """Level of a numbered heading line, or None for body text.

    >>> heading_level("一、部门概况"), heading_level("（二）当年部门履职目标"), heading_level("正文。")
    (1, 2, None)
    """
    stripped = text.strip()
    for level, pattern in HEADING_PATTERNS:
        match = pattern.match(stripped)
        if match:
            rest = stripped[match.end():]
            # a long numbered line with a full stop is a list item, not a heading
            if len(stripped) <= MAX_HEADING_CHARS and "。" not in rest[:-1]:
                return level
            return None
    return None


def assign_sections(blocks: list[Block]) -> list[Block]:
    """Set each block's index and section path (the heading chain above it)."""
    chain: list[tuple[int, str]] = []
    for index, block in enumerate(blocks):
        block.index = index
        if block.kind == "heading" and block.level:
            block.section = [text for _, text in chain]
            chain = [(lvl, text) for lvl, text in chain if lvl < block.level]
            chain.append((block.level, block.text.strip()))
        else:
            block.section = [text for _, text in chain]
    return blocks


def text_block(text: str, page: int | None = None, level: int | None = None) -> Block:
    """A paragraph block, or a heading block when the text is a numbered heading."""
    level = level or heading_level(text)
    return Block(index=0, kind="heading" if level else "paragraph", text=text, page=page,
                 level=level)


def add_text(blocks: list[Block], text: str, level: int | None = None) -> None:
    """Append a paragraph or heading block of ``text`` to ``blocks``; a paragraph ending in
    a number whose next line starts with a unit (…减少91.91 / 万元，下降…: one figure parted by
    a line break, as in a document converted line by line) is continued by it instead."""
    if level is None and blocks and blocks[-1].kind == "paragraph" and \
            recognizer().unit_split(blocks[-1].text, text):
        blocks[-1] = text_block(blocks[-1].text + "\n" + text, page=blocks[-1].page)
        return
    blocks.append(text_block(text, level=level))


def table_block(rows: list[list[str]], page: int | None = None) -> Block:
    """A table block: cells joined by ' | ' within a row and '\\n' between rows."""
    parts: list[str] = []
    cells: list[Cell] = []
    offset = 0
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            value = (value or "").replace("\n", "")
            if c:
                parts.append(" | ")
                offset += 3
            cells.append(Cell(row=r, col=c, start=offset, end=offset + len(value), text=value))
            parts.append(value)
            offset += len(value)
        parts.append("\n")
        offset += 1
    return Block(index=0, kind="table", text="".join(parts).rstrip("\n"), page=page, cells=cells)
