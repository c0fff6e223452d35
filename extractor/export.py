"""Tables from the per-report files: JSON Lines, Parquet and one DuckDB database.

The per-report files (``reports/<sha256>.json``, ``errors/<sha256>.json``) are the source of
truth; every table here is rebuilt from them at the end of a run, one report at a time (memory
does not grow with the archive), sorted by sha256 then by position in the report, so two runs
over the same files give the same tables. Each output file is built under a temporary name
beside its target, fsynced, and renamed over it: a reader (or a kill -9) never sees half a file.

Decimals stay exact: strings in JSON Lines, ``decimal128(38, 10)`` in Parquet and
``DECIMAL(38, 10)`` in DuckDB. Column lists are documented in docs/outputs.md.
"""
from __future__ import annotations

import decimal
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Optional

from .models import SCHEMA_VERSION

DATA_HINT = "pip install pyarrow duckdb"

TABLE_FILES = ["figures.jsonl", "figures.parquet", "metrics.parquet", "findings.jsonl",
               "errors.jsonl", "perfx.duckdb"]
STAGING = ".staging"
BATCH_ROWS = 20_000
DUCKDB_MEMORY_LIMIT = "64MB"

# column name -> type tag; the order is the column order of every table
STR, INT, BOOL, DEC, STRS, JSON = "str", "int", "bool", "dec", "strs", "json"

REPORT_COLUMNS = [
    ("sha256", STR), ("path", STR), ("paths", STRS), ("format", STR), ("pages", INT),
    ("title", STR), ("department", STR), ("region", STR), ("year", INT), ("genre", STR),
    ("figure_count", INT), ("metric_count", INT), ("finding_count", INT),
    ("warning_count", INT), ("error_count", INT), ("schema_version", STR), ("meta", JSON),
]
CONTEXT_COLUMNS = [("sha256", STR), ("path", STR), ("department", STR), ("year", INT),
                   ("genre", STR)]
FIGURE_COLUMNS = CONTEXT_COLUMNS + [
    ("id", STR), ("text", STR), ("value", DEC), ("unit", STR), ("kind", STR),
    ("normalized_value", DEC), ("normalized_unit", STR), ("approx", BOOL), ("qualifier", STR),
    ("range_low", DEC), ("range_high", DEC), ("direction", STR), ("label", STR), ("metric", STR),
    ("page", INT), ("block", INT), ("start", INT), ("end", INT), ("row", INT), ("col", INT),
    ("section", STRS), ("sentence", STR),
]
METRIC_COLUMNS = CONTEXT_COLUMNS + [
    ("metric", STR), ("index", INT), ("value", DEC), ("unit", STR), ("figure_ids", STRS),
    ("conflict", BOOL),
]
FINDING_COLUMNS = CONTEXT_COLUMNS + [
    ("index", INT), ("rule", STR), ("name", STR), ("family", STR), ("severity", STR),
    ("message_zh", STR), ("message_en", STR), ("figure_ids", STRS), ("expected", DEC),
    ("found", DEC), ("difference", DEC), ("unit", STR), ("finding", JSON),
]
ERROR_COLUMNS = [("sha256", STR), ("path", STR), ("paths", STRS), ("stage", STR),
                 ("reason", STR)]

DUCKDB_TABLES = {"reports": REPORT_COLUMNS, "figures": FIGURE_COLUMNS,
                 "metrics": METRIC_COLUMNS, "findings": FINDING_COLUMNS,
                 "errors": ERROR_COLUMNS}

_DEC_CONTEXT = decimal.Context(prec=80, rounding=decimal.ROUND_HALF_EVEN)
_SCALE = Decimal("1e-10")
_LIMIT = Decimal(10) ** 28


class MissingDependency(RuntimeError):
    """pyarrow or duckdb is not installed."""


def require() -> None:
    """Raise MissingDependency, naming the extra to install, when pyarrow/duckdb are absent."""
    missing = []
    for name in ("pyarrow", "duckdb"):
        try:
            __import__(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise MissingDependency(f"{' and '.join(missing)} not installed; tables need them: "
                                f"{DATA_HINT}")


# -- files written under a temporary name, renamed into place on commit ----------------------

def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Staged:
    """A file built beside ``target`` under a hidden temporary name; ``commit`` renames it."""

    def __init__(self, target: Path) -> None:
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600 would hide the tables from others
        self.tmp = Path(tmp)

    def commit(self) -> None:
        if self.tmp.exists():
            os.chmod(self.tmp, 0o666 & ~_umask())
        fd = os.open(self.tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(self.tmp, self.target)

    def discard(self) -> None:
        for path in (self.tmp, Path(f"{self.tmp}.wal")):
            try:
                path.unlink()
            except FileNotFoundError:
                pass


def clean_stale(out: Path) -> int:
    """Remove temporary files a killed run left behind (only hidden ``.*.tmp`` names)."""
    removed = 0
    for folder in (out, out / "reports", out / "errors"):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.name.startswith(".") and (path.name.endswith(".tmp")
                                              or path.name.endswith(".tmp.wal")):
                try:
                    path.unlink()
                    removed += 1
                except FileNotFoundError:
                    pass
    shutil.rmtree(out / STAGING, ignore_errors=True)
    return removed


# -- value conversion -------------------------------------------------------------------------

def to_decimal(value: Any) -> Optional[Decimal]:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(str(value))
    except decimal.InvalidOperation:
        return None


def decimal_text(value: Any) -> Optional[str]:
    """The exact decimal as a plain string (no exponent), for JSON Lines."""
    number = to_decimal(value)
    if number is None:
        return None
    return format(number, "f")


def _int(value: Any) -> Optional[int]:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _str(value: Any) -> Optional[str]:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _strs(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


# -- sinks ------------------------------------------------------------------------------------

class JsonlSink:
    """Rows as JSON Lines (decimals as strings, JSON columns nested) into a staged file."""

    def __init__(self, target: Path) -> None:
        self.staged = Staged(target)
        self.handle = open(self.staged.tmp, "w", encoding="utf-8", newline="\n")
        self.rows = 0

    def add(self, row: dict) -> None:
        self.handle.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.rows += 1

    def close(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()

    def discard(self) -> None:
        if not self.handle.closed:
            self.handle.close()
        self.staged.discard()


def arrow_schema(columns: list[tuple[str, str]]):
    import pyarrow as pa
    types = {STR: pa.string(), INT: pa.int32(), BOOL: pa.bool_(), DEC: pa.decimal128(38, 10),
             STRS: pa.list_(pa.string()), JSON: pa.string()}
    return pa.schema([pa.field(name, types[tag]) for name, tag in columns])


class ParquetSink:
    """Rows into a Parquet file, a row group per ``BATCH_ROWS`` rows (memory stays flat)."""

    def __init__(self, path: Path, columns: list[tuple[str, str]], stats: "TableStats",
                 staged: bool = True) -> None:
        import pyarrow.parquet as pq
        self.columns = columns
        self.schema = arrow_schema(columns)
        self.stats = stats
        self.staged = Staged(path) if staged else None
        self.path = self.staged.tmp if staged else path
        self.writer = pq.ParquetWriter(str(self.path), self.schema, compression="zstd")
        self.buffer: dict[str, list] = {name: [] for name, _ in columns}
        self.pending = 0
        self.rows = 0

    def add(self, row: dict) -> None:
        for name, tag in self.columns:
            value = row.get(name)
            if tag == DEC:
                value = self._decimal(value)
            elif tag == JSON:
                value = None if value is None else json.dumps(value, ensure_ascii=False,
                                                              sort_keys=True)
            self.buffer[name].append(value)
        self.pending += 1
        self.rows += 1
        if self.pending >= BATCH_ROWS:
            self.flush()

    def _decimal(self, value: Any) -> Optional[Decimal]:
        number = to_decimal(value)
        if number is None or not number.is_finite():
            return None
        scaled = number.quantize(_SCALE, context=_DEC_CONTEXT)
        if abs(scaled) >= _LIMIT:
            self.stats.inexact += 1
            return None
        if scaled != number:
            self.stats.inexact += 1
        return scaled

    def flush(self) -> None:
        import pyarrow as pa
        if not self.pending:
            return
        table = pa.Table.from_pydict(self.buffer, schema=self.schema)
        self.writer.write_table(table)
        self.buffer = {name: [] for name, _ in self.columns}
        self.pending = 0

    def close(self) -> None:
        self.flush()
        self.writer.close()
        if self.staged is None:
            return
        fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def discard(self) -> None:
        try:
            self.writer.close()
        except Exception:  # noqa: BLE001 - already failing; only cleaning up
            pass
        if self.staged is not None:
            self.staged.discard()


# -- rows from one report ---------------------------------------------------------------------

def context_row(report: dict, sha: str, path: str) -> dict:
    meta = report.get("meta") or {}
    return {"sha256": sha, "path": path, "department": _str(meta.get("department")),
            "year": _int(meta.get("year")), "genre": _str(meta.get("genre"))}


def report_row(report: dict, sha: str, paths: list[str]) -> dict:
    meta = report.get("meta") or {}
    source = report.get("source") or {}
    return {
        "sha256": sha, "path": paths[0], "paths": list(paths),
        "format": _str(source.get("format")), "pages": _int(source.get("pages")),
        "title": _str(meta.get("title")), "department": _str(meta.get("department")),
        "region": _str(meta.get("region")), "year": _int(meta.get("year")),
        "genre": _str(meta.get("genre")),
        "figure_count": len(report.get("figures") or []),
        "metric_count": sum(len(v) if isinstance(v, list) else 1
                            for v in (report.get("metrics") or {}).values()),
        "finding_count": len(report.get("findings") or []),
        "warning_count": len(report.get("warnings") or []),
        "error_count": len(report.get("errors") or []),
        "schema_version": _str(report.get("schema_version")), "meta": meta,
    }


def figure_rows(report: dict, context: dict) -> Iterable[dict]:
    for fig in report.get("figures") or []:
        normalized = fig.get("normalized") or {}
        rng = fig.get("range") or {}
        loc = fig.get("location") or {}
        row = dict(context)
        row.update({
            "id": _str(fig.get("id")), "text": _str(fig.get("text")),
            "value": decimal_text(fig.get("value")), "unit": _str(fig.get("unit")),
            "kind": _str(fig.get("kind")),
            "normalized_value": decimal_text(normalized.get("value")),
            "normalized_unit": _str(normalized.get("unit")),
            "approx": bool(fig.get("approx")), "qualifier": _str(fig.get("qualifier")),
            "range_low": decimal_text(rng.get("low")), "range_high": decimal_text(rng.get("high")),
            "direction": _str(fig.get("direction")), "label": _str(fig.get("label")),
            "metric": _str(fig.get("metric")),
            "page": _int(loc.get("page")), "block": _int(loc.get("block")),
            "start": _int(loc.get("start")), "end": _int(loc.get("end")),
            "row": _int(loc.get("row")), "col": _int(loc.get("col")),
            "section": _strs(loc.get("section")), "sentence": _str(fig.get("sentence")),
        })
        yield row


def metric_rows(report: dict, context: dict) -> Iterable[dict]:
    metrics = report.get("metrics") or {}
    for key in sorted(metrics):
        values = metrics[key]
        if isinstance(values, dict):
            values = [values]
        for index, item in enumerate(values or []):
            if not isinstance(item, dict):
                item = {"value": item}
            row = dict(context)
            row.update({"metric": str(key), "index": index,
                        "value": decimal_text(item.get("value")), "unit": _str(item.get("unit")),
                        "figure_ids": _strs(item.get("figure_ids")),
                        "conflict": bool(item.get("conflict", False))})
            yield row


def _finding_figure_ids(finding: dict) -> list[str]:
    if "figure_ids" in finding:
        return _strs(finding["figure_ids"])
    ids = []
    for item in finding.get("figures") or []:
        if isinstance(item, dict) and item.get("id") is not None:
            ids.append(str(item["id"]))
        elif isinstance(item, str):
            ids.append(item)
    return ids


def finding_rows(report: dict, context: dict) -> Iterable[dict]:
    """One row per finding (extractor.check.findings.Finding.as_dict(); the whole finding is
    kept in the ``finding`` column, so keys added later are not lost)."""
    for index, finding in enumerate(report.get("findings") or []):
        if not isinstance(finding, dict):
            finding = {"message_zh": str(finding)}
        message = finding.get("message")
        if isinstance(message, dict):  # {"zh": ..., "en": ...}
            message_zh, message_en = message.get("zh"), message.get("en")
        else:
            message_zh = finding.get("message_zh") or message
            message_en = finding.get("message_en")
        row = dict(context)
        row.update({
            "index": index,
            "rule": _str(finding.get("rule") or finding.get("rule_id")),
            "name": _str(finding.get("name")), "family": _str(finding.get("family")),
            "severity": _str(finding.get("severity")),
            "message_zh": _str(message_zh), "message_en": _str(message_en),
            "figure_ids": _finding_figure_ids(finding),
            "expected": decimal_text(finding.get("expected")),
            "found": decimal_text(finding.get("found")),
            "difference": decimal_text(finding.get("difference")),
            "unit": _str(finding.get("unit")), "finding": finding,
        })
        yield row


def error_row(record: dict, sha: Optional[str], paths: list[str]) -> dict:
    return {"sha256": sha, "path": paths[0] if paths else _str(record.get("path")),
            "paths": list(paths) or _strs(record.get("path")),
            "stage": _str(record.get("stage")), "reason": _str(record.get("reason"))}


def load_json(path: Path) -> Optional[dict]:
    """The JSON object in ``path``; None when it is missing, truncated or not an object."""
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def valid_report(data: Optional[dict]) -> bool:
    return (data is not None and data.get("schema_version") == SCHEMA_VERSION
            and isinstance(data.get("source"), dict) and isinstance(data.get("figures"), list))


# -- the build --------------------------------------------------------------------------------

@dataclass
class TableStats:
    reports: int = 0
    figures: int = 0
    metrics: int = 0
    findings: int = 0
    errors: int = 0
    inexact: int = 0  # decimals that DECIMAL(38,10) could not hold exactly (never seen)
    error_rows: list[dict] = field(default_factory=list)


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _build_duckdb(path: Path, sources: dict, staging: Path, memory_limit: Optional[str]) -> None:
    """The database file from the staged Parquet files, one table each."""
    import duckdb
    for stale in (path, Path(f"{path}.wal")):
        if stale.exists():
            stale.unlink()  # duckdb creates the file itself
    config = {"temp_directory": str(staging / "duckdb")}
    if memory_limit:
        # a small limit: DuckDB writes the tables out as it goes (spilling to the staging
        # folder) instead of holding them until the end, so memory stays flat
        config["memory_limit"] = memory_limit
    con = duckdb.connect(str(path), config=config)
    try:
        for table, columns in DUCKDB_TABLES.items():
            json_cols = [name for name, tag in columns if tag == JSON]
            replace = (" REPLACE (" + ", ".join(f'CAST("{c}" AS JSON) AS "{c}"'
                                                for c in json_cols) + ")") if json_cols else ""
            con.execute(f"CREATE TABLE {table} AS SELECT *{replace} "
                        f"FROM read_parquet({_sql_path(sources[table])})")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def build(out: Path, entries: Iterable[tuple[str, list[str]]],
          unreadable: Iterable[dict] = (),
          extra_findings: Optional[dict[str, list[dict]]] = None) -> TableStats:
    """Rebuild every table in ``out`` from its per-report files.

    ``entries`` are ``(sha256, paths)`` for every file of the archive; ``unreadable`` holds
    ``{path, stage, reason}`` for files that could not even be hashed (no sha256).
    ``extra_findings`` (sha256 -> findings, e.g. the cross-year ones) follow each report's own
    findings in the tables and its ``finding_count``; the report files are left as they are.
    """
    require()
    import duckdb

    out = Path(out)
    stats = TableStats()
    staging = out / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    sinks: list = []
    try:
        figures_jsonl = JsonlSink(out / "figures.jsonl")
        sinks.append(figures_jsonl)
        findings_jsonl = JsonlSink(out / "findings.jsonl")
        sinks.append(findings_jsonl)
        errors_jsonl = JsonlSink(out / "errors.jsonl")
        sinks.append(errors_jsonl)
        figures_pq = ParquetSink(out / "figures.parquet", FIGURE_COLUMNS, stats)
        sinks.append(figures_pq)
        metrics_pq = ParquetSink(out / "metrics.parquet", METRIC_COLUMNS, stats)
        sinks.append(metrics_pq)
        reports_pq = ParquetSink(staging / "reports.parquet", REPORT_COLUMNS, stats, staged=False)
        sinks.append(reports_pq)
        findings_pq = ParquetSink(staging / "findings.parquet", FINDING_COLUMNS, stats,
                                  staged=False)
        sinks.append(findings_pq)
        errors_pq = ParquetSink(staging / "errors.parquet", ERROR_COLUMNS, stats, staged=False)
        sinks.append(errors_pq)

        def add_error(row: dict) -> None:
            errors_jsonl.add(row)
            errors_pq.add(row)
            stats.errors += 1
            stats.error_rows.append(row)

        for sha, paths in sorted(entries):
            paths = sorted(paths)
            report = load_json(out / "reports" / f"{sha}.json")
            if valid_report(report):
                extra = (extra_findings or {}).get(sha)
                if extra:
                    report = dict(report, findings=list(report.get("findings") or []) + extra)
                context = context_row(report, sha, paths[0])
                reports_pq.add(report_row(report, sha, paths))
                stats.reports += 1
                for row in figure_rows(report, context):
                    figures_jsonl.add(row)
                    figures_pq.add(row)
                    stats.figures += 1
                for row in metric_rows(report, context):
                    metrics_pq.add(row)
                    stats.metrics += 1
                for row in finding_rows(report, context):
                    findings_jsonl.add(row)
                    findings_pq.add(row)
                    stats.findings += 1
                continue
            record = load_json(out / "errors" / f"{sha}.json")
            if record is not None:
                add_error(error_row(record, sha, paths))
        for record in sorted(unreadable, key=lambda r: r.get("path") or ""):
            add_error(error_row(record, None, _strs(record.get("path"))))

        for sink in sinks:
            sink.close()

        database = Staged(out / "perfx.duckdb")
        sinks.append(database)
        sources = {"reports": reports_pq.path, "figures": figures_pq.path,
                   "metrics": metrics_pq.path, "findings": findings_pq.path,
                   "errors": errors_pq.path}
        try:
            _build_duckdb(database.tmp, sources, staging, DUCKDB_MEMORY_LIMIT)
        except duckdb.OutOfMemoryException:  # never seen; then memory is what it takes
            _build_duckdb(database.tmp, sources, staging, None)

        for sink in (figures_jsonl, findings_jsonl, errors_jsonl):
            sink.staged.commit()
        for sink in (figures_pq, metrics_pq):
            sink.staged.commit()
        database.commit()
        sinks.clear()
    finally:
        for sink in sinks:
            sink.discard()
        shutil.rmtree(staging, ignore_errors=True)
    return stats
