"""Pydantic models of perfx's output contract.

Every number is a ``decimal.Decimal`` in Python and a string in JSON. Field names are a
contract: other tools and graders read them, so rename nothing without a schema_version bump.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

SCHEMA_VERSION = "1.0"


def decimal_str(value: Decimal) -> str:
    """Plain decimal notation, never an exponent: Decimal('1E+7') -> '10000000'."""
    text = format(value, "f")
    return text


DecimalStr = Annotated[Decimal, PlainSerializer(decimal_str, return_type=str, when_used="always")]

Kind = Literal["money", "count", "rate", "rate_delta", "score", "length", "area", "weight",
               "volume", "duration", "other"]
BlockKind = Literal["heading", "paragraph", "table"]


class Cell(BaseModel):
    """One table cell: its row and column and where its text sits in the block text."""
    model_config = ConfigDict(frozen=True)
    row: int
    col: int
    start: int
    end: int
    text: str


class Block(BaseModel):
    """A unit of reading-order text from a reader, with its provenance."""
    index: int
    kind: BlockKind = "paragraph"
    text: str
    page: Optional[int] = None
    level: Optional[int] = None  # heading level, 1 = top
    section: list[str] = Field(default_factory=list)  # heading chain above this block
    cells: list[Cell] = Field(default_factory=list)  # table blocks only; text = rows of cells

    def cell_at(self, offset: int) -> Optional[Cell]:
        """The table cell holding character ``offset`` of the block text, if any."""
        for cell in self.cells:
            if cell.start <= offset < cell.end:
                return cell
        return None


class Normalized(BaseModel):
    value: DecimalStr
    unit: str


class Range(BaseModel):
    low: DecimalStr
    high: DecimalStr


class Location(BaseModel):
    page: Optional[int] = None
    block: int
    start: int
    end: int
    section: list[str] = Field(default_factory=list)
    row: Optional[int] = None  # table cell row, when the figure sits in a table
    col: Optional[int] = None
    ocr: bool = False  # read from a page image by OCR (a scan), not from a text layer
    confidence: Optional[float] = None  # the OCR recogniser's confidence for the figure's line


class Figure(BaseModel):
    id: str
    text: str
    value: DecimalStr
    unit: str
    kind: Kind
    normalized: Normalized
    approx: bool = False
    qualifier: Optional[str] = None
    range: Optional[Range] = None
    direction: Optional[Literal["up", "down"]] = None
    label: Optional[str] = None
    metric: Optional[str] = None
    location: Location
    sentence: str = ""


class Source(BaseModel):
    path: str
    sha256: str
    format: str
    pages: Optional[int] = None


class Meta(BaseModel):
    model_config = ConfigDict(extra="allow")
    title: Optional[str] = None
    department: Optional[str] = None
    region: Optional[str] = None
    year: Optional[int] = None
    genre: Optional[str] = None


class Issue(BaseModel):
    """A warning or an error met while reading one report."""
    stage: str
    message: str


class Relation(BaseModel):
    """One edge of a report's figure-relation graph (extractor.relations): a list head and its
    items, a share and its base, a change and the values it compares, a table cell and its
    headers. ``head`` and ``items`` are figure ids; ``roles`` names each item's part."""
    kind: Literal["list", "share", "change", "cell"]
    head: str
    items: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)  # part | rate | base | change | previous
    cue: str = ""  # the words that make the relation: 其中 / 占 / 较上年增加 / 行 列 headers
    row_header: Optional[str] = None  # cell: the row's label cell
    col_header: Optional[str] = None  # cell: the column's header cell


class Report(BaseModel):
    schema_version: str = SCHEMA_VERSION
    source: Source
    meta: Meta = Field(default_factory=Meta)
    figures: list[Figure] = Field(default_factory=list)
    metrics: dict[str, list[dict]] = Field(default_factory=dict)
    # the self-evaluation table (绩效自评表) read into funds and indicator rows, when present
    self_eval_table: Optional[dict] = None
    # which figures are parts, shares, changes or cells of which (extractor.relations)
    relations: list[Relation] = Field(default_factory=list)
    findings: list[dict] = Field(default_factory=list)
    warnings: list[Issue] = Field(default_factory=list)
    errors: list[Issue] = Field(default_factory=list)
