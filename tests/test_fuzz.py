"""Fixed-seed byte-mutation fuzzing of the docx, xlsx, pdf and image readers (a few seconds).

Each mutated file must be read, or refused with one ReaderError line that names the damage
(issue 12 found ``NotImplementedError: zip file version 17.2`` escaping as an internal error).
The OCR recogniser is stubbed out: what is fuzzed is the decoding of the file, not recognition.
"""
from __future__ import annotations

import collections
import random
import sys
from pathlib import Path

import pytest

from extractor.extract import extract
from extractor.readers import ReaderError, ocr
from extractor.timeout import FileTimeout, time_limit

sys.path.insert(0, str(Path(__file__).parent))
import fixtures_build as build  # noqa: E402

SEED = 12
RUNS = {"docx": 150, "xlsx": 150, "pdf": 25, "png": 60, "jpg": 60, "tif": 60}
# reasons a damaged Office package may be refused with; "cannot read docx: ..." is not one
PACKAGE_REASONS = ("damaged or unsupported", "damaged package part", "not a valid", "zip bomb",
                   "XML entity bomb")


def _page_image(path: Path) -> Path:
    from PIL import Image, ImageDraw
    image = Image.new("L", (240, 90), 255)
    draw = ImageDraw.Draw(image)
    for i in range(6):
        draw.rectangle([10 + 38 * i, 20, 36 + 38 * i, 60], outline=0, fill=40 * i)
    image.save(path)
    return path


def _seed_file(fmt: str, tmp_path: Path) -> Path:
    if fmt == "docx":
        return build.build_docx(tmp_path / "seed.docx")
    if fmt == "xlsx":
        return build.build_xlsx(tmp_path / "seed.xlsx")
    if fmt == "pdf":
        pytest.importorskip("reportlab")
        return build.build_pdf(tmp_path / "seed.pdf")
    return _page_image(tmp_path / f"seed.{fmt}")


def mutate(data: bytes, rng: random.Random) -> bytes:
    """1-8 random bytes overwritten; sometimes the tail cut off."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    if rng.random() < 0.1:
        del out[rng.randrange(len(out) // 2, len(out)):]
    return bytes(out)


def classify(path: Path) -> str:
    """'ok', 'refused: <reason>' or 'ESCAPED <exception>' for one file through extract()."""
    try:
        with time_limit(20):
            extract(path)
        return "ok"
    except ReaderError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(f"{path}: ")
        return f"refused: {exc.reason}"
    except FileTimeout:
        return "timeout"
    except Exception as exc:  # noqa: BLE001 - what the test is looking for
        return f"ESCAPED {type(exc).__name__}: {exc}"


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow on a damaged TIFF tag
@pytest.mark.parametrize("fmt", list(RUNS))
def test_mutated_files_are_read_or_refused_by_name(fmt, tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(ocr, "recognise", lambda image: [])  # decoding is fuzzed, not OCR
    monkeypatch.setattr(ocr, "progress", lambda message: None)
    data = _seed_file(fmt, tmp_path).read_bytes()
    rng = random.Random(f"{SEED}:{fmt}")
    outcomes: collections.Counter = collections.Counter()
    target = tmp_path / f"mutated.{fmt}"
    for _ in range(RUNS[fmt]):
        target.write_bytes(mutate(data, rng))
        outcome = classify(target)
        outcomes[outcome.split(":")[0] if not outcome.startswith("refused") else
                 "refused: " + outcome.split(": ", 2)[1][:40]] += 1
        assert not outcome.startswith("ESCAPED"), outcome
        if fmt in ("docx", "xlsx") and outcome.startswith("refused"):
            assert outcome[len("refused: "):].startswith(PACKAGE_REASONS), outcome
    print(fmt, dict(outcomes.most_common()))  # the classification (pytest -s shows it)
    assert sum(outcomes.values()) == RUNS[fmt]


def test_zip_version_error_is_a_damaged_package(tmp_path):
    """The issue's case: a header asking for zip version 17.2 is a damaged or unsupported docx."""
    source = build.build_docx(tmp_path / "seed.docx").read_bytes()
    data = bytearray(source)
    central = data.rfind(b"PK\x01\x02")  # last central directory entry: 'version needed' at +6
    data[central + 6] = 172
    path = tmp_path / "version.docx"
    path.write_bytes(bytes(data))
    outcome = classify(path)
    assert outcome.startswith("refused: damaged or unsupported"), outcome
