"""The perfx command line: subcommands and exit codes only.

Exit codes: 0 ok, 1 some file failed (or could not be read), 2 usage error,
3 consistency errors found (``perfx check``).
"""
from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__, patterns

COMMANDS = ["extract", "schema", "check", "ingest", "compare", "report"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="perfx", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"perfx {__version__}")
    parser.add_argument("--patterns", action="append", default=[], metavar="DIR",
                        help="a folder of pattern files that extend or override the built-in ones")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f".commands.{name}", __package__)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.endswith(f"commands.{name}"):
                continue  # a command not built yet
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.patterns:
        patterns.set_user_dirs(args.patterns)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("perfx: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
