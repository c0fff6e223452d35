"""Readers: one module per format, each turning a file into a list of Blocks.

``read_document(path)`` picks the reader from the file's content first (magic bytes) and its
extension second, so a renamed file is read for what it is or refused with a clear reason.
"""
from __future__ import annotations

from pathlib import Path

from . import detect
from .base import MAX_FILE_BYTES, NOT_WRAPPED, Document, ReaderError, package_error

__all__ = ["Document", "ReaderError", "read_document", "SUPPORTED_EXTENSIONS"]

SUPPORTED_EXTENSIONS = {".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf", ".doc",
                        ".wps", ".xlsx", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


def read_document(path: str | Path) -> Document:
    """Read one report file into blocks with provenance; raise ReaderError on bad input."""
    path = Path(path)
    if not path.exists():
        raise ReaderError(path, "file not found")
    if path.is_dir():
        raise ReaderError(path, "is a directory, not a file")
    size = path.stat().st_size
    if size == 0:
        raise ReaderError(path, "empty file (0 bytes)")
    if size > MAX_FILE_BYTES:
        raise ReaderError(path, f"file too large ({size} bytes; limit {MAX_FILE_BYTES})")
    fmt = detect.detect_format(path)
    try:
        return _read(path, fmt)
    except NOT_WRAPPED:
        raise
    except Exception as exc:  # a parser bug on odd input must still be one clear line
        if fmt in ("docx", "xlsx"):
            raise package_error(path, fmt, exc) from None
        raise ReaderError(path, f"cannot read {fmt}: {type(exc).__name__}: {exc}") from None


def _read(path: Path, fmt: str) -> Document:
    if fmt == "txt" or fmt == "md":
        from .text import read_text
        return read_text(path, fmt)
    if fmt == "html":
        from .html import read_html
        return read_html(path)
    if fmt == "docx":
        from .docx import read_docx
        return read_docx(path)
    if fmt == "pdf":
        from .pdf import read_pdf
        return read_pdf(path)
    if fmt == "xlsx":
        from .xlsx import read_xlsx
        return read_xlsx(path)
    if fmt == "image":
        from .image import read_image
        return read_image(path)
    if fmt in ("doc", "wps"):
        from .legacy import read_legacy
        return read_legacy(path)
    raise ReaderError(path, f"unsupported file type {path.suffix or '(no extension)'!r}")
