"""Score extracted figures against a gold file, with the matching rule the project is graded by.

A predicted figure matches a gold figure when their normalized values are equal as decimals,
their kind families agree (money, rate, everything else) and the predicted text holds the
first character of the gold unit (a bare "（9）" is not "9个"). Each gold figure matches once.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path


def kind_family(kind: str | None) -> str:
    kind = (kind or "other").lower()
    if kind == "money":
        return "money"
    if kind in ("rate", "percent", "percentage"):
        return "rate"
    return "other"


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value)).normalize()
    except (InvalidOperation, TypeError, ValueError):
        return None


@dataclass
class Score:
    matched: int = 0
    gold: int = 0
    predicted: int = 0
    pairs: list[tuple[dict, dict]] = field(default_factory=list)
    misses: list[dict] = field(default_factory=list)
    extras: list[dict] = field(default_factory=list)
    matchable: int = 0  # gold figures the rule can match at all (see unit_in_text)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    def add(self, other: "Score") -> None:
        self.matched += other.matched
        self.gold += other.gold
        self.predicted += other.predicted
        self.pairs += other.pairs
        self.misses += other.misses
        self.extras += other.extras
        self.matchable += other.matchable


def unit_in_text(gold_figure: dict) -> bool:
    """Whether a gold figure's own text holds its unit, as the rule asks of a prediction.

    Gold gives a bare table cell ("43.2" under 金额单位：万元) the implied unit 万元; no
    verbatim span can hold it, so the rule cannot match such a figure.
    """
    unit = (gold_figure.get("unit") or "").strip()
    return not unit or unit[0] in gold_figure.get("text", "")


def match_figures(gold: list[dict], predicted: list[dict]) -> Score:
    """Greedy matching in gold order; ``predicted`` are output figures (JSON dicts)."""
    used: set[int] = set()
    score = Score(gold=len(gold), predicted=len(predicted),
                  matchable=sum(unit_in_text(g) for g in gold))
    for g in gold:
        g_value = _decimal(g.get("base", g.get("value")))
        g_unit = (g.get("unit") or "").strip()
        for index, p in enumerate(predicted):
            if index in used:
                continue
            p_value = _decimal((p.get("normalized") or {}).get("value", p.get("value")))
            if (p_value is not None and p_value == g_value
                    and kind_family(p.get("kind")) == kind_family(g.get("kind"))
                    and (not g_unit or g_unit[0] in p.get("text", ""))):
                used.add(index)
                score.pairs.append((g, p))
                break
        else:
            score.misses.append(g)
    score.matched = len(score.pairs)
    score.extras = [p for i, p in enumerate(predicted) if i not in used]
    return score


def load_gold(path: str | Path) -> list[dict]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data["figures"] if isinstance(data, dict) else data
