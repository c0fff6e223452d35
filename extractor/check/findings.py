"""A finding: one rule broken (or noted) by a set of figures, with the arithmetic shown."""
from __future__ import annotations

from decimal import Decimal
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict

from ..models import DecimalStr, Figure, Location

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


class FigureRef(BaseModel):
    """One figure a finding is about, as written in its report."""
    model_config = ConfigDict(frozen=True)
    id: str
    text: str
    role: str  # total | part | rate | numerator | denominator | current | previous | change ...
    value: DecimalStr
    unit: str
    location: Location
    report: Optional[str] = None  # source path, set for findings that span several reports
    quote: Optional[str] = None  # the figure with the words naming it ("年中增加8个项目")

    @classmethod
    def of(cls, figure: Figure, role: str, report: Optional[str] = None) -> "FigureRef":
        return cls(id=figure.id, text=figure.text, role=role, value=figure.value,
                   unit=figure.unit, location=figure.location, report=report)


class Finding(BaseModel):
    """Immutable: rule id, severity, both messages, the figures, expected vs found."""
    model_config = ConfigDict(frozen=True)
    rule: str
    name: str
    family: str
    severity: Severity
    message_zh: str
    message_en: str
    figures: tuple[FigureRef, ...]
    expected: Optional[DecimalStr] = None  # what the other figures imply, in `unit`
    found: Optional[DecimalStr] = None  # what the report states, in `unit`
    difference: Optional[DecimalStr] = None  # found - expected
    unit: str = ""
    report: Optional[str] = None
    # one line: what was compared, at which precision, and why this level
    basis_zh: str = ""
    basis_en: str = ""

    def key(self) -> tuple:
        return (self.rule, tuple(sorted(f.id for f in self.figures)), self.report)

    def as_dict(self) -> dict:
        return self.model_dump(mode="json")


def fmt(value: Optional[Decimal], places: int = 4) -> str:
    """A decimal for a message: no exponent, trailing zeros dropped."""
    if value is None:
        return "?"
    quantized = value.quantize(Decimal(1).scaleb(-places)) if value == value.to_integral() \
        or abs(value.as_tuple().exponent) > places else value
    text = format(quantized.normalize(), "f") if quantized != 0 else "0"
    return text
