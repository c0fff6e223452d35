"""perfx schema: print the JSON Schema of the report output."""
from __future__ import annotations

import argparse
import json

from ..models import Report


def register(subparsers) -> None:
    parser = subparsers.add_parser("schema", help="print the JSON Schema of perfx output")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:  # noqa: ARG001
    print(json.dumps(Report.model_json_schema(mode="serialization"), ensure_ascii=False, indent=2))
    return 0
