"""Snapshot what ``perfx extract`` writes for a fixed set of reports, to prove a change kept it.

    python scripts/snapshot_outputs.py OUT.jsonl [--root DIR] [--only GLOB]
    diff <(python scripts/snapshot_outputs.py /dev/stdout) before.jsonl

Runs the full pipeline (read, figures, labels, metrics, relations, self-evaluation table,
consistency findings: ``extractor.extract``) over every report under ``corpus/`` (recursively,
every format the readers take, ``corpus/flattened`` and ``corpus/mismatch`` included),
``../shared/corpus/dev/*.txt`` and ``../shared/seed/*`` when those exist, and writes one
canonical JSON line per report: the report id (its path relative to the root it was found
under), then the report as ``perfx extract`` dumps it with keys sorted. Nothing in it depends
on the run (no timings, no absolute paths), so two snapshots of the same code are equal byte for
byte and ``diff`` of two snapshots shows exactly what a change did to the output.
A file the readers refuse is written as ``{"id": ..., "error": "<reason>"}``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # snapshot this checkout's extractor, not whichever is installed

SUFFIXES = {".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".xlsx", ".doc"}


def report_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(report id, path) of every report to snapshot, in a fixed order."""
    shared = root.parent / "shared"
    sources = [("corpus", sorted((root / "corpus").rglob("*"))),
               ("dev", sorted((shared / "corpus" / "dev").glob("*.txt"))),
               ("seed", sorted((shared / "seed").glob("*")))]
    for prefix, paths in sources:
        base = root / "corpus" if prefix == "corpus" else None
        for path in paths:
            if path.is_file() and path.suffix.lower() in SUFFIXES:
                name = path.relative_to(base).as_posix() if base else path.name
                yield f"{prefix}/{name}", path


def canonical(report_id: str, path: Path) -> dict:
    """The report of one file as ``perfx extract`` writes it, minus the run-dependent path."""
    from extractor import extract
    from extractor.readers import ReaderError
    try:
        report = extract(path)
    except ReaderError as exc:
        return {"id": report_id, "error": str(exc).replace(str(path), report_id)}
    dumped = json.loads(report.model_dump_json())
    dumped["source"]["path"] = report_id
    return {"id": report_id, "report": dumped}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="JSON lines file to write")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="checkout whose corpus/ (and ../shared) to read (default: this one)")
    parser.add_argument("--only", default="*", help="glob on report ids, e.g. 'corpus/*.pdf'")
    args = parser.parse_args()
    from fnmatch import fnmatch
    count = 0
    with args.output.open("w", encoding="utf-8") as out:
        for report_id, path in report_files(args.root.resolve()):
            if not fnmatch(report_id, args.only):
                continue
            line = canonical(report_id, path)
            out.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    print(f"{count} reports -> {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
