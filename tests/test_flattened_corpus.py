"""Acceptance: tables flattened to text the ways real reports flatten them are rebuilt into
the rows and columns the generator built, cell by cell.

``corpus/flattened/<id>.<layout>.txt`` is each sample report written with its tables in one
layout (scripts/corpus_flattened.py); ``corpus/flattened/truth/<id>.json`` holds the tables'
cells from the generator's own data. Every table block the text reader rebuilds must equal
the truth's rows, in order, and no other table may appear.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.readers import read_document

FLATTENED = Path(__file__).resolve().parent.parent / "corpus" / "flattened"
TRUTHS = [json.loads(p.read_text(encoding="utf-8"))
          for p in sorted((FLATTENED / "truth").glob("*.json"))]
LAYOUTS = sorted({layout for truth in TRUTHS for layout in truth["layouts"]})


ROW_NUMBER = "行次"  # the ledger layout adds a row-number column the truth doesn't have


def rebuilt_rows(path: Path) -> list[list[str]]:
    """Rows of cell texts of every table block the reader rebuilds from ``path``, in order
    (a 行次 column left out)."""
    rows: list[list[str]] = []
    for block in read_document(path).blocks:
        if block.kind != "table":
            continue
        by_row: dict[int, list] = {}
        for cell in block.cells:
            by_row.setdefault(cell.row, []).append(cell)
        numbered = {c.col for c in by_row.get(0, []) if c.text == ROW_NUMBER}
        rows += [[c.text for c in sorted(cells, key=lambda c: c.col) if c.col not in numbered]
                 for _, cells in sorted(by_row.items())]
    return rows


def test_every_layout_is_rendered():
    assert len(TRUTHS) >= 10 and set(LAYOUTS) >= {"pipe_cells", "pipe_wrapped", "spaced",
                                                   "header_run", "ledger"}
    for truth in TRUTHS:
        assert truth["tables"]
        for layout in truth["layouts"]:
            assert (FLATTENED / f"{truth['id']}.{layout}.txt").is_file()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_flattened_tables_equal_truth_cell_by_cell(layout: str):
    wrong = []
    for truth in TRUTHS:
        expected = [row for table in truth["tables"] for row in table["rows"]]
        got = rebuilt_rows(FLATTENED / f"{truth['id']}.{layout}.txt")
        if got != expected:
            first = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b),
                         min(len(got), len(expected)))
            wrong.append(f"{truth['id']}: row {first}: "
                         f"{got[first] if first < len(got) else None} != "
                         f"{expected[first] if first < len(expected) else None}")
    assert not wrong, f"{len(wrong)} reports differ in {layout}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", sorted(FLATTENED.glob("*.txt")), ids=lambda p: p.name)
def test_flattened_reports_are_consistent_as_their_originals(path: Path):
    """The originals check clean (tests/test_project_corpus.py); so must every flattened
    rendering: a table rebuilt from text may not raise a finding its original doesn't."""
    from extractor import extract
    assert [(f["rule"], f["message_en"]) for f in extract(path).findings
            if f["severity"] in ("error", "warning")] == []
