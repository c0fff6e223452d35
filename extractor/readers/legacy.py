"""Old Word (.doc) and WPS (.wps) files: converted to .docx by LibreOffice, then read as docx.

Many ".doc" files published on portals are really HTML pages (Word's "save as web page");
those are read by the HTML reader without any conversion.
"""
from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tempfile
from pathlib import Path

from .base import Document, ReaderError

CONVERT_TIMEOUT = 120  # seconds
SOFFICE_NAMES = ("soffice", "libreoffice")
HTML_HEADS = (b"<html", b"<!doctype html", b"<?xml", b"<head", b"<meta")


def read_legacy(path: Path) -> Document:
    """Convert with LibreOffice headless and read the result; ReaderError when impossible."""
    fmt = path.suffix.lower().lstrip(".") or "doc"
    with open(path, "rb") as handle:
        head = handle.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(HTML_HEADS):
        from .html import read_html
        return dataclasses.replace(read_html(path), format=fmt)
    soffice = next((found for name in SOFFICE_NAMES if (found := shutil.which(name))), None)
    if soffice is None:
        raise ReaderError(path, "old Word format (.doc/.wps) needs LibreOffice (soffice) to "
                                "convert; it is not installed")
    from .docx import read_docx
    with tempfile.TemporaryDirectory(prefix="perfx-convert-") as tmp:
        tmp_dir = Path(tmp)
        command = [soffice, f"-env:UserInstallation={(tmp_dir / 'profile').as_uri()}",
                   "--headless", "--convert-to", "docx", "--outdir", str(tmp_dir / "out"),
                   str(path)]
        try:
            result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True,
                                    timeout=CONVERT_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise ReaderError(path, f"LibreOffice conversion timed out after "
                                    f"{CONVERT_TIMEOUT} s") from None
        except OSError as exc:
            raise ReaderError(path, f"cannot run LibreOffice: {exc}") from None
        converted = tmp_dir / "out" / (path.stem + ".docx")
        if not converted.is_file():
            detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
            detail = " ".join(detail.split())[:200]
            raise ReaderError(path, f"LibreOffice could not convert the {fmt} file "
                                    f"(exit {result.returncode}{': ' + detail if detail else ''})")
        try:
            document = read_docx(converted)
        except ReaderError as exc:
            raise ReaderError(path, f"converted docx unreadable: {exc.reason}") from None
    return dataclasses.replace(document, path=path, format=fmt)
