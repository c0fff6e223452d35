"""Tables that reach us as text: rebuild their rows and columns from the layout.

Real reports flatten tables in a few ways; each becomes a ``Grid`` (rows of cell texts plus a
confidence) that the text reader turns into a table block, exactly as docx and html readers
do, so the same cell logic reads them:

- ``pipes``     rows parted by ``|`` (Markdown), a row split over several lines;
- ``pipe_cells`` one cell per line ending in `` |``, a lone ``|`` line between rows;
- ``tabs``      rows pasted from a spreadsheet;
- ``spaced``    a header line of column names, then rows of cells parted by spaces;
- ``header_run`` header cells first, then row names and values in the same run
                (``年初预算数 全年预算数 分值 得分 年度资金总额 120 118 10 9.8``): values are
                placed under the columns whose kind (patterns/text_tables.yaml) they fit;
- ``ledger``    a final-accounts table on one line, (项目, 行次, 金额) triples.

Where the values can't be placed with confidence (more than one way fits), no grid is built
and the line stays text, with a warning: its figures that carry their own unit are still read.
Pure functions of the lines; patterns come from ``tables.yaml`` and ``text_tables.yaml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Optional, Union

from ..figures import recognizer
from ..normalize import display_columns, fold_width, simplified
from ..patterns import load, on_change

MD_RULE_ROW = re.compile(r"^\s*\|?\s*:?-{2,}")
SPACED_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?[%％]?")
NUMBER = re.compile(r"[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-−]?\d+(?:\.\d+)?")
SENTENCE_MARKS = re.compile(r"[。，；！？,;]")
HIGH, MEDIUM = 1.0, 0.8  # confidence of a grid whose every value has one place / fits uniquely


@dataclass
class Grid:
    """A table rebuilt from text: rows of cell texts, how it was laid out, how sure we are."""
    rows: list[list[str]]
    layout: str
    confidence: float = HIGH
    warnings: list[str] = field(default_factory=list)


HALF_WIDTH_NUMBERS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
Piece = Union[str, Grid]  # a line of text, or a table rebuilt from one or more lines


@lru_cache(maxsize=1)
def _config() -> dict:
    return load("text_tables")


on_change(_config.cache_clear)


# -- cells ---------------------------------------------------------------------------------

def value_shape(cell: str) -> Optional[str]:
    """What a cell holds when it is a value: "pct", "int", "dec", "empty"; None for words.

    A number with its own unit is "money" (元, 万元), "points" (分) or "measure" (次, 人, 公里).

    >>> [value_shape(c) for c in ("98.5%", "≥95%", "12", "1,234.50", "/", "12.5万元", "9.5分", "项目")]
    ['pct', 'pct', 'int', 'dec', 'empty', 'money', 'points', None]
    """
    text = fold_width(cell).strip()
    if text in _config()["empty_marks"]:
        return "empty"
    text = text.lstrip("".join(_config()["qualifier_marks"]))
    if text.endswith("%") and NUMBER.fullmatch(text[:-1]):
        return "pct"
    if NUMBER.fullmatch(text):
        return "dec" if "." in text or "," in text else "int"
    unit = NUMBER.match(text)
    if unit is None or len(text) - unit.end() > _config()["max_unit_chars"] \
            or not re.fullmatch(r"[\u4e00-\u9fff]+", text[unit.end():]):
        return None
    written = text[unit.end():]
    if written.endswith("元"):
        return "money"
    return "points" if written == "分" else "measure"


def column_kind(header: str) -> str:
    """The kind of value a column holds, from its header words (first listed kind wins)."""
    compact = re.sub(r"\s+", "", header)
    for kind, words in _config()["column_kinds"].items():
        if any(word in compact for word in words):
            return kind
    return "any"


def fits(shape: str, kind: str, cell: str, loose: bool = False) -> bool:
    """Whether a value of ``shape`` can sit in a column of ``kind``; ``loose`` lets a bare
    number into a rate column (when every column has its value, nothing else fits there)."""
    if shape == "empty" or kind in ("any", "value"):
        return True
    if shape in ("money", "points", "measure"):
        return {"money": "money", "points": "score"}.get(shape) == kind
    if kind == "rate":
        return shape == "pct" or (loose and shape in ("int", "dec"))
    if shape == "pct":
        return False
    if kind == "ordinal":
        return shape == "int"
    if kind == "score":
        number = NUMBER.fullmatch(fold_width(cell).strip())
        return number is not None and float(number.group().replace(",", "").replace("−", "-")) \
            <= _config()["max_score"]
    return True  # money: any number


def place_values(values: list[str], kinds: list[str]) -> Optional[list[int]]:
    """Column index of each value, in order, each in a column whose kind it fits.

    When several placements fit, they must agree on the kind of every non-empty value (two
    money columns side by side: 全年预算数 or 全年执行数 makes no difference to the figure);
    the last one (values packed to the right, the leading columns left empty) is taken.
    None when no placement fits or the placements disagree on a kind.
    """
    shapes = [value_shape(v) or "word" for v in values]
    if len(values) == len(kinds):
        ok = all(fits(s, k, v, True) for s, k, v in zip(shapes, kinds, values))
        return list(range(len(values))) if ok else None
    placements = _placements(shapes, values, kinds, 0, MAX_PLACEMENTS)
    if len(placements) >= MAX_PLACEMENTS:
        return None
    placements = [p for p in placements if _same_decimals(values, [kinds[c] for c in p])]
    if not placements:
        return None
    for i, shape in enumerate(shapes):
        if shape != "empty" and len({kinds[p[i]] for p in placements}) > 1:
            return None
    return placements[-1]


MAX_PLACEMENTS = 64


def _same_decimals(values: list[str], kinds: list[str]) -> bool:
    """Amounts of one row are all written with decimals or all without (120.50 and 118.5,
    not 120.50 and 10)."""
    return len({"." in v for v, k in zip(values, kinds)
                if k == "money" and value_shape(v) in ("int", "dec")}) <= 1


def _placements(shapes: list[str], values: list[str], kinds: list[str], first: int,
                limit: int) -> list[list[int]]:
    """Monotone placements of the values into columns ``first``.. (at most ``limit``)."""
    if not shapes:
        return [[]]
    out: list[list[int]] = []
    for column in range(first, len(kinds) - len(shapes) + 1):
        if not fits(shapes[0], kinds[column], values[0]):
            continue
        for rest in _placements(shapes[1:], values[1:], kinds, column + 1, limit - len(out)):
            out.append([column] + rest)
            if len(out) >= limit:
                return out
    return out


# -- pipe layouts ----------------------------------------------------------------------------

def split_pipe_row(line: str) -> list[str]:
    """The cells of one ``a | b | c`` row (outer pipes optional)."""
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def is_pipe_line(line: str) -> bool:
    """A line of a pipe table: two pipes, or a cell after or before a pipe, or a lone pipe."""
    stripped = line.strip()
    return stripped.count("|") >= 2 or stripped.endswith("|") or stripped.startswith("|")


def pipe_grid(lines: list[str]) -> Optional[Grid]:
    """Rows of a run of pipe lines: one cell per line (`` x |`` lines, lone ``|`` between
    rows) or rows of ``a | b`` cells, a row that wraps onto a next line joined back."""
    lines = [ln.strip() for ln in lines if ln.strip() and not MD_RULE_ROW.match(ln.strip())]
    if not lines:
        return None
    single = [ln for ln in lines if ln != "|"]
    if single and all(ln.count("|") == 1 and ln.endswith("|") for ln in single) \
            and len(single) < len(lines):
        return _cell_per_line(lines)
    rows: list[list[str]] = []
    open_row = False  # the previous line ended inside a row (no closing pipe)
    for line in lines:
        if line == "|":
            open_row = False
            continue
        cells = split_pipe_row(line)
        if open_row and not line.startswith("|") and rows:
            rows[-1][-1] += cells[0]
            rows[-1].extend(cells[1:])
        else:
            rows.append(cells)
        open_row = line.startswith("|") and not line.endswith("|")
    rows = [row for row in rows if any(cell for cell in row)]
    return Grid(_merged_header_runs(rows), "pipes") if rows else None


def _merged_header_runs(rows: list[list[str]]) -> list[list[str]]:
    """Rows of a table whose merged cells were read out in order: a header row of value
    columns, then each row's name and values running on across ragged rows
    (``年初预算数 | 全年预算数 | 分值 | 得分 | 年度资金总额`` / ``120 | 118 | 10 | 9.8 | 其中：…``),
    rebuilt with ``stream_grid``; rows of even width are left as they are."""
    out: list[list[str]] = []
    i = 0
    while i < len(rows):
        if i + 1 < len(rows) and _runs_on(rows[i], rows[i + 1]):
            rebuilt, used = _stream_from(rows, i)
            if rebuilt is not None:
                out.extend(rebuilt)
                i = used
                continue
        out.append(rows[i])
        i += 1
    return out


def _runs_on(row: list[str], following: list[str]) -> bool:
    """The row after a header row is not a row of its own: its width differs, or it starts
    with values and ends with a name (the next row's, read out before its values)."""
    return len(following) != len(row) or (value_shape(following[0]) is not None
                                          and value_shape(following[-1]) is None)


def _stream_from(rows: list[list[str]], start: int) -> tuple[Optional[list[list[str]]], int]:
    """The rows rebuilt from the cell stream starting at row ``start``, and the index of the
    first row not used (a row partly used keeps its remaining cells as a row)."""
    stream = [(r, cell) for r in range(start, len(rows)) for cell in rows[r]]
    cells = [cell for _, cell in stream]
    headers = _header_cells(cells)
    if headers is None or len(headers) > len(rows[start]):
        return None, start
    groups = _name_value_groups(cells[len(headers):], strict=False)
    grid = stream_grid(headers, groups) if groups else None
    if not isinstance(grid, Grid):
        return None, start
    used = len(headers) + sum(len(values) + len(parts) for parts, values in groups)
    if used >= len(stream):
        return grid.rows, len(rows)
    last_row = stream[used][0]
    rest = [cell for r, cell in stream[used:] if r == last_row]
    return grid.rows + ([rest] if rest else []), last_row + 1


def _cell_per_line(lines: list[str]) -> Optional[Grid]:
    rows: list[list[str]] = [[]]
    for line in lines:
        if line == "|":
            if rows[-1]:
                rows.append([])
            continue
        rows[-1].append(line[:-1].strip())
    rows = [row for row in rows if row]
    return Grid(rows, "pipe_cells") if rows else None


# -- spaced layouts --------------------------------------------------------------------------

def spaced_cells(line: str) -> list[tuple[int, int, str]]:
    """The cells of a spaced line with their display columns (a CJK character is two wide).

    Columns aligned by runs of spaces (a pdf text layer laid out, a console table) part
    cells at two or more spaces, so a cell may hold one (``合 计``); otherwise at any space.
    """
    aligned = re.search(r"\S(?: {2,}|\u3000+)\S", line) is not None
    parts = re.finditer(r"\S+(?: \S+)*" if aligned else r"\S+", line)
    columns, width = [], 0
    for ch in line:
        columns.append(width)
        width += display_columns(ch)
    columns.append(width)
    cells: list[tuple[int, int, str]] = []
    for m in parts:
        cell = (columns[m.start()], columns[m.end()], m.group())
        if cells and all(_letter(part) for part in cells[-1][2].split(" ")) \
                and _letter(m.group()):
            start, _, text = cells.pop()  # a word spaced out letter by letter: 合    计
            cell = (start, cell[1], text + " " + m.group())
        cells.append(cell)
    return cells


def _letter(text: str) -> bool:
    """One CJK character standing alone."""
    return len(text) == 1 and "\u4e00" <= text <= "\u9fff"


def spaced_header(line: str) -> Optional[list[str]]:
    """The cells of a header line of known column names parted by spaces, else None."""
    config = load("tables")
    rules = config["spaced_rows"]
    if len(line.split(None, rules["min_header_cells"] - 1)) < rules["min_header_cells"]:
        return None  # most lines: prose without spaces
    cells = [text for _, _, text in spaced_cells(line)]
    if len(cells) < rules["min_header_cells"] or any(SPACED_NUMBER.fullmatch(c) for c in cells):
        return None
    named = sum(any(word in cell.replace(" ", "") for word in config["header_words"])
                for cell in cells)
    return cells if named >= rules["min_header_words"] else None


def spaced_row(line: str, width: int, header: str = "") -> Optional[list[str]]:
    """A row under a spaced header, ``width`` cells: names (年度资金总额; 产出指标 数量指标
    培训人次) then values (numbers, percentages, numbers with their unit) or empty marks,
    at least one value. A row of columns aligned under ``header`` with cells left blank
    gets its cells placed under the header cells they sit beneath."""
    spans = spaced_cells(line)
    cells = [text for _, _, text in spans]
    if header and len(cells) < width:
        cells = _aligned(spans, spaced_cells(header))
        if cells is None:
            return None
    is_value = [value_shape(c) is not None for c in cells if c]
    if len(cells) != width or not cells[0] or is_value[0] or True not in is_value:
        return None
    first_value = is_value.index(True)
    if not all(is_value[first_value:]):
        return None
    return cells if any(value_shape(c) not in (None, "empty") for c in cells) else None


def _aligned(spans: list[tuple[int, int, str]], header: list[tuple[int, int, str]]
             ) -> Optional[list[str]]:
    """Cells placed under the header cell each overlaps most; None unless every cell
    overlaps one header cell and no two share one."""
    cells = [""] * len(header)
    for start, end, text in spans:
        overlaps = [min(end, h_end) - max(start, h_start) for h_start, h_end, _ in header]
        best = max(range(len(header)), key=lambda i: overlaps[i])
        if overlaps[best] <= 0 or cells[best]:
            return None
        cells[best] = text
    return cells


def _is_header_cell(cell: str) -> bool:
    rules = _config()["header_run"]
    return (value_shape(cell) is None and len(cell) <= rules["max_header_chars"]
            and not SENTENCE_MARKS.search(cell) and column_kind(cell) != "any")


def header_run_grid(line: str) -> Union[Grid, str, None]:
    """A line of header cells followed by row names and values, rebuilt as a table; a
    warning (str) when it is such a line but its values can't be placed with confidence;
    None when the line is not a header run."""
    tokens = line.split()
    if len(tokens) < _config()["header_run"]["min_header_cells"] + 1:
        return None
    headers = _header_cells(tokens)
    if headers is None:
        return None
    groups = _name_value_groups(tokens[len(headers):])
    if groups is None:
        return None
    return stream_grid(headers, groups)


def _is_name_header(cell: str) -> bool:
    """A header of a row-name column: 一级指标, 项目名称 (no value kind)."""
    return value_shape(cell) is None and column_kind(cell) == "any" \
        and any(word in cell for word in _config()["name_columns"]) \
        and len(cell) <= _config()["header_run"]["max_header_chars"]


def _header_cells(cells: list[str]) -> Optional[list[str]]:
    """The leading header cells of a run, when there are enough of them and values follow:
    name-column headers first (项目; 一级指标 二级指标 三级指标), then value columns."""
    count = 1 if cells and cells[0] in _config()["name_columns"] else 0
    while count < len(cells) and _is_name_header(cells[count]):
        count += 1
    while count < len(cells) and _is_header_cell(cells[count]):
        count += 1
    if count < _config()["header_run"]["min_header_cells"] or count == len(cells):
        return None
    return cells[:count]


def stream_grid(headers: list[str], groups: list[tuple[list[str], list[str]]]
                ) -> Union[Grid, str, None]:
    """Header cells and (row name parts, values) groups as a table; the values of each row
    placed under the columns whose kind they fit (``place_values``). Several name columns
    (一级指标 二级指标 三级指标) take a row's name parts from the right: a row that shares
    its first names with the row above (merged cells) writes only its last ones, and gets
    the row above's, as a docx reader repeats a merged cell's text."""
    if sum(len(values) for _, values in groups) < _config()["header_run"]["min_values"]:
        return None
    name_count = next((i for i, h in enumerate(headers) if not _is_name_header(h)), 0)
    if name_count >= 2:
        return _named_rows(headers[:name_count], headers[name_count:], groups)
    named = any(parts for parts, _ in groups[1:]) or \
        any(word in headers[0] for word in _config()["name_columns"])
    first_unnamed = named and not groups[0][0]
    if first_unnamed:
        # the first row's name was read as the last header cell (年度资金总额 holds 资金)
        if len(headers) <= _config()["header_run"]["min_header_cells"]:
            return None
        groups = [([headers[-1]], groups[0][1])] + groups[1:]
        headers = headers[:-1]
    if named and (not first_unnamed or any(w in headers[0] for w in _config()["name_columns"])):
        name_headers, headers = headers[:1], headers[1:]
    else:
        name_headers = [""] if named else []
    return _named_rows(name_headers, headers, groups)


def _named_rows(name_headers: list[str], headers: list[str],
                groups: list[tuple[list[str], list[str]]]) -> Union[Grid, str]:
    """The grid: name columns, then value columns with each row's values placed by kind."""
    kinds = [column_kind(h) for h in headers]
    rows = [name_headers + headers]
    exact = True
    width = len(name_headers)
    for parts, values in groups:
        name = "".join(parts)
        overflow = len(values) - len(kinds)
        if 0 < overflow < width and len(parts) + overflow <= width \
                and all(value_shape(v) == "empty" for v in values[:overflow]):
            # a name spanning the name columns, the rest written as empty marks (总分 / / …)
            parts, values = parts + values[:overflow], values[overflow:]
        places = place_values(values, kinds) if len(values) <= len(kinds) else None
        if places is None:
            return (f"a table flattened to one run could not be rebuilt (the values of "
                    f"{name or 'a row'} fit the columns {' '.join(headers)} more than one way "
                    f"or none): only figures with their own unit were read")
        exact = exact and len(values) == len(headers)
        cells = [""] * len(headers)
        for value, column in zip(values, places):
            cells[column] = value
        if width > 1:
            extra = len(parts) - width + 1  # more parts than name columns: the first ones join
            names = (["".join(parts[:extra])] + parts[extra:]) if extra > 1 else list(parts)
            above = rows[-1][:width] if len(rows) > 1 else [""] * width
            names = above[:width - len(names)] + names  # merged name cells: the row above's
        else:
            names = [name] if width else []
        rows.append(names + cells)
    return Grid(rows, "header_run", HIGH if exact else MEDIUM)


def _name_value_groups(tokens: list[str], strict: bool = True
                       ) -> Optional[list[tuple[list[str], list[str]]]]:
    """Tokens after a header run as (row name parts, values) groups. ``strict``: None when a
    token is prose; else the groups before the first prose token or name without values."""
    rules = _config()["header_run"]
    groups: list[tuple[list[str], list[str]]] = []
    for token in tokens:
        if value_shape(token) is not None:
            if not groups:
                groups.append(([], []))
            groups[-1][1].append(token)
            continue
        if SENTENCE_MARKS.search(token) or len(token) > rules["max_name_chars"] \
                or (not strict and groups and not groups[-1][1]):
            if strict:
                return None
            break
        if groups and not groups[-1][1]:
            groups[-1][0].append(token)  # a name written in parts (其中： 财政拨款; 一级 二级 三级)
        else:
            groups.append(([token], []))
    if groups and not groups[-1][1]:
        if strict:
            return None
        groups.pop()
    return groups or None


def _is_ledger_name(token: str) -> bool:
    words = _config()["ledger"]["header_words"]
    return value_shape(token) is None and not any(word in token for word in words) \
        and len(token) <= _config()["header_run"]["max_name_chars"] + 10


def ledger_grid(line: str) -> Optional[Grid]:
    """A final-accounts table flattened to one line: a header with 行次 (项目 行次 金额, maybe
    twice side by side, or 项目 行次 预算数 决算数), then rows of a name, its 行次 number and
    one value per column after 行次; 栏次 numbers between them are dropped."""
    rules = _config()["ledger"]
    if rules["header_words"][0] not in line:
        return None
    tokens = line.split()
    marks = [i for i, token in enumerate(tokens) if token in rules["header_words"][:1]]
    if not marks or marks[0] == 0:
        return None
    width = _ledger_width(tokens, marks[0])
    header = tokens[marks[0] - 1:marks[0] + 1 + width] if width else []
    if not header:
        return None
    rows: list[list[str]] = []
    i = marks[0] + 1 + width
    while i < len(tokens):
        name = tokens[i]
        cells = tokens[i + 1:i + 2 + width]
        if len(cells) == width + 1 and _is_ledger_name(name) and value_shape(cells[0]) == "int" \
                and all(_ledger_value(c, width) for c in cells[1:]):
            rows.append([name] + cells)
            i += 2 + width
            continue
        if rows and value_shape(name) is None and SENTENCE_MARKS.search(name):
            return None  # prose after the rows: not a table line
        i += 1
    if len(rows) < rules["min_triples"]:
        return None
    return Grid([header] + rows, "ledger")


def _ledger_width(tokens: list[str], mark: int) -> int:
    """How many value columns follow 行次 in the header (up to the next 项目 or 栏次)."""
    width = 0
    for at in range(mark + 1, len(tokens)):
        token = tokens[at]
        named_row = at + 1 < len(tokens) and value_shape(tokens[at + 1]) == "int"
        if value_shape(token) is not None or token in _config()["ledger"]["header_words"] \
                or token == tokens[mark - 1] or column_kind(token) == "any" or named_row:
            break
        width += 1
    return width


def _ledger_value(cell: str, width: int) -> bool:
    """A value of a ledger row: with one amount column, written with decimals (0.00) so a
    row number is never taken for it."""
    shape = value_shape(cell)
    return shape in ("dec", "empty") if width == 1 else shape not in (None, "word")


# -- glued layout: no separators at all --------------------------------------------------------

@lru_cache(maxsize=1)
def _glued_patterns() -> tuple[re.Pattern, re.Pattern]:
    """(a run of glued header cells, one token of a glued row: a value or a word)."""
    rules = _config()["glued"]
    cells = "|".join(re.escape(c) for c in sorted(rules["header_cells"], key=len, reverse=True))
    cell = rf"(?:{cells})(?:[(（][A-Za-z/／+\-]{{1,5}}[)）])?"
    header = re.compile(rf"(?:{cell}){{{rules['min_header_cells']},}}")
    unit = recognizer().unit_re  # every unit form, with its not_before guard (10成本 is 10)
    marks = "".join(re.escape(m) for m in _config()["qualifier_marks"])
    value = rf"[{marks}]?\d[\d.,]*(?:{unit})?"
    word = rf"(?:[^\d{marks}(（]|[(（][^)）]*[)）]|[(（])+"
    return header, re.compile(rf"(?P<value>{value})|(?P<word>{word})")


on_change(_glued_patterns.cache_clear)



def _glued_header(text: str) -> list[str]:
    """The header cells of a glued header run, in order."""
    rules = _config()["glued"]
    cells = "|".join(re.escape(c) for c in sorted(rules["header_cells"], key=len, reverse=True))
    return re.findall(rf"(?:{cells})(?:[(（][A-Za-z/／+\-]{{1,5}}[)）])?", text)


def glued_pieces(line: str, written: Optional[str] = None) -> Optional[list[Piece]]:
    """A line holding tables whose separators were lost, as text and grids; None when the
    line holds no glued header run followed by at least one row that can be split. The text
    around the grids comes from ``written`` (the line as written, when ``line`` is its
    simplified form: one character for one)."""
    written = line if written is None else written
    rules = _config()["glued"]
    if sum(cell in line for cell in rules["header_cells"]) < rules["min_header_cells"]:
        return None
    header_re, _ = _glued_patterns()
    pieces: list[Piece] = []
    position = 0
    found = False
    for match in header_re.finditer(line):
        if match.start() < position:
            continue
        headers = _glued_header(match.group())
        rows, end, warnings = _glued_rows(line, match.end(), headers)
        if not rows:
            continue
        lead = _unit_cell_before(line, match.start())
        if line[position:match.start() - len(lead)].strip():
            pieces.append(written[position:match.start() - len(lead)])
        named = [lead] + headers if lead or rows[0][0] else headers
        pieces.append(Grid([named] + [row if len(row) == len(named) else row[1:] for row in rows],
                           "glued", MEDIUM, warnings))
        position, found = end, True
    if not found:
        return None
    if line[position:].strip():
        pieces.append(written[position:])
    return pieces


def _unit_cell_before(line: str, start: int) -> str:
    """A unit in brackets right before a header run (资金情况(万元)): the table's corner cell."""
    match = re.search(r"[(（](?:万元|元|亿元|千元)[)）]$", line[:start])
    return match.group() if match else ""


def _glued_rows(line: str, start: int, headers: list[str]
                ) -> tuple[list[list[str]], int, list[str]]:
    """Rows after a glued header run: ([name, values per header...], where they end, warnings)."""
    rules = _config()["glued"]
    kinds = [("text" if any(w in h for w in rules["text_columns"]) else column_kind(h))
             for h in headers]
    slots = [i for i, k in enumerate(kinds) if k not in ("any", "text")]
    _, token_re = _glued_patterns()
    rows: list[list[str]] = []
    end = start
    name: Optional[str] = None
    values: list[str] = []
    warnings: list[str] = []
    row_end = start
    for token in token_re.finditer(line, start):
        text = token.group()
        if token.group("word") is None:
            if name is None:
                break
            values.append(text)
            row_end = token.end()
            continue
        prose = len(text) > rules["max_name_chars"] or re.search(r"[。；;,，]", text)
        if name is not None and values:
            row = _split_glued_row(name, values, [kinds[i] for i in slots], headers, slots, rows)
            if row is not None:
                rows.append(row)
                end, name = row_end, None
                if len(rows) > 1 and _is_total_name(row[0]):
                    return rows, end, warnings  # a total under its rows closes the table
            elif len(values) < len(slots) and not prose:
                values.append(text)  # a value written in words inside the row (显著提升)
                continue
            else:
                warnings.append(f"a table whose text lost its separators could not be read "
                                f"past {name}: its values split no way or more than one way")
                return rows, end, warnings
        if prose:
            return rows, end, warnings
        name, values = (name or "") + text.strip(":：、 "), []
    if name is not None and values:
        row = _split_glued_row(name, values, [kinds[i] for i in slots], headers, slots, rows)
        if row is not None:
            rows.append(row)
            end = row_end
        else:
            warnings.append(f"a table whose text lost its separators could not be read past "
                            f"{name}: its values split no way or more than one way")
    return rows, end, warnings


def _split_glued_row(name: str, tokens: list[str], kinds: list[str], headers: list[str],
                     slots: list[int], above: list[list[str]]) -> Optional[list[str]]:
    """The row's cells (name first, one per header) from its glued value tokens, splitting
    digit runs so the row has one value per value column; None unless exactly one split
    fits the kinds and the row's arithmetic. A sub-row (其中：…) under the first row may
    fill fewer columns (``_split_sub_row``), and so may a total row (总分, 合计) under the
    rows ``above`` it (``_split_total_row``)."""
    if above and _is_total_name(name):
        return _split_total_row(name, tokens, kinds, slots, above)
    text_values = [t for t in tokens if not re.match(r"\D?\d", t)]
    splits = [s for s in _token_splits(tokens, len(kinds)) if _fits_row(s, kinds)]
    splits = [s for s in splits if _row_arithmetic(s, [headers[i] for i in slots], kinds)]
    # cut runs of digits no more than needed: a doubled word (显著提升显著提升) before a cut 10
    digits_of = sum(1 for t in tokens if re.match(r"\D?\d", t))
    cuts = [sum(1 for v in s if re.match(r"\D?\d", v)) - digits_of for s in splits]
    splits = [s for s, c in zip(splits, cuts) if c == min(cuts, default=0)]
    if len(splits) != 1 and not (text_values and len({tuple(s) for s in splits}) == 1):
        marks = _config()["glued"]["sub_row_marks"]
        if not splits and above and name.startswith(tuple(marks)):
            return _split_sub_row(name, tokens, kinds, slots, above[0])
        return None
    cells = [""] * len(headers)
    for value, column in zip(splits[0], slots):
        cells[column] = value
    return [name] + cells


def _split_sub_row(name: str, tokens: list[str], kinds: list[str], slots: list[int],
                   total: list[str]) -> Optional[list[str]]:
    """A sub-row's values (其中：本年财政拨款 2020) cut into as few numbers as possible, each
    under a column where the total row has a number no smaller: a part never exceeds its
    whole. None unless exactly one cut and placement fit at the fewest numbers."""
    bounds = [_plain_number(total[1 + column]) for column in slots]
    for count in range(len(tokens), len(kinds)):
        found = []
        for split in _token_splits(tokens, count):
            shapes = [value_shape(v) or "word" for v in split]
            for placed in _placements(shapes, split, kinds, 0, MAX_PLACEMENTS):
                if all(_within(v, bounds[p]) for v, p in zip(split, placed)):
                    found.append((split, placed))
        if len(found) > 1:
            return None
        if found:
            cells = [""] * (len(total) - 1)
            for value, place in zip(*found[0]):
                cells[slots[place]] = value
            return [name] + cells
    return None


def _is_total_name(name: str) -> bool:
    """A row named as a table's total (总分, 合计, 总计), leading dots or marks aside."""
    return re.sub(r"^[^\u4e00-\u9fff]+", "", name) in _config()["glued"]["total_rows"]


def _split_total_row(name: str, tokens: list[str], kinds: list[str], slots: list[int],
                     above: list[list[str]]) -> Optional[list[str]]:
    """A total row's values (总分 100100) cut into one number per column it totals: a score,
    money or rate column holding numbers in the rows above (its rate may be left out). Each
    must fit its column, and a sum no smaller than any number above it (a total is no smaller
    than its parts). None unless exactly one cut fits."""
    filled = [i for i, column in enumerate(slots) if kinds[i] in ("score", "money", "rate")
              and any(_plain_number(row[1 + column]) is not None or value_shape(row[1 + column])
                      == "pct" for row in above)]
    summed = [i for i in filled if kinds[i] != "rate"]
    for columns in dict.fromkeys((tuple(filled), tuple(summed))):
        found = [split for split in _token_splits(tokens, len(columns))
                 if all(_fits_total(v, kinds[i], [row[1 + slots[i]] for row in above])
                        for v, i in zip(split, columns))]
        if len(found) > 1:
            return None
        if found:
            cells = [""] * (len(above[0]) - 1)
            for value, i in zip(found[0], columns):
                cells[slots[i]] = value
            return [name] + cells
    return None


def _fits_total(value: str, kind: str, cells_above: list[str]) -> bool:
    """A total row's value under a column of ``kind``: a rate a percentage, a sum a number
    no smaller than any number above it and written to no more places than they are."""
    if not fits(value_shape(value) or "word", kind, value):
        return False
    if kind == "rate":
        return value_shape(value) == "pct"
    number = _plain_number(value)
    return number is not None and all(number >= (_plain_number(c) or 0.0) for c in cells_above) \
        and _places(value) <= max(_places(c) for c in cells_above)


def _places(cell: str) -> int:
    """Decimal places a number cell is written to (0 for words and whole numbers)."""
    match = re.search(r"\.(\d+)", cell)
    return len(match.group(1)) if match and value_shape(cell) in ("dec", "money") else 0


def _plain_number(cell: str) -> Optional[float]:
    match = NUMBER.search(fold_width(cell).replace(",", ""))
    return float(match.group()) if match and value_shape(cell) in ("int", "dec", "money") else None


def _within(value: str, bound: Optional[float]) -> bool:
    number = _plain_number(value)
    return number is not None and bound is not None and number <= bound


def _token_splits(tokens: list[str], count: int) -> list[list[str]]:
    """Ways to cut the tokens into ``count`` values (a run of digits cut between digits)."""
    if not tokens:
        return [[]] if count == 0 else []
    first, rest = tokens[0], tokens[1:]
    out: list[list[str]] = []
    if re.match(r"\D?\d", first):
        pieces = _cuts(first, count - len(rest))
    else:  # words: one value, or the same value twice (target and result: 显著提升显著提升)
        half = first[:len(first) // 2]
        pieces = [[first]] + ([[half, half]] if len(first) % 2 == 0 and first == half * 2 else [])
    for cut in pieces:
        if len(cut) > count:
            continue
        for tail in _token_splits(rest, count - len(cut)):
            out.append(cut + tail)
            if len(out) > MAX_PLACEMENTS:
                return out
    return out


def _cuts(token: str, most: int) -> list[list[str]]:
    """A digit run cut into 1..most numbers, no number with a leading zero (0.5 and 0 are
    fine), a qualifier only at the start, a unit or % only at the end."""
    if most < 1:
        return []
    out = [[token]] if _is_number_text(token) else []
    if most == 1:
        return out
    for at in range(1, len(token)):
        head = token[:at]
        if not _is_number_text(head) or head[-1] == "." or not token[at].isdigit():
            continue
        for tail in _cuts(token[at:], most - 1):
            out.append([head] + tail)
    return out


def _is_number_text(text: str) -> bool:
    digits = re.sub(r"^\D|\D+$", "", text) if not text[-1].isdigit() else text.lstrip("".join(
        _config()["qualifier_marks"]))
    return bool(re.fullmatch(r"(?:0|[1-9]\d*)(?:\.\d+)?", digits))


def _fits_row(values: list[str], kinds: list[str]) -> bool:
    return all(fits(value_shape(v) or "word", k, v) for v, k in zip(values, kinds))


def _row_arithmetic(values: list[str], headers: list[str], kinds: list[str]) -> bool:
    """执行率 = 执行数 / 预算数 and 得分 = 分值 × 执行率 where the row has those columns."""
    from decimal import Decimal, InvalidOperation
    rules = _config()["glued"]

    def number(i: int) -> Optional[Decimal]:
        try:
            return Decimal(re.sub(r"[^\d.]", "", values[i]))
        except InvalidOperation:
            return None
    if "rate" not in kinds:
        return True
    r = kinds.index("rate")
    rate = number(r)
    budget = next((i for i in range(r) if kinds[i] == "money"
                   and any(w in headers[i] for w in rules["budget_words"])), None)
    spent = next((i for i in range(r - 1, -1, -1) if kinds[i] == "money"
                  and any(w in headers[i] for w in rules["spent_words"])), None)
    if rate is None or value_shape(values[r]) != "pct":
        return True
    rate /= 100
    if budget is not None and spent is not None and budget != spent:
        a, b = number(budget), number(spent)
        if a and b is not None and abs(b / a - rate) > Decimal(rules["rate_tolerance"]):
            return False
    weight = next((i for i in range(r) if kinds[i] == "score"), None)
    score = next((i for i in range(r + 1, len(kinds)) if kinds[i] == "score"), None)
    if weight is not None and score is not None:
        w, s = number(weight), number(score)
        if w is not None and s is not None and abs(min(w, w * rate) - s) > Decimal(rules["score_tolerance"]):
            return False
    return True


# -- the whole text ----------------------------------------------------------------------------

def rebuild(lines: Iterable[str]) -> list[Piece]:
    """The text's lines in order, runs of table lines replaced by the grid rebuilt from them.

    Tables are looked for in simplified characters (the pattern files' script) with half-width
    digits: a grid of a report in traditional characters or full-width digits holds its cells
    so, every other line comes back as written. Warnings of lines that looked like a table but could not be
    rebuilt are attached to the following grid-less position as a Grid with no rows (the
    reader reports them).
    """
    pieces: list[Piece] = []
    originals = list(lines)
    lines = [simplified(line).translate(HALF_WIDTH_NUMBERS) for line in originals]
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if is_pipe_line(line) and (line.count("|") >= 2 or _pipe_run_length(lines, i) >= 2):
            end = _pipe_run_end(lines, i)
            grid = pipe_grid(lines[i:end])
            if grid is not None:
                pieces.append(grid)
            i = end
            continue
        if line.count("\t") >= 2:
            end = i
            while end < len(lines) and lines[end].strip().count("\t") >= 2:
                end += 1
            pieces.append(Grid([[c.strip() for c in ln.strip().split("\t")]
                                for ln in lines[i:end]], "tabs"))
            i = end
            continue
        header = spaced_header(line)
        if header is not None:
            rows, end = _spaced_rows(lines, i + 1, len(header), lines[i].rstrip())
            if rows:
                pieces.append(Grid([header] + rows, "spaced"))
                i = end
                continue
        one_line = ledger_grid(line) or header_run_grid(line)
        glued = glued_pieces(lines[i], originals[i]) if one_line is None and " " not in line \
            else None
        if glued is not None:
            pieces.extend(glued)
        elif isinstance(one_line, Grid):
            pieces.append(one_line)
        elif isinstance(one_line, str):
            pieces.append(Grid([], "header_run", 0.0, [one_line]))
            pieces.append(originals[i])
        else:
            pieces.append(originals[i])
        i += 1
    return pieces


def _pipe_run_length(lines: list[str], start: int) -> int:
    return _pipe_run_end(lines, start) - start


def _pipe_run_end(lines: list[str], start: int) -> int:
    """End of the run of pipe lines from ``start``; a line without pipes right after a line
    that left a row open (no closing pipe) continues that row."""
    end = start
    while end < len(lines):
        line = lines[end].strip()
        if is_pipe_line(line) or (end > start and "|" in line):
            end += 1
            continue
        previous = lines[end - 1].strip() if end > start else ""
        if line and previous.startswith("|") and not previous.endswith("|") \
                and end + 1 < len(lines) and "|" in lines[end + 1]:
            end += 1
            continue
        break
    return end


def _spaced_rows(lines: list[str], start: int, width: int, header: str
                 ) -> tuple[list[list[str]], int]:
    """Rows of a spaced table from ``start`` (blank lines between them skipped)."""
    rows: list[list[str]] = []
    end = start
    while end < len(lines):
        line = lines[end].rstrip()
        if not line.strip():
            end += 1
            continue
        row = spaced_row(line, width, header)
        if row is None:
            break
        rows.append(row)
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return rows, end
