"""Bad input: each file is refused with one clear ReaderError line, or read correctly."""
from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

import pytest

from extractor.readers import ReaderError, read_document

sys.path.insert(0, str(Path(__file__).parent))
import fixtures_build as build  # noqa: E402


def refused(path: Path, reason: str) -> str:
    """Read ``path`` expecting a ReaderError naming the file and holding ``reason``."""
    with pytest.raises(ReaderError) as info:
        read_document(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    assert reason in message, message
    return message


def test_empty_txt(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    refused(path, "empty file (0 bytes)")


def test_whitespace_only_txt(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text(" \n\t\n　\n", encoding="utf-8")
    refused(path, "no text")


def test_zero_byte_docx(tmp_path):
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    refused(path, "empty file (0 bytes)")


def test_txt_renamed_as_docx(tmp_path):
    path = tmp_path / "renamed.docx"
    path.write_text("一、部门概况\n本部门预算100万元。", encoding="utf-8")
    refused(path, "not a valid .docx file (not a zip package)")


def test_truncated_docx(tmp_path):
    whole = build.build_docx(tmp_path / "whole.docx").read_bytes()
    path = tmp_path / "truncated.docx"
    path.write_bytes(whole[:len(whole) // 2])
    refused(path, "not a valid .docx file (damaged or truncated zip package)")


def test_zip_bomb_docx_refused_quickly(tmp_path):
    path = build.build_zip_bomb_docx(tmp_path / "bomb.docx", megabytes=8)
    start = time.perf_counter()
    refused(path, "zip bomb: declared uncompressed size")
    assert time.perf_counter() - start < 5


def test_declared_huge_docx_refused_quickly(tmp_path):
    path = build.build_declared_huge_docx(tmp_path / "huge.docx")
    start = time.perf_counter()
    refused(path, "zip bomb: declared uncompressed size 4294967280 bytes")
    assert time.perf_counter() - start < 5


def test_xml_entity_bomb_docx(tmp_path):
    source = build.build_docx(tmp_path / "source.docx")
    path = build.build_entity_bomb_docx(tmp_path / "entities.docx", source)
    refused(path, "XML entity bomb risk: word/document.xml declares a DOCTYPE or ENTITY")


def test_entity_declaration_in_html(tmp_path):
    path = tmp_path / "entities.html"
    path.write_text('<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa">]><html><body><p>&a;</p></body>'
                    "</html>", encoding="utf-8")
    refused(path, "declares entities")


def test_encrypted_pdf(tmp_path):
    path = build.build_pdf_text(tmp_path / "locked.pdf", ["全年支出1250万元。"], encrypt="secret")
    refused(path, "encrypted PDF: a password is needed")


def test_pdf_without_text_layer(tmp_path, monkeypatch):
    from extractor.readers import ocr
    monkeypatch.setattr(ocr, "available", lambda: False)  # as without the OCR extra
    path = build.build_pdf_no_text(tmp_path / "scanned.pdf")
    message = refused(path, "no text layer: scanned PDF, needs OCR")
    assert "pip install 'perfx[ocr]'" in message


def test_pdf_without_any_text_even_by_ocr(tmp_path):
    pytest.importorskip("rapidocr_onnxruntime")
    path = build.build_pdf_no_text(tmp_path / "scanned.pdf")  # shapes only: nothing to read
    refused(path, "no text layer: scanned PDF, and OCR found no text")


def test_truncated_pdf(tmp_path):
    whole = build.build_pdf_text(tmp_path / "whole.pdf", ["全年支出1250万元。"] * 5).read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(whole[:len(whole) // 2])
    refused(path, "corrupt PDF (truncated file)")


def test_gbk_txt(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("一、部门概况\n本部门年初预算1268.2285万元。".encode("gbk"))
    assert [b.text for b in read_document(path).blocks] == ["一、部门概况",
                                                           "本部门年初预算1268.2285万元。"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_txt(tmp_path, encoding):
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes("一、部门概况\r\n本部门年初预算1268.2285万元。\r\n".encode(encoding))
    assert [b.text for b in read_document(path).blocks] == ["一、部门概况",
                                                           "本部门年初预算1268.2285万元。"]


def test_random_bytes_as_txt(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(random.Random(1).randbytes(4096))
    refused(path, "not text")


def test_random_bytes_as_pdf(tmp_path):
    path = tmp_path / "noise.pdf"
    path.write_bytes(random.Random(2).randbytes(4096))
    refused(path, "not a valid PDF file (no %PDF header)")


def test_pdf_header_then_random_bytes(tmp_path):
    path = tmp_path / "noise-header.pdf"
    path.write_bytes(b"%PDF-1.7\n" + random.Random(3).randbytes(4096))
    refused(path, "corrupt PDF")


def test_nul_bytes_inside_text(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes("本部门\x00预算100万元。\n第二\x00\x00行".encode("utf-8"))
    assert [b.text for b in read_document(path).blocks] == ["本部门预算100万元。", "第二行"]


@pytest.mark.parametrize("name", ["program.exe", "archive.zip"])
def test_unsupported_extension(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"MZ" + os.urandom(64))
    refused(path, f"unsupported file type '{Path(name).suffix}'")


def test_zip_that_is_not_office_named_xlsx(tmp_path):
    import zipfile
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    refused(path, "a zip package but not an Office document")


def test_missing_file(tmp_path):
    refused(tmp_path / "absent.pdf", "file not found")
