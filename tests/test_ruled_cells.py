"""The indexed cell finder (readers/ruled_cells.py) finds pdfplumber's cells, in its order."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from pdfplumber.table import edges_to_intersections, intersections_to_cells

from extractor.readers.ruled_cells import smallest_cells

ROOT = Path(__file__).resolve().parent.parent
CORPUS_PDFS = sorted((ROOT / "corpus").glob("*.pdf"))


def _edge(orientation: str, x0: float, top: float, length: float) -> dict:
    if orientation == "h":
        return {"orientation": "h", "x0": x0, "x1": x0 + length, "top": top, "bottom": top,
                "width": length, "height": 0.0, "object_type": "line"}
    return {"orientation": "v", "x0": x0, "x1": x0, "top": top, "bottom": top + length,
            "width": 0.0, "height": length, "object_type": "line"}


def _grid(rng: random.Random) -> list[dict]:
    """A ruled grid with merged cells, missing rulings, short rulings and stray lines."""
    xs = sorted(rng.sample(range(0, 500, 10), rng.randint(2, 7)))
    ys = sorted(rng.sample(range(0, 700, 10), rng.randint(2, 9)))
    edges = []
    for y in ys:
        start, end = rng.choice([(xs[0], xs[-1])] * 3 + [tuple(sorted(rng.sample(xs, 2)))])
        if rng.random() < 0.9 and end > start:
            edges.append(_edge("h", start, y, end - start))
    for x in xs:
        pieces = sorted(rng.sample(ys, min(len(ys), rng.randint(2, 4))))
        for top, bottom in zip(pieces, pieces[1:]):
            if rng.random() < 0.85:
                edges.append(_edge("v", x, top, bottom - top))
    for _ in range(rng.randint(0, 3)):  # stray rulings: an underline, a box edge
        edges.append(_edge(rng.choice("hv"), rng.uniform(0, 500), rng.uniform(0, 700),
                           rng.uniform(5, 200)))
    return edges


@pytest.mark.parametrize("seed", range(300))
def test_random_grids_give_pdfplumbers_cells(seed):
    intersections = edges_to_intersections(_grid(random.Random(seed)), 3, 3)
    assert smallest_cells(intersections) == intersections_to_cells(intersections)


def test_a_two_by_two_grid_has_four_cells():
    edges = [_edge("h", 0, y, 200) for y in (0, 50, 100)]
    edges += [_edge("v", x, 0, 100) for x in (0, 100, 200)]
    cells = smallest_cells(edges_to_intersections(edges, 3, 3))
    assert cells == [(0, 0, 100, 50), (0, 50, 100, 100), (100, 0, 200, 50),
                     (100, 50, 200, 100)]


def test_a_missing_inner_ruling_merges_two_cells():
    edges = [_edge("h", 0, y, 200) for y in (0, 100)] + [_edge("h", 100, 50, 100)]
    edges += [_edge("v", x, 0, 100) for x in (0, 100, 200)]
    cells = smallest_cells(edges_to_intersections(edges, 3, 3))
    assert cells == [(0, 0, 100, 100), (100, 0, 200, 50), (100, 50, 200, 100)]


def test_crossing_lines_without_a_box_make_no_cell():
    edges = [_edge("h", 0, 50, 200), _edge("v", 100, 0, 100)]
    assert smallest_cells(edges_to_intersections(edges, 3, 3)) == []


@pytest.mark.skipif(not CORPUS_PDFS, reason="no corpus PDFs")
def test_corpus_pages_give_pdfplumbers_cells():
    """Every page of the project's PDFs: the same cells from the same intersections."""
    import pypdfium2

    from extractor.readers import pdfium_text
    from extractor.readers.ruled_cells import TableFinder

    pages = 0
    for path in CORPUS_PDFS:
        document = pypdfium2.PdfDocument(str(path))
        for page in document:
            height = page.get_height()
            geometry = pdfium_text.PageGeometry(1, page.get_width(), height, [],
                                                pdfium_text.page_edges(page, height))
            finder = TableFinder(geometry)
            assert finder.cells == intersections_to_cells(finder.intersections)
            pages += bool(finder.cells)
        document.close()
    assert pages >= 10
