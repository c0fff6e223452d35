"""Hard-wrapped text made paragraphs again (text a PDF viewer or pdftotext gave as lines).

A report saved as text from a PDF breaks every line at the page width, mid-sentence and
mid-number ("…资产净值1" / "3467000元"). Such a file shows it: many lines end within a few
columns of one width, and most of those do not end a sentence. There, a line that reaches
that width and does not end a sentence is continued by the next line, unless the next one
opens a heading or a list item; lines that look like table rows (pipes, tabs, column gaps,
cells parted by spaces with no clause punctuation) and blank lines are never joined. A text
written one paragraph per line (most published report texts) has no such width and is left
exactly as it is.
"""
from __future__ import annotations

import re
from collections import Counter

from ..normalize import display_columns
from .structure import ends_sentence, starts_item

SLACK = 4  # columns: a wrapped line may stop this short of the width (a wide character,
# punctuation kept off a line's start)
MIN_WIDTH = 40  # columns (20 Chinese characters); narrower "widths" are lists and short lines
MIN_WRAPPED = 3  # lines
WRAPPED_SHARE = 0.25  # of the lines at least half that wide reach the width (headings,
# list heads and navigation lines are short in any text)
OPEN_SHARE = 0.6  # of the lines at the width do not end a sentence
COLUMN_GAPS = re.compile(r"[|\t]|\S {2,}\S")  # pipes, tabs, runs of spaces
CLAUSE_MARKS = re.compile(r"[，。；、：,;]")


def reflow_lines(lines: list[str]) -> list[str]:
    """``lines`` with hard-wrapped paragraphs joined (see the module docstring)."""
    width = wrap_width(lines)
    if width is None:
        return lines
    out: list[str] = []
    open_line = False  # the last line of ``out`` reached the width mid-sentence
    for line in lines:
        text = line.strip()
        if open_line and text and not starts_item(text) and not _table_like(text):
            out[-1] = _joined(out[-1], text)
        else:
            out.append(line)
        last = out[-1].strip()
        open_line = bool(text) and _columns(line.rstrip()) >= width - SLACK \
            and not ends_sentence(last) and not _table_like(text)
    return out


def wrap_width(lines: list[str]) -> int | None:
    """The page width the lines were wrapped at, in display columns; None when they were not
    wrapped (too few lines reach one width, or most of those end a sentence)."""
    texts = [line.rstrip() for line in lines if line.strip() and not _table_like(line.strip())
             and not starts_item(line.strip())]  # heads of a contents list share widths too
    widths = Counter(_columns(text) for text in texts)
    best, reaching = None, 0
    for width in sorted(w for w in widths if w >= MIN_WIDTH):
        count = sum(n for w, n in widths.items() if width - SLACK <= w <= width)
        if count >= reaching:
            best, reaching = width, count
    long_lines = sum(n for w, n in widths.items() if best is not None and w >= best / 2)
    if best is None or reaching < max(MIN_WRAPPED, WRAPPED_SHARE * long_lines):
        return None
    full = [text for text in texts if best - SLACK <= _columns(text) <= best]
    still_open = sum(1 for text in full if not ends_sentence(text))
    return best if still_open >= OPEN_SHARE * len(full) else None


def _table_like(text: str) -> bool:
    """A table row rather than prose: pipes, tabs or a run of spaces between cells, or three
    or more cells parted by single spaces with no clause punctuation (a row of a spaced
    table: 年度资金总额 120.5 130 126.36)."""
    return bool(COLUMN_GAPS.search(text)) or (len(text.split()) >= 3
                                              and not CLAUSE_MARKS.search(text))


def _columns(text: str) -> int:
    """Display width: CJK and full-width characters take two columns."""
    return sum(map(display_columns, text))


def _joined(before: str, after: str) -> str:
    """Two pieces of one wrapped line: no space, except between two Latin letters or digits
    that a space separated in the source (a wrap at a space)."""
    head = before.rstrip()
    if head and head[-1].isascii() and head[-1].isalpha() and after[0].isascii() \
            and after[0].isalpha():
        return head + " " + after
    return head + after
