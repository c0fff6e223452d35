"""Tables that text extraction flattened to one cell per line, and their bare numbers.

Web pages copied to text often put every cell of a self-evaluation table on its own line.
The column structure is lost, but a run of short lines under table headers (分值, 得分,
预算数 ...) is still a table: a line holding only a number there is a figure.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from .figures import RawFigure, recognizer
from .models import Block
from .normalize import fold_width
from .patterns import load, on_change

BARE_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _settings() -> dict:
    return load("tables")


def flattened_runs(blocks: list[Block]) -> list[list[Block]]:
    """Runs of consecutive short paragraph blocks that carry table header words."""
    settings = _settings()
    max_chars, min_run = settings["max_cell_chars"], settings["min_run_blocks"]
    headers = re.compile("|".join(settings["header_words"]))
    runs: list[list[Block]] = []
    current: list[Block] = []
    padded: list[Block | None] = [*blocks, None]
    for position, block in enumerate(padded):
        if block is not None and block.kind != "table" and len(block.text.strip()) <= max_chars:
            current.append(block)
            continue
        following = padded[position + 1] if position + 1 < len(padded) else None
        if (block is not None and block.kind != "table" and current and following is not None
                and len(following.text.strip()) <= max_chars):
            current.append(block)  # one long cell (a remark) inside the table
            continue
        if len(current) >= min_run:
            joined = " ".join(b.text for b in current)
            if len(headers.findall(joined)) >= settings["min_header_words"]:
                runs.append(current)
        current = []
    return runs


def is_numbered(run: list[Block]) -> bool:
    """The run's table numbers its rows or columns (行次, 栏次): whole numbers are ordinals."""
    return any(word in block.text for block in run for word in _settings()["ordinal_headers"])


def is_ordinal_line(text: str) -> bool:
    """A line holding only a whole number: a row or column number in a numbered table."""
    return re.fullmatch(r"\d+", fold_width(text).strip()) is not None


def bare_number_figures(run: list[Block]) -> dict[int, RawFigure]:
    """Block index -> figure for each run block that is only a number, or a cell read with
    the name before it (造林补助 / 每亩300, 产出指标 / （50）: Recognizer.find_named_cell)."""
    joined = " ".join(b.text for b in run)
    scale = Decimal(10000) if re.search(r"万元|萬元", joined) else Decimal(1)
    numbered = is_numbered(run)
    out: dict[int, RawFigure] = {}
    row_name = ""
    for block in run:
        folded = fold_width(block.text)
        stripped = folded.strip()
        if not BARE_NUMBER.fullmatch(stripped):
            named = recognizer().find_named_cell(block.text, row_name)
            if named is not None:
                out[block.index] = named
            elif stripped:
                row_name = stripped
            continue
        if numbered and "." not in stripped:
            continue
        start = folded.index(stripped)
        value = Decimal(stripped)
        if value == value.to_integral_value() and 0 <= value <= 100 and "." not in stripped \
                and not numbered:
            kind, normalized, unit = "score", value, "分"
        else:
            kind, normalized, unit = "money", value * scale, "元"
        out[block.index] = RawFigure(start=start, end=start + len(stripped),
                                     text=block.text[start:start + len(stripped)], value=value,
                                     unit="", kind=kind, normalized_value=normalized,
                                     normalized_unit=unit, extra={"flattened_table": True})
    return out


@lru_cache(maxsize=1)
def _inline_row_number() -> re.Pattern:
    """A number standing alone between spaces, or right after a total word (合计100)."""
    totals = "|".join(re.escape(str(w)) for w in _settings()["inline_rows"]["total_words"])
    return re.compile(rf"(?:(?P<total>{totals})\s?|(?<=\s))(?P<number>-?\d+(?:\.\d+)?)(?=\s|$)")


on_change(_inline_row_number.cache_clear)


def inline_row_scores(text: str, found: list[RawFigure]) -> list[RawFigure]:
    """Scores in a self-evaluation table flattened to one line per row, cells parted by spaces.

    ``found`` are the figures already recognised in ``text`` (the indicator values); a bare
    number right after one of them, or after another such score, is a score, and so is the
    number after a total word (合计100).
    """
    settings = _settings()["inline_rows"]
    if sum(word in text for word in settings["indicator_words"]) < settings["min_indicator_words"]:
        return []
    folded = fold_width(text)
    ends = {f.end for f in found}
    taken = [(f.start, f.end) for f in found]
    scores: list[RawFigure] = []
    for m in _inline_row_number().finditer(folded):
        start, end = m.span("number")
        if any(s < end and start < e for s, e in taken):
            continue
        after_value = len(folded[:start].rstrip()) in ends
        value = Decimal(m.group("number"))
        if not (after_value or m.group("total")) or not 0 <= value <= settings["max_score"]:
            continue
        scores.append(RawFigure(start=start, end=end, text=text[start:end], value=value, unit="",
                                kind="score", normalized_value=value, normalized_unit="分",
                                extra={"inline_row": True}))
        ends.add(end)
    return scores
