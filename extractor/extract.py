"""One report file -> Report: read blocks, find figures, attach labels and metadata."""
from __future__ import annotations

import re
from bisect import bisect_left
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .annotate import annotate
from .cells import CellFinder, ProseUnits, RaggedCells, TableCells, is_bare, table_cells
from .check import check_report
from .figures import RawFigure, recognizer
from .hashing import file_sha256
from .meta import read_meta
from .models import (
    Block,
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
from .script import restored_report, simplified_document
from .tables import bare_number_figures, flattened_runs, inline_row_scores

MAX_CAPTION_CHARS = 80  # a caption line above a table (title, unit, 编制单位) is short
SENTENCE_END = "。！？；!?;"
SENTENCE_BREAKS = re.compile("[" + re.escape(SENTENCE_END) + "\n]")


@lru_cache(maxsize=64)
def _sentence_breaks(text: str) -> list[int]:
    """Sorted offsets of the sentence (and line) ends in a block text."""
    return [m.start() for m in SENTENCE_BREAKS.finditer(text)]


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or table row) holding text[start:end]."""
    breaks = _sentence_breaks(text)
    before = bisect_left(breaks, start)
    left = breaks[before - 1] + 1 if before else 0
    after = bisect_left(breaks, end)
    right = breaks[after] + 1 if after < len(breaks) else len(text)
    return text[left:right].strip()


def block_figures(block: Block, caption: str = "", prose: ProseUnits | None = None
                  ) -> list[RawFigure]:
    """All figures in one block; table cells holding a bare number included.

    ``caption`` is the text just above a table, where its unit is often stated; ``prose``
    the money units of the report's prose, for a table that states none (see cells.py).
    """
    if block.kind == "table":
        return table_figures(block, table_cells(block, caption, prose))
    found = recognizer().find(block.text)
    scores = inline_row_scores(block.text, found)
    return sorted(found + scores, key=lambda f: f.start) if scores else found


def table_figures(block: Block, cells: TableCells | RaggedCells) -> list[RawFigure]:
    """The figures of a table block: those written with a unit, then the bare numbers
    read by ``cells`` (the table's headers, captions and units)."""
    finder = CellFinder(block)
    found = [f for f in recognizer().find(block.text) if _within_one_cell(finder, f)]
    covered = bytearray(len(block.text))  # 1 where a figure already sits
    for figure in found:
        covered[figure.start:figure.end] = b"\x01" * (figure.end - figure.start)
    for cell in block.cells:
        if any(covered[cell.start:cell.end]) or not is_bare(cell.text):
            continue
        bare = cells.figure(cell)
        if bare is not None:
            bare.start += cell.start
            bare.end += cell.start
            found.append(bare)
    found.sort(key=lambda f: f.start)
    return found


def table_caption(blocks: list[Block], position: int) -> str:
    """The text above a table where its title and unit stand: the block right above it and
    up to two short lines before that (表1 … / 单位：万元 / 编制单位：…), not past a table."""
    lines: list[str] = []
    for back in range(position - 1, max(position - 4, -1), -1):
        block = blocks[back]
        if block.kind == "table" or (lines and len(block.text) > MAX_CAPTION_CHARS):
            break
        lines.insert(0, block.text)
    return " ".join(lines)


def _within_one_cell(finder: CellFinder, figure: RawFigure) -> bool:
    """A figure the recognizer found in a table's text lies inside one cell (a unit read
    from the next row's first word, 0.00\n本年…, is not a unit)."""
    cell = finder.at(figure.start)
    return cell is not None and figure.end <= cell.end


def prose_units(blocks: list[Block], raws: dict[int, list[RawFigure]]) -> ProseUnits:
    """The money figures of the prose blocks: (written value, unit factor, 元 value)."""
    money = []
    for block in blocks:
        if block.kind == "table":
            continue
        for raw in raws.get(block.index, []):
            if raw.kind == "money" and raw.unit and raw.value and raw.high is None:
                money.append((raw.value, raw.normalized_value / raw.value, raw.normalized_value))
    return ProseUnits(money)


def to_figure(raw: RawFigure, block: Block, number: int, finder: CellFinder | None = None
              ) -> Figure:
    """The output Figure of one recognised figure; ``finder`` finds table cells quickly."""
    cell = (finder.at(raw.start) if finder else block.cell_at(raw.start)) \
        if block.kind == "table" else None
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


def document_figures(document: Document, readers: dict | None = None) -> list[Figure]:
    """Figure-only extraction: every figure of a read document, without labels or metrics.

    ``readers``, when given, receives the cell reader built for each table block (by block
    index), for the labels to reuse."""
    figures: list[Figure] = []
    flattened: dict[int, RawFigure] = {}
    for run in flattened_runs(document.blocks):
        flattened.update(bare_number_figures(run))
    raws: dict[int, list[RawFigure]] = {b.index: block_figures(b) for b in document.blocks
                                        if b.kind != "table"}
    _list_head_counts(document.blocks, raws)
    prose = prose_units(document.blocks, raws)
    previous: TableCells | RaggedCells | None = None
    for position, block in enumerate(document.blocks):
        if block.kind == "table":
            cells = table_cells(block, table_caption(document.blocks, position), prose,
                                previous if position and document.blocks[position - 1].kind
                                == "table" else None, document.format)
            raws[block.index] = table_figures(block, cells)
            previous = cells
            if readers is not None:
                readers[block.index] = cells
        own = raws[block.index] or ([flattened[block.index]] if block.index in flattened else [])
        finder = CellFinder(block) if block.kind == "table" else None
        for raw in own:
            figures.append(to_figure(raw, block, len(figures) + 1, finder))
    mark_figures(document, figures)  # figures read by OCR say so (issue 12)
    return figures


def _list_head_counts(blocks: list[Block], raws: dict[int, list[RawFigure]]) -> None:
    """Add the count of a list head ending a paragraph whose list is the next paragraph
    (局机关内设科室3 / 内设科室：办公室、财务科、业务科; see Recognizer.list_head_count)."""
    for head, listing in zip(blocks, blocks[1:]):
        if head.kind == "table" or listing.kind == "table":
            continue
        count = recognizer().list_head_count(head.text, listing.text)
        if count is not None:
            raws[head.index] = sorted([*raws[head.index], count], key=lambda f: f.start)


def annotated_report(document: Document, path: Path) -> Report:
    """A report with figures, labels, metrics and metadata, before the consistency checks."""
    cells: dict[int, TableCells | RaggedCells] = {}
    figures = document_figures(document, cells)
    meta = read_meta(document.blocks)
    annotated = annotate(document.blocks, figures, meta, cells)  # labels, metrics, self-eval
    return Report(
        source=Source(path=str(path), sha256=file_sha256(path), format=document.format,
                      pages=document.pages),
        meta=meta,
        figures=figures,
        metrics=annotated.metrics,
        self_eval_table=annotated.table,
        relations=annotated.relations,
        warnings=[Issue(stage="read", message=w) for w in document.warnings],
    )


def build_report(document: Document, path: Path) -> Report:
    """The full report: annotated figures plus the consistency checker's findings. A report
    in traditional characters is read through a simplified copy and written back in its own
    characters (extractor.script)."""
    folded = simplified_document(document)
    report = annotated_report(folded or document, path)
    report.findings = [finding.as_dict() for finding in check_report(report, folded or document)]
    return restored_report(report, document, folded, sentence_around) if folded else report


def extract(path: str | Path) -> Report:
    """Extract every figure of one report file. Raises readers.ReaderError on bad input."""
    path = Path(path)
    return build_report(read_document(path), path)
