"""perfx extract FILE... [-o DIR] [--pretty]: one report -> JSON on stdout, several -> DIR."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import atomic
from ..extract import extract
from ..readers import ReaderError
from ..timeout import FileTimeout, time_limit

DEFAULT_TIMEOUT = 120.0


def register(subparsers) -> None:
    parser = subparsers.add_parser("extract", help="extract figures from report files")
    parser.add_argument("files", nargs="+", type=Path, help="report files (docx, pdf, txt, md, html, xlsx, doc)")
    parser.add_argument("-o", "--output", type=Path, help="folder for one JSON file per report")
    parser.add_argument("--pretty", action="store_true", help="indent the JSON")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"seconds allowed per file (default {DEFAULT_TIMEOUT:g})")
    parser.set_defaults(func=run)


def output_name(path: Path, sha256: str, taken: set[str]) -> str:
    """``<stem>.json``; a second report with the same stem gets its hash appended."""
    name = f"{path.stem}.json"
    if name in taken:
        name = f"{path.stem}-{sha256[:8]}.json"
    taken.add(name)
    return name


def run(args: argparse.Namespace) -> int:
    if len(args.files) > 1 and args.output is None:
        print("perfx extract: several files need -o DIR", file=sys.stderr)
        return 2
    indent = 2 if args.pretty else None
    failed = 0
    taken: set[str] = set()
    for path in args.files:
        try:
            with time_limit(args.timeout):
                report = extract(path)
        except ReaderError as exc:
            print(f"perfx: error: {exc}", file=sys.stderr)
            failed += 1
            continue
        except FileTimeout as exc:
            print(f"perfx: error: {path}: {exc}", file=sys.stderr)
            failed += 1
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
            print(f"perfx: error: {path}: internal error {type(exc).__name__}: {exc}", file=sys.stderr)
            failed += 1
            continue
        text = report.model_dump_json(indent=indent)
        if args.output is None:
            sys.stdout.write(text + "\n")
        else:
            atomic.write_text(args.output / output_name(path, report.source.sha256, taken), text + "\n")
    return 1 if failed else 0
