"""The figure-relation graph of one report: which figures are parts, shares, changes or table
cells of which.

One structure stage, read by whoever needs "which figures belong together" (the checker,
metric scoping, tools downstream of the JSON):

- ``list``:   a head and its items — "支出512.40万元，主要用于：A 388.10万元；B 31.62万元",
  "基本支出620.5万元，其中：" with the items in the following paragraphs;
- ``share``:  "A 31.62万元，占6.18%" — the rate, its part and the base it is a share of (the
  list head the part belongs to, else the figure named after 占);
- ``change``: "公务接待费8.2万元，较上年减少0.52万元，下降6%" — the level, the change and rate,
  and the previous level when the text states it ("比上年8.73万元");
- ``cell``:   a table cell with its row label and column header.

Cue words are pattern data (patterns/relations.yaml). Works on the Report's figures and the
read blocks (or, without them, the figures' own sentences); imports nothing of the checker.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Iterable, Optional

from .models import Block, Figure, Relation
from .normalize import fold_block, fold_width
from .patterns import load, on_change

SENTENCE_END = "。！？!?\n"
CLAUSE_END = SENTENCE_END + "，,；;：:"
CLAUSE_MARK = re.compile(f"[{re.escape(CLAUSE_END)}]")
SENTENCE_MARK = re.compile(f"[{re.escape(SENTENCE_END)}]")
MAX_FOLLOWING_BLOCKS = 8  # how far a 其中 list may run over the following paragraphs
# A list over the following paragraphs is recognised when its items come within this share of
# the head; whether they match at the written precision is the checker's to judge.
NEAR_SHARE = Decimal(str(load("relations").get("near_share", "0.01")))
# A 其中 that ends its paragraph announces the paragraphs below: the structure is stated, so
# the items need only come within this (wider) share of the head.
BELOW_SHARE = Decimal(str(load("relations").get("below_share", "0.05")))


@dataclass(frozen=True)
class Cues:
    list_head: re.Pattern
    share: re.Pattern
    change: re.Pattern
    change_word: re.Pattern
    other_total: re.Pattern


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


@lru_cache(maxsize=1)
def cues() -> Cues:
    """The cue patterns, composed from patterns/relations.yaml."""
    data = load("relations")
    words = _alternation(data["change_words"])
    return Cues(
        list_head=re.compile(r"(?<!不)(?:" + _alternation(data["list_heads"]) + r")\s*[:：]?"),
        share=re.compile(r"(?:" + _alternation(data["share_cues"]) + r")[^，,。；;]{0,20}?$"),
        change=re.compile(r"(?:" + _alternation(data["change_refs"]) + r")[^，,。；;]{0,16}?(?:" + words
                          + r")[了为達达]?\s*$"),
        change_word=re.compile(r"(?:" + words + r")[了为達达]?\s*$"),
        other_total=re.compile(r"(?:" + _alternation(data["other_totals"]) + r")[^，,。；;\d]{0,4}$"),
    )


on_change(cues.cache_clear)


@dataclass(eq=False)
class _Placed:
    figure: Figure
    block: int
    start: int
    end: int


def family(figure: Figure) -> str:
    """Figures that can be parts of one another share a family."""
    if figure.kind in ("rate", "rate_delta"):
        return "rate"
    if figure.kind == "money":
        return "money"
    return f"{figure.kind}:{figure.normalized.unit}"


def figure_span(text: str, figure: Figure) -> Optional[tuple[int, int]]:
    """Where a figure stands in its (width-folded) block text: its stored offsets when the text
    there is the figure's, else its first occurrence; None when the text does not hold it."""
    start, end = figure.location.start, figure.location.end
    if text[start:end] == figure.text:
        return start, end  # written as folded: folding it would change nothing
    folded = fold_width(figure.text)
    if text[start:end] == folded:
        return start, end
    found = text.find(folded)
    return (found, found + len(figure.text)) if found >= 0 else None


class _Text:
    """Block texts (width-folded) with the figures placed in them."""

    def __init__(self, texts: dict[int, str], figures: list[Figure]):
        self.texts = texts
        self.blocks = sorted(texts)
        self.by_block: dict[int, list[_Placed]] = {}
        self._start_cache: dict[int, list[int]] = {}
        self._break_cache: dict[tuple[int, re.Pattern], list[int]] = {}
        self.levels: dict[_Placed, bool] = {}  # _is_level of each figure asked
        for figure in sorted(figures, key=lambda f: (f.location.block, f.location.start)):
            span = figure_span(texts.get(figure.location.block, ""), figure)
            if span is not None:
                self.by_block.setdefault(figure.location.block, []).append(
                    _Placed(figure, figure.location.block, *span))

    def sentence(self, block: int, pos: int) -> tuple[int, int]:
        """The sentence around ``pos``: after the last sentence end before it, up to the first
        at or after it."""
        breaks = self._breaks(block, SENTENCE_MARK)
        at = bisect_left(breaks, pos)
        left = breaks[at - 1] + 1 if at else 0
        return left, breaks[at] if at < len(breaks) else len(self.texts.get(block, ""))

    def _breaks(self, block: int, marks: re.Pattern) -> list[int]:
        """Offsets of the ``marks`` (sentence or clause ends) in a block's text, in order
        (cached per block)."""
        breaks = self._break_cache.get((block, marks))
        if breaks is None:
            text = self.texts.get(block, "")
            breaks = self._break_cache[(block, marks)] = [m.start() for m in marks.finditer(text)]
        return breaks

    def clause_left(self, item: _Placed) -> str:
        text = self.texts.get(item.block, "")
        breaks = self._breaks(item.block, CLAUSE_MARK)
        at = bisect_left(breaks, item.start)
        start = breaks[at - 1] + 1 if at else 0
        return text[start:item.start]

    def _starts(self, block: int) -> list[int]:
        starts = self._start_cache.get(block)
        if starts is None:
            starts = self._start_cache[block] = [p.start for p in self.by_block.get(block, [])]
        return starts

    def left(self, item: _Placed) -> str:
        """The clause before the figure, not reaching back past another figure."""
        left = self.clause_left(item)
        placed = self.by_block.get(item.block, [])
        at = bisect_left(self._starts(item.block), item.start)
        before = [p for p in placed[max(0, at - 3):at] if p.end <= item.start]
        if before and before[-1].end > item.start - len(left):
            return self.texts[item.block][before[-1].end:item.start]
        return left

    def between(self, block: int, start: int, end: int) -> list[_Placed]:
        placed = self.by_block.get(block, [])
        starts = self._starts(block)
        out = []
        for p in placed[bisect_left(starts, start):bisect_left(starts, end)]:
            if p.end <= end:
                out.append(p)
        return out


def _is_level(text: _Text, item: _Placed) -> bool:
    """A level, not a rate and not a change (worked out once per figure)."""
    level = text.levels.get(item)
    if level is None:
        level = text.levels[item] = family(item.figure) != "rate" \
            and not cues().change_word.search(text.left(item)[-8:])
    return level


def _list_relations(text: _Text) -> list[Relation]:
    relations = []
    listed: set[str] = set()  # figures already items of a list
    for position, block in enumerate(text.blocks):
        body = text.texts[block]
        for match in cues().list_head.finditer(body):
            s_start, s_end = text.sentence(block, match.start())
            before = [p for p in text.between(block, s_start, match.start()) if _is_level(text, p)]
            if not before and s_start > 0:  # the cue opens its sentence: the previous one's figure
                p_start, _ = text.sentence(block, s_start - 1)
                before = [p for p in text.between(block, p_start, s_start) if _is_level(text, p)]
            if not before:
                continue
            head = before[-1]
            end = s_end
            if head.figure.id in listed:  # an item's own breakdown: up to the item's ；
                ends = [i for i in (body.find(ch, match.end(), s_end) for ch in "；;") if i != -1]
                end = min(ends) if ends else s_end
            items = _items_after(text, block, head, match.end(), end)
            if not items and not body[match.end():].strip(" \t:：，,"):
                items = _items_below(text, position, head)  # "其中：" ends its paragraph
            if items:
                listed.update(p.figure.id for p in items)
                relations.append(Relation(kind="list", head=head.figure.id, items=[p.figure.id for p in items],
                                          roles=["part"] * len(items), cue=match.group(0).rstrip(":：")))
    return relations


def _items_after(text: _Text, block: int, head: _Placed, start: int, end: int) -> list[_Placed]:
    """The head's items from ``start`` to the sentence end. A nested cue (人员经费 x，主要包括…)
    opens an item's own explanation: its figures are skipped up to the next ；, and the list
    stops there when no ； follows; a differently named total ends the list."""
    body = text.texts[block]
    items: list[_Placed] = []
    skip_until = -1
    for p in text.between(block, start, end):
        if p.start < skip_until:
            continue
        nested = cues().list_head.search(body, start, p.start)
        while nested is not None and items and nested.start() > items[-1].end:
            stop = body.find("；", nested.end(), end)
            if stop < 0:
                stop = body.find(";", nested.end(), end)
            if stop < 0:
                return items
            start = stop + 1
            if p.start < start:
                skip_until = start
                break
            nested = cues().list_head.search(body, start, p.start)
        if p.start < skip_until:
            continue
        if cues().other_total.search(text.left(p)):
            break  # a new whole, not an item of this head
        if family(p.figure) == family(head.figure) and _is_level(text, p):
            items.append(p)
            start = p.end
    return items


def _colon_lists(text: _Text, taken: set[str]) -> list[Relation]:
    """"A 452.80万元，按功能分类：B…，C…，D…": a colon after the head's sentence part announces
    a list when the items nearly make up the head (``near_share``)."""
    relations = []
    colon = re.compile(load("relations")["colon_heads"])
    for block in text.blocks:
        body = text.texts[block]
        for match in colon.finditer(body):
            if cues().list_head.search(body[max(0, match.start() - 8):match.end()]):
                continue  # a cue word's own colon: read as that cue
            s_start, s_end = text.sentence(block, match.start())
            before = [p for p in text.between(block, s_start, match.start()) if _is_level(text, p)]
            if not before or before[-1].figure.id in taken:
                continue
            head = before[-1]
            items = _items_after(text, block, head, match.end(), s_end)
            if len(items) >= 2 and _near(head, items):
                relations.append(Relation(kind="list", head=head.figure.id, items=[p.figure.id for p in items],
                                          roles=["part"] * len(items), cue="："))
    return relations


def _near(head: _Placed, items: list[_Placed]) -> bool:
    total = head.figure.normalized.value
    running = sum((p.figure.normalized.value for p in items), Decimal(0))
    return abs(running - total) <= max(_half_unit(head.figure) * (len(items) + 1), abs(total) * NEAR_SHARE)


def _items_below(text: _Text, position: int, head: _Placed) -> list[_Placed]:
    """Items of a list whose cue ends its paragraph: the first level figure of each following
    paragraph of the head's family, up to a paragraph without one."""
    items: list[_Placed] = []
    total = head.figure.normalized.value
    running = Decimal(0)
    slack = _half_unit(head.figure)
    for block in text.blocks[position + 1:position + 1 + MAX_FOLLOWING_BLOCKS]:
        if "|" in text.texts[block][:80]:
            break  # a table starts: not the paragraphs of a list
        levels = [p for p in text.by_block.get(block, []) if _is_level(text, p)]
        if not levels or family(levels[0].figure) != family(head.figure):
            break
        value = levels[0].figure.normalized.value
        near = max(slack * (len(items) + 2), abs(total) * BELOW_SHARE)
        if running + value > total + near:
            break  # past the head: the paragraph is about something else
        items.append(levels[0])
        running += value
        if abs(running - total) <= near:
            return items if len(items) >= 2 else []  # the items (nearly) make up the head
    return []  # never near the head: not recognisably its list


def _half_unit(figure: Figure) -> Decimal:
    """Half a unit in the last written place of ``figure``, in normalized units."""
    exponent = figure.value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    scale = figure.normalized.value / figure.value if figure.value else Decimal(1)
    return abs(scale) * Decimal(5).scaleb(-places - 1)


# 占 r% / 占总额的 r% / 占比为 r%: no other whole named, so the share is of the list's head
GENERIC_BASE = re.compile(r"^\s*(?:(?:总额|總額|总数|總數|合计|合計|总计|總計|全部|总体|总)的?)?"
                          r"(?:比重|比例|份额|比)?\s*(?:为|為|是|达|達|约|約)?\s*$")


def _share_relations(text: _Text, lists: list[Relation]) -> list[Relation]:
    owner = {item: rel.head for rel in lists for item in rel.items}
    relations = []
    for block in text.blocks:
        placed = text.by_block.get(block, [])
        for n, rate in enumerate(placed):
            if rate.figure.kind != "rate" or not cues().share.search(text.clause_left(rate)):
                continue
            s_start, _ = text.sentence(block, rate.start)
            levels = [p for p in placed[:n] if p.start >= s_start and _is_level(text, p)]
            if not levels:
                continue
            clause = text.clause_left(rate)
            named = cues().share.search(clause)
            cue_at = rate.start - len(clause) + named.start()
            inside = [p for p in levels if p.start > cue_at]  # 占 <名称> B 的 r%: B is the base
            outside = [p for p in levels if p.start < cue_at]
            if not outside:
                continue
            part = outside[-1]
            if inside:
                base_id: Optional[str] = inside[-1].figure.id
            elif GENERIC_BASE.match(named.group(0)[1:]):
                base_id = owner.get(part.figure.id)
            else:
                base_id = None
            if base_id is None or base_id == part.figure.id:
                continue
            relations.append(Relation(kind="share", head=rate.figure.id, items=[part.figure.id, base_id],
                                      roles=["part", "base"], cue="占"))
    return relations


def _change_relations(text: _Text) -> list[Relation]:
    relations: list[Relation] = []
    for block in text.blocks:
        placed = text.by_block.get(block, [])
        last: Optional[tuple[Relation, int]] = None  # the sentence's change relation so far
        for n, item in enumerate(placed):
            match = cues().change.search(text.texts[block][max(0, item.start - 30):item.start])
            if match is None and last is not None and cues().change_word.search(text.left(item)) \
                    and text.sentence(block, item.start)[0] == last[1]:
                last[0].items.append(item.figure.id)  # "减少0.52万元，下降6%": the same change's rate
                last[0].roles.append("rate" if item.figure.kind == "rate" else "change")
                continue
            if match is None or not cues().change_word.search(text.left(item)):
                continue
            s_start, _ = text.sentence(block, item.start)
            earlier = [p for p in placed[:n] if p.start >= s_start]
            levels = [p for p in earlier if _is_level(text, p) and (family(p.figure) == family(item.figure)
                                                                    or family(item.figure) == "rate")]
            if not levels:
                continue
            previous = [p for p in levels if re.search(r"(比|较|較|相比)", text.clause_left(p))]
            current = [p for p in levels if p not in previous]
            if not current:
                continue
            items, roles = [item.figure.id], ["rate" if item.figure.kind == "rate" else "change"]
            if previous and previous[-1].start > current[-1].start:
                items.append(previous[-1].figure.id)
                roles.append("previous")
            relation = Relation(kind="change", head=current[-1].figure.id, items=items, roles=roles,
                                cue=re.sub(r"\s+", "", match.group(0))[-12:] or text.clause_left(item)[-6:])
            relations.append(relation)
            last = (relation, s_start)
    return relations


def _cell_relations(blocks: list[Block], text: _Text) -> list[Relation]:
    relations = []
    for block in blocks:
        if not block.cells or block.index not in text.by_block:
            continue  # no figure in it to relate
        row_label: dict[int, tuple[int, str]] = {}  # a row's first label cell: (col, text)
        col_label: dict[tuple[int, int], str] = {}  # (row, col) -> the nearest label above
        above: dict[int, str] = {}
        placed = text.by_block[block.index]
        rows = {p.figure.location.row for p in placed}
        cols = {p.figure.location.col for p in placed}
        for cell in sorted(block.cells, key=lambda c: (c.row, c.col)):
            if cell.row not in rows and cell.col not in cols:
                continue  # labels only the rows and columns of figures
            col_label[(cell.row, cell.col)] = above.get(cell.col, "")
            label = cell.text.strip()
            if _is_label(label):
                above[cell.col] = label
                row_label.setdefault(cell.row, (cell.col, label))
        for item in text.by_block.get(block.index, []):
            row, col = item.figure.location.row, item.figure.location.col
            if row is None or col is None:
                continue
            first = row_label.get(row)
            row_header = first[1] if first is not None and first[0] < col else None
            col_header = col_label.get((row, col)) or None
            if row_header or col_header:
                relations.append(Relation(kind="cell", head=item.figure.id, row_header=row_header,
                                          col_header=col_header,
                                          cue=" / ".join(h for h in (row_header, col_header) if h)))
    return relations


NUMBER_LIKE = re.compile(r"[\d.,，%％\s\-—－万元亿()（）]*")


def _is_label(cell: str) -> bool:
    return bool(cell) and not NUMBER_LIKE.fullmatch(cell)


def texts_from_sentences(figures: list[Figure]) -> dict[int, str]:
    """Block texts pieced together from the figures' sentences, at the figures' offsets."""
    texts: dict[int, list[str]] = {}
    for figure in figures:
        sentence = figure.sentence or figure.text
        where = sentence.find(figure.text)
        if where < 0:
            sentence, where = figure.text, 0
        offset = figure.location.start - where
        if offset < 0:
            sentence, offset = sentence[-offset:], 0
        chars = texts.setdefault(figure.location.block, [])
        if len(chars) < offset + len(sentence) + 1:
            chars.extend("\n" * (offset + len(sentence) + 1 - len(chars)))
        for i, ch in enumerate(sentence):
            if chars[offset + i] == "\n":
                chars[offset + i] = ch
    return {block: fold_width("".join(chars)) for block, chars in texts.items()}


def build_relations(figures: list[Figure], blocks: Optional[list[Block]] = None) -> list[Relation]:
    """The relation graph of one report's figures (read blocks when at hand)."""
    texts = ({b.index: fold_block(b.text) for b in blocks} if blocks is not None
             else texts_from_sentences(figures))
    text = _Text(texts, figures)
    lists = _list_relations(text)
    lists += _colon_lists(text, {r.head for r in lists})
    return lists + _share_relations(text, lists) + _change_relations(text) + _cell_relations(blocks or [], text)


__all__ = ["build_relations", "cues", "family"]
