"""Tables without rulings on a PDF page: columns aligned by whitespace only.

Many published tables print no lines, or only a rule under the header, so the table finder
sees nothing and their cells would run together as one line of text ("合计246167.37"). This
module reads them from the page's lines (the PDF reader's ``Line``, whose ``cells`` are its
words cut at gaps wider than ``CELL_GAP_EMS`` character widths):

- a *run* is two or more lines of several cells each, with the one-cell lines between them
  (a wrapped cell, a row of a section name; not a title line over a row of words, which opens
  the next table), no vertical gap wider than ``ROW_GAP_EMS``,
  and the lines before its first and after its last row that belong to those rows, or sit
  closer above its first line than rows do (a header row beside a cell centred over two);
- its *columns* are the x-intervals its cells cover, from the rows holding a number (a
  header spanning two columns would bridge the gap between them), and from the other cells
  clear of those (a column empty in this part of the table);
  each cell goes to the first column it overlaps (a spanning header cell stands in its first
  column, as readers put merged cells), two cells in one column are joined;
- a run whose cells fall in one column, or whose rows all end in page numbers after text
  (a table of contents), is no table;
- a line closer to the line above than rows are to each other (``row_gap``) belongs to the
  same row (cells centred vertically beside a wrapped cell) when each of its cells goes to
  a column the row leaves empty, or is text as close to the row's text in that column
  whose last line fills the column's width (a wrapped cell's next line).
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

LIST_MARKER = re.compile(  # the number of a heading or list item, alone
    r"[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．]"
    r"|[①-⑳]|第[一二三四五六七八九十\d]{1,3}[章节条部分]")
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
    ``CELL_GAP_EMS`` character widths; ``join(words)`` joins a cell's words. A list or
    heading number set apart by a tab (（一）→部门职能) opens its item's cell, not a cell."""
    cells: list[list[dict]] = []
    for word in words:
        marker = len(cells) == 1 and LIST_MARKER.fullmatch(join(cells[0]))
        if cells and (marker or word["x0"] - cells[-1][-1]["x1"] <= CELL_GAP_EMS * size):
            cells[-1].append(word)
        else:
            cells.append([word])
    return [(group[0]["x0"], max(w["x1"] for w in group), join(group)) for group in cells]


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
        floor = found[-1][1] + 1 if found else 0
        close = WRAP_GAP_SHARE * row_gap(lines[start:end + 1])
        while start > floor and (_joins(lines, start - 1, end, close)
                                 or lines[start].top - lines[start - 1].bottom < close):
            start -= 1
        rows = table_rows(lines[start:end + 1], close)
        if len(rows[0]) >= 2 and not contents(rows):
            found.append((start, end, rows))
        start = end + 1
    return found


def _run_end(lines: Sequence[LineLike], start: int) -> int | None:
    """The last line of the run opening at ``start``, or None when no table opens there."""
    if len(lines[start].cells) < 2:
        return None
    last = start
    rows = 1
    data = not _header_like(lines[start])
    for index in range(start + 1, len(lines)):
        before, line = lines[index - 1], lines[index]
        if line.top - before.bottom > ROW_GAP_EMS * max(before.size, line.size):
            break
        if data and len(line.cells) < 2 and index + 1 < len(lines) \
                and _header_like(lines[index + 1]):
            break  # after data rows, a title line over a row of words: the next table
        if len(line.cells) >= 2:
            last, rows = index, rows + 1
            data = data or not _header_like(line)
    if rows < MIN_ROWS:
        return None
    close = WRAP_GAP_SHARE * row_gap(lines[start:last + 1])
    while last + 1 < len(lines) and _joins(lines, start, last + 1, close):
        last += 1
    return last


def _header_like(line: LineLike) -> bool:
    """A line of several cells holding no number: a table's header row."""
    return len(line.cells) >= 2 and not any(NUMBER.fullmatch(text.strip()) for _, _, text in line.cells)


def _joins(lines: Sequence[LineLike], first: int, last: int, close: float) -> bool:
    """Whether lines[first..last] make as many rows as the run without its outer line
    (``first`` or ``last``, whichever is not a row of several cells): that line belongs to
    the run's first or last row (``close``: the run's gap within a row, see table_rows)."""
    inner = lines[first + 1:last + 1] if len(lines[first].cells) < 2 else lines[first:last]
    return len(table_rows(lines[first:last + 1], close)) == len(table_rows(inner, close))


PAGE_REFERENCE = re.compile(r"\d{1,4}")


def contents(rows: list[list[str]]) -> bool:
    """Whether the rows are a table of contents, not a table: every row of several cells
    ends in a page number (a whole number that never decreases down the rows) after text
    only."""
    pages: list[int] = []
    for row in rows:
        filled = [text for text in row if text]
        if len(filled) < 2:
            continue
        if not PAGE_REFERENCE.fullmatch(filled[-1]) or \
                any(NUMBER.fullmatch(text) for text in filled[:-1]):
            return False
        pages.append(int(filled[-1]))
    return len(pages) >= MIN_ROWS and pages == sorted(pages)


def _numeric(line: LineLike) -> bool:
    return any(NUMBER.fullmatch(text) for _, _, text in line.cells)


def columns(lines: Sequence[LineLike]) -> list[tuple[float, float]]:
    """The x-intervals the cells of the run cover, left to right (see the module doc): those
    of the rows holding a number, then those of other cells clear of them (a column whose
    data cells are empty in this part of the table)."""
    numeric = [line for line in lines if len(line.cells) >= 2 and _numeric(line)]
    base = _merged([(x0, x1) for line in numeric for x0, x1, _ in line.cells])
    chosen = {id(line) for line in numeric}
    clear = [(x0, x1) for line in lines if id(line) not in chosen for x0, x1, _ in line.cells
             if not any(x0 < right and x1 > left for left, right in base)]
    return _exclusive_merged(lines, sorted(base + _merged(clear)))


def _exclusive_merged(lines: Sequence[LineLike], intervals: list[tuple[float, float]]
                      ) -> list[tuple[float, float]]:
    """Neighbouring intervals that no row fills both of joined into one column: text set
    left and numbers set right in one column (年度指标值 over 100) leave a gap between them
    as wide as the gap between two columns, but never share a row."""
    bands = _bands(lines)
    filled: list[set[int]] = [set() for _ in intervals]
    for band, line in zip(bands, lines):
        for span in line.cells:
            filled[_column(span, intervals)].add(band)
    merged = [list(intervals[0])] if intervals else []
    rows = [filled[0]] if intervals else []
    for interval, own in zip(intervals[1:], filled[1:]):
        if own and rows[-1] and not own & rows[-1]:
            merged[-1][1] = interval[1]
            rows[-1] = rows[-1] | own
        else:
            merged.append(list(interval))
            rows.append(own)
    return [(x0, x1) for x0, x1 in merged]


def _bands(lines: Sequence[LineLike]) -> list[int]:
    """For each line, the number of the row it belongs to by vertical gaps alone (a line
    closer to the one above than WRAP_GAP_SHARE of the usual row gap is in its row)."""
    usual = row_gap(lines)
    bands: list[int] = []
    for index, line in enumerate(lines):
        close = index and usual > 0 and \
            line.top - lines[index - 1].bottom < WRAP_GAP_SHARE * usual
        bands.append(bands[-1] if close else (bands[-1] + 1 if bands else 0))
    return bands


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


def row_gap(lines: Sequence[LineLike]) -> float:
    """The usual vertical gap between two rows of the run: between adjacent lines that both
    hold numbers, else the median of the wider half of all its gaps (lines of one row, a
    wrapped cell's or a centred cell's, sit closer)."""
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:])
            if len(a.cells) >= 2 and len(b.cells) >= 2 and _numeric(a) and _numeric(b)]
    if not gaps:
        gaps = sorted(b.top - a.bottom for a, b in zip(lines, lines[1:]))
        gaps = gaps[len(gaps) // 2:]
    return statistics.median(gaps) if gaps else 0.0


def table_rows(lines: Sequence[LineLike], close: float | None = None) -> list[list[str]]:
    """The rows of one run: one per line, the lines of one row (a wrapped cell, cells
    centred beside it) joined: lines nearer each other than ``close`` (default
    WRAP_GAP_SHARE of the run's row gap)."""
    intervals = columns(lines)
    close = WRAP_GAP_SHARE * row_gap(lines) if close is None else close
    rows: list[list[str]] = []
    bottoms: list[float] = []  # per column, the bottom of the row's last text there
    ends: list[float] = []  # per column, where the row's last text there ends
    previous: LineLike | None = None
    for line in lines:
        placed = [(_column(span, intervals), span) for span in line.cells]
        near = bool(rows) and previous is not None and close > 0 \
            and line.top - previous.bottom < close
        wraps = [near and bool(rows[-1][i]) and not NUMBER.fullmatch(span[2])
                 and line.top - bottoms[i] < close and _fills(ends[i], intervals, line.size)
                 for i, span in placed]
        joins = near and all(w or not rows[-1][i] for w, (i, _) in zip(wraps, placed))
        for wrapped, (index, span) in zip(wraps, placed):
            if wrapped and not joins:  # a wrapped cell's next line beside the next row
                rows[-1][index] += span[2]
                bottoms[index], ends[index] = line.bottom, span[1]
        if not joins:
            rows.append([""] * len(intervals))
            bottoms = [line.top] * len(intervals)
            ends = [0.0] * len(intervals)
        for wrapped, (index, span) in zip(wraps, placed):
            if joins or not wrapped:
                rows[-1][index] += span[2]
                bottoms[index], ends[index] = line.bottom, span[1]
        previous = line
    return rows


def _fills(end: float, intervals: list[tuple[float, float]], size: float) -> bool:
    """Whether text ending at ``end`` fills its cell's width, as a line that wraps onto the
    next does: it ends within two gutters (or two characters) of the next column's start;
    a short line (a header spanning columns, over a second header row) does not wrap."""
    gutters = [b[0] - a[1] for a, b in zip(intervals, intervals[1:]) if b[0] > a[1]]
    reach = 2 * max(min(gutters, default=0.0), size)
    starts = [left for left, _ in intervals if left > end]
    return not starts or min(starts) - end <= reach

