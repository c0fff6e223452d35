"""Helpers for the label / metric / self-evaluation tests: a report from a text written here."""
from __future__ import annotations

import json
from pathlib import Path

from extractor import extract

SPECS = Path(__file__).resolve().parent / "specs"


def report_of(tmp_path: Path, text: str, title: str | None = None, name: str = "r.txt"):
    path = tmp_path / name
    body = (title + "\n" if title else "") + text + "\n"
    path.write_text(body, encoding="utf-8")
    return extract(path)


def figure(report, key):
    """The figure named ``key``: its text, or '["text", n]' for the n-th occurrence."""
    if isinstance(key, str) and key.startswith("["):
        key = json.loads(key)
    text, nth = (key, 1) if isinstance(key, str) else (key[0], key[1])
    found = [f for f in report.figures if f.text == text]
    assert len(found) >= nth, f"figure {text!r} #{nth} not found in {[f.text for f in report.figures]}"
    return found[nth - 1]


def spec_cases(folder: str) -> list[tuple[str, dict]]:
    out = []
    for path in sorted((SPECS / folder).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for number, case in enumerate(data["cases"], start=1):
            out.append((f"{path.stem}-{number}", case))
    return out


def table_bed():
    """The test bed's writers (scripts/dev_tables_to_docx.py): real docx, pdf, html and xlsx
    tables, loaded from the script."""
    import importlib.util
    path = Path(__file__).parent.parent / "scripts" / "dev_tables_to_docx.py"
    spec = importlib.util.spec_from_file_location("dev_tables_to_docx", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
