"""One report file -> Report: read blocks, find figures, attach labels and metadata."""
from __future__ import annotations

import re
from bisect import bisect_left
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .annotate import annotate
from .check import check_report
from .figures import RawFigure, recognizer
from .hashing import file_sha256
from .meta import read_meta
from .models import (
    Block,
    Cell,
    Figure,
    Issue,
    Location,
    Normalized,
    Range,
    Report,
    Source,
)
from .numerals import plain
from .readers import Document, read_document
from .readers.ocr import mark_figures
from .tables import bare_number_figures, flattened_runs, inline_row_scores

SENTENCE_END = "。！？；!?;"
SENTENCE_BREAKS = frozenset(SENTENCE_END + "\n")


@lru_cache(maxsize=64)
def _sentence_breaks(text: str) -> list[int]:
    """Sorted offsets of the sentence (and line) ends in a block text."""
    return [i for i, ch in enumerate(text) if ch in SENTENCE_BREAKS]


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or table row) holding text[start:end]."""
    breaks = _sentence_breaks(text)
    before = bisect_left(breaks, start)
    left = breaks[before - 1] + 1 if before else 0
    after = bisect_left(breaks, end)
    right = breaks[after] + 1 if after < len(breaks) else len(text)
    return text[left:right].strip()


BARE_NUMBER = re.compile(r"-?\d+(?:\.\d+)?%?")
UNIT_CAPTION = re.compile(r"[（(]?\s*(?:单位|金额单位|计量单位)\s*[:：]\s*(万元|元|亿元|千元)")
UNIT_IN_HEADER = re.compile(r"[（(]\s*(万元|元|亿元|千元)\s*[)）]")


class TableHeaders:
    """What a bare number in a cell of one table block is: its headers and unit hints.

    Built once per table block, so a header costs a look-up, not a pass over all cells.
    """

    def __init__(self, block: Block, caption: str = "") -> None:
        self.rows: dict[int, list[Cell]] = {}
        self.cols: dict[int, list[Cell]] = {}
        self.starts: dict[tuple[int, int], int] = {}
        for cell in block.cells:
            self.rows.setdefault(cell.row, []).append(cell)
            self.cols.setdefault(cell.col, []).append(cell)
            self.starts.setdefault((cell.row, cell.col), cell.start)
        # a unit stated anywhere before a cell counts; these patterns match in a prefix of the
        # text exactly where they match in the whole text and end inside the prefix
        self.in_header = [(m.end(), m.group(1)) for m in UNIT_IN_HEADER.finditer(block.text)]
        self.in_caption = [(m.end(), m.group(1)) for m in UNIT_CAPTION.finditer(block.text)]
        self.caption_units = UNIT_CAPTION.findall(caption)

    def column(self, row: int, col: int) -> str:
        """The nearest non-numeric cell above: the cell's own column header."""
        above = [c.text for c in self.cols.get(col, []) if c.row < row and c.text.strip()
                 and not BARE_NUMBER.fullmatch(c.text.strip())]
        return above[-1] if above else ""

    def row_name(self, row: int, col: int) -> str:
        """The last non-numeric cell left of a cell: the row's (indicator's) name."""
        left = [c.text.strip() for c in self.rows.get(row, []) if c.col < col and c.text.strip()
                and not BARE_NUMBER.fullmatch(c.text.strip())]
        return left[-1] if left else ""

    def header(self, row: int, col: int) -> str:
        """Column headers above a cell plus the row's first cells: what a bare number is.

        A unit caption above the table ("表1 ……（单位：万元）") applies to all its cells.
        """
        above = [c.text for c in self.cols.get(col, []) if c.row < row]
        left = [c.text for c in self.rows.get(row, []) if c.col < col]
        before = self.starts.get((row, col), 0)
        units = ([unit for end, unit in self.in_header if end <= before]
                 + [unit for end, unit in self.in_caption if end <= before] + self.caption_units)
        return " ".join(above[-3:] + left[:2]) + " " + " ".join(units)


def block_figures(block: Block, caption: str = "") -> list[RawFigure]:
    """All figures in one block; table cells holding a bare number included.

    ``caption`` is the text just above a table, where its unit is often stated.
    """
    found = recognizer().find(block.text)
    if block.kind != "table":
        scores = inline_row_scores(block.text, found)
        return sorted(found + scores, key=lambda f: f.start) if scores else found
    covered = bytearray(len(block.text))  # 1 where a figure already sits
    for figure in found:
        covered[figure.start:figure.end] = b"\x01" * (figure.end - figure.start)
    headers = TableHeaders(block, caption)
    for cell in block.cells:
        if any(covered[cell.start:cell.end]):
            continue
        bare = recognizer().find_bare_cell(cell.text, headers.header(cell.row, cell.col),
                                           headers.column(cell.row, cell.col),
                                           headers.row_name(cell.row, cell.col))
        if bare is not None:
            bare.start += cell.start
            bare.end += cell.start
            found.append(bare)
    found.sort(key=lambda f: f.start)
    return found


def to_figure(raw: RawFigure, block: Block, number: int) -> Figure:
    cell = block.cell_at(raw.start) if block.kind == "table" else None
    rng = Range(low=Decimal(plain(raw.low)), high=Decimal(plain(raw.high))) \
        if raw.high is not None else None
    return Figure(
        id=f"f{number:04d}", text=raw.text, value=raw.value, unit=raw.unit, kind=raw.kind,
        normalized=Normalized(value=Decimal(plain(raw.normalized_value)), unit=raw.normalized_unit),
        approx=raw.approx, qualifier=raw.qualifier, range=rng, direction=raw.direction,
        label=None,  # set with the whole report in view: extractor.labels via annotate.annotate
        location=Location(page=block.page, block=block.index, start=raw.start, end=raw.end,
                          section=block.section, row=cell.row if cell else None,
                          col=cell.col if cell else None),
        sentence=sentence_around(block.text, raw.start, raw.end),
    )


def document_figures(document: Document) -> list[Figure]:
    """Figure-only extraction: every figure of a read document, without labels or metrics."""
    figures: list[Figure] = []
    flattened: dict[int, RawFigure] = {}
    for run in flattened_runs(document.blocks):
        flattened.update(bare_number_figures(run))
    for position, block in enumerate(document.blocks):
        caption = document.blocks[position - 1].text if position and block.kind == "table" else ""
        raws = block_figures(block, caption) or ([flattened[block.index]] if block.index in flattened else [])
        for raw in raws:
            figures.append(to_figure(raw, block, len(figures) + 1))
    mark_figures(document, figures)  # figures read by OCR say so (issue 12)
    return figures


def annotated_report(document: Document, path: Path) -> Report:
    """A report with figures, labels, metrics and metadata, before the consistency checks."""
    figures = document_figures(document)
    meta = read_meta(document.blocks)
    annotated = annotate(document.blocks, figures, meta)  # labels, metrics, self-eval table
    return Report(
        source=Source(path=str(path), sha256=file_sha256(path), format=document.format,
                      pages=document.pages),
        meta=meta,
        figures=figures,
        metrics=annotated.metrics,
        self_eval_table=annotated.table,
        warnings=[Issue(stage="read", message=w) for w in document.warnings],
    )


def build_report(document: Document, path: Path) -> Report:
    """The full report: annotated figures plus the consistency checker's findings."""
    report = annotated_report(document, path)
    report.findings = [finding.as_dict() for finding in check_report(report, document)]
    return report


def extract(path: str | Path) -> Report:
    """Extract every figure of one report file. Raises readers.ReaderError on bad input."""
    path = Path(path)
    return build_report(read_document(path), path)
