"""perfx ingest DIR... -o outputs/: a whole archive -> per-report JSON, tables and a DuckDB file."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..ingest import DEFAULT_TIMEOUT, IngestError, ingest


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "ingest", help="extract a whole archive into tables (resumable, parallel)",
        description="Extract every supported report under the given folders into per-report "
                    "JSON files, JSON Lines and Parquet tables and a DuckDB database. "
                    "Safe to stop and run again: finished files are skipped.")
    parser.add_argument("inputs", nargs="+", type=Path, metavar="DIR",
                        help="folders (searched recursively) or report files")
    parser.add_argument("-o", "--output", type=Path, default=Path("outputs"),
                        help="output folder (default: outputs)")
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes (default: one per CPU)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"seconds allowed per file, 0 for none (default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--executor", choices=["local", "dask"], default="local",
                        help="local worker processes (default) or a Dask cluster")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (--executor dask)")
    parser.add_argument("--force", action="store_true",
                        help="extract every file again, even those already done")
    parser.add_argument("--retry-errors", action="store_true",
                        help="try again the files that failed in an earlier run")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.workers is not None and args.workers < 1:
        print("perfx ingest: --workers must be at least 1", file=sys.stderr)
        return 2
    if args.executor == "dask" and not args.scheduler:
        print("perfx ingest: --executor dask needs --scheduler ADDRESS", file=sys.stderr)
        return 2
    try:
        summary = ingest(args.inputs, args.output, workers=args.workers, timeout=args.timeout,
                         executor=args.executor, scheduler=args.scheduler, force=args.force,
                         retry_errors=args.retry_errors, progress=not args.quiet)
    except IngestError as exc:
        print(f"perfx ingest: error: {exc}", file=sys.stderr)
        return 2
    print(summary.text())
    return summary.exit_code
