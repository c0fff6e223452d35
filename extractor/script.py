"""Reports in traditional characters: read through simplified ones, written back as they were.

Every pattern (units, metric names, scope words, not-a-figure rules, checker rules) is written
in simplified characters. A report in traditional characters (部門整體支出績效自評報告) is
therefore read through a copy of its blocks folded to simplified characters (patterns/
traditional.yaml; one character for one, so every offset holds), and the result is written
back in the report's own characters: a figure's text and sentence from the original block at
the same offsets (a table the text reader rebuilt holds simplified cells: those characters are
put back like the rest), every other text (labels, headings, quotes, messages) character by
character with the pairs the report itself shows (預 where the report wrote 預 for 预).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any, Callable, Optional

from .models import Block, Report
from .normalize import simplified, simplified_table

UNTOUCHED_KEYS = frozenset({"path", "report", "sha256"})  # file paths and hashes stay as given


def simplified_document(document) -> Optional[Any]:
    """A copy of ``document`` (a readers.Document) in simplified characters, or None when
    none of its characters fold."""
    blocks = [_simplified_block(block) for block in document.blocks]
    if all(new is old for new, old in zip(blocks, document.blocks)):
        return None
    return replace(document, blocks=blocks)


def _simplified_block(block: Block) -> Block:
    """The block with its text, cells and section path folded; the block itself when
    nothing folds."""
    text = simplified(block.text)
    if text == block.text:
        return block
    cells = [cell.model_copy(update={"text": text[cell.start:cell.end]}) for cell in block.cells]
    return block.model_copy(update={"text": text, "cells": cells,
                                    "section": [simplified(s) for s in block.section]})


def simplified_pair(report: Report, document=None) -> tuple[Report, Any]:
    """The report and its document (or None) as the checker reads them: in simplified
    characters when either holds traditional ones (a report written back in its own
    characters, checked again by ``perfx check``); the same objects otherwise."""
    folded = simplified_document(document) if document is not None else None
    if document is not None and folded is None:
        return report, document  # the report was read from this document: nothing folds
    if document is None and all(simplified(figure.sentence or "") == (figure.sentence or "")
                                for figure in report.figures):
        return report, None
    data = _translated(report.model_dump(), simplified_table())
    return Report.model_validate(data), folded


def restored_report(report: Report, original, folded,
                    sentence_of: Callable[[str, int, int], str]) -> Report:
    """``report``, read from the ``folded`` copy of ``original``, in the original's characters;
    ``sentence_of(text, start, end)`` gives a figure's sentence from its block text."""
    table = str.maketrans(_reverse_pairs(original, folded))
    data = _translated(report.model_dump(), table)
    texts = {block.index: block.text for block in original.blocks}
    for figure in data.get("figures") or []:
        location = figure["location"]
        text = texts.get(location["block"])
        if text is not None:
            # a table rebuilt from text lines holds its cells in simplified characters
            # (readers.textgrid): those are put back in the report's characters too
            figure["text"] = text[location["start"]:location["end"]].translate(table)
            figure["sentence"] = sentence_of(text, location["start"], location["end"]).translate(table)
    return Report.model_validate(data)


def _reverse_pairs(original, folded) -> dict[str, str]:
    """Simplified character -> the character the report wrote for it most often, where the
    report wrote it in traditional form more often than as it is."""
    pairs: Counter = Counter()
    for before, after in zip(original.blocks, folded.blocks):
        if before.text != after.text:
            pairs.update(zip(after.text, before.text))
    best: dict[str, tuple[str, int]] = {}
    for (simple, written), count in pairs.items():
        if simple != written and count > best.get(simple, ("", 0))[1]:
            best[simple] = (written, count)
    return {simple: written for simple, (written, count) in best.items()
            if count > pairs[(simple, simple)]}


def _translated(value: Any, table, key: str = "") -> Any:
    """``value`` (dumped model data) with every string translated, file paths aside."""
    if isinstance(value, str):
        return value if key in UNTOUCHED_KEYS else value.translate(table)
    if isinstance(value, dict):
        return {k: _translated(v, table, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_translated(v, table, key) for v in value]
    return value
