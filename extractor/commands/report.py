"""perfx report PATH... -o report.html: one self-contained HTML review page."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import atomic
from ..compare import build_table
from ..crossyear import cross_year_findings
from ..load_reports import load_reports
from ..report_html import render
from . import without_cyclic_gc


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="write one self-contained HTML review page",
        description="Trend charts per department, findings with their source sentences, "
                    "ingestion errors and a filter box, in one offline HTML file.")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                        help="an ingest outputs/ folder, report JSON files or folders, or reports")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                        help="the HTML file to write")
    parser.add_argument("--department", action="append", default=[], metavar="NAME",
                        help="only departments whose name contains NAME (repeatable)")
    parser.add_argument("--metric", nargs="+", action="extend", default=[], metavar="KEY",
                        help="only these metric keys (glob patterns and prefixes work)")
    parser.add_argument("--title", default="perfx 绩效报告审阅 / Review report")
    parser.set_defaults(func=run)


def _shareable(path: Path) -> None:
    """The page is meant to be shared: the usual file mode, not the temp file's 0600."""
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(path, 0o666 & ~umask)
    except OSError:
        pass


def run(args: argparse.Namespace) -> int:
    return without_cyclic_gc(lambda: _run(args))


def _run(args: argparse.Namespace) -> int:
    loaded = load_reports(args.paths)
    for error in loaded.load_errors:
        print(f"perfx: error: {error['path']}: {error['reason']}", file=sys.stderr)
    table = build_table(loaded.reports, departments=args.department or None,
                        metrics=args.metric or None)
    for warning in table.warnings:
        print(f"perfx report: warning: {warning['message']}", file=sys.stderr)
    findings = cross_year_findings(loaded.reports, table)
    atomic.write_text(args.output, render(loaded, table, findings, title=args.title))
    _shareable(args.output)
    print(f"perfx report: wrote {args.output} ({len(loaded.reports)} reports, "
          f"{len(table.series)} series, {len(findings)} cross-year findings)", file=sys.stderr)
    return 1 if loaded.load_errors else 0
