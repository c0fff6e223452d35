"""Flattened-table renderings of the sample corpus's reports (called by generate_corpus.py).

Real reports reach us with their tables flattened by whatever turned them into text. Each
report is written again as text with every table in one such layout, into
``corpus/flattened/<id>.<layout>.txt``; ``corpus/flattened/truth/<id>.json`` holds the tables'
cells as the generator built them (the same for every layout), so a test can hold the
rebuilt rows and columns equal to the truth, cell by cell (tests/test_flattened_corpus.py).

Layouts:
- ``pipe_cells``   one cell per line ending in `` |``, a lone ``|`` line between rows;
- ``pipe_wrapped`` ``| a | b | c | d |`` rows, each broken over two lines inside its longest
                   name cell (a long row wrapped at the page width);
- ``spaced``       cells parted by runs of spaces, one row per line, blank lines between;
- ``header_run``   each part of a table (its header row and the rows under it) on one line:
                   header cells, then each row's names and values;
- ``ledger``       a final-accounts table on one line: 项目 行次 columns…, then each row's
                   name, its 行次 number and its values (the truth has no 行次 column: row
                   numbers are not the table's data).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

FOLDER = "flattened"
LAYOUTS = ("pipe_cells", "pipe_wrapped", "spaced", "header_run", "ledger")
ROW_NUMBER = "行次"  # the ledger layout's row-number column: not a cell of the table's data


def _pipe_cells(rows: list[list[str]], header_rows: tuple) -> list[str]:
    lines = ["|"]
    for row in rows:
        lines += [f"{cell} |" for cell in row] + ["|"]
    return lines


def _pipe_wrapped(rows: list[list[str]], header_rows: tuple) -> list[str]:
    lines = []
    for row in rows:
        text = "| " + " | ".join(row) + " |"
        words = [i for i, cell in enumerate(row) if not any(ch.isdigit() for ch in cell)]
        longest = max(words, key=lambda i: len(row[i]), default=0)
        at = len("| " + " | ".join(row[:longest] + [""])) + len(row[longest]) // 2
        lines += [text[:at], text[at:]] if words and len(row[longest]) >= 2 else [text]
    return lines


def _spaced(rows: list[list[str]], header_rows: tuple) -> list[str]:
    lines = []
    for row in rows:
        lines += ["   ".join(row), ""]
    return lines[:-1]


def _header_run(rows: list[list[str]], header_rows: tuple) -> list[str]:
    starts = sorted(set(header_rows) | {0})
    parts = [rows[a:b] for a, b in zip(starts, starts[1:] + [len(rows)])]
    return [" ".join(cell for row in part for cell in row) for part in parts]


def _one_name(row: list[str]) -> bool:
    """A row with one name cell first and values after it (no second name cell)."""
    return len(row) > 1 and all(any(ch.isdigit() for ch in cell) or cell == "/"
                                for cell in row[1:])


def _ledger(rows: list[list[str]], header_rows: tuple) -> list[str]:
    """A final-accounts style line per table part: 项目 行次 columns…, then each row's name,
    its 行次 number and its values (parts with several name cells stay ``a | b`` rows)."""
    starts = sorted(set(header_rows) | {0})
    parts = [rows[a:b] for a, b in zip(starts, starts[1:] + [len(rows)])]
    lines = []
    for part in parts:
        if all(_one_name(row) for row in part[1:]):
            numbered = [[part[0][0], ROW_NUMBER] + part[0][1:]]
            numbered += [[row[0], str(n)] + row[1:] for n, row in enumerate(part[1:], 1)]
            lines.append(" ".join(cell for row in numbered for cell in row))
        else:
            lines += [" | ".join(row) for row in part]
    return lines


RENDERERS: dict[str, Callable[[list[list[str]], tuple], list[str]]] = {
    "pipe_cells": _pipe_cells, "pipe_wrapped": _pipe_wrapped, "spaced": _spaced,
    "header_run": _header_run, "ledger": _ledger}


def render(report, layout: str, cell_text: Callable, is_table: Callable) -> str:
    """The report as text (headings and paragraphs one per line) with its tables in ``layout``."""
    lines: list[str] = []
    for block in report.blocks:
        if not is_table(block):
            lines.append(block.text)
            continue
        rows = [[cell_text(c) for c in row] for row in block.rows]
        lines += [block.caption] + RENDERERS[layout](rows, block.header_rows) + [""]
    return "\n".join(lines) + "\n"


def truth(report, cell_text: Callable, is_table: Callable) -> dict:
    """The report's tables as the generator built them: caption and rows of cell texts."""
    return {"id": report.id, "layouts": list(LAYOUTS),
            "tables": [{"caption": block.caption,
                        "rows": [[cell_text(c) for c in row] for row in block.rows]}
                       for block in report.blocks if is_table(block)]}


def write(out: Path, report, dump_json: Callable, cell_text: Callable,
          is_table: Callable) -> list[str]:
    """Write one report's renderings and truth under ``out/flattened``; their relative paths."""
    folder = out / FOLDER
    (folder / "truth").mkdir(parents=True, exist_ok=True)
    written = []
    for layout in LAYOUTS:
        path = folder / f"{report.id}.{layout}.txt"
        path.write_text(render(report, layout, cell_text, is_table), encoding="utf-8")
        written.append(path.relative_to(out).as_posix())
    (folder / "truth" / f"{report.id}.json").write_text(
        dump_json(truth(report, cell_text, is_table)), encoding="utf-8")
    return written
