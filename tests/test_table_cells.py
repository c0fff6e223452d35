"""Runs every spec in tests/specs/table_cells: prose and table rows in, table figures out.

Each case gives the paragraphs before a table (``before``, the last ones may be its caption)
and the table's rows (or ``tables``: one table's parts on consecutive pages) (an empty string is a merged or empty cell); the figures of the table
block (or, with ``all_blocks``, of the whole document) must be exactly the listed
``[text, kind, normalized]`` in reading order: row numbers, codes and years are not listed.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from _reports import spec_cases, table_bed

from extractor.extract import document_figures
from extractor.readers import Document
from extractor.readers.structure import assign_sections, table_block, text_block


def _cases():
    return [pytest.param(case, id=f"{name}") for name, case in spec_cases("table_cells")]


@pytest.mark.parametrize("case", list(_cases()))
def test_table_cells(case):
    tables = case.get("tables") or [case["rows"]]
    blocks = [text_block(text) for text in case["before"]] + [table_block(t) for t in tables]
    document = Document(path=Path("spec.docx"), format="docx", blocks=assign_sections(blocks))
    figures = [f for f in document_figures(document)
               if case.get("all_blocks") or f.location.row is not None]
    got = [[f.text, f.kind, f.normalized.value] for f in figures]
    want = [[text, kind, Decimal(normalized)] for text, kind, normalized in case["figures"]]
    assert [[t, k, Decimal(v)] for t, k, v in got] == want, case["name"]


# format[-rules][+published][+split][+caption]: pdf rulings ("none": columns aligned by
# whitespace only, "three-line": 三线表, "columns": no line between data rows); cells centred vertically and numbers set right; each
# table of two or more data rows continued over a page break with its header rows repeated;
# a unit caption above the table moved into it as its first row (the test bed's options,
# scripts/dev_tables_to_docx.py)
LAYOUTS = ["docx", "pdf", "pdf-none", "xlsx", "html", "pdf+split", "pdf-none+published",
           "pdf-none+published+split+caption", "pdf-three-line+published", "pdf-columns",
           "pdf-columns+published+split", "docx+caption", "docx+split+caption", "html+caption"]


@pytest.mark.parametrize("fmt", LAYOUTS)
@pytest.mark.parametrize("case", list(_cases()))
def test_table_cells_as_documents(case, fmt, tmp_path):
    """The same tables written as real Word tables (merged header cells), printed to a
    ruled pdf or one without rulings, put in a worksheet and a web page, read back by the
    readers: the same figures."""
    from extractor.extract import extract
    if fmt.startswith("xlsx") and not case.get("sheet", True):
        pytest.skip("prose in sheet cells is not prose")
    if "+split" in fmt and not case.get("split", True):
        pytest.skip("too few rows to split")
    bed = table_bed()
    parts = [("p", text) for text in case["before"]]
    for number, rows in enumerate(case.get("tables") or [case["rows"]]):
        parts += [("b", None)] * bool(number) + [("t", rows)]
    parts = bed.split_tables(parts, min_rows=2) if "+split" in fmt else parts
    parts = bed.caption_in_table(parts) if "+caption" in fmt else parts
    name, *options = fmt.split("+")
    suffix, _, rules = name.partition("-")
    path = tmp_path / f"case.{suffix}"
    writers = {"docx": bed.write_docx, "xlsx": bed.write_xlsx, "html": bed.write_html}
    if suffix == "pdf":
        bed.write_pdf(parts, path, rules=rules or "grid", published="published" in options)
    else:
        writers[suffix](parts, path)
    report = extract(path)
    tables = {f.location.block for f in report.figures if f.location.row is not None}
    figures = [f for f in report.figures if case.get("all_blocks") or f.location.block in tables]
    got = [[f.text, f.kind, Decimal(f.normalized.value)] for f in figures]
    want = [[text, kind, Decimal(normalized)] for text, kind, normalized in case["figures"]]
    assert got == want, case["name"]
    # (a worksheet's rows end at their last value, so labels can't tell its grid from ragged
    # text rows: the header over a column header is read for docx, pdf and html)
    labels = case.get("labels", []) if not fmt.startswith("xlsx") else []
    assert [f.label for f in figures[:len(labels)]] == labels
