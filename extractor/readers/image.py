"""Page images (.png, .jpg, .tif): each frame is one scanned page, read by OCR.

The OCR extra is needed (``pip install 'perfx[ocr]'``); without it the file is refused with the
one-line "needs OCR" error. Lines and tables come from readers/ocr.py and are reflowed into
paragraphs exactly like the lines of a PDF page.
"""
from __future__ import annotations

from pathlib import Path

from . import ocr
from .base import Document, ReaderError
from .pdf import MARGIN_SHARE, Line, PageData, _drop_running_lines, _reflow
from .structure import assign_sections

MAX_PIXELS = 100_000_000  # a larger page image is refused (decompression bomb)


def read_image(path: Path) -> Document:
    """OCR every frame of a page image file into blocks; ReaderError for bad or blank images."""
    if not ocr.available():
        raise ocr.needs_ocr_error(path, "page image")
    frames = _frames(path)
    loaders = [(number, (lambda image=image: image), scale)
               for number, (image, scale) in enumerate(frames, start=1)]
    pages = ocr.ocr_pages(path, loaders, len(frames))
    data = [ocr.to_page_data(page, PageData, Line, MARGIN_SHARE) for page in pages]
    if not any(page.chars for page in data):
        raise ReaderError(path, "no text found by OCR in the image")
    warnings = [f"pages read by OCR: {', '.join(str(page.number) for page in pages)}"]
    for page in pages:
        warnings.extend(page.notes)
    _drop_running_lines(data)
    blocks = assign_sections(_reflow(data))
    return Document(path=path, format="image", blocks=blocks, pages=len(pages),
                    warnings=warnings, ocr=ocr.line_spans(blocks, pages))


def _frames(path: Path) -> list:
    """The frames of an image as greyscale pages; ReaderError when the image is damaged."""
    from PIL import Image
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        return ocr.read_image_pages(path)
    except Image.DecompressionBombError as exc:
        raise ReaderError(path, f"image too large: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - Pillow's decoders raise many kinds on bad data
        raise ReaderError(path, f"damaged or unsupported image: {type(exc).__name__}: {exc}") \
            from None
