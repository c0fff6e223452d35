"""Tables that text extraction flattened to one cell per line, and their bare numbers.

Web pages copied to text often put every cell of a self-evaluation table on its own line.
The column structure is lost, but a run of short lines under table headers (分值, 得分,
预算数 ...) is still a table: a line holding only a number there is a figure.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .figures import RawFigure
from .models import Block
from .normalize import fold_width
from .patterns import load

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


def bare_number_figures(run: list[Block]) -> dict[int, RawFigure]:
    """Block index -> figure for each run block that is only a number."""
    joined = " ".join(b.text for b in run)
    scale = Decimal(10000) if re.search(r"万元|萬元", joined) else Decimal(1)
    out: dict[int, RawFigure] = {}
    for block in run:
        folded = fold_width(block.text)
        stripped = folded.strip()
        if not BARE_NUMBER.fullmatch(stripped):
            continue
        start = folded.index(stripped)
        value = Decimal(stripped)
        if value == value.to_integral_value() and 0 <= value <= 100 and "." not in stripped:
            kind, normalized, unit = "score", value, "分"
        else:
            kind, normalized, unit = "money", value * scale, "元"
        out[block.index] = RawFigure(start=start, end=start + len(stripped),
                                     text=block.text[start:start + len(stripped)], value=value,
                                     unit="", kind=kind, normalized_value=normalized,
                                     normalized_unit=unit, extra={"flattened_table": True})
    return out
