"""pdfplumber's table finder with an indexed cell finder: the same cells, found faster.

pdfplumber's ``intersections_to_cells`` takes each ruling intersection in (x, top) order and
looks for the smallest cell it is the top-left corner of: the first point below it joined to it
by a vertical edge, the first point right of it joined by a horizontal edge, and a bottom-right
corner joined to both. It scans the whole remaining point list for the points below and right
of each point, and rebuilds the sets of edges at two points for every test of whether an edge
joins them, so on a page of tables it costs more than reading the page's text.

``smallest_cells`` does exactly that search with the point lists indexed by column and row
and each point's edges turned into a set once. ``TableFinder`` is pdfplumber's, with this cell
finder in place of its own (``tests/test_ruled_cells.py`` holds the two equal).
"""
from __future__ import annotations

from pdfplumber.table import Table, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.table import TableFinder as PlumberTableFinder
from pdfplumber.utils import obj_to_bbox

Point = tuple[float, float]
Box = tuple[float, float, float, float]


def smallest_cells(intersections: dict[Point, dict[str, list[dict]]]) -> list[Box]:
    """``pdfplumber.table.intersections_to_cells(intersections)``, the same cells in the same
    order: for each point, the first (below, right) pair in its search order that closes a
    cell."""
    vertical = {point: frozenset(map(obj_to_bbox, edges["v"]))
                for point, edges in intersections.items()}
    horizontal = {point: frozenset(map(obj_to_bbox, edges["h"]))
                  for point, edges in intersections.items()}
    columns: dict[float, list[Point]] = {}  # x -> its points, top to bottom
    rows: dict[float, list[Point]] = {}  # top -> its points, left to right
    for point in sorted(intersections):
        columns.setdefault(point[0], []).append(point)
        rows.setdefault(point[1], []).append(point)
    cells: list[Box] = []
    for point in sorted(intersections):
        column, row = columns[point[0]], rows[point[1]]
        below = column[column.index(point) + 1:]
        right = row[row.index(point) + 1:]
        cell = _first_cell(point, below, right, vertical, horizontal)
        if cell is not None:
            cells.append(cell)
    return cells


def _first_cell(point: Point, below: list[Point], right: list[Point],
                vertical: dict[Point, frozenset], horizontal: dict[Point, frozenset]
                ) -> Box | None:
    """The smallest cell with ``point`` as its top-left corner, searched as pdfplumber does:
    points below joined by a vertical edge, then points right joined by a horizontal one."""
    for below_point in below:
        if vertical[point].isdisjoint(vertical[below_point]):
            continue
        for right_point in right:
            if horizontal[point].isdisjoint(horizontal[right_point]):
                continue
            corner = (right_point[0], below_point[1])
            if (corner in vertical
                    and not vertical[corner].isdisjoint(vertical[right_point])
                    and not horizontal[corner].isdisjoint(horizontal[below_point])):
                return (point[0], point[1], corner[0], corner[1])
    return None


class TableFinder(PlumberTableFinder):
    """pdfplumber's TableFinder (default settings) using ``smallest_cells``."""

    def __init__(self, page) -> None:  # noqa: D107 - pdfplumber's steps, one cell finder changed
        self.page = page
        self.settings = TableSettings.resolve(None)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(self.edges,
                                                    self.settings.intersection_x_tolerance,
                                                    self.settings.intersection_y_tolerance)
        self.cells = smallest_cells(self.intersections)
        self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]
