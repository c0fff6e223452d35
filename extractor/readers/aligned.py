"""Tables without rulings on a PDF page: columns aligned by whitespace only.

Many published tables print no lines, or only a rule under the header, so the table finder
sees nothing and their cells would run together as one line of text ("合计246167.37"). This
module reads them from the page's lines (the PDF reader's ``Line``, whose ``cells`` are its
words cut at gaps wider than ``CELL_GAP_EMS`` character widths):

- a *run* is two or more lines of several cells each, with the one-cell lines between them
  (a wrapped cell, a row of a section name), no vertical gap wider than ``ROW_GAP_EMS``,
  and the lines after its last row that are that row's wrapped cell text;
- its *columns* are the x-intervals its cells cover, from the rows holding a number (a
  header spanning two columns would bridge the gap between them), and from the other cells
  clear of those (a column empty in this part of the table);
  each cell goes to the first column it overlaps (a spanning header cell stands in its first
  column, as readers put merged cells), two cells in one column are joined;
- a line closer to the line above than rows are to each other, whose cells all sit in
  columns the row above fills, is that row's wrapped cell text, joined to it.
"""
from __future__ import annotations

import re
import statistics
from typing import Protocol, Sequence

CELL_GAP_EMS = 1.0  # a gap this many character widths wide between words parts two cells
MIN_ROWS = 2  # lines of several cells a run needs to be a table
ROW_GAP_EMS = 3.0  # a vertical gap wider than this many character heights ends a run
WRAP_GAP_SHARE = 0.6  # a line closer than this share of the row gap continues its row
NUMBER = re.compile(r"[-−+]?\d[\d,]*(?:\.\d+)?[%％]?")

Span = tuple[float, float, str]  # x0, x1, text of a cell


class LineLike(Protocol):
    text: str
    x0: float
    top: float
    bottom: float
    size: float
    cells: list[Span]


def split_cells(words: Sequence[dict], size: float, join) -> list[Span]:
    """The words of one line (x0, x1, text) cut into cells at gaps wider than
    ``CELL_GAP_EMS`` character widths; ``join(texts)`` joins a cell's words."""
    cells: list[list[dict]] = []
    for word in words:
        if cells and word["x0"] - cells[-1][-1]["x1"] <= CELL_GAP_EMS * size:
            cells[-1].append(word)
        else:
            cells.append([word])
    return [(group[0]["x0"], max(w["x1"] for w in group), join([w["text"] for w in group]))
            for group in cells]


def find_tables(lines: Sequence[LineLike]) -> list[tuple[int, int, list[list[str]]]]:
    """The whitespace-aligned tables among a page's lines (in reading order): (first line,
    last line, rows) for each."""
    found: list[tuple[int, int, list[list[str]]]] = []
    start = 0
    while start < len(lines):
        end = _run_end(lines, start)
        if end is None:
            start += 1
            continue
        found.append((start, end, table_rows(lines[start:end + 1])))
        start = end + 1
    return found


def _run_end(lines: Sequence[LineLike], start: int) -> int | None:
    """The last line of the run opening at ``start``, or None when no table opens there."""
    if len(lines[start].cells) < 2:
        return None
    last = start
    rows = 1
    for index in range(start + 1, len(lines)):
        before, line = lines[index - 1], lines[index]
        if line.top - before.bottom > ROW_GAP_EMS * max(before.size, line.size):
            break
        if len(line.cells) >= 2:
            last, rows = index, rows + 1
    if rows < MIN_ROWS:
        return None
    while last + 1 < len(lines) and _wrapped_tail(lines, start, last + 1):
        last += 1
    return last


def _wrapped_tail(lines: Sequence[LineLike], start: int, index: int) -> bool:
    """Whether the line after a run's last row is that row's wrapped cell text."""
    rows = table_rows(lines[start:index])
    return len(table_rows(lines[start:index + 1])) == len(rows)


def _numeric(line: LineLike) -> bool:
    return any(NUMBER.fullmatch(text) for _, _, text in line.cells)


def columns(lines: Sequence[LineLike]) -> list[tuple[float, float]]:
    """The x-intervals the cells of the run cover, left to right (see the module doc): those
    of the rows holding a number, then those of other cells clear of them (a column whose
    data cells are empty in this part of the table)."""
    numeric = [line for line in lines if len(line.cells) >= 2 and _numeric(line)]
    base = _merged([(x0, x1) for line in numeric for x0, x1, _ in line.cells])
    clear = [(x0, x1) for line in lines if line not in numeric for x0, x1, _ in line.cells
             if not any(x0 < right and x1 > left for left, right in base)]
    return sorted(base + _merged(clear))


def _merged(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping x-intervals merged, left to right."""
    merged: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if merged and x0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(x0, x1) for x0, x1 in merged]


def _column(span: Span, intervals: list[tuple[float, float]]) -> int:
    """The first column ``span`` overlaps, else the one nearest its centre."""
    x0, x1, _ = span
    for index, (left, right) in enumerate(intervals):
        if x0 < right and x1 > left:
            return index
    centre = (x0 + x1) / 2
    return min(range(len(intervals)),
               key=lambda i: min(abs(centre - intervals[i][0]), abs(centre - intervals[i][1])))


def table_rows(lines: Sequence[LineLike]) -> list[list[str]]:
    """The rows of one run: one per line, wrapped cell text joined to its row."""
    intervals = columns(lines)
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:])
            if len(a.cells) >= 2 and len(b.cells) >= 2 and _numeric(a) and _numeric(b)]
    gaps = gaps or [b.top - a.bottom for a, b in zip(lines, lines[1:])]
    row_gap = statistics.median(gaps) if gaps else 0.0
    rows: list[list[str]] = []
    previous: LineLike | None = None
    for line in lines:
        row = [""] * len(intervals)
        for span in line.cells:
            index = _column(span, intervals)
            row[index] = row[index] + span[2] if row[index] else span[2]
        if rows and previous is not None and _wraps(previous, line, row, rows[-1], row_gap):
            rows[-1] = [a + b for a, b in zip(rows[-1], row)]
        else:
            rows.append(row)
        previous = line
    return rows


def _wraps(previous: LineLike, line: LineLike, row: list[str], above: list[str],
           row_gap: float) -> bool:
    """Whether ``line`` (cells placed in ``row``) is wrapped text of the row ``above``."""
    if _numeric(line) or row_gap <= 0:
        return False
    if line.top - previous.bottom >= WRAP_GAP_SHARE * row_gap:
        return False
    return all(above[i] for i, text in enumerate(row) if text)
