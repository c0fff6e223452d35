"""What a table cell holding only a number is: kind and unit from the table around it.

One mechanism for every format (docx, pdf, html, xlsx, tables rebuilt from text). A bare
number gets its kind from its column's headers, nearest first: the header rows above it,
a merged header cell spanning several columns included (readers put a merged cell's text in
its first grid column and leave the others empty). Its money unit comes from, in order, a
unit in those headers (预算数（万元）), a unit caption in or just above the table
(单位：万元, 金额单位：元), a unit in a header cell elsewhere before it, and, when the table
states none, the unit the surrounding prose uses for the same amounts (:class:`ProseUnits`).

Not figures: whole numbers in a column or row that numbers or codes rows (行次, 栏次, 序号,
科目编码), and years in header rows. Words are in ``patterns/tables.yaml`` (``cells``).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Optional

from .figures import RawFigure, recognizer
from .models import Block, Cell
from .normalize import fold_width
from .patterns import load, on_change

BARE = re.compile(r"[-−]?\d+(?:\.\d+)?%?")
YEAR = re.compile(r"(?:19|20)\d{2}(?:年度?)?")
MONEY_UNITS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000),
               "萬元": Decimal(10000), "亿元": Decimal(100000000), "億元": Decimal(100000000)}
_MONEY = "|".join(sorted(MONEY_UNITS, key=len, reverse=True))
UNIT_CAPTION = re.compile(rf"(?:单位|金额单位|计量单位|單位)\s*[:：]\s*({_MONEY})")
UNIT_IN_HEADER = re.compile(rf"[（(]\s*({_MONEY})\s*[)）]")
TITLE_UNIT = re.compile(rf"[（(]\s*({_MONEY})\s*[)）]\s*[:：]?\s*$")  # …支出表（万元）


def caption_units(caption: str) -> list[str]:
    """The money units a caption states: 单位：万元 anywhere, else a unit in brackets closing
    the title right above the table (2023年度支出决算表（万元）)."""
    return UNIT_CAPTION.findall(caption) or TITLE_UNIT.findall(caption)


@dataclass(frozen=True)
class CellWords:
    """The header words of ``patterns/tables.yaml`` (cells), compiled once."""
    ordinal: re.Pattern
    rate: re.Pattern
    score: re.Pattern
    money: re.Pattern
    count: re.Pattern
    count_unit: re.Pattern
    text: re.Pattern
    indicator_money: re.Pattern
    unit_columns: frozenset
    year_headers: frozenset
    prose_share: float


# A parenthesised formula or ratio in a header glosses how the column is computed; the
# column is what the words outside it name (得分（=分值×执行率） is a score).
FORMULA_GLOSS = re.compile(r"[(（][^()（）]*[=＝×xX*＊÷/][^()（）]*[)）]")

def _words(items) -> str:
    return "|".join(re.escape(str(w)) for w in sorted(items, key=lambda w: -len(str(w))))


@lru_cache(maxsize=1)
def cell_words() -> CellWords:
    """Compiled header words (cleared when the pattern folders change)."""
    cells = load("tables")["cells"]
    return CellWords(
        ordinal=re.compile(_words(cells["ordinal_headers"])),
        rate=re.compile(_words(cells["rate_headers"])),
        score=re.compile(_words(cells["score_headers"])),
        money=re.compile(_words(cells["money_headers"]) + rf"|{_MONEY}"),
        count=re.compile(_words(cells["count_headers"])),
        count_unit=re.compile(rf"[（(]\s*(?:{_words(cells['count_units'])})\s*[)）]"),
        text=re.compile(_words(cells["text_headers"])),
        indicator_money=re.compile(_words(cells["indicator_money_names"])),
        unit_columns=frozenset(str(w) for w in cells["unit_columns"]),
        year_headers=frozenset(str(w) for w in cells["year_headers"]),
        prose_share=float(cells.get("prose_unit_share", 0.6)),
    )


on_change(cell_words.cache_clear)


def squeeze(text: str) -> str:
    """A cell's text folded to half width with all spaces removed."""
    return re.sub(r"\s+", "", fold_width(text))


@lru_cache(maxsize=4096)
def is_bare(text: str) -> bool:
    """The cell holds only a number (a trailing % allowed)."""
    return BARE.fullmatch(squeeze(text).replace(",", "")) is not None


def number(text: str) -> Decimal:
    """The Decimal of a bare cell's number (thousands commas and a minus sign allowed)."""
    return Decimal(squeeze(text).replace(",", "").replace("−", "-").rstrip("%"))


class CellFinder:
    """The cell holding a character of a table block's text, by bisection (Block.cell_at
    scans every cell, which costs a pass over the table per figure)."""

    def __init__(self, block: Block) -> None:
        self.cells = sorted(block.cells, key=lambda c: c.start)
        self.starts = [c.start for c in self.cells]

    def at(self, offset: int) -> Optional[Cell]:
        index = bisect_right(self.starts, offset) - 1
        while index >= 0:
            cell = self.cells[index]
            if cell.start <= offset < cell.end:
                return cell
            if cell.start < offset:
                return None
            index -= 1  # empty cells share a start with the cell after them
        return None


class ProseUnits:
    """The money units the prose of a report uses, to read tables that state no unit.

    ``figures`` are (written value, unit factor, normalized value in 元) of the prose's
    money figures.
    """

    def __init__(self, figures: list[tuple[Decimal, Decimal, Decimal]] | None = None) -> None:
        self.figures = [f for f in figures or [] if f[2]]
        pairs = sorted((norm, _half_step(written, unit)) for written, unit, norm in self.figures)
        self.sorted = [norm for norm, _ in pairs]
        self.halves = [half for _, half in pairs]
        self.widest = max(self.halves, default=Decimal(0))
        counts = Counter(factor for _, factor, _ in self.figures)
        self.dominant = Decimal(1)
        if counts:
            factor, count = counts.most_common(1)[0]
            if count >= cell_words().prose_share * len(self.figures):
                self.dominant = factor

    def factor_for(self, values: list[Decimal]) -> Decimal:
        """The unit factor of a table's bare amounts: the one under which most of them equal
        a prose amount (at the prose's written precision), else the prose's usual unit."""
        if not self.figures:
            return Decimal(1)
        votes: Counter = Counter()
        for factor in sorted(set(MONEY_UNITS.values())):
            votes[factor] = sum(self._matches(value * factor) for value in set(values) if value)
        best = max(votes.values())
        if best:
            tied = [f for f, n in votes.items() if n == best]
            return self.dominant if self.dominant in tied else tied[0]
        return self._plausible(self.dominant, values)

    def _plausible(self, factor: Decimal, values: list[Decimal]) -> Decimal:
        """``factor``, or a smaller one when the table's largest amount would then exceed
        ten times the prose's largest: 387664.62 beside prose in 万元 is in 元."""
        ceiling = 10 * max(self.sorted, default=Decimal(0))
        largest = max((abs(v) for v in values), default=Decimal(0))
        for candidate in sorted(set(MONEY_UNITS.values()), reverse=True):
            if candidate <= factor and largest * candidate <= ceiling:
                return candidate
        return Decimal(1)

    def _matches(self, amount: Decimal) -> bool:
        """A prose amount equals ``amount`` (in 元) at the precision it is written with."""
        low = bisect_left(self.sorted, amount - self.widest)
        high = bisect_right(self.sorted, amount + self.widest)
        return any(abs(amount - self.sorted[i]) <= self.halves[i] for i in range(low, high))


def _half_step(written: Decimal, factor: Decimal) -> Decimal:
    """Half the last written digit of a prose amount, in 元: 18.75万元 -> 50."""
    exponent = written.as_tuple().exponent
    step = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
    return step * factor / 2


class TableCells:
    """The header structure of one table block, built once, asked per cell."""

    def __init__(self, block: Block, caption: str = "", prose: ProseUnits | None = None) -> None:
        self.caption = caption  # the table's title and unit lines (extract.table_caption)
        self.words = cell_words()
        self.grid: dict[tuple[int, int], Cell] = {(c.row, c.col): c for c in block.cells}
        self.squeezed = {key: squeeze(cell.text) for key, cell in self.grid.items()}
        self.rows = sorted({c.row for c in block.cells})
        self.width = max((c.col for c in block.cells), default=-1) + 1
        self.numbering_rows = {r for r in self.rows if self._is_numbering_row(r)}
        self.data_rows = {r for r in self.rows if self._is_data_row(r)} - self.numbering_rows
        self.unit_in_header = [(m.end(), m.group(1)) for m in UNIT_IN_HEADER.finditer(block.text)]
        self.unit_caption = [(m.end(), m.group(1)) for m in UNIT_CAPTION.finditer(block.text)]
        self.caption_unit = next(reversed(caption_units(caption)), None)
        self.prose = prose or ProseUnits()
        self._prose_factor: Optional[Decimal] = None
        self._chains: dict[tuple[int, int], list[str]] = {}
        self._header_blocks: dict[int, list[int]] = {}
        self.continues: Optional[TableCells] = None  # the table part this one continues
        self.numbering_cols = {c for c in range(self.width) if self._is_numbering_col(c)}

    # -- structure ------------------------------------------------------------------------
    def text(self, row: int, col: int) -> str:
        """A cell's text without spaces ("" for no cell)."""
        return self.squeezed.get((row, col), "")

    def _is_data_row(self, row: int) -> bool:
        """A row with a number in it that is not a year."""
        for col in range(self.width):
            text = self.text(row, col)
            if text and is_bare(text) and not YEAR.fullmatch(text):
                return True
        return False

    def _is_numbering_row(self, row: int) -> bool:
        """A row of column numbers (1 | 2 | 3 …, with or without a 栏次 label): its number
        cells count 1, 2, 3 … from left to right, at least three of them."""
        numbers = [self.text(row, col) for col in range(self.width)]
        numbers = [t for t in numbers if t and is_bare(t)]
        return len(numbers) >= 3 and numbers == [str(n) for n in range(1, len(numbers) + 1)]

    def _is_numbering_col(self, col: int) -> bool:
        """A column of row numbers without a 序号 header: its whole numbers count 1, 2, 3 …
        down the rows, at least three of them, and its headers name no quantity."""
        numbers = [self.text(r, col) for r in self.rows if r in self.data_rows]
        numbers = [t for t in numbers if t and is_bare(t)]
        if len(numbers) < 3 or numbers != [str(n) for n in range(1, len(numbers) + 1)]:
            return False
        first = next(r for r in self.rows if self.text(r, col) == "1")
        return not any(self._header_kind(h) for h in self.chain(first, col))

    def head(self) -> list[tuple[str, ...]]:
        """The texts of the rows before the first data row."""
        first = min(self.data_rows, default=None)
        return [tuple(self.text(r, c) for c in range(self.width))
                for r in self.rows if first is None or r < first]

    def repeats_header(self, previous: TableCells) -> bool:
        """Whether this table opens with the header rows that end ``previous``'s header
        (a table continued on the next page, its header repeated there)."""
        head, before = self.head(), previous.head()
        return bool(head) and bool(self.data_rows) and len(head) <= len(before) \
            and before[-len(head):] == head

    def header_block(self, row: int) -> list[int]:
        """The header rows nearest above ``row``, bottom first."""
        if row not in self._header_blocks:
            block: list[int] = []
            for r in reversed([r for r in self.rows if r < row]):
                if r in self.data_rows:
                    if block:
                        break
                    continue
                block.append(r)
            self._header_blocks[row] = block
        return self._header_blocks[row]

    def chain(self, row: int, col: int) -> list[str]:
        """The column's header texts nearest first, a merged header cell's text included."""
        key = (row, col)
        if key not in self._chains:
            texts: list[str] = []
            for r in self.header_block(row):
                text = self.text(r, col)
                if not text and not self.text(r - 1, col):
                    text = self._spanning(r, col)
                if text and not is_bare(text) and text not in texts \
                        and not UNIT_CAPTION.match(text):  # a caption row, not a header
                    texts.append(text)
            if not texts and self.continues is not None and not self.header_block(row):
                texts = self.continues.chain(self.continues.rows[-1] + 1, col)
            if not texts:  # no header row above: the nearest word cell above
                texts = [t for t in (self.text(r, col) for r in self.rows if r < row)
                         if t and not is_bare(t) and not UNIT_CAPTION.match(t)][-1:]
            self._chains[key] = texts
        return self._chains[key]

    def _spanning(self, row: int, col: int) -> str:
        """The text of a merged header cell covering (row, col) from its left."""
        for left in range(col - 1, -1, -1):
            text = self.text(row, left)
            if text:
                return text
        return ""

    def group(self, row: int, col: int) -> str:
        """The headers over a cell's column header, top first, for its label: 累计完成数
        over 中央级, 决算数 over 合计. Only a header naming a quantity (the kind words) in a
        row of several header cells: a title row or a 项目名称 value spanning the table is
        not one."""
        groups: list[str] = []
        for upper in self.chain(row, col)[1:]:
            at = next((r for r in self.header_block(row)
                       if upper in (self.text(r, col), self._spanning(r, col))), None)
            cells = [self.text(at, c) for c in range(self.width)] if at is not None else []
            if sum(1 for t in cells if t) >= 2 and self._header_kind(upper) \
                    and not self.words.ordinal.search(upper):
                groups.insert(0, upper)
        return " ".join(groups)

    def row_name(self, row: int, col: int) -> str:
        """The last word cell left of a cell: the row's (indicator's) name."""
        for left in range(col - 1, -1, -1):
            text = self.text(row, left)
            if text and not is_bare(text):
                return text
        return ""

    def row_words(self, row: int, col: int) -> list[str]:
        """The word cells left of a cell, left to right."""
        return [t for t in (self.text(row, c) for c in range(col)) if t and not is_bare(t)]

    def unit_cell(self, row: int) -> str:
        """The row's cell under a 度量单位 / 计量单位 column, if the table has one."""
        for col in range(self.width):
            if any(h in self.words.unit_columns for h in self.chain(row, col)[:1]):
                return self.text(row, col)
        return ""

    # -- kinds ----------------------------------------------------------------------------
    def figure(self, cell: Cell) -> Optional[RawFigure]:
        """The figure a bare-number cell holds, or None (not bare, or not a figure)."""
        folded = fold_width(cell.text)
        written = folded.strip().replace(",", "").replace("−", "-")
        if not BARE.fullmatch(written) or written.endswith("%"):
            return None
        value = Decimal(written)
        kind_unit = self.kind(cell.row, cell.col, written)
        if kind_unit is None:
            return None
        kind, factor = kind_unit
        normalized, norm_unit = value * factor, {"money": "元", "score": "分"}.get(kind, "")
        offset = folded.index(folded.strip())
        end = offset + len(folded.strip())
        return RawFigure(start=offset, end=end, text=cell.text[offset:end], value=value, unit="",
                         kind=kind, normalized_value=normalized, normalized_unit=norm_unit)

    def kind(self, row: int, col: int, written: str) -> Optional[tuple[str, Decimal]]:
        """(kind, factor to the normalized value) of a bare number, or None."""
        chain, name = self.chain(row, col), self.row_name(row, col)
        if self._not_a_figure(row, col, written, chain, name):
            return None
        if chain and recognizer().indicator_value_kind(chain[0], name):
            return self._indicator(row, col)
        beside = name if name and self.text(row, col - 1) == name else ""
        for header in chain + [""] + [beside]:  # the column's headers, then a name beside it
            if not header and YEAR.fullmatch(written):
                return None  # a year no column header makes a quantity (实施年度 | 2024)
            found = self._header_kind(header) if header else None
            if found == "money":
                return "money", self.money_factor(row, col, header)
            if found:
                return found, Decimal("0.01") if found == "rate" else Decimal(1)
        if self.stated_unit(row, col):  # a year or a name over the column, in a money table
            return "money", self.money_factor(row, col)
        return None

    def _not_a_figure(self, row: int, col: int, written: str, chain: list[str],
                      name: str) -> bool:
        """Row and column numbers, codes and identifiers (科目编码 over 类 | 款 | 项, 行次,
        a phone), and years over a column or in a 年度 column."""
        if row in self.numbering_rows or col in self.numbering_cols:
            return True
        first = self.row_words(row, col)[:1]
        if "." not in written and any(self.words.ordinal.search(t)
                                      for t in chain + first + [name]):
            return True
        return YEAR.fullmatch(written) is not None and (
            row not in self.data_rows or any(h in self.words.year_headers for h in chain[:1]))

    def _header_kind(self, header: str) -> Optional[str]:
        """The kind a header names (other | rate | score | count | money), or None."""
        words = self.words
        header = FORMULA_GLOSS.sub("", header)  # 得分（=分值×执行率） names a score, not a rate
        if words.text.search(header):
            return "other"  # a number in a remarks column is a plain number
        if words.rate.search(header):
            return "rate"
        if words.score.search(header):
            return "score"
        if words.count.search(header) or words.count_unit.search(header):
            return "count"
        if words.money.search(header):
            return "money"
        return None

    def _indicator(self, row: int, col: int) -> tuple[str, Decimal]:
        """An indicator value: its unit cell (%, 万元, 人) or its name (资金金额, 满意度, …率)
        gives the kind, else it is a plain value; an amount is in the table's money unit."""
        unit = self.unit_cell(row)
        if unit in ("%", "％"):
            return "rate", Decimal("0.01")
        if unit in MONEY_UNITS:
            return "money", MONEY_UNITS[unit]
        if unit:
            return "count", Decimal(1)
        name = self.row_name(row, col)
        if self.words.indicator_money.search(name):  # 工程资金金额: an amount
            return "money", self.money_factor(row, col, name)
        if self._header_kind(name) == "rate":  # 满意度, …率
            return "rate", Decimal("0.01")
        kind = recognizer().indicator_value_kind(self.chain(row, col)[0], name)
        return ("rate", Decimal("0.01")) if kind == "rate" else ("other", Decimal(1))

    def money_factor(self, row: int, col: int, named_by: str = "") -> Decimal:
        """The money unit of a cell: its headers (or the name naming it), a caption, a
        header unit, the prose."""
        for header in self.chain(row, col) + [named_by]:
            found = UNIT_IN_HEADER.search(header) or UNIT_CAPTION.search(header)
            if found:
                return MONEY_UNITS[found.group(1)]
        stated = self.stated_unit(row, col)
        if not stated:
            for name in self.row_words(row, col):
                found = UNIT_IN_HEADER.search(name)
                stated = found.group(1) if found else stated
        return MONEY_UNITS[stated] if stated else self.prose_factor()

    def stated_unit(self, row: int, col: int) -> Optional[str]:
        """The money unit the table states before a cell: a caption in or above the table,
        else a unit header cell (（万元）) earlier in it."""
        before = self.grid[(row, col)].start if (row, col) in self.grid else 0
        stated = [u for end, u in self.unit_caption if end <= before] or \
            ([self.caption_unit] if self.caption_unit else []) or \
            [u for end, u in self.unit_in_header if end <= before]
        if not stated and self.continues is not None:
            return self.continues.stated_unit(self.continues.rows[-1], self.continues.width - 1)
        return stated[-1] if stated else None

    def prose_factor(self) -> Decimal:
        """The prose's unit for this table's amounts (computed once per table)."""
        if self._prose_factor is None:
            values = [number(c.text) for c in self.grid.values()
                      if is_bare(c.text) and not c.text.strip().endswith("%")
                      and "." in c.text]
            self._prose_factor = self.prose.factor_for(values)
        return self._prose_factor


class RaggedCells:
    """A table whose rows differ in length (rebuilt from text, cells not on one grid): a
    column index says little, so a bare number is read by all the header texts above it
    (the last three) and the row's first cells together, as one phrase."""

    def __init__(self, block: Block, caption: str = "", prose: ProseUnits | None = None
                 ) -> None:
        self.caption = caption
        self.prose = prose or ProseUnits()
        self._prose_factor: Optional[Decimal] = None
        self.rows: dict[int, list[Cell]] = {}
        self.cols: dict[int, list[Cell]] = {}
        self.starts: dict[tuple[int, int], int] = {}
        for cell in block.cells:
            self.rows.setdefault(cell.row, []).append(cell)
            self.cols.setdefault(cell.col, []).append(cell)
            self.starts.setdefault((cell.row, cell.col), cell.start)
        # a unit stated anywhere before a cell counts
        self.in_header = [(m.end(), m.group(1)) for m in UNIT_IN_HEADER.finditer(block.text)]
        self.in_caption = [(m.end(), m.group(1)) for m in UNIT_CAPTION.finditer(block.text)]
        self.caption_units = caption_units(caption)

    def column(self, row: int, col: int) -> str:
        """The nearest non-numeric cell above: the cell's own column header."""
        above = [c.text for c in self.cols.get(col, []) if c.row < row and c.text.strip()
                 and not is_bare(c.text)]
        return above[-1] if above else ""

    def row_name(self, row: int, col: int) -> str:
        """The last non-numeric cell left of a cell: the row's (indicator's) name."""
        left = [c.text.strip() for c in self.rows.get(row, []) if c.col < col and c.text.strip()
                and not is_bare(c.text)]
        return left[-1] if left else ""

    def header(self, row: int, col: int) -> str:
        """Column headers above a cell plus the row's first cells, and the units stated
        before it (a caption above the table applies to all its cells)."""
        # a part of the table as wide as this row (a form's indicators under their own header
        # row) names the column by its words; otherwise whatever stands above
        width = len(self.rows.get(row, []))
        above = [c.text for c in self.cols.get(col, []) if c.row < row and _names(c.text)
                 and len(self.rows[c.row]) == width]
        above = above or [c.text for c in self.cols.get(col, []) if c.row < row]
        left = [c.text for c in self.rows.get(row, []) if c.col < col]
        before = self.starts.get((row, col), 0)
        units = ([unit for end, unit in self.in_header if end <= before]
                 + [unit for end, unit in self.in_caption if end <= before] + self.caption_units)
        return " ".join(above[-3:] + left[:2]) + " " + " ".join(units)

    def figure(self, cell: Cell) -> Optional[RawFigure]:
        """The figure a bare-number cell holds, or None; an amount under headers that name
        no unit is in the prose's unit for the table's amounts."""
        beside = {c.col: c.text for c in self.rows.get(cell.row, [])}
        with_unit = recognizer().find_with_unit_cell(cell.text, beside.get(cell.col + 1, ""),
                                                     beside.get(cell.col - 1, ""))
        if with_unit is not None:
            return with_unit
        header = self.header(cell.row, cell.col)
        found = recognizer().find_bare_cell(cell.text, header, self.column(cell.row, cell.col),
                                            self.row_name(cell.row, cell.col))
        if found is not None and found.kind == "money" and not re.search(_MONEY, header):
            found.normalized_value = found.value * self.prose_factor()
        return found

    def prose_factor(self) -> Decimal:
        """The prose's unit for this table's amounts (computed once per table)."""
        if self._prose_factor is None:
            values = [number(c.text) for row in self.rows.values() for c in row
                      if is_bare(c.text) and "." in c.text and not c.text.strip().endswith("%")]
            self._prose_factor = self.prose.factor_for(values)
        return self._prose_factor


NAMING = re.compile(r"[\u4e00-\u9fffA-Za-z%％]")  # a letter or a percent sign


def _names(text: str) -> bool:
    """A cell that can name a column: words, not a number or an empty mark (/, —)."""
    return NAMING.search(text) is not None and not is_bare(text)


GRID_FORMATS = frozenset({"docx", "html", "xlsx"})  # readers that put every cell on a grid


def _ragged(block: Block) -> bool:
    """Whether a table's rows differ in length. A row without numbers that is shorter than
    the rows with numbers still lines up with them when it keeps empty cells between its
    words (收入 | | | 支出 | |, only its empty end dropped); one without (全年预算数 | 全年执行数
    over 年度资金总额 | 808.1 | 692.98) may have lost its first cells, so the table is ragged."""
    rows: dict[int, list[str]] = {}
    for cell in sorted(block.cells, key=lambda c: (c.row, c.col)):
        rows.setdefault(cell.row, []).append(squeeze(cell.text))
    widths = {len(texts) for texts in rows.values()}
    if len(widths) == 1:
        return False
    data = {len(texts) for texts in rows.values() if any(is_bare(t) for t in texts if t)}
    if len(data) != 1:
        return True
    width = data.pop()
    for texts in rows.values():
        filled = [i for i, t in enumerate(texts) if t]
        if len(texts) > width or (len(texts) < width and not (
                filled and any(not t for t in texts[:filled[-1]]))):
            return True
    return False


def table_cells(block: Block, caption: str = "", prose: ProseUnits | None = None,
                previous: TableCells | RaggedCells | None = None, fmt: str = ""
                ) -> TableCells | RaggedCells:
    """The cell reader for a table block: on its grid, or ragged rows read by phrase.

    A table from a grid format (``fmt``: docx, html, xlsx, whose rows may just end early)
    or whose rows are all as long is on a grid; other tables with rows of different lengths
    (rebuilt from text) are ragged. ``previous`` is the table right before this one (the
    same table's part on the page before, in a pdf): a part of the same width without header
    rows, or repeating the last header rows of ``previous``, continues it (its stated unit
    and row-number columns).
    """
    if fmt not in GRID_FORMATS and _ragged(block):
        return RaggedCells(block, caption, prose)
    cells = TableCells(block, caption, prose)
    if isinstance(previous, TableCells) and previous.width == cells.width and cells.rows \
            and (cells.rows[0] in cells.data_rows or cells.repeats_header(previous)):
        cells.continues = previous
        cells.numbering_cols |= previous.numbering_cols
    return cells
