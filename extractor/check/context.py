"""The text around figures: block texts, clauses, sentences and what role a figure plays.

Rules read a report's figures together with the text between them and the report's relation
graph (extractor.relations). The text comes from the Document when the caller has it, else it
is pieced together from the figures' own sentences (enough for rules that look within one
sentence); the source file is never re-read. Block texts are width-folded (offsets kept) so one set of patterns covers
full-width and half-width punctuation.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Iterator, Optional

from ..models import Figure, Relation, Report
from ..normalize import fold_block
from ..relations import build_relations, figure_span, texts_from_sentences
from ..script import simplified_pair
from .tolerance import Interval, interval

SENTENCE_END = "。！？!?\n"
CLAUSE_END = SENTENCE_END + "，,；;：:"
OPEN = "（("
CLOSE = "）)"

# A change: the words right before a figure say it is an increase or decrease, not a level.
DELTA_BEFORE = re.compile(
    r"(增加|减少|增长|下降|增收|减收|增支|减支|调增|调减|核减|核增|追加|多了?|少了?|提高|降低|提升|"
    r"节约|节省|上升|上涨|增幅|降幅|减幅|超支|超出|高出|低于|高于|下滑|回落|缩减|减少了|增加了|"
    r"增長|減少|下降了|增|減|减|降)(了|为|為|达|達)?\s*$")
# A comparison base: 比上年 / 较2019年 / 同比 ... right before a figure.
REF_BEFORE = re.compile(r"(比|较|較|相比|相较|对比|同比)[^，,。；;]{0,14}?(上年|去年|上一年|同期|上期|"
                        r"\d{4}年|年初|上月|前一年)[^，,。；;增减多少降提]{0,16}$")
# A figure named as the whole of a share: 占 / 为 / 完成 ... B 的 r%.
SHARE_OF = re.compile(r"(占|为|為|完成|达到|達到|相当于|是)[^，,。；;]{0,20}$")
TO_LEVEL = re.compile(r"(至|到)\s*$")
PAREN_MARK = re.compile(f"[{re.escape(OPEN + CLOSE)}]")


@lru_cache(maxsize=8)
def _mark_pattern(marks: str) -> re.Pattern:
    """One character of ``marks`` (sentence or clause ends), compiled once."""
    return re.compile(f"[{re.escape(marks)}]")


@dataclass(eq=False)  # identity equality: list.index must not compare whole figures
class Placed:
    """A figure with the folded text of its block."""
    figure: Figure
    block: int
    start: int
    end: int
    index: int  # position in reading order among all figures

    @cached_property
    def interval(self) -> Interval:
        """What the figure can stand for (tolerance.interval), worked out once: a total's
        parts are summed again for every breakdown tried."""
        return interval(self.figure)


@dataclass
class Context:
    report: Report
    texts: dict[int, str]
    placed: list[Placed]
    by_block: dict[int, list[Placed]] = field(default_factory=dict)
    from_sentences: bool = False  # texts were pieced together from figure sentences
    relations: list[Relation] = field(default_factory=list)  # the report's figure-relation graph
    _break_cache: dict = field(default_factory=dict, repr=False)
    _left_cache: dict = field(default_factory=dict, repr=False)
    label_cache: dict = field(default_factory=dict, repr=False)  # Placed -> families.common.label_of
    _position: dict = field(default_factory=dict, repr=False)  # Placed -> index in its block
    _starts: dict = field(default_factory=dict, repr=False)  # block -> its figures' start offsets

    def __post_init__(self) -> None:
        for item in sorted(self.placed, key=lambda p: (p.block, p.start)):  # bisect needs order
            items = self.by_block.setdefault(item.block, [])
            self._position[item] = len(items)
            items.append(item)

    # -- text helpers -------------------------------------------------------------------
    def text(self, block: int) -> str:
        return self.texts.get(block, "")

    def _breaks(self, block: int, marks: str) -> list[int]:
        """Sorted offsets of the break characters ``marks`` in a block (computed once)."""
        key = (block, marks)
        found = self._break_cache.get(key)
        if found is None:
            found = [m.start() for m in _mark_pattern(marks).finditer(self.text(block))]
            self._break_cache[key] = found
        return found

    def sentence_bounds(self, block: int, pos: int) -> tuple[int, int]:
        breaks = self._breaks(block, SENTENCE_END)
        at = bisect_left(breaks, pos)
        left = breaks[at - 1] + 1 if at else 0
        return left, (breaks[at] if at < len(breaks) else len(self.text(block)))

    def clause_start(self, block: int, pos: int) -> int:
        breaks = self._breaks(block, CLAUSE_END)
        at = bisect_left(breaks, pos)
        return breaks[at - 1] + 1 if at else 0

    def left(self, item: Placed, limit_to_previous_figure: bool = True) -> str:
        """Text of the figure's clause before it (not reaching back past another figure)."""
        key = (item, limit_to_previous_figure)
        found = self._left_cache.get(key)
        if found is None:
            start = self.clause_start(item.block, item.start)
            if limit_to_previous_figure:
                prev = self.previous_in_block(item)
                if prev is not None and prev.end > start:
                    start = prev.end
            found = self._left_cache[key] = self.text(item.block)[start:item.start]
        return found

    def clause_left(self, item: Placed) -> str:
        """The whole clause before the figure, other figures included."""
        start = self.clause_start(item.block, item.start)
        return self.text(item.block)[start:item.start]

    def right(self, item: Placed, width: int = 12) -> str:
        return self.text(item.block)[item.end:item.end + width]

    def previous_in_block(self, item: Placed) -> Optional[Placed]:
        position = self._position[item]
        return self.by_block[item.block][position - 1] if position > 0 else None

    def depth(self, block: int, pos: int, since: int = 0) -> int:
        """Parenthesis depth at ``pos`` counted from ``since`` (never below 0)."""
        text = self.text(block)
        if 0 <= since <= pos and not PAREN_MARK.search(text, since, pos):
            return 0  # no parenthesis in between
        depth = 0
        for ch in text[since:pos]:
            if ch in OPEN:
                depth += 1
            elif ch in CLOSE and depth > 0:
                depth -= 1
        return depth

    def between(self, block: int, start: int, end: int) -> list[Placed]:
        """The figures of ``block`` lying within [start, end]."""
        return list(self.iter_between(block, start, end))

    def iter_between(self, block: int, start: int, end: int) -> Iterator[Placed]:
        """:meth:`between` one figure at a time, for readers that stop early."""
        items = self.by_block.get(block, [])
        starts = self._starts.get(block)
        if starts is None:
            starts = self._starts[block] = [p.start for p in items]
        for position in range(bisect_left(starts, start), len(items)):
            item = items[position]
            if item.start >= end:
                return
            if item.end <= end:
                yield item

    # -- roles ----------------------------------------------------------------------------
    def is_rate(self, item: Placed) -> bool:
        figure = item.figure
        return figure.kind in ("rate", "rate_delta") or figure.unit in ("%", "％", "‰")

    def is_delta(self, item: Placed) -> bool:
        figure = item.figure
        if figure.kind == "rate_delta":
            return True
        left = self.left(item)
        if TO_LEVEL.search(left):
            return False
        if DELTA_BEFORE.search(left):
            return True
        return figure.direction is not None and not self.is_rate(item)

    def is_ref(self, item: Placed) -> bool:
        """A comparison base (比上年 B) or the whole of a stated share (占 B 的 r%)."""
        left = self.clause_left(item)
        if REF_BEFORE.search(left) and not DELTA_BEFORE.search(self.left(item)):
            return True
        right = self.right(item, 16)
        if re.match(r"\s*的", right) and SHARE_OF.search(self.left(item)):
            following = self.next_in_block(item)
            if following is not None and self.is_rate(following) and following.start - item.end <= 12:
                return True
        return False

    def next_in_block(self, item: Placed) -> Optional[Placed]:
        items = self.by_block[item.block]
        position = self._position[item]
        return items[position + 1] if position + 1 < len(items) else None

    def role(self, item: Placed) -> str:
        """rate | delta | ref | main."""
        return self._roles[id(item)]

    @cached_property
    def _roles(self) -> dict[int, str]:
        roles = {}
        for item in self.placed:
            if self.is_rate(item):
                roles[id(item)] = "rate"
            elif self.is_delta(item):
                roles[id(item)] = "delta"
            elif self.is_ref(item):
                roles[id(item)] = "ref"
            else:
                roles[id(item)] = "main"
        return roles


def unit_key(figure: Figure) -> str:
    """Figures that can be added together share a key."""
    unit = figure.normalized.unit
    if figure.kind == "money":
        return "money"
    if figure.kind in ("rate", "rate_delta"):
        return "rate"
    return {"名": "人", "位": "人"}.get(unit, unit) + ":" + figure.kind


def _texts_from_document(document) -> dict[int, str]:
    return {block.index: fold_block(block.text) for block in document.blocks}


def build_context(report: Report, document=None) -> Context:
    """The text context of one report: block texts from the read document when the caller has
    it, else pieced together from the figures' own sentences. The source file is never re-read
    from the path stored in the report: what the checker needs travels with the report (its
    figures' sentences and its relation graph) or the document."""
    report, document = simplified_pair(report, document)  # patterns are in simplified characters
    from_sentences = document is None
    texts = _texts_from_document(document) if document is not None else texts_from_sentences(report.figures)
    relations = list(report.relations) or build_relations(
        report.figures, document.blocks if document is not None else None)
    placed = []
    ordered = sorted(report.figures, key=lambda f: (f.location.block, f.location.start))
    for index, figure in enumerate(ordered):
        span = figure_span(texts.get(figure.location.block, ""), figure)
        if span is not None:
            placed.append(Placed(figure=figure, block=figure.location.block, start=span[0], end=span[1],
                                 index=index))
    return Context(report=report, texts=texts, placed=placed, from_sentences=from_sentences,
                   relations=relations)
