"""Tell a file's format from its first bytes, falling back to its extension."""
from __future__ import annotations

import zipfile
from pathlib import Path

from .base import ReaderError

EXTENSION_FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html",
                     ".htm": "html", ".docx": "docx", ".pdf": "pdf", ".doc": "doc",
                     ".wps": "wps", ".xlsx": "xlsx", ".png": "image", ".jpg": "image",
                     ".jpeg": "image", ".tif": "image", ".tiff": "image"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def detect_format(path: Path) -> str:
    """The reader format for ``path``; ReaderError when content and extension disagree badly."""
    ext = path.suffix.lower()
    expected = EXTENSION_FORMATS.get(ext)
    if expected is None:
        raise ReaderError(path, f"unsupported file type {ext or '(no extension)'!r}; "
                                f"supported: {', '.join(sorted(EXTENSION_FORMATS))}")
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF"):
        actual = "pdf"
    elif head.startswith(b"PK\x03\x04"):
        actual = _zip_format(path)
    elif head.startswith(OLE_MAGIC):
        actual = "ole"
    elif head.startswith(IMAGE_MAGIC):
        actual = "image"
    else:
        actual = None
    if expected in ("docx", "xlsx"):
        if actual in ("docx", "xlsx"):
            return actual
        if actual == "ole":
            raise ReaderError(path, "is an old binary Office file (.doc/.xls) named as "
                                    f"{ext}; rename it to .doc to convert it")
        if actual == "pdf":
            raise ReaderError(path, f"is a PDF file named as {ext}")
        if actual == "unsupported-zip":
            raise ReaderError(path, f"damaged or unsupported {ext} file (its zip package needs a "
                                    "zip feature or version Python cannot read)")
        if actual == "broken-zip":
            raise ReaderError(path, f"not a valid {ext} file (damaged or truncated zip package)")
        if actual == "zip":
            raise ReaderError(path, f"not a valid {ext} file (a zip package but not an Office "
                                    "document)")
        raise ReaderError(path, f"not a valid {ext} file (not a zip package)")
    if expected == "image":
        if actual == "pdf":
            return "pdf"
        if actual != "image":
            raise ReaderError(path, f"not a valid {ext} image (no PNG, JPEG or TIFF header)")
        return "image"
    if expected == "pdf":
        if actual != "pdf":
            raise ReaderError(path, "not a valid PDF file (no %PDF header)")
        return "pdf"
    if expected in ("doc", "wps"):
        if actual in ("docx", "pdf"):
            return actual
        return expected
    # txt / md / html: a binary package under a text name is read for what it is
    if actual == "pdf":
        return "pdf"
    if actual in ("docx", "xlsx"):
        return actual
    return expected


def _zip_format(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return "broken-zip"
    except NotImplementedError:  # "zip file version 17.2": a damaged header or an odd zip tool
        return "unsupported-zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"
