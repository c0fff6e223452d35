"""Acceptance: every cell of every self-evaluation table in the project corpus is parsed
exactly, from txt, docx, pdf, html and the xlsx attachment.

The truth is ``self_eval_table`` in corpus/truth/<id>.json, written by the generator from the
data it renders the table from. Row names, column names, indicator names and each cell's
text (spaces aside) and value (as a Decimal; null for "/") must be equal, and nothing more
may be parsed.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Optional

import pytest

from extractor import extract

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
INDICATOR_NAMES = ("一级指标", "二级指标", "三级指标")
SOURCES = {"txt": "{id}.txt", "docx": "{id}.docx", "pdf": "{id}.pdf", "html": "{id}.html",
           "xlsx": "attachments/{id}.xlsx"}


def _truths() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((CORPUS / "truth").glob("*.json"))]


def _cell(entry: Optional[dict]) -> Optional[tuple[str, Optional[Decimal]]]:
    """(text without spaces, value as a Decimal or None) of one cell entry."""
    if entry is None:
        return None
    value = entry.get("value")
    return "".join(str(entry.get("text") or "").split()), \
        (Decimal(value) if value is not None else None)


def _rows(rows: list[dict]) -> list[tuple]:
    """Each row as (row name, indicator names, {column: cell})."""
    return [(row["row"], tuple(row.get(name) for name in INDICATOR_NAMES),
             {column: _cell(entry) for column, entry in row["values"].items()})
            for row in rows]


def table_cells(table: dict) -> dict:
    """The comparable content of a self_eval_table (perfx's or the truth's)."""
    return {"kind": table["kind"], "funds": _rows(table["funds"]),
            "indicators": _rows(table["indicators"]), "goals": _rows(table["goals"]),
            "total_score": _cell(table["total_score"])}


def differences(got: dict, expected: dict) -> list[str]:
    """One line per cell that differs: part, row, column, parsed and true content."""
    a, b = table_cells(got), table_cells(expected)
    out = [f"{key}: {a[key]!r} != {b[key]!r}" for key in ("kind", "total_score")
           if a[key] != b[key]]
    for part in ("funds", "indicators", "goals"):
        rows_a, rows_b = a[part], b[part]
        if [r[0] for r in rows_a] != [r[0] for r in rows_b]:
            out.append(f"{part} rows: {[r[0] for r in rows_a]} != {[r[0] for r in rows_b]}")
            continue
        for (name, names_a, cells_a), (_, names_b, cells_b) in zip(rows_a, rows_b):
            if names_a != names_b:
                out.append(f"{part} {name} names: {names_a} != {names_b}")
            for column in sorted(set(cells_a) | set(cells_b)):
                if cells_a.get(column) != cells_b.get(column):
                    out.append(f"{part} {name} {column}: {cells_a.get(column)!r} != "
                               f"{cells_b.get(column)!r}")
    return out


def cell_count(table: dict) -> int:
    """Cells a table holds: row names, indicator names, values and the total score."""
    rows = table["funds"] + table["indicators"] + table["goals"]
    names = sum(1 + sum(1 for n in INDICATOR_NAMES if n in row) for row in rows)
    return names + sum(len(row["values"]) for row in rows) + (table["total_score"] is not None)


TRUTHS = _truths()
checked: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def summary():
    yield
    if checked:
        print("\nself-evaluation table cells checked against truth: "
              + ", ".join(f"{fmt} {n}" for fmt, n in checked.items()))


def test_every_report_has_a_self_evaluation_table_truth():
    assert len(TRUTHS) >= 10
    for truth in TRUTHS:
        table = truth["self_eval_table"]
        assert table["kind"] == {"dept_overall_self_eval": "dept_overall",
                                 "project_self_eval": "project"}[truth["genre"]]
        assert table["funds"] and table["indicators"] and table["total_score"]["value"]
        for fmt, pattern in SOURCES.items():
            assert (CORPUS / pattern.format(id=truth["id"])).is_file(), (truth["id"], fmt)


@pytest.mark.parametrize("fmt", list(SOURCES))
def test_self_evaluation_table_equals_truth_cell_by_cell(fmt: str):
    cells, wrong = 0, []
    for truth in TRUTHS:
        expected = truth["self_eval_table"]
        got = extract(CORPUS / SOURCES[fmt].format(id=truth["id"])).self_eval_table
        if got is None:
            wrong.append(f"{truth['id']}: no self-evaluation table")
            continue
        wrong += [f"{truth['id']}: {line}" for line in differences(got, expected)]
        cells += cell_count(expected)
    assert not wrong, f"{len(wrong)} differences in {fmt}:\n" + "\n".join(wrong[:40])
    checked[fmt] = cells
