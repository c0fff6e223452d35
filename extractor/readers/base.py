"""The Document every reader returns and the one error type readers raise."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..models import Block

MAX_FILE_BYTES = 200 * 1024 * 1024  # a report larger than this is refused, not read


class ReaderError(Exception):
    """A file that cannot be read; str() is one line naming the file and the reason."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


@dataclass
class Document:
    """A read report: its format, page count (pdf) and blocks in reading order."""
    path: Path
    format: str
    blocks: list[Block]
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
