"""Checks run on an Office zip package before any parser opens it.

Only the zip's central directory and the first bytes of each XML part are read, so a zip bomb
or an XML entity bomb is refused in milliseconds and with little memory.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .base import ReaderError

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_MIN_BYTES = 1024 * 1024  # small parts may compress very well; only big ones can bomb
MAX_MEMBERS = 20000
XML_HEAD_BYTES = 64 * 1024
DTD_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def check_package(path: Path, kind: str, main_part: str) -> None:
    """Refuse a .docx/.xlsx that is not a zip, is a zip bomb or declares a DTD.

    ``main_part`` (word/document.xml, xl/workbook.xml) must be present.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ReaderError(path, f"damaged or unsupported .{kind} file (damaged or truncated "
                                f"zip: {exc})") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ReaderError(path, f"zip bomb: {len(members)} members in the package")
        total = sum(info.file_size for info in members)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise ReaderError(path, f"zip bomb: declared uncompressed size {total} bytes "
                                    f"exceeds {MAX_UNCOMPRESSED_BYTES}")
        for info in members:
            if info.file_size >= RATIO_MIN_BYTES:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > MAX_RATIO:
                    raise ReaderError(path, f"zip bomb: declared uncompressed size "
                                            f"{info.file_size} bytes of {info.filename} is "
                                            f"{ratio:.0f} times its compressed size")
        names = {info.filename for info in members}
        if main_part not in names:
            raise ReaderError(path, f"not a valid .{kind} file (no {main_part} in the package)")
        for info in members:
            if info.filename.endswith((".xml", ".rels")):
                _check_xml_head(path, archive, info)


def _check_xml_head(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse an XML part whose prolog declares a DOCTYPE or entities (entity bomb)."""
    try:
        with archive.open(info) as handle:
            head = handle.read(XML_HEAD_BYTES)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise ReaderError(path, f"damaged package part {info.filename}: {exc}") from None
    if DTD_DECLARATION.search(head):
        raise ReaderError(path, f"XML entity bomb risk: {info.filename} declares a DOCTYPE or "
                                "ENTITY, which Office files never do; refused")
