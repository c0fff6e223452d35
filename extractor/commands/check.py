"""perfx check PATH...: figures that don't add up, as text, JSON or HTML.

PATH may be report files, folders (searched recursively) or JSON files written by
``perfx extract``. Reports of one department for consecutive years are also checked against
each other. Exit 0 when there is no error-level finding, 3 when there is, 1 when a file could
not be read.
"""
from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path

from ..check import check_reports, merge_cross_year
from ..check.findings import SEVERITY_ORDER, FigureRef, Finding
from ..models import Report
from ..readers import SUPPORTED_EXTENSIONS, ReaderError
from ..timeout import FileTimeout, time_limit

DEFAULT_TIMEOUT = 120.0


def register(subparsers) -> None:
    parser = subparsers.add_parser("check", help="check that a report's figures add up",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path,
                        help="report files, folders, or JSON files from perfx extract")
    parser.add_argument("--format", choices=["text", "json", "html"], default="text",
                        help="output format (default text)")
    parser.add_argument("--min-severity", choices=["error", "warning", "info"], default="info",
                        help="leave out findings below this severity (default: show all)")
    parser.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"seconds allowed per file (default {DEFAULT_TIMEOUT:g})")
    parser.set_defaults(func=run)


def _looks_like_report_json(path: Path) -> bool:
    """A JSON file in a folder is read only when it is a perfx report (not gold, not an index)."""
    try:
        with open(path, encoding="utf-8") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return '"schema_version"' in head and '"source"' in head


def collect(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if not p.is_file():
                    continue
                suffix = p.suffix.lower()
                if suffix == ".json":
                    if _looks_like_report_json(p):
                        files.append(p)
                elif suffix in SUPPORTED_EXTENSIONS:
                    files.append(p)
        else:
            files.append(path)
    return files


def load(path: Path, timeout: float):
    """(report, document) for a report file or an extracted JSON file."""
    if path.suffix.lower() == ".json":
        try:
            return Report.model_validate_json(path.read_text(encoding="utf-8")), None
        except (OSError, ValueError) as exc:
            raise ReaderError(path, f"not a perfx report JSON file ({type(exc).__name__})") from exc
    from ..extract import build_report
    from ..readers import read_document
    with time_limit(timeout):
        document = read_document(path)
        return build_report(document, path), document


def stored_findings(report: Report) -> list[Finding]:
    """The single-report findings a report JSON carries: ``perfx extract`` / ``ingest`` made them
    with the read document at hand, which a JSON file no longer has (the source file is not
    re-read)."""
    found = []
    for item in report.findings:
        try:
            found.append(Finding.model_validate(item))
        except ValueError:
            continue
    return found


def ingest_cross_year(reports: list[Report]) -> dict[str, list[Finding]]:
    """The cross-year findings exactly as ``perfx ingest`` writes them to findings.jsonl
    (extractor.crossyear: carryover continuity, 比上年 claims against last year's report),
    by source path."""
    from ..crossyear import findings_by_report
    from ..load_reports import LoadedReport
    by_sha = {r.source.sha256: r.source.path for r in reports if r.source.sha256}
    if len(by_sha) < 2:
        return {}
    loaded = [LoadedReport(r.model_dump(mode="json")) for r in reports]
    found: dict[str, list[Finding]] = {}
    for sha, items in findings_by_report(loaded).items():
        path = by_sha.get(sha)
        if path is not None:
            found[path] = [_as_finding(item, path) for item in items]
    return found


def _as_finding(item: dict, path: str) -> Finding:
    """A findings.jsonl cross-year finding as the checker's Finding."""
    refs = []
    for ref in item.get("figures") or []:
        location = ref.get("location") or {"block": 0, "start": 0, "end": 0}
        refs.append(FigureRef(id=ref.get("id") or "", text=ref.get("text") or "", role=ref.get("role") or "",
                              value=ref.get("value") or "0", unit=ref.get("unit") or "",
                              location=location, report=ref.get("report") or path))
    fields = {k: item.get(k) for k in ("rule", "name", "family", "severity", "message_zh", "message_en",
                                        "expected", "found", "difference")}
    basis = (f"比较：本年{item.get('metric') or ''}与上年报告同一指标；容差{item.get('tolerance') or '0'}{item.get('unit') or ''}"
             f"（各数所写精度之和）；{'超出容差且为同一部门同一指标，故为' + ('错误' if item.get('severity') == 'error' else '警告')}。")
    basis_en = (f"Compared this year's {item.get('metric') or ''} with last year's report; tolerance "
                f"{item.get('tolerance') or '0'}{item.get('unit') or ''} (the written precisions added); "
                f"outside it for the same department and metric, hence {item.get('severity')}.")
    return Finding(**fields, figures=tuple(refs), unit=item.get("unit") or "", report=path,
                   basis_zh=basis, basis_en=basis_en)


def render_text(results: dict[str, list[Finding]]) -> str:
    lines = []
    counts = {"error": 0, "warning": 0, "info": 0}
    for path, findings in results.items():
        lines.append(f"{path}: {len(findings)} finding(s)")
        for f in findings:
            counts[f.severity] += 1
            where = ", ".join(sorted({f"block {r.location.block}" + (f" p.{r.location.page}" if r.location.page else "")
                                      for r in f.figures}))
            lines.append(f"  {f.severity.upper():7} {f.rule} {f.name} [{where}]")
            lines.append(f"          {f.message_zh}")
            lines.append(f"          {f.message_en}")
            if f.basis_zh:
                lines.append(f"          {f.basis_zh}")
    lines.append(f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s)")
    return "\n".join(lines) + "\n"


def render_json(results: dict[str, list[Finding]], metas: dict[str, dict]) -> str:
    payload = {"reports": [{"path": path, "meta": metas.get(path, {}),
                            "findings": [f.as_dict() for f in findings]}
                           for path, findings in results.items()],
               "summary": {s: sum(1 for fs in results.values() for f in fs if f.severity == s)
                           for s in ("error", "warning", "info")}}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def render_html(results: dict[str, list[Finding]]) -> str:
    esc = html.escape
    rows = []
    for path, findings in results.items():
        rows.append(f"<h2>{esc(path)}</h2>")
        if not findings:
            rows.append("<p>No findings.</p>")
            continue
        rows.append("<table><tr><th>severity</th><th>rule</th><th>figures</th><th>message</th>"
                    "<th>expected</th><th>found</th><th>difference</th></tr>")
        for f in findings:
            figures = "<br>".join(f"{esc(r.role)}: {esc(r.text)} (block {r.location.block})" for r in f.figures)
            rows.append(f"<tr class='{f.severity}'><td>{f.severity}</td><td>{esc(f.rule)} {esc(f.name)}</td>"
                        f"<td>{figures}</td><td>{esc(f.message_zh)}<br><small>{esc(f.message_en)}</small>"
                        f"<br><small class='basis'>{esc(f.basis_zh)}</small></td>"
                        f"<td>{esc(str(f.expected) if f.expected is not None else '')}</td>"
                        f"<td>{esc(str(f.found) if f.found is not None else '')}</td>"
                        f"<td>{esc(str(f.difference) if f.difference is not None else '')}</td></tr>")
        rows.append("</table>")
    style = ("body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
             "padding:4px;vertical-align:top}.error{background:#fdd}.warning{background:#ffd}"
             ".info{background:#eef}")
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>perfx check</title>"
            f"<style>{style}</style></head><body><h1>perfx check</h1>{''.join(rows)}</body></html>\n")


def run(args: argparse.Namespace) -> int:
    files = collect(args.paths)
    if not files:
        print("perfx check: no report files found", file=sys.stderr)
        return 1
    reports, documents, failed = [], [], 0
    for path in files:
        try:
            report, document = load(path, args.timeout)
        except (ReaderError, FileTimeout, OSError) as exc:
            print(f"perfx: error: {exc}", file=sys.stderr)
            failed += 1
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
            print(f"perfx: error: {path}: internal error {type(exc).__name__}: {exc}", file=sys.stderr)
            failed += 1
            continue
        reports.append(report)
        documents.append(document)
    results = check_reports(reports, documents) if reports else {}
    for report, document in zip(reports, documents):
        if document is None:  # a report JSON: its findings were made with the whole document
            results[report.source.path] = stored_findings(report) + [
                f for f in results.get(report.source.path, []) if any(r.report for r in f.figures)]
    results = merge_cross_year(results, ingest_cross_year(reports))
    for report in reports:
        results.setdefault(report.source.path, [])
    limit = SEVERITY_ORDER[args.min_severity]
    shown = {path: [f for f in fs if SEVERITY_ORDER[f.severity] <= limit] for path, fs in results.items()}
    metas = {r.source.path: r.meta.model_dump(mode="json") for r in reports}
    if args.format == "json":
        text = render_json(shown, metas)
    elif args.format == "html":
        text = render_html(shown)
    else:
        text = render_text(shown)
    if args.output:
        from .. import atomic
        atomic.write_text(args.output, text)
    else:
        sys.stdout.write(text)
    if failed:
        return 1
    return 3 if any(f.severity == "error" for fs in results.values() for f in fs) else 0
