"""The Document every reader returns and the one error type readers raise."""
from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Block
from ..timeout import FileTimeout

MAX_FILE_BYTES = 200 * 1024 * 1024  # a report larger than this is refused, not read


class ReaderError(Exception):
    """A file that cannot be read; str() is one line naming the file and the reason."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = printable(" ".join(str(reason).split()))  # always one printable line
        super().__init__(f"{self.path}: {self.reason}")


def printable(text: str) -> str:
    """``text`` with control and other unprintable characters escaped (bytes from a damaged file).

    >>> printable("bad digit: \\x81\\x1b")
    'bad digit: \\\\x81\\\\x1b'
    """
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" if ord(ch) < 256
                   else f"\\u{ord(ch):04x}" for ch in text)


# what a damaged zip package raises when a part is read: bad CRC, bad deflate data, a header
# asking for an unknown zip version, a part cut short, a part missing from the directory
DAMAGED_PACKAGE = (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, KeyError)


def package_error(path: str | Path, kind: str, exc: Exception) -> "ReaderError":
    """The ReaderError for a .docx/.xlsx whose parser failed: damage named as damage."""
    if isinstance(exc, DAMAGED_PACKAGE):
        return ReaderError(path, f"damaged or unsupported {kind} file: {type(exc).__name__}: "
                                 f"{exc}")
    return ReaderError(path, f"cannot read {kind}: {type(exc).__name__}: {exc}")


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
