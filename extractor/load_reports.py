"""Load extracted reports for cross-report work (``perfx compare``, ``perfx report``).

A path may be
- an ``perfx ingest`` output folder (``reports/*.json``, plus ``errors.jsonl`` and
  ``findings.jsonl`` beside it when present),
- any folder: its report JSON files (recursively); a folder without report JSON (JSON that
  is not a report, like an index or truth files, does not count) has its report documents
  (docx, pdf, txt, ...) extracted instead,
- a report JSON file, or a report document (extracted with :func:`extractor.extract`).

Reports are kept as plain dicts in the Report JSON shape (see ``models.Report``): validating
thousands of full reports through pydantic would cost more than the comparison itself.
Numbers stay strings here; callers turn the ones they use into ``Decimal``.
"""
from __future__ import annotations

import gc
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

try:  # optional: about 3x faster than json on large report files
    import orjson as _orjson
except ImportError:  # pragma: no cover - orjson is optional
    _orjson = None

DOCUMENT_SUFFIXES = {".docx", ".doc", ".pdf", ".txt", ".md", ".markdown", ".html", ".htm",
                     ".xlsx"}


def read_json_bytes(data: bytes) -> Any:
    if _orjson is not None:
        return _orjson.loads(data)
    return json.loads(data)


@dataclass
class LoadedReport:
    """One report as the comparison needs it; ``data`` is the full Report JSON dict."""
    data: dict
    json_path: Optional[str] = None  # where the JSON came from; None when extracted here
    _figures_by_id: Optional[dict] = field(default=None, repr=False)

    @property
    def sha256(self) -> str:
        return (self.data.get("source") or {}).get("sha256") or ""

    @property
    def path(self) -> str:
        return (self.data.get("source") or {}).get("path") or (self.json_path or "")

    @property
    def meta(self) -> dict:
        return self.data.get("meta") or {}

    @property
    def year(self) -> Optional[int]:
        year = self.meta.get("year")
        try:
            return int(year) if year is not None else None
        except (TypeError, ValueError):
            return None

    @property
    def metrics(self) -> dict:
        return self.data.get("metrics") or {}

    @property
    def figures(self) -> list:
        return self.data.get("figures") or []

    @property
    def findings(self) -> list:
        return self.data.get("findings") or []

    def figure(self, figure_id: str) -> Optional[dict]:
        if self._figures_by_id is None:
            self._figures_by_id = {f.get("id"): f for f in self.figures}
        return self._figures_by_id.get(figure_id)


@dataclass
class LoadResult:
    reports: list[LoadedReport] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # ingestion errors (errors.jsonl rows)
    load_errors: list[dict] = field(default_factory=list)  # files this run could not read
    findings: list[dict] = field(default_factory=list)  # findings.jsonl rows, when present


def slim(data: dict) -> dict:
    """Keep only the figures cross-report work reads: those behind a metric or a finding, and
    those with a direction (比上年 claims). A full extraction has hundreds of figures per report;
    holding them all for thousands of reports costs gigabytes and most of the time."""
    figures = data.get("figures")
    if not isinstance(figures, list):
        return data
    wanted: set = set()
    for entries in (data.get("metrics") or {}).values():
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, dict):
                wanted.update(entry.get("figure_ids") or [])
    for finding in data.get("findings") or []:
        if isinstance(finding, dict):
            wanted.update(f.get("id") for f in finding.get("figures") or [] if isinstance(f, dict))
    data["figure_count"] = len(figures)
    data["figures"] = [f for f in figures if isinstance(f, dict)
                       and (f.get("id") in wanted or f.get("direction") in ("up", "down"))]
    return data


PARALLEL_MIN_FILES = 256  # below this a process pool costs more than it saves


def _parse_one(path: Path, keep_all_figures: bool) -> tuple[str, Any]:
    """("ok", report dict) | ("other", None) for JSON that is not a report | ("error", reason)."""
    try:
        data = read_json_bytes(path.read_bytes())
    except (OSError, ValueError) as exc:
        return "error", f"unreadable JSON: {exc}"
    if not is_report_dict(data):
        return "other", None
    return "ok", data if keep_all_figures else slim(data)


def _parse_chunk(args: tuple[list[str], bool]) -> list[tuple[str, Any]]:
    paths, keep_all_figures = args
    gc.disable()
    return [_parse_one(Path(p), keep_all_figures) for p in paths]


def _parse_many(paths: list[Path], keep_all_figures: bool) -> list[tuple[str, Any]]:
    """Parse report JSON files in order; on several CPUs a forked pool parses and slims them
    in parallel and sends back only the slim reports."""
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_MIN_FILES or workers < 2 or keep_all_figures:
        return [_parse_one(p, keep_all_figures) for p in paths]
    try:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        context = multiprocessing.get_context("fork")
    except (ImportError, ValueError):  # no fork on this platform
        return [_parse_one(p, keep_all_figures) for p in paths]
    size = max(16, len(paths) // (workers * 4))
    chunks = [([str(p) for p in paths[i:i + size]], keep_all_figures)
              for i in range(0, len(paths), size)]
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return [row for part in pool.map(_parse_chunk, chunks) for row in part]
    except (OSError, RuntimeError):  # no processes allowed here: parse in this one
        return [_parse_one(p, keep_all_figures) for p in paths]


def load_report_files(paths: list[Path]) -> list[LoadedReport]:
    """The report JSON files among ``paths``, slimmed (see :func:`slim`), in the order given;
    files that are unreadable or not reports are left out."""
    return [LoadedReport(payload, str(path))
            for path, (status, payload) in zip(paths, _parse_many(paths, False)) if status == "ok"]


def is_report_dict(obj: Any) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("source"), dict) and "figures" in obj


def _read_jsonl(path: Path, into: list[dict], load_errors: list[dict]) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        load_errors.append({"path": str(path), "reason": str(exc), "stage": "load"})
        return
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            load_errors.append({"path": f"{path}:{number}", "reason": "not JSON", "stage": "load"})
            continue
        if isinstance(row, dict):
            into.append(row)


def _extract_document(path: Path) -> dict:
    from .extract import (
        extract,  # imported late: loading JSON needs none of the NLP stack
    )
    return extract(path).model_dump(mode="json")


def _candidates(path: Path, result: LoadResult) -> tuple[list[Path], list[Path]]:
    """(report JSON files, report documents) under one command-line path."""
    if path.is_file():
        if path.suffix.lower() == ".json":
            return [path], []
        return [], [path]
    if not path.is_dir():
        result.load_errors.append({"path": str(path), "reason": "no such file or folder",
                                   "stage": "load"})
        return [], []
    for name, into in (("errors.jsonl", result.errors), ("findings.jsonl", result.findings)):
        if (path / name).is_file():
            _read_jsonl(path / name, into, result.load_errors)
    if (path / "reports").is_dir():
        return sorted((path / "reports").glob("*.json")), []
    jsons = sorted(p for p in path.rglob("*.json") if p.is_file())
    docs = sorted(p for p in path.rglob("*") if p.is_file()
                  and p.suffix.lower() in DOCUMENT_SUFFIXES and not p.name.startswith("."))
    return jsons, docs


def load_reports(paths: Iterable[str | Path],
                 extract_document: Callable[[Path], dict] = _extract_document,
                 keep_all_figures: bool = False) -> LoadResult:
    """Every report under ``paths``, once each (by content hash), in path order.

    JSON files that are not reports (an index, a truth file) are passed over silently; a
    folder holding report JSON is not searched for documents. Unreadable files become
    ``load_errors`` rows and the rest still load. Figures no metric, finding or 比上年 claim
    refers to are dropped (see :func:`slim`) unless ``keep_all_figures``.
    """
    enabled = gc.isenabled()
    gc.disable()  # parsing builds millions of small objects and frees them at once
    try:
        return _load(paths, extract_document, keep_all_figures)
    finally:
        if enabled:
            gc.enable()


def _load(paths, extract_document, keep_all_figures: bool) -> LoadResult:
    result = LoadResult()
    seen: set[str] = set()

    def add(data: dict, json_path: Optional[str]) -> None:
        sha = (data.get("source") or {}).get("sha256") or json_path or ""
        if sha in seen:
            return
        seen.add(sha)
        result.reports.append(LoadedReport(data, json_path))

    for raw in paths:
        path = Path(raw)
        jsons, docs = _candidates(path, result)
        explicit = path.is_file()
        has_report_json = False
        for json_path, (status, payload) in zip(jsons, _parse_many(jsons, keep_all_figures)):
            if status == "ok":
                has_report_json = True
                add(payload, str(json_path))
            elif status == "error":
                result.load_errors.append({"path": str(json_path), "reason": payload, "stage": "load"})
            elif explicit:
                result.load_errors.append({"path": str(json_path), "reason": "not a perfx report JSON",
                                           "stage": "load"})
        if has_report_json:
            docs = []  # a folder of extracted reports: its documents are their sources
        for doc in docs:
            try:
                data = extract_document(doc)
                add(data if keep_all_figures else slim(data), None)
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
                result.load_errors.append({"path": str(doc), "reason": f"{type(exc).__name__}: {exc}",
                                           "stage": "extract"})
    return result
