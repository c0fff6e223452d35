"""Test bed for table cells: dev reports whose tables arrive as text, rebuilt as REAL tables.

    python scripts/dev_tables_to_docx.py [--dev DIR] [--out DIR] [--ids C001,C023] [--score]
        [--verbose] [--rules grid|none|three-line|columns] [--published] [--split] [--caption-in-table]

For each tabular dev file (``../shared/corpus/dev``) this writes ``<id>.docx`` with real Word
tables, ``<id>.pdf`` with ruled tables (reportlab, the built-in STSong-Light CJK font) and
``<id>.html`` (colspan / rowspan), merged cells as published tables have them (see
``merged_regions``), then, with ``--score``, runs ``perfx extract`` on each and scores them with
the graders' ``score_figures.py``, beside the plain-text score of the same files. The spec
tests (tests/test_table_cells.py) use the same writers, ``write_xlsx`` included.

Nothing it writes is committed: the dev texts are data read at run time, and the documents go
to a temporary folder (or ``--out``). Table layouts read from the text:

- rows as lines of ``|``-separated cells (``a | b | c``);
- one cell per line ending in `` |``, rows parted by a line holding only ``|``.

Other lines stay paragraphs.
"""
from __future__ import annotations

import argparse
import functools
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEFAULT_IDS = ("C003", "C023", "B023")  # C001: its text lost the row structure

Segment = tuple[str, object]  # ("p", text), ("t", rows) or ("b", None): a page break


def _pipe_cells(line: str) -> list[str]:
    """The cells of one ``a | b | c`` line (empty edge cells dropped)."""
    cells = [c.strip() for c in line.strip().split("|")]
    while cells and not cells[0]:
        cells.pop(0)
    while cells and not cells[-1]:
        cells.pop()
    return cells


def segments(text: str) -> list[Segment]:
    """Paragraphs and tables of a dev text, in reading order."""
    out: list[Segment] = []
    rows: list[list[str]] = []
    row: list[str] | None = None  # one-cell-per-line row being collected

    def close() -> None:
        nonlocal rows, row
        if row:
            rows.append(row)
        row = None
        if rows:
            out.append(("t", aligned(rows)))
        rows = []

    for line in text.splitlines():
        stripped = line.strip()
        if stripped == "|":
            if row:
                rows.append(row)
            row = []
            continue
        if row is not None and stripped.endswith("|") and stripped.count("|") == 1:
            row.append(stripped[:-1].strip())
            continue
        if row is not None:
            close()
        if "|" in stripped:
            cells = _pipe_cells(stripped)
            if cells:
                rows.append(cells)
            continue
        close()
        if stripped:
            out.append(("p", stripped))
    close()
    return out


NUMBER = re.compile(r"[-−]?\d[\d,]*(?:\.\d+)?%?")


def aligned(rows: list[list[str]]) -> list[list[str]]:
    """Header rows as a real table has them: a row of header words right above a longer
    data row whose first cell is its name lacks the name column (in the published
    table a merged cell on the left, like 资金投入情况（万元）), so it gets empty cells first."""
    out = [list(r) for r in rows]
    for above, below in zip(out, out[1:]):
        numbers = [c for c in below if NUMBER.fullmatch(c)]
        if (numbers and not any(NUMBER.fullmatch(c) for c in above) and below
                and not NUMBER.fullmatch(below[0]) and len(above) < len(below)):
            above[:0] = [""] * (len(below) - len(above))
    return out


Region = tuple[int, int, int, int]  # first row, first col, last row, last col


def merged_regions(rows: list[list[str]]) -> list[Region]:
    """Merged cells of a table written as rows: a short row's last cell spans the rest; in a
    header row (no numbers) an empty cell under a header cell continues it downwards, and
    other empty cells continue the header cell on their left (a header over several columns).
    """
    width = max(len(r) for r in rows)
    grid = [list(r) + [None] * (width - len(r)) for r in rows]
    regions: dict[tuple[int, int], list[int]] = {}  # top-left -> [last row, last col]
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(grid):
        header = not any(v and NUMBER.fullmatch(v) for v in row)
        for c, value in enumerate(row):
            if value:
                regions[(r, c)] = [r, c]
                owner[(r, c)] = (r, c)
                continue
            left = owner.get((r, c - 1)) if c else None
            up = owner.get((r - 1, c)) if r else None
            if value is None and left is not None:  # past the end of a short row
                regions[left][1] = c
                owner[(r, c)] = left
            elif header and up is not None and up[1] == regions[up][1] == c and \
                    not any(NUMBER.fullmatch(v or "") for v in grid[up[0]]):
                regions[up][0] = r
                owner[(r, c)] = up
            elif header and left is not None and left[0] == r and \
                    (r == 0 or not grid[r - 1][c] or owner.get((r - 1, c)) == owner.get((r - 1, left[1]))):
                regions[left][1] = c
                owner[(r, c)] = left
    return [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in regions.items() if (r1, c1) != (r0, c0)]


def write_docx(parts: list[Segment], path: Path) -> None:
    """Paragraphs and real Word tables with merged cells (see merged_regions)."""
    import docx
    document = docx.Document()
    for kind, content in parts:
        if kind == "p":
            document.add_paragraph(str(content))
            continue
        if kind == "b":
            document.add_page_break()
            continue
        rows: list[list[str]] = content  # type: ignore[assignment]
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                if value:
                    table.cell(r, c).text = value
        for r0, c0, r1, c1 in merged_regions(rows):
            table.cell(r0, c0).merge(table.cell(r1, c1))
    document.save(str(path))


UNIT_CAPTION = re.compile(r"^[（(]?(?:金额)?单位[:：]\s*\S{1,4}[)）]?$")


def header_rows(rows: list[list[str]]) -> int:
    """How many rows open the table before its first row holding a number (a row of column
    numbers 1, 2, 3 … under the headers is a header row)."""
    for r, row in enumerate(rows):
        numbers = [c for c in row if NUMBER.fullmatch(c)]
        if numbers and numbers != [str(n) for n in range(1, len(numbers) + 1)]:
            return r
    return len(rows)


def split_tables(parts: list[Segment], min_rows: int = 4) -> list[Segment]:
    """Each plain table (header rows, then rows that all hold numbers) with at least
    ``min_rows`` data rows continued over a page break in the middle of its data rows, its
    header rows repeated at the top of the second part (as published tables repeat their
    header on every page)."""
    out: list[Segment] = []
    for kind, content in parts:
        rows = content if kind == "t" else None
        head = header_rows(rows) if rows else 0
        plain = rows and all(any(NUMBER.fullmatch(c) for c in row) for row in rows[head:])
        if not plain or len(rows) - head < min_rows or not head:
            out.append((kind, content))
            continue
        middle = head + (len(rows) - head) // 2
        out += [("t", rows[:middle]), ("b", None), ("t", rows[:head] + rows[middle:])]
    return out


def caption_in_table(parts: list[Segment]) -> list[Segment]:
    """A unit caption paragraph right above a table (单位：万元) moved into the table as its
    first row, one cell spanning all columns (as many published tables print it)."""
    out: list[Segment] = []
    for kind, content in parts:
        if kind == "t" and out and out[-1][0] == "p" and \
                UNIT_CAPTION.match(str(out[-1][1]).strip()):
            caption = str(out.pop()[1]).strip()
            content = [[caption]] + [list(r) for r in content]  # type: ignore[operator]
        out.append((kind, content))
    return out


RULES = ("grid", "none", "three-line", "columns")


def write_pdf(parts: list[Segment], path: Path, rules: str = "grid", published: bool = False
              ) -> None:
    """The same content as a pdf (reportlab, STSong-Light). ``rules``: "grid" rules every
    cell, "none" draws no line (columns aligned by whitespace only), "three-line" only rules
    above and under the header rows and under the table (三线表), "columns" ruled header
    rows (and rows without numbers), else only a box and the lines between columns (no
    line between data rows). ``published``: cells
    centred vertically and numbers aligned right, as most published tables set them."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=9, leading=12,
                          wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=body, fontSize=7, leading=9)
    right = ParagraphStyle("right", parent=cell, alignment=2 if published else 0)
    flow: list = []
    page_width = landscape(A4)[0] - 72
    for kind, content in parts:
        if kind == "p":
            flow.append(Paragraph(_escape(str(content)), body))
            continue
        if kind == "b":
            flow.append(PageBreak())
            continue
        rows: list[list[str]] = content  # type: ignore[assignment]
        width = max(len(r) for r in rows)
        data = [[Paragraph(_escape(v), right if NUMBER.fullmatch(v) else cell) for v in cells]
                + [""] * (width - len(cells)) for cells in rows]
        spans = [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in merged_regions(rows)]
        table = Table(data, colWidths=[page_width / width] * width, repeatRows=0)
        head = max(header_rows(rows), 1)
        lines = {"grid": [("GRID", (0, 0), (-1, -1), 0.5, "black")], "none": [],
                 "three-line": [("LINEABOVE", (0, 0), (-1, 0), 1, "black"),
                                ("LINEBELOW", (0, head - 1), (-1, head - 1), 0.5, "black"),
                                ("LINEBELOW", (0, -1), (-1, -1), 1, "black")],
                 "columns": [("BOX", (0, 0), (-1, -1), 0.5, "black"),
                             ("LINEBEFORE", (1, 0), (-1, -1), 0.5, "black"),
                             ("GRID", (0, 0), (-1, head - 1), 0.5, "black"),
                             *[(edge, (0, r), (-1, r), 0.5, "black")
                               for r, row in enumerate(rows) if r >= head
                               and not any(NUMBER.fullmatch(v) for v in row)
                               for edge in ("LINEABOVE", "LINEBELOW")]]}[rules]
        align = ("VALIGN", (0, 0), (-1, -1), "MIDDLE" if published else "TOP")
        table.setStyle(TableStyle([*lines, align, *spans]))
        flow += [Spacer(1, 4), table, Spacer(1, 4)]
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(flow)


def write_xlsx(parts: list[Segment], path: Path) -> None:
    """The same content as one worksheet: paragraphs as one-cell rows, tables with merged
    cells, a page break as an empty row (openpyxl)."""
    import openpyxl
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    row = 1
    for kind, content in parts:
        if kind == "p":
            sheet.cell(row=row, column=1, value=str(content))
            row += 1
        elif kind == "b":
            row += 1
        else:
            rows: list[list[str]] = content  # type: ignore[assignment]
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    if value:
                        sheet.cell(row=row + r, column=c + 1, value=value)
            for r0, c0, r1, c1 in merged_regions(rows):
                sheet.merge_cells(start_row=row + r0, start_column=c0 + 1, end_row=row + r1,
                                  end_column=c1 + 1)
            row += len(rows)
    workbook.save(str(path))


def write_html(parts: list[Segment], path: Path) -> None:
    """The same content as a web page: paragraphs and tables with colspan / rowspan."""
    html = ['<html><head><meta charset="utf-8"></head><body><div class="content">']
    for kind, content in parts:
        if kind == "p":
            html.append(f"<p>{_escape(str(content))}</p>")
        elif kind == "t":
            rows: list[list[str]] = content  # type: ignore[assignment]
            spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1)
                     for r0, c0, r1, c1 in merged_regions(rows)}
            covered = {(r, c) for (r0, c0), (h, w) in spans.items()
                       for r in range(r0, r0 + h) for c in range(c0, c0 + w)} - set(spans)
            html.append("<table border='1'>")
            width = max(len(r) for r in rows)
            for r, cells in enumerate(rows):
                html.append("<tr>")
                for c in range(width):
                    if (r, c) in covered:
                        continue
                    h, w = spans.get((r, c), (1, 1))
                    value = cells[c] if c < len(cells) else ""
                    html.append(f"<td rowspan='{h}' colspan='{w}'>{_escape(value)}</td>")
                html.append("</tr>")
            html.append("</table>")
    html.append("</div></body></html>")
    path.write_text("\n".join(html), encoding="utf-8")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build(ids: list[str], dev: Path, out: Path, rules: str = "grid", published: bool = False,
          split: bool = False, caption: bool = False) -> dict[str, list[Path]]:
    """Format -> written files (txt copies included, so all formats are scored alike).
    ``rules`` and ``published``: how pdf tables are drawn (write_pdf); ``split``: tables over
    a page break with their header repeated (split_tables); ``caption``: unit captions
    inside the table (caption_in_table)."""
    written: dict[str, list[Path]] = {"txt": [], "docx": [], "pdf": [], "html": []}
    for ident in ids:
        text = (dev / f"{ident}.txt").read_text(encoding="utf-8")
        parts = segments(text)
        parts = split_tables(parts) if split else parts
        parts = caption_in_table(parts) if caption else parts
        pdf = functools.partial(write_pdf, rules=rules, published=published)
        for fmt, writer in (("docx", write_docx), ("pdf", pdf), ("html", write_html)):
            target = out / fmt / f"{ident}.{fmt}"
            target.parent.mkdir(parents=True, exist_ok=True)
            writer(parts, target)
            written[fmt].append(target)
        copy = out / "txt" / f"{ident}.txt"
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(text, encoding="utf-8")
        written["txt"].append(copy)
    return written


def score(written: dict[str, list[Path]], dev: Path, out: Path, verbose: bool) -> dict[str, str]:
    """Format -> the scorer's summary line for the files of that format; ``verbose`` prints,
    per file, the misses and extras a format has that the txt version has not (+) and those
    the txt version has that it has not (-)."""
    scorer = SHARED / "tools" / "score_figures.py"
    lines: dict[str, str] = {}
    reports: dict[str, dict[str, list[str]]] = {}
    for fmt, files in written.items():
        results = out / "json" / fmt
        results.mkdir(parents=True, exist_ok=True)
        subprocess.run(["perfx", "extract", "-o", str(results), *map(str, files)],
                       check=False, capture_output=True)
        pairs = out / f"pairs-{fmt}.tsv"
        with pairs.open("w", encoding="utf-8") as handle:
            for path in files:
                found = [results / f"{path.name}.json", results / f"{path.stem}.json"]
                result = next((p for p in found if p.exists()), found[0])
                handle.write(f"{dev / 'gold' / (path.stem + '.json')}\t{result}\n")
        args = [sys.executable, str(scorer), *(["--verbose"] if verbose else []),
                "--pairs", str(pairs)]
        done = subprocess.run(args, check=False, capture_output=True, text=True)
        lines[fmt] = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
        reports[fmt] = _per_file(done.stdout)
    if verbose:
        for fmt in written:
            if fmt != "txt":
                _print_differences(fmt, reports.get("txt", {}), reports[fmt])
    return lines


def _per_file(output: str) -> dict[str, list[str]]:
    """File id -> its MISS / EXTRA lines in the scorer's verbose output."""
    found: dict[str, list[str]] = {}
    current = None
    for line in output.splitlines():
        if line.endswith(".json") and not line.startswith(" "):
            current = Path(line).stem
            found[current] = []
        elif current and line.strip().startswith(("MISS", "EXTRA")):
            found[current].append(line.strip())
    return found


def _print_differences(fmt: str, txt: dict[str, list[str]], other: dict[str, list[str]]
                       ) -> None:
    """The misses and extras of ``fmt`` that differ from the txt version's, per file."""
    from collections import Counter
    print(f"--- {fmt} versus txt")
    for ident in other:
        gained = Counter(other[ident]) - Counter(txt.get(ident, []))
        lost = Counter(txt.get(ident, [])) - Counter(other[ident])
        for line in gained.elements():
            print(f"{ident} + {line}")
        for line in lost.elements():
            print(f"{ident} - {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=SHARED / "corpus" / "dev")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--ids", default=",".join(DEFAULT_IDS))
    parser.add_argument("--score", action="store_true")
    parser.add_argument("--verbose", action="store_true",
                        help="per file and format, misses and extras beside the txt version's")
    parser.add_argument("--rules", choices=RULES, default="grid",
                        help="pdf table rulings: every cell, none (columns aligned by "
                             "whitespace), three lines (三线表) or columns (no line "
                             "between data rows)")
    parser.add_argument("--published", action="store_true",
                        help="pdf cells centred vertically, numbers aligned right")
    parser.add_argument("--split", action="store_true",
                        help="tables continued over a page break, header rows repeated")
    parser.add_argument("--caption-in-table", action="store_true",
                        help="unit captions (单位：万元) as the table's first row")
    args = parser.parse_args(argv)
    if not args.dev.is_dir():
        print(f"no dev corpus at {args.dev}", file=sys.stderr)
        return 2
    ids = [i.strip() for i in args.ids.split(",") if i.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        written = build(ids, args.dev, out, rules=args.rules, published=args.published,
                        split=args.split, caption=args.caption_in_table)
        if args.score:
            print(json.dumps(score(written, args.dev, out, args.verbose), ensure_ascii=False,
                             indent=1))
        else:
            print(json.dumps({k: [str(p) for p in v] for k, v in written.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
