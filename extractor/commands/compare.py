"""perfx compare PATH... : a department x metric x year table with year-over-year change."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .. import atomic
from ..compare import build_table, to_csv, to_json_dict, to_markdown, write_xlsx
from ..crossyear import cross_year_findings
from ..load_reports import load_reports
from . import without_cyclic_gc
from .report import _shareable

FORMATS = ("csv", "md", "json", "xlsx")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "compare", help="compare departments' metrics across years",
        description="Align canonical metrics by department and year from ingested outputs "
                    "(outputs/reports/*.json), report JSON files, or report documents.")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                        help="an ingest outputs/ folder, report JSON files or folders, or reports")
    parser.add_argument("--department", action="append", default=[], metavar="NAME",
                        help="only departments whose name contains NAME (repeatable)")
    parser.add_argument("--metric", nargs="+", action="extend", default=[], metavar="KEY",
                        help="only these metric keys (glob patterns and prefixes like budget. work)")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="csv (default), md, json or xlsx (xlsx needs -o)")
    parser.add_argument("-o", "--output", type=Path, help="write to FILE instead of stdout")
    parser.add_argument("--pretty", action="store_true", help="indent the JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return without_cyclic_gc(lambda: _run(args))


def _run(args: argparse.Namespace) -> int:
    fmt = args.format
    if fmt is None:
        suffix = args.output.suffix.lower().lstrip(".") if args.output else ""
        fmt = {"md": "md", "markdown": "md", "json": "json", "xlsx": "xlsx"}.get(suffix, "csv")
    if fmt == "xlsx" and args.output is None:
        print("perfx compare: --format xlsx needs -o FILE", file=sys.stderr)
        return 2
    loaded = load_reports(args.paths)
    for error in loaded.load_errors:
        print(f"perfx: error: {error['path']}: {error['reason']}", file=sys.stderr)
    table = build_table(loaded.reports, departments=args.department or None,
                        metrics=args.metric or None)
    for warning in table.warnings:
        print(f"perfx compare: warning: {warning['message']}", file=sys.stderr)
    findings = cross_year_findings(loaded.reports, table) if fmt in ("json", "md", "xlsx") else []
    if fmt == "xlsx":
        write_xlsx(table, args.output, findings)
        _shareable(args.output)
    else:
        if fmt == "csv":
            text = to_csv(table)
        elif fmt == "md":
            text = to_markdown(table, findings)
        else:
            indent = 1 if args.pretty else None  # the C encoder only runs without indent
            text = json.dumps(to_json_dict(table, findings), ensure_ascii=False, indent=indent) + "\n"
        if args.output is None:
            sys.stdout.write(text)
        else:
            atomic.write_text(args.output, text)
            _shareable(args.output)
    if not loaded.reports and not loaded.load_errors:
        print("perfx compare: no reports found", file=sys.stderr)
    return 1 if loaded.load_errors else 0
