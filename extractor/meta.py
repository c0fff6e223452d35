"""Report metadata from its first blocks: title, department, fiscal year, genre."""
from __future__ import annotations

import re

from .models import Block, Meta
from .patterns import load

TITLE_WORDS = re.compile(r"(报告|自评|决算|预算|绩效|支出|公开|说明|評|報告|決算)")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
DEPT_END = re.compile(r"^(.*?(?:局|委员会|委|办公室|办|中心|院|所|站|队|厅|部|署|会|馆|处|科|政府|街道|镇|乡|学校|小学|中学|大学|医院|公司|单位|研究院|联合会|协会|[^年]{0,2}室))")


def read_meta(blocks: list[Block]) -> Meta:
    """Best-effort metadata; fields stay None when the text does not say."""
    head = [b for b in blocks[:15] if b.kind != "table" and b.text.strip()]
    title = next((b.text.strip() for b in head if TITLE_WORDS.search(b.text) and len(b.text) < 80), None)
    year = None
    for text in ([title] if title else []) + [b.text for b in head[:6]]:
        match = YEAR.search(text)
        if match:
            year = int(match.group(1))
            break
    return Meta(title=title, department=_department(title), year=year, genre=_genre(title or ""))


def _department(title: str | None) -> str | None:
    if not title:
        return None
    before_year = YEAR.split(title)[0].strip(" （(")
    match = DEPT_END.match(before_year) or DEPT_END.match(title)
    name = match.group(1) if match else before_year
    name = re.sub(r"^关于", "", name).strip()
    return name or None


def _genre(title: str) -> str:
    for genre, words in load("genres").items():
        if any(word in title for word in words):
            return genre
    return "other"
