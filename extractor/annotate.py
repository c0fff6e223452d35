"""The annotation stage: labels, the self-evaluation table, canonical metrics and the figure-relation
graph of one report.

Sits above ``labels``, ``selfeval`` and ``metrics`` so that none of them imports another's
orchestration (``selfeval`` reads ``metrics.cell_key``; nothing below imports this module).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .labels import label_figures
from .metrics import assign_metrics, is_aggregate_report, is_partial_year_report, run_in_headings
from .models import Figure, Meta
from .relations import build_relations
from .selfeval import parse_self_eval


@dataclass
class Annotated:
    metrics: dict
    table: Optional[dict]
    contexts: list
    relations: list = field(default_factory=list)  # the figure-relation graph (extractor.relations)



def annotate(blocks, figures: list[Figure], meta: Meta, table_cells: Optional[dict] = None
             ) -> Annotated:
    """Labels, canonical metrics and the self-evaluation table for one report's figures;
    ``table_cells``: the cell readers of the table blocks from the figure stage, by block
    index (reused, not rebuilt)."""
    parsed = parse_self_eval(blocks, figures, meta.title or "", meta.genre)
    contexts = label_figures(blocks, figures, parsed.header_for, parsed.flattened_labels,
                             table_cells)
    if is_aggregate_report(blocks, meta):
        metrics: dict = {}
    else:
        metrics = assign_metrics(figures, contexts, meta, parsed.metrics,
                                 partial_year=is_partial_year_report(blocks, meta),
                                 run_in=run_in_headings(blocks),
                                 form_blocks=frozenset(parsed.header_for))
    return Annotated(metrics=metrics, table=parsed.table, contexts=contexts,
                     relations=build_relations(figures, blocks))
