"""The Document every reader returns and the one error type readers raise."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..models import Block
from ..timeout import FileTimeout

MAX_FILE_BYTES = 200 * 1024 * 1024  # a report larger than this is refused, not read


class ReaderError(Exception):
    """A file that cannot be read; str() is one line naming the file and the reason."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = " ".join(str(reason).split())  # always one line
        super().__init__(f"{self.path}: {self.reason}")


# exceptions a reader lets through instead of wrapping them in a ReaderError
NOT_WRAPPED = (ReaderError, FileTimeout)


@dataclass
class Document:
    """A read report: its format, page count (pdf), blocks in reading order, OCR provenance."""
    path: Path
    format: str
    blocks: list[Block]
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    # blocks read by OCR: block index -> (start, end, confidence) of each recognised line in it
    ocr: dict[int, list[tuple[int, int, float]]] = field(default_factory=dict)
