"""A number at the end of a hard-wrapped line and its unit at the start of the next: one figure."""
from __future__ import annotations

from decimal import Decimal

from extractor import extract


def _figures(tmp_path, text: str):
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return [(f.text, f.kind, f.normalized.value) for f in extract(path).figures]


def test_number_and_unit_parted_by_a_line_break(tmp_path):
    text = "办公费支出较上年决算数增加37.6\n万元，增长12.5%，主要原因是设备购置\n增加。\n"
    assert _figures(tmp_path, text) == [("37.6\n万元", "money", Decimal("376000")),
                                        ("12.5%", "rate", Decimal("0.125"))]


def test_a_next_line_that_starts_with_a_word_stays_apart(tmp_path):
    text = "本单位公开的是2023\n年度预算，涉及单位编号3\n项目库管理。\n"
    assert _figures(tmp_path, text) == []
