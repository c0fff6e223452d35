"""Consistency checker: figures that don't add up, with written-precision tolerance.

``check_report(report, document=None)`` runs every single-report rule family;
``check_reports(reports)`` adds the cross-year rules over reports of one department.
Rules, severities and messages are data: ``patterns/rules.yaml`` (docs/rules.md).
"""
from __future__ import annotations

from typing import Iterable, Optional

from ..models import Report
from .context import Context, build_context
from .explain import explained
from .families import balance, crossyear, difference, form_totals, graph, growth, metrics, ratio, sums
from .findings import SEVERITY_ORDER, FigureRef, Finding
from .rules import Rule, catalogue

__all__ = ["check_report", "check_reports", "merge_cross_year", "check_context", "Finding", "FigureRef", "Rule",
           "catalogue", "has_errors"]

SINGLE_REPORT = (sums, difference, ratio, growth, balance, metrics, graph, form_totals)  # sums first: ratio reads its breakdowns


def _tidy(findings: Iterable[Finding]) -> list[Finding]:
    """Drop repeats (same rule, same figures) and order by place in the report."""
    seen: set[tuple] = set()
    out: list[Finding] = []
    for finding in findings:
        key = finding.key()
        ids = tuple(sorted(f.id for f in finding.figures))
        if key in seen or (finding.rule in ("PX090", "PX091") and ("*", ids, finding.report) in seen):
            continue
        seen.add(key)
        seen.add(("*", ids, finding.report))
        out.append(finding)
    out.sort(key=lambda f: (f.report or "", min((r.location.block, r.location.start) for r in f.figures)
                            if f.figures else (0, 0), SEVERITY_ORDER[f.severity], f.rule))
    return out


def check_context(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for family in SINGLE_REPORT:
        findings.extend(family.run(ctx))
    by_id = {p.figure.id: p for p in ctx.placed}
    return [explained(ctx, f, by_id) for f in _tidy(findings)]


def check_report(report: Report, document=None) -> list[Finding]:
    """Every finding for one report. ``document`` (the reader's blocks) gives the rules the
    full text; without it the figures' sentences and the report's relations are used."""
    return check_context(build_context(report, document))


def check_reports(reports: list[Report], documents: Optional[list] = None) -> dict[str, list[Finding]]:
    """Findings per report source path, cross-year rules included."""
    documents = documents or [None] * len(reports)
    contexts = [build_context(r, d) for r, d in zip(reports, documents)]
    result: dict[str, list[Finding]] = {}
    for ctx in contexts:
        result.setdefault(ctx.report.source.path, []).extend(check_context(ctx))
    for finding in crossyear.run_many(contexts):
        result.setdefault(finding.report or "", []).append(finding)
    return {path: _tidy(items) for path, items in result.items()}


def merge_cross_year(results: dict[str, list[Finding]],
                     ingested: dict[str, list[Finding]]) -> dict[str, list[Finding]]:
    """``results`` with the cross-year findings ``perfx ingest`` writes (``ingested``, by source
    path) added; a checker cross-year finding on the same rule and figures gives way to it."""
    covered = {(f.rule, _own_ids(f, path), path) for path, items in ingested.items() for f in items}
    merged: dict[str, list[Finding]] = {}
    for path, items in results.items():
        merged[path] = [f for f in items if not any(r.report for r in f.figures)
                        or (f.rule, _own_ids(f, path), path) not in covered]
    for path, items in ingested.items():
        merged.setdefault(path, []).extend(items)
    return {path: _tidy(items) for path, items in merged.items()}


def _own_ids(finding: Finding, path: str) -> frozenset:
    return frozenset(r.id for r in finding.figures if r.report in (None, path))


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
