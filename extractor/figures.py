"""Figure recognition: spans of text -> quantities with value, unit, kind and qualifiers.

The recognizer's regular expression is composed from the pattern files (units, numerals,
qualifiers); what is *not* a figure (ordinals, idioms, formulas) is data too. Text is matched
after width folding, which keeps offsets, so every span maps back to the source characters.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Iterable, Iterator, Optional

from .normalize import fold_width, simplified
from .numerals import is_chinese_numeral, parse_number
from .patterns import load, on_change

SENTENCE_END = "。！？；!?;\n"
CLAUSE_END = SENTENCE_END + "，,：:、（）()"
PEOPLE_WORDS = re.compile(r"(人口|群众|人员|农户|户数|用户|居民|学生|职工|游客|人次|受益|覆盖|人数|人$|户$)")
MONEY_WORDS = re.compile(r"(元|资金|经费|支出|收入|预算|决算|花费?|投入|拨款|金额|费|总计|合计|结余|结转|成本|补贴|补助|收支|债|税|资产|款)")
RELATIVE_WORDS = re.compile(r"(比|较|同比|环比|上年|去年|上一年)")
TABLE_SCORE_HEADERS = re.compile(r"(分值|得分|权重|评分|分数)")
TABLE_MONEY_HEADERS = re.compile(r"(预算数|执行数|决算数|资金|金额|万元|支出|收入|拨款)")


@dataclass(frozen=True)
class Unit:
    """A written unit form and how it normalizes."""
    form: str
    kind: str
    normalized: str
    factor: Decimal
    delta: bool = False
    only_small_number: bool = False
    approx: bool = False  # the unit itself says "more than": 个多月


@dataclass
class RawFigure:
    """A recognised quantity inside one text, before labels and ids are attached."""
    start: int
    end: int
    text: str
    value: Decimal
    unit: str
    kind: str
    normalized_value: Decimal
    normalized_unit: str
    approx: bool = False
    qualifier: Optional[str] = None
    low: Optional[Decimal] = None
    high: Optional[Decimal] = None
    direction: Optional[str] = None
    cell: Optional[tuple[int, int]] = None
    extra: dict = field(default_factory=dict)


class Spans:
    """Character spans of one text with a fast overlap test: a mask over the text, built
    on the first test (most texts never ask)."""

    def __init__(self, length: int, spans: Iterable[tuple[int, int]]) -> None:
        self.length, self.spans, self.mask = length, spans, None

    def overlaps(self, start: int, end: int) -> bool:
        if self.mask is None:
            self.mask = bytearray(self.length + 1)
            for s, e in self.spans:
                self.mask[s:e] = b"\x01" * (e - s)
        return self.mask.find(1, start, end) != -1


def _taken(figures: list, length: int) -> Spans:
    """The spans of ``figures`` over a text of ``length`` characters."""
    return Spans(length, ((f.start, f.end) for f in figures))  # read when first tested


def _free_matches(pattern: re.Pattern, folded: str, figures: list,
                  blocked: Optional[Spans] = None) -> Iterator[re.Match]:
    """Matches of ``pattern`` whose number (group 1) overlaps no figure found so far and no
    ``blocked`` span: where a pass may add a figure."""
    taken = _taken(figures, len(folded))
    for m in pattern.finditer(folded):
        s, e = m.span(1)
        if not taken.overlaps(s, e) and (blocked is None or not blocked.overlaps(s, e)):
            yield m


def _with(figures: list, added: list) -> list:
    """``figures`` and ``added`` in text order (``figures`` itself when nothing was added)."""
    return sorted(figures + added, key=lambda f: f.start) if added else figures


NEVER = re.compile(r"(?!)")  # a pattern section left empty matches nothing
LIST_END = re.compile(r"\s?[。；;]")
NOT_AN_ITEM = re.compile(r"(?:19|20)\d\d|0\d+|\d{7,}(?:\.\d+)?")  # a year, a code, a phone number
SENTENCE_SPLIT = re.compile(f"[{re.escape(SENTENCE_END)}]")
CLAUSE_SPLIT = re.compile(f"[{re.escape(CLAUSE_END)}]")


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class Recognizer:
    """Finds figures in a text. Build once (compiles the pattern files), use many times."""

    def __init__(self) -> None:
        units_data = load("units")
        numerals = load("numerals")
        qualifiers = load("qualifiers")
        not_figures = load("not_figures")
        dimensions = load("dimensions")
        selfeval = load("selfeval")
        self.units: dict[str, Unit] = {}
        unit_parts: list[tuple[str, str]] = []
        for kind, entries in units_data.items():
            for entry in entries:
                forms = [str(f) for f in entry["forms"]]
                for form in forms:
                    unit = Unit(form=form, kind=kind,
                                normalized=str(entry.get("normalized", form)),
                                factor=Decimal(str(entry.get("factor", "1"))),
                                delta=bool(entry.get("delta", False)),
                                approx=bool(entry.get("approx", False)),
                                only_small_number=bool(entry.get("only_after_small_number", False)))
                    self.units.setdefault(form, unit)
                    guard = "".join(re.escape(str(c)) for c in entry.get("not_before", []))
                    lookahead = f"(?![{guard}])" if guard else ""
                    if form.isascii() and form[-1].isalpha():
                        lookahead += "(?![A-Za-z])"
                    unit_parts.append((form, re.escape(form) + lookahead))
        unit_parts.sort(key=lambda part: len(part[0]), reverse=True)
        unit_re = "|".join(part for _, part in unit_parts)
        self.unit_re = unit_re  # every unit form, longest first, with its guards (text grids use it)
        self.unit_start = re.compile(f"(?:{unit_re})")
        # the decimals of a number parted at its point, then its unit: "56万元" after "1,234."
        self.decimal_tail = re.compile(rf"\d{{1,4}}\s?(?:{_alternation(list(numerals['scales']))})?\s?(?:{unit_re})")
        self.unit_end = re.compile(f"(?:{unit_re})(?:余|多|以上|以下|以内|左右)?\\s?$")
        cn_chars = re.escape(numerals["chinese_chars"])
        self.cn_digits = set(numerals["chinese_digits"])
        self.article_exempt = set(numerals.get("article_exempt_units", []))
        self.round_numbers = {k: Decimal(v) for k, v in numerals.get("round_numbers", {}).items()}
        self.scales = {k: Decimal(v) for k, v in numerals["scales"].items()}
        scale_re = _alternation([k for k in self.scales if k != "千"])  # 万亿 before 万
        arabic = r"(?<![\d.A-Za-z])(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?(?![\d])"
        # a figure's number may be parted by a line break at its point (1,234.\n56万元, joined
        # by the text reader: see unit_split)
        parted = r"(?<![\d.A-Za-z])(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\n?\d+|\n\.\d+)?(?![\d])"
        # a Chinese number with its decimals after 点 (九十八点五)
        chinese = f"[{cn_chars}]+(?:点[{re.escape(''.join(numerals['chinese_digits']))}]+)?"
        # one number in two scales: 2亿3000万, 1亿2千万, 3万5千 (read whole by cn2an)
        two_scales = r"(?:[亿億]\d+(?:\.\d+)?千?[万萬]|[万萬]\d+千(?![万萬亿億]))?"
        number = f"(?:{parted}{two_scales}|{chinese})"
        self.pre_words = dict(qualifiers["before"])
        self.post_words = dict(qualifiers["after"])
        self.cell_marks = {str(k): str(v) for k, v in (qualifiers.get("cell_marks") or {}).items()}
        pre = _alternation(list(self.pre_words))
        self.not_qualifier_in = tuple(str(w) for w in qualifiers.get("not_qualifier_in", []))
        post = _alternation([w for w in self.post_words if w not in ("余", "多")])
        sep = _alternation(qualifiers["range_separators"])
        self.list_seps = qualifiers["list_separators"]
        self.direction_words = [(d, w) for d, words in qualifiers["direction"].items() for w in words]
        self.direction_words.sort(key=lambda item: len(item[1]), reverse=True)
        self.pattern = re.compile(
            rf"(?:(?P<pre>{pre})\s?)?"
            rf"(?:(?P<pct>百分之)(?P<pnum>{number})"
            rf"|(?P<num>{number})(?:(?P<scale0>{scale_re})?\s?(?P<sep>{sep})\s?(?P<num2>{number}))?"
            rf"\s?(?P<q1>余|多)?(?P<scale>{scale_re})?(?P<q2>余|多)?\s?(?P<unit>{unit_re})?)"
            rf"(?P<post>{post}|余|多(?![个個种種方样樣元次]))?"
        )
        length_units = _alternation([f for f, u in self.units.items() if u.kind == "length"])
        self.dimension_operators = [str(op) for op in dimensions["operators"]]
        times = f"\\s?(?:{_alternation(self.dimension_operators)})\\s?"
        self.dimension = re.compile(rf"(?<![\d.×*/÷])(?:\d+(?:\.\d+)?{times}){{1,2}}\d+(?:\.\d+)?(?![\d.%])"
                                    rf"(?:\s?(?P<unit>{length_units}))?")
        self.size_words = [str(w) for w in dimensions["size_words"]]
        value_forms = [str(form) for name in selfeval.get("rate_value_columns", [])
                       for form in selfeval["indicator_columns"].get(name, [name])]
        self.indicator_value_column = re.compile(f"(?:{_alternation(value_forms)})$") \
            if value_forms else NEVER
        self.rate_name_endings = tuple(str(w) for w in selfeval.get("rate_name_endings", []))
        self.total_score_rows = frozenset(str(w) for w in selfeval.get("total_score_rows", []))
        self.size_gap = int(dimensions.get("max_gap", 12))
        heads = [str(w) for w in qualifiers.get("comparison_heads", [])]
        changes = _alternation([w for _, w in self.direction_words])
        self.compared_base = re.compile(rf"(?:{_alternation(heads)})\s?({arabic})\s?(?=(?:{changes}))") \
            if heads else NEVER
        self.list_number = re.compile(rf"({arabic})\s?(?:{_alternation(self.list_seps)})\s?$")
        self._compile_lists(qualifiers, arabic)
        self._compile_amounts(qualifiers, selfeval, arabic, unit_re)
        # one pass finds every blocker, overlapping ones included: a lookahead at each position
        self.blocker = re.compile("(?=(" + "|".join(f"(?:{item['pattern']})" for group in not_figures.values()
                                                   for item in group) + "))")

    def _compile_lists(self, qualifiers: dict, arabic: str) -> None:
        """The expressions of numbers whose unit their list gives: a comparison base after
        its change (基数为0), list items among items of one kind (离退休17), list heads
        followed by as many names (内设科室3：a、b、c); patterns/qualifiers.yaml."""
        bases = [str(w) for w in qualifiers.get("base_words", [])]
        self.stated_base = re.compile(rf"(?:{_alternation(bases)})\s?({arabic})(?![\d.%])") \
            if bases else NEVER
        siblings = qualifiers.get("siblings", {})
        sib_seps = re.escape("".join(siblings.get("separators", ["，", ",", "、", "；", ";"])))
        label = rf"[^\d{re.escape(CLAUSE_END)}{re.escape(SENTENCE_END)}]"
        self.enumeration_gap = re.compile(rf"\s?、\s?{label}{{1,{int(siblings.get('max_label', 10))}}}")
        self.sibling_gap = re.compile(rf"\s?[{sib_seps}]\s?{label}{{1,{int(siblings.get('max_label', 10))}}}")
        not_after = re.escape("".join(str(c) for c in siblings.get("not_after", [])))
        self.bare_sibling = re.compile(rf"(?<=[\u4e00-\u9fff])(?<![{not_after}])(\d+(?:\.\d+)?)(?![\d.%])"
                                       rf"(?=\s?[{sib_seps}。；;])")
        heads = qualifiers.get("list_heads", {})
        self.list_head_chars = int(heads.get("max_head_chars", 30))
        self.list_item_chars = int(heads.get("max_item_chars", 20))
        self.list_head = re.compile(rf"(?<=[\u4e00-\u9fff])(?<![{not_after}])(\d{{1,3}})\s*(?:[:：]|\n|$)")
        self.list_label = re.compile(rf"\s*[^\n:：。\d]{{1,{int(heads.get('max_label_chars', 12))}}}[:：]")
        self.item_seps = [str(c) for c in heads.get("item_separators", ["、", ","])]
        self.last_item_joins = re.compile(_alternation([str(w) for w in heads.get("last_item_joins", ["和", "及", "与"])]))

    def _compile_amounts(self, qualifiers: dict, selfeval: dict, arabic: str, unit_re: str) -> None:
        """The expressions of amounts written without a unit: per-unit standards (每亩300),
        indicator category weights (产出指标（50）) and zero amounts (接待费为0)."""
        per_unit = qualifiers.get("per_unit", {})
        per_units = _alternation([f for f, u in self.units.items() if u.kind not in ("money", "rate")]
                                 + [str(w) for w in per_unit.get("per_words", [])])
        self.per_unit = re.compile(rf"(?:(?:{_alternation(per_unit.get('per', ['每']))})\s?(?:{per_units})\s?)+"
                                   rf"(?:为|為|按)?\s?({arabic})(?!\s?(?:{unit_re}|[.%万萬亿億千百]))") \
            if per_unit else NEVER
        self.per_unit_money = re.compile(_alternation(per_unit.get("money_words", []))) \
            if per_unit.get("money_words") else NEVER
        self.per_unit_reach = int(per_unit.get("max_before_chars", 24))
        categories = [str(w) for w in selfeval.get("weighted_categories", [])]
        self.category_weight = re.compile(rf"(?:{_alternation(categories)})\s*[(（]\s*(\d{{1,3}}(?:\.\d+)?)\s*[)）]") \
            if categories else NEVER
        self.category_name = re.compile(rf"(?:{_alternation(categories)})$") if categories else NEVER
        zero = qualifiers.get("zero_amounts", {})
        self.zero_amount = re.compile(rf"(?:{_alternation(zero.get('verbs', ['为']))})\s?"
                                      rf"({_alternation([str(z) for z in zero.get('zeros', ['0'])])})(?![\d.%‰])") \
            if zero else NEVER
        self.zero_money = re.compile(_alternation(zero.get("money_words", []))) if zero else NEVER
        self.zero_not_after = tuple(str(w) for w in zero.get("not_after", []))
        self.zero_reach = int(zero.get("reach", 8))

    # -- public -------------------------------------------------------------------------
    def find(self, text: str) -> list[RawFigure]:
        """All figures in ``text`` in order, with offsets into ``text``."""
        folded = fold_width(text)
        blocked = self._blocked_spans(folded)
        figures: list[RawFigure] = []
        for match in self.pattern.finditer(folded):
            figure = self._build(match, folded, text, blocked)
            if figure is None:
                figures.extend(self._descending_range(match, folded, text, blocked))
                continue
            listed = self._shared_unit_list(figure, folded, text, figures)
            if listed and blocked.overlaps(listed[0].start, listed[0].end):
                continue  # 第3、4、5批次: a list of ordinals
            figures.extend(listed)
            figures.append(figure)
        figures = self._per_unit_standards(figures, folded, text, blocked)
        figures = self._category_weights(figures, folded, text)
        figures = self._compared_bases(figures, folded, text)
        figures = self._stated_bases(figures, folded, text)
        figures = self._zero_amounts(figures, folded, text)
        figures = self._bare_siblings(figures, folded, text, blocked)
        figures = self._enumerated_counts(figures, folded, text, blocked)
        if any(op in folded for op in self.dimension_operators):
            figures = self._with_dimensions(figures, folded, text)
        return figures

    def find_named_cell(self, text: str, row_name: str) -> Optional[RawFigure]:
        """A cell of a table flattened to one cell per line, read with the name before it
        (``row_name``): a per-unit standard (每亩300) in a row named by a money word
        (造林补助) is money; a bracketed number (（50）) after an indicator category
        (产出指标) is that category's weight, a score. None otherwise."""
        folded = fold_width(text)
        stripped = folded.strip()
        offset = folded.index(stripped) if stripped else 0
        name = re.sub(r"\s+", "", fold_width(row_name))
        weight = re.fullmatch(r"[(（]\s*(\d{1,3}(?:\.\d+)?)\s*[)）]", stripped)
        if weight and self.category_name.search(name) and Decimal(weight.group(1)) <= 100:
            return self._score(weight, text, offset)
        m = self.per_unit.fullmatch(stripped)
        if m is None or not self.per_unit_money.search(name):
            return None
        return self._per_unit_figure(m, text, offset)

    def _category_weights(self, figures: list[RawFigure], folded: str, text: str) -> list[RawFigure]:
        """Indicator categories with their weight in brackets, no 分 (产出指标（50）): scores."""
        added = [self._score(m, text, 0) for m in _free_matches(self.category_weight, folded, figures)
                 if Decimal(m.group(1)) <= 100]
        return _with(figures, added)

    def _score(self, m: re.Match, text: str, offset: int) -> RawFigure:
        """The score figure of a match whose group 1 is the number."""
        s, e = m.start(1) + offset, m.end(1) + offset
        value = Decimal(m.group(1))
        return RawFigure(start=s, end=e, text=text[s:e], value=value, unit="", kind="score",
                         normalized_value=value, normalized_unit="分")

    def _per_unit_standards(self, figures: list[RawFigure], folded: str, text: str,
                            blocked: Spans) -> list[RawFigure]:
        """Per-unit standards written without their currency (补助每亩300): money when a
        money word stands before them in their clause, within ``max_before_chars``."""
        added: list[RawFigure] = []
        for m in _free_matches(self.per_unit, folded, figures, blocked):
            line_start = max(folded.rfind(ch, 0, m.start()) for ch in "\n。;,") + 1  # its clause
            before = folded[max(line_start, m.start() - self.per_unit_reach):m.start()]
            if self.per_unit_money.search(before):
                added.append(self._per_unit_figure(m, text, 0))
        return _with(figures, added)

    def _per_unit_figure(self, m: re.Match, text: str, offset: int) -> RawFigure:
        """The money figure of a per-unit standard match (每亩300: text "每亩300", 300 元)."""
        s, e = m.start() + offset, m.end(1) + offset
        value = Decimal(m.group(1).replace(",", ""))
        return RawFigure(start=s, end=e, text=text[s:e], value=value, unit="", kind="money",
                         normalized_value=value, normalized_unit="元",
                         extra={"per_unit": fold_width(text[s:m.start(1) + offset])})

    def list_head_count(self, line: str, following: str) -> Optional[RawFigure]:
        """A line ending in a bare number and the next line listing that many names
        (局机关内设股室7 / 内设股室：办公室、财务股、…): the number counts the list. None
        when the line holds no such number or the next line lists another number of items."""
        folded = fold_width(line).rstrip()
        m = self.list_head.search(folded)
        if m is None or m.end(1) != len(folded) or len(folded) > self.list_head_chars:
            return None
        if self._blocked_spans(folded).overlaps(m.start(1), m.end(1)):
            return None
        if any(f.end > m.start(1) for f in self.find(line)):
            return None
        return self._list_count(m, fold_width(following), 0, text=line)

    def _enumerated_counts(self, figures: list[RawFigure], folded: str, text: str,
                           blocked: Spans) -> list[RawFigure]:
        """A list head written as a name and a bare number, the list right after it (内设机构3：
        办公室、财务科、业务科): the number counts the list when it lists that many names."""
        added: list[RawFigure] = []
        for m in _free_matches(self.list_head, folded, figures, blocked):
            s = m.start(1)
            line_start = folded.rfind("\n", 0, s) + 1
            if s - line_start > self.list_head_chars or any(ch in folded[line_start:s] for ch in "。;"):
                continue
            figure = self._list_count(m, folded, m.end(), text=text)
            if figure is not None:
                added.append(figure)
        return _with(figures, added)

    def _list_count(self, head: re.Match, folded: str, at: int, text: str) -> Optional[RawFigure]:
        """The count figure of ``head`` (a match whose group 1 is the number) when the list
        starting at ``folded[at:]`` names exactly that many items."""
        count = int(head.group(1))
        if count < 2:
            return None
        rest = folded[at:].lstrip()
        label = self.list_label.match(rest)
        if label:
            rest = rest[label.end():]
        body = re.split(r"[。;；\n]", rest, maxsplit=1)[0].strip()
        sep = next((c for c in self.item_seps if c in body), None)
        if sep is None:
            return None
        items = [item.strip() for item in body.split(sep)]
        if len(items) == count - 1 and self.last_item_joins.search(items[-1][1:-1]):
            items[-1:] = self.last_item_joins.split(items[-1], maxsplit=1)
        if len(items) != count or any(not item or len(item) > self.list_item_chars or re.search(r"\d", item)
                                      or is_chinese_numeral(item.strip("()（）")) for item in items):
            return None  # not names: numbers, or the ordinals of the next heading (二、…)
        s, e = head.span(1)
        value = Decimal(count)
        return RawFigure(start=s, end=e, text=text[s:e], value=value, unit="", kind="count",
                         normalized_value=value, normalized_unit="", extra={"list_head": True})

    def find_bare_cell(self, text: str, header: str, column: str = "",
                       row_name: str = "") -> Optional[RawFigure]:
        """A table cell holding only a number: a figure whose kind the column header gives.

        ``column`` is the cell's own column header and ``row_name`` the last name cell of
        its row: under an indicator value column (年度指标值, 实际完成值) the number is a
        percentage when the indicator is a rate (工程完工率 100), else kind other; in a total
        score row (总分, patterns/selfeval.yaml) it is a score.
        """
        folded = fold_width(text).strip()
        if not re.fullmatch(r"-?\d+(?:\.\d+)?", folded):
            return None
        offset = fold_width(text).index(folded)
        value = Decimal(folded)
        value_kind = self.indicator_value_kind(column, row_name)
        if value_kind == "rate":
            kind, unit, normalized, norm_unit = "rate", "", value * Decimal("0.01"), ""
        elif value_kind == "other":
            kind, unit, normalized, norm_unit = "other", "", value, ""
        elif TABLE_SCORE_HEADERS.search(header) or re.sub(r"\s+", "", row_name) in self.total_score_rows:
            kind, unit, normalized, norm_unit = "score", "", value, "分"  # 总分 | 100 | 96
        elif TABLE_MONEY_HEADERS.search(header) and "率" not in header[-8:]:
            unit_match = re.search(r"亿元|億元|万元|萬元|千元", header)
            factor = self.units[unit_match.group()].factor if unit_match else Decimal(1)
            kind, unit, normalized, norm_unit = "money", "", value * factor, "元"
        else:
            return None
        return RawFigure(start=offset, end=offset + len(folded), text=text[offset:offset + len(folded)],
                         value=value, unit=unit, kind=kind, normalized_value=normalized,
                         normalized_unit=norm_unit)

    def unit_split(self, line: str, following: str) -> bool:
        """A line ending in a number and the next line starting with a unit (…减少91.91 /
        万元，下降…), or a decimal number parted at its point and closed by a unit on the next
        line (…资金1,234. / 56万元，…): one figure parted by a line break."""
        end = fold_width(line).rstrip()
        start = fold_width(following).lstrip()
        if not end or not end[-1].isdigit() and not (end.endswith(".") and end[-2:-1].isdigit()):
            return False
        if end[-1] == ".":  # a name before the number: "1." alone is a list number
            return re.search(r"[\u4e00-\u9fff:]\s?\d[\d,]*\.$", end) is not None \
                and self.decimal_tail.match(start) is not None
        return self.unit_start.match(start) is not None or self.decimal_tail.match(start[1:]) is not None \
            and start[:1] == "."

    def find_with_unit_cell(self, text: str, unit_cell: str, mark_cell: str = "") -> Optional[RawFigure]:
        """A cell holding only a number whose unit is the next cell of its row (an indicator
        row's 度量单位: ``≥ | 95 | % | 98%``, ``735 | 人次``): a figure of that unit's kind,
        its text the number alone. None when the next cell is not exactly a unit form.
        A bound mark in the cell before (指标性质 ``≧``) is the figure's qualifier: a target."""
        folded = fold_width(text).strip()
        unit = self.units.get(re.sub(r"\s+", "", fold_width(unit_cell)))
        if unit is None or not re.fullmatch(r"-?\d+(?:\.\d+)?", folded):
            return None
        value = Decimal(folded)
        if unit.only_small_number and (value >= 100 or "." in folded):
            return None
        offset = fold_width(text).index(folded)
        kind, norm_unit, factor, _delta = self._kind(unit, "", folded, 0)
        mark = self.cell_marks.get(fold_width(mark_cell).strip())
        return RawFigure(start=offset, end=offset + len(folded), text=text[offset:offset + len(folded)],
                         value=value, unit=unit.form, kind=kind, normalized_value=value * factor,
                         normalized_unit=norm_unit, approx=mark is not None, qualifier=mark)

    def indicator_value_kind(self, column: str, row_name: str) -> Optional[str]:
        """The kind of a bare number under an indicator value column (年度指标值, 实际完成值):
        "rate" when the indicator is named as a rate (工程完工率), else "other"; None under
        any other column. Column forms and name endings come from patterns/selfeval.yaml."""
        if not self.indicator_value_column.search(re.sub(r"\s+", "", column)):
            return None
        return "rate" if row_name.endswith(self.rate_name_endings) else "other"

    # -- internals ----------------------------------------------------------------------
    def _blocked_spans(self, folded: str) -> Spans:
        """The spans of ``folded`` that are not figures (years, dates, ranks…), looked for
        only when a match is first tested against them (a text without numbers never is), in
        simplified characters (八項規定 is 八项规定; one character for one)."""
        return Spans(len(folded), ((m.start(), m.start() + len(m.group(1)))
                                   for m in self.blocker.finditer(simplified(folded)) if m.group(1)))

    def _number(self, written: str) -> Optional[Decimal]:
        if is_chinese_numeral(written) and not (set(written) & self.cn_digits):
            return None
        try:
            return parse_number(written)
        except ValueError:
            return None

    def _build(self, m: re.Match, folded: str, text: str, blocked: Spans) -> Optional[RawFigure]:
        num_key = "pnum" if m.group("pct") else "num"
        num_text = m.group(num_key)
        num_start, num_end = m.span(num_key)
        if blocked.overlaps(num_start, num_end):
            return None
        unit_text = m.group("unit") or ""
        scale_text = m.group("scale") or ""
        is_chinese = is_chinese_numeral(num_text.replace("点", ""))
        end = m.end()
        if is_chinese and not m.group("pct"):
            # a Chinese numeral swallowing its scale: 三千万元 -> 三千 + 万 + 元; a number in
            # two scales stays whole: 一亿二千万元
            tail = next((k for k in sorted(self.scales, key=len, reverse=True)
                         if num_text.endswith(k) and len(num_text) > len(k)), "")
            if not scale_text and tail and tail != "千" \
                    and not (tail in "万萬" and set(num_text[:-1]) & set("亿億")):
                scale_text, num_text = tail, num_text[:-len(tail)]
            if not unit_text:
                return None  # a Chinese numeral alone is a word, not a figure
            if num_text in ("一", "壹") and len(unit_text) == 1 and unit_text not in self.article_exempt:
                nxt = folded[m.end("unit"):m.end("unit") + 1]
                if nxt and "\u4e00" <= nxt <= "\u9fff" and nxt not in "余多":
                    return None  # 一个中心, 一项制度: an article, not a count
        value = self._number(num_text)
        if value is None and num_text in self.round_numbers and (m.group("pre") or m.group("q1") or m.group("q2")):
            value = self.round_numbers[num_text]  # 千余人, 近百家: a round number, approximate
        if value is None:
            return None
        start = m.start()
        pre = m.group("pre")
        if pre and folded[:m.end("pre")].endswith(self.not_qualifier_in):
            pre, start = None, m.start(num_key)  # 节约12万元: the 约 of a word
        if (not pre and start >= 1 and folded[start - 1] in "-−"
                and (start < 2 or not (folded[start - 2].isalnum() and folded[start - 2].isascii())
                                 and folded[start - 2] not in "%‰)）万萬亿億千")
                and not self._figure_before(folded, start - 1)):
            value, start = -value, start - 1  # 增长-5.2%: a signed change
        if m.group("pct"):
            unit = Unit("百分之", "rate", "", Decimal("0.01"))
        elif unit_text:
            unit = self.units[unit_text]
        elif scale_text:
            unit = None
        else:
            return None
        if unit is not None and unit.only_small_number and (value >= 100 or "." in num_text):
            return None  # 2022年 is a year, not a duration
        if unit is not None and unit.form == "年" and folded[end:end + 1] and folded[end:end + 1] in "度底初末中":
            return None
        scale = self.scales.get(scale_text, Decimal(1)) if scale_text else Decimal(1)
        # a range's low end may carry its own scale: 1.5万-2万人
        low_scale = self.scales[m.group("scale0")] if m.group("scale0") else scale
        high = None
        if m.group("num2"):
            high = self._number(m.group("num2"))
            if high is None or high * scale < value * low_scale or (m.group("scale0") and not scale_text):
                return None
        kind, norm_unit, factor, delta = self._kind(unit, scale_text, folded, m.start())
        normalized = value * low_scale * factor
        post = m.group("post")
        q_inner = m.group("q1") or m.group("q2")
        qualifiers = [q for q in (pre, q_inner, post) if q]
        if unit is not None and unit.approx:
            qualifiers.append("多")
        written_unit = (scale_text if scale_text and not unit_text else "") or \
            ((scale_text + unit_text) if scale_text else unit_text)
        if m.group("pct"):
            written_unit = "百分之"
        figure = RawFigure(
            start=start, end=end, text=text[start:end], value=value, unit=written_unit,
            kind=kind, normalized_value=normalized, normalized_unit=norm_unit,
            approx=bool(qualifiers), qualifier="、".join(qualifiers) if qualifiers else None,
            low=value * low_scale * factor if high is not None else None,
            high=high * scale * factor if high is not None else None,
            direction=self._direction(folded, start),
        )
        if delta:
            figure.extra["delta"] = True
        return figure

    def _figure_before(self, folded: str, end: int) -> bool:
        """A number and its unit end at ``end`` (10万元-20万元: the dash is a range dash)."""
        before = folded[max(0, end - 12):end]
        unit = self.unit_end.search(before)
        return unit is not None and re.search(r"[\d零〇一二两兩三四五六七八九十百千万萬亿億]\s?$",
                                              before[:unit.start()]) is not None

    def _compared_bases(self, figures: list[RawFigure], folded: str, text: str) -> list[RawFigure]:
        """A comparison's base written bare, its change right after it with a unit
        (较上年2.08减少0.03万元): the base shares the change's unit."""
        added: list[RawFigure] = []
        for m in _free_matches(self.compared_base, folded, figures):
            s, e = m.span(1)
            change = next((f for f in figures if f.start >= e), None)
            if change is None or not change.unit or change.value == 0 or change.kind == "rate" \
                    or change.start - e > 4 or change.extra.get("delta"):
                continue
            value = Decimal(m.group(1).replace(",", ""))
            added.append(RawFigure(start=s, end=e, text=text[s:e], value=value, unit=change.unit,
                                   kind=change.kind, normalized_value=value * change.normalized_value / change.value,
                                   normalized_unit=change.normalized_unit, extra={"shared_unit": True}))
        return _with(figures, added)

    def _stated_bases(self, figures: list[RawFigure], folded: str, text: str) -> list[RawFigure]:
        """A comparison's base stated after the change without a unit (增加0.94万元，增长--
        （基数为0，不可比）): the base shares the unit of the last amount before it in its
        sentence that is not a rate."""
        added: list[RawFigure] = []
        for m in _free_matches(self.stated_base, folded, figures):
            s, e = m.span(1)
            sentence_start = max(folded.rfind(ch, 0, s) for ch in "。！？;；\n") + 1
            amount = next((f for f in reversed(figures) if sentence_start <= f.start and f.end <= s
                           and f.kind != "rate" and f.unit and f.high is None and f.value), None)
            if amount is None:
                continue
            value = Decimal(m.group(1).replace(",", ""))
            added.append(RawFigure(start=s, end=e, text=text[s:e], value=value, unit="",
                                   kind=amount.kind, normalized_value=value * amount.normalized_value / amount.value,
                                   normalized_unit=amount.normalized_unit, extra={"shared_unit": True}))
        return _with(figures, added)

    def _zero_amounts(self, figures: list[RawFigure], folded: str, text: str) -> list[RawFigure]:
        """A zero amount without its unit (公务接待费为0, 采购金额为零): money 0, its scale
        irrelevant, when an amount's name stands right before the verb."""
        added: list[RawFigure] = []
        for m in _free_matches(self.zero_amount, folded, figures):
            s, e = m.span(1)
            clause_start = max(folded.rfind(ch, 0, m.start()) for ch in CLAUSE_END) + 1
            name = folded[max(clause_start, m.start() - self.zero_reach):m.start()].rstrip()
            if not name or name.endswith(self.zero_not_after) or not self.zero_money.search(name):
                continue
            added.append(RawFigure(start=s, end=e, text=text[s:e], value=Decimal(0), unit="", kind="money",
                                   normalized_value=Decimal(0), normalized_unit="元", extra={"zero": True}))
        return _with(figures, added)

    def _bare_siblings(self, figures: list[RawFigure], folded: str, text: str,
                       blocked: Spans) -> list[RawFigure]:
        """A number written without its unit inside a list of quantities of one kind
        (行政编制8名，事业编制90名，离退休17，人事代理1人): it counts what its neighbours count.
        Each list item is a short name and its number; the number takes the kind and scale
        of the items on both sides (or of the two before it when it ends the list). In an
        enumeration parted by 、 the unit may stand only at its last item (采购电脑3、打印机2台):
        the items before it share that unit. No written unit either way."""
        if not figures:
            return figures
        candidates = [m for m in _free_matches(self.bare_sibling, folded, figures, blocked)
                      if not NOT_AN_ITEM.fullmatch(m.group(1))]
        added: list[RawFigure] = []
        rest = []
        starts = [f.start for f in figures]
        for m in candidates:
            s, e = m.span(1)
            at = bisect_left(starts, e)  # figures[:at] end before s: none overlaps the item
            before, prev = figures[max(0, at - 2):at], figures[at - 1] if at else None
            nxt = figures[at] if at < len(figures) else None
            if prev is not None and nxt is not None and self.sibling_gap.fullmatch(folded[prev.end:s]) \
                    and self.sibling_gap.fullmatch(folded[e:nxt.start]):
                pair = (prev, nxt)
            elif len(before) >= 2 and LIST_END.match(folded, e) \
                    and self.sibling_gap.fullmatch(folded[prev.end:s]) \
                    and self.sibling_gap.fullmatch(folded[before[-2].end:prev.start]):
                pair = (before[-2], prev)
            else:
                rest.append(m)
                continue
            figure = self._sibling(m, pair, text)
            if figure is not None:
                added.append(figure)
        known = sorted(figures + added, key=lambda f: f.start)
        tail = self._list_tail(rest, known, folded, text)
        if tail:
            added.extend(tail)
            known = sorted(known + tail, key=lambda f: f.start)
        rest = [m for m in rest if folded[m.end(1):m.end(1) + 2].lstrip()[:1] == "、"
                and not any(f.start == m.start(1) for f in tail)]
        for m in reversed(rest):  # 采购电脑3、打印机2台: right to left along the enumeration
            s, e = m.span(1)
            at = bisect_left([f.start for f in known], e)
            nxt = known[at] if at < len(known) else None
            if nxt is None or not self.enumeration_gap.fullmatch(folded[e:nxt.start]):
                continue
            figure = self._sibling(m, (nxt,), text)
            if figure is not None:
                added.append(figure)
                known.insert(at, figure)
        return known if added else figures

    def _list_tail(self, bare: list[re.Match], known: list[RawFigure], folded: str,
                   text: str) -> list[RawFigure]:
        """Bare items closing a list, one after the other (编制12人，实有10人，缺编2，超编0。):
        they count what the two items before them count."""
        runs: list[list[re.Match]] = []
        for m in bare:
            if runs and self.sibling_gap.fullmatch(folded[runs[-1][-1].end(1):m.start(1)]):
                runs[-1].append(m)
            else:
                runs.append([m])
        starts = [f.start for f in known]
        out: list[RawFigure] = []
        for run in runs:
            at = bisect_left(starts, run[0].start(1))
            if len(run) < 2 or at < 2 or not LIST_END.match(folded, run[-1].end(1)):
                continue  # a lone bare item at the end is read by the main pass
            first, second = known[at - 2], known[at - 1]
            if not (self.sibling_gap.fullmatch(folded[first.end:second.start])
                    and self.sibling_gap.fullmatch(folded[second.end:run[0].start(1)])):
                continue
            items = [self._sibling(m, (first, second), text) for m in run]
            out.extend(item for item in items if item is not None)
        return out

    @staticmethod
    def _sibling(m: re.Match, pair: tuple, text: str) -> Optional[RawFigure]:
        """The bare list item of ``m`` counted like its neighbours ``pair``, or None when
        they differ in kind or scale, are rates or ranges, or carry no unit."""
        kinds = {f.kind for f in pair}
        ratios = {f.normalized_value / f.value for f in pair if f.value}
        if "count" in kinds and "." in m.group(1):
            return None  # a count is whole
        if len(kinds) != 1 or "rate" in kinds or len(ratios) != 1 or any(
                not (f.unit or f.extra.get("shared_unit")) or f.high is not None for f in pair):
            return None
        s, e = m.span(1)
        value = Decimal(m.group(1))
        units = {f.normalized_unit for f in pair}
        return RawFigure(start=s, end=e, text=text[s:e], value=value, unit="",
                         kind=pair[0].kind, normalized_value=value * ratios.pop(),
                         normalized_unit=units.pop() if len(units) == 1 else "",
                         extra={"shared_unit": True})

    def _descending_range(self, m: re.Match, folded: str, text: str, blocked: Spans) -> list[RawFigure]:
        """A band written high to low (score bands: 100-80%, 80-60%): two figures, the bound
        after the dash with its unit and the one before it sharing that unit. An ascending
        range (5-8%) is one figure with low and high (see ``_build``)."""
        if not m.group("num2") or m.group("pct"):
            return []
        first, second = self._number(m.group("num")), self._number(m.group("num2"))
        if first is None or second is None or second >= first:
            return []
        tail_match = self.pattern.match(folded, m.start("num2"))
        tail = self._build(tail_match, folded, text, blocked) if tail_match else None
        if tail is None or tail.unit not in self.units and tail.unit != "百分之":
            return []
        ratio = tail.normalized_value / tail.value if tail.value else self.units[tail.unit].factor
        s, e = m.span("num")
        if blocked.overlaps(s, e):
            return [tail]
        head = RawFigure(start=s, end=e, text=text[s:e], value=first, unit=tail.unit, kind=tail.kind,
                         normalized_value=first * ratio,
                         normalized_unit=tail.normalized_unit, extra={"shared_unit": True})
        return [head, tail]

    def _kind(self, unit: Optional[Unit], scale_text: str, folded: str, start: int):
        """kind, normalized unit, factor, is-delta for a unit (None: a bare 万/亿)."""
        if unit is None:
            before = folded[max(0, start - 16):start]
            clause = SENTENCE_SPLIT.split(before)[-1]
            if PEOPLE_WORDS.search(clause) and not MONEY_WORDS.search(clause[-4:]):
                return "count", "", Decimal(1), False
            return "money", "元", Decimal(1), False
        if unit.kind == "rate":
            # percentage points are a change in a rate; graders and gold treat them as rates
            return "rate", "", unit.factor, unit.delta
        return unit.kind, unit.normalized, unit.factor, False

    def _direction(self, folded: str, start: int) -> Optional[str]:
        before = folded[max(0, start - 60):start].rstrip()
        sentence = SENTENCE_SPLIT.split(before)[-1]
        if not RELATIVE_WORDS.search(sentence):
            return None  # a change is always relative to something: 比上年, 同比, 较
        clause = CLAUSE_SPLIT.split(sentence)[-1]
        tail = clause.rstrip("了为 ")
        if tail.endswith("新增"):
            return None
        for direction, word in self.direction_words:
            if tail.endswith(word):
                return direction
        return None

    def _with_dimensions(self, figures: list[RawFigure], folded: str, text: str) -> list[RawFigure]:
        """Add the factors of sizes written as products (规格3*1.8*2, 4×6米): length figures."""
        added: list[RawFigure] = []
        taken = _taken(figures, len(folded))
        for m in self.dimension.finditer(folded):
            unit = self.units[m.group("unit")] if m.group("unit") else None
            before = folded[max(0, m.start() - self.size_gap - 4):m.start()]
            clause = SENTENCE_SPLIT.split(before)[-1]
            if unit is None and not any(word in clause for word in self.size_words):
                continue
            product_end = m.start("unit") if unit else m.end()
            for factor in re.finditer(r"\d+(?:\.\d+)?", folded[m.start():product_end]):
                s, e = m.start() + factor.start(), m.start() + factor.end()
                if unit and s + len(factor.group()) >= product_end - 1:
                    e = m.end()  # the last factor carries the unit: 4×6米 -> "6米"
                if taken.overlaps(s, e):
                    continue  # the last factor with its unit (2米) is already a figure
                value = Decimal(factor.group())
                added.append(RawFigure(
                    start=s, end=e, text=text[s:e], value=value, unit=unit.form if unit else "",
                    kind="length", normalized_value=value * (unit.factor if unit else 1),
                    normalized_unit=unit.normalized if unit else "", extra={"dimension": True}))
        return _with(figures, added)

    def _shared_unit_list(self, figure: RawFigure, folded: str, text: str,
                          found: list[RawFigure]) -> list[RawFigure]:
        """Numbers listed before a figure that share its unit: 4125.49、4143.91万元."""
        out: list[RawFigure] = []
        cursor = figure.start
        floor = found[-1].end if found else 0
        ratio = figure.normalized_value / figure.value if figure.value else None
        while ratio is not None:
            m = self.list_number.search(folded, floor, cursor)
            if not m:
                break
            value = Decimal(m.group(1).replace(",", ""))
            s, e = m.span(1)
            out.insert(0, RawFigure(start=s, end=e, text=text[s:e], value=value, unit=figure.unit,
                                    kind=figure.kind, normalized_value=value * ratio,
                                    normalized_unit=figure.normalized_unit, extra={"shared_unit": True}))
            cursor = s
        return out


@lru_cache(maxsize=1)
def recognizer() -> Recognizer:
    """The process-wide recognizer (pattern files compiled once)."""
    return Recognizer()


on_change(recognizer.cache_clear)


def find_figures(text: str) -> list[RawFigure]:
    return recognizer().find(text)
