"""Excel .xlsx reader (openpyxl, read-only, cached values).

Each sheet gives a heading block (its name, level 1) and one table block per run of non-empty
rows (blank rows separate tables). Numbers are rendered as written: a float goes through
Decimal(repr(value)) so 0.1 stays "0.1" and 100.0 becomes "100"; a cell with a percent number
format is multiplied by 100 exactly and gets "%" (0.985 -> "98.5%"). Merged cells keep their
text in the top-left cell; the cells they cover are empty.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from ..models import Block
from .base import NOT_WRAPPED, Document, ReaderError, package_error
from .safety import check_package
from .structure import assign_sections, table_block, text_block

MAX_ROWS_PER_SHEET = 100_000
MAX_COLUMNS = 512


def read_xlsx(path: Path) -> Document:
    """Read every sheet of a workbook into heading and table blocks."""
    check_package(path, "xlsx", "xl/workbook.xml")
    warnings: list[str] = []
    blocks: list[Block] = []
    try:
        import openpyxl
        workbook = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
        try:
            for sheet in workbook.worksheets:
                blocks.extend(_sheet_blocks(sheet, warnings))
        finally:
            workbook.close()
    except NOT_WRAPPED:
        raise
    except Exception as exc:
        raise package_error(path, "xlsx", exc) from None
    if not any(block.kind == "table" for block in blocks):
        raise ReaderError(path, "no text: every sheet is empty")
    return Document(path=path, format="xlsx", blocks=assign_sections(blocks), warnings=warnings)


def _sheet_blocks(sheet, warnings: list[str]) -> list[Block]:
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # don't trust (or pad to) the declared sheet size
    blocks = [text_block(str(sheet.title), level=1)]
    run: list[list[str]] = []
    for count, row in enumerate(sheet.iter_rows()):
        if count >= MAX_ROWS_PER_SHEET:
            warnings.append(f"sheet {sheet.title!r}: only the first {MAX_ROWS_PER_SHEET} rows "
                            "were read")
            break
        values = [cell_text(cell) for cell in row[:MAX_COLUMNS]]
        while values and not values[-1]:
            values.pop()
        if values:
            run.append(values)
        elif run:
            blocks.append(table_block(run))
            run = []
    if run:
        blocks.append(table_block(run))
    return blocks if len(blocks) > 1 else []


def cell_text(cell) -> str:
    """A cell's value as the text a reader of the sheet sees."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            return str(value)
        if "%" in (getattr(cell, "number_format", "") or ""):
            return plain_number(number * 100) + "%"
        return plain_number(number)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def plain_number(number: Decimal) -> str:
    """No exponent, no trailing zeros after the point: Decimal('100.0') -> '100'."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
