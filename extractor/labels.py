"""Labels: the phrase that names what a figure measures, taken from its context.

A label is cut from the text around the figure, clause by clause:

- the governing phrase before it (调整后预算支出总计1268.2285万元 -> 调整后预算支出总计), with
  other figures, closed parentheticals and joining words left out;
- the item after a count (区安委会明确9个牵头部门 -> 明确牵头部门);
- a predicate (增长9.9%, 占调整预算数的99.6%) gets the sentence's subject in front of it;
- a part inherits its whole's scope ("其中：基本支出" after "调整后预算支出总计", the parts in
  "在职人数17人（公务员6人、…）");
- "分别为" lists take the items named before them, in order;
- table cells take their row header and column header (extractor.selfeval for the
  self-evaluation tables, also when a web page flattened them to one cell per line).

Besides the label, each figure gets a :class:`Context` (its own phrase, the whole it is a part
of, the sentence's subject) that extractor.metrics reads to decide canonical metrics.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from .models import Block, Cell, Figure
from .normalize import fold_block, fold_width, simplified_table
from .patterns import load, on_change

SENTENCE_END = "。！？；;!?\n"
SENTENCE_MARK = re.compile(f"[{re.escape(SENTENCE_END)}]")
CLAUSE_BREAK = "，,：:；;。！？!?\n|"
OPEN, CLOSE = "（(", "）)"
YEAR_PREFIX = re.compile(r"^(?:19|20)\d{2}\s*年(?:度)?(?:以来)?")
YEARS = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")
NUMBERING = re.compile(r"^(?:\d{1,2}\s*[.、．]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]+[、是]|其[一二三四五])")
AS_OF = re.compile(r"^截[至止](?:[^，,。]{0,14}?(?:日|月底|月末|年底|年末|月))?")
TOTAL_WORDS = ("共计", "合计", "总计", "累计", "总共")
PUNCT = re.compile(r"[\s，,。：:；;、“”\"'‘’「」『』《》〈〉【】\[\]（）()|·—\-－~～…]")


@dataclass
class Context:
    """What the text says around one figure (indexes are positions in the report's list)."""
    index: int
    own: str = ""            # the phrase before it, cleaned (no other figures)
    item: str = ""           # the item named right after a count
    after: str = ""          # the clause text following the figure (raw)
    label: str = ""
    parent: Optional[int] = None    # the whole this figure is a part of (其中, parentheses)
    subject: Optional[int] = None   # the sentence's subject when the own phrase is a predicate
    predicate: bool = False
    in_parens: bool = False
    distributed: bool = False       # label taken from a 分别为 list
    years: list = field(default_factory=list)  # years the figure's own clause names
    sentence: str = ""
    table: bool = False             # a table cell (labels from row and column headers)
    flattened: bool = False         # a table flattened to one cell per line
    row_label: str = ""
    column: str = ""
    caption: str = ""               # a table cell's table title (表3 支出决算表)


@lru_cache(maxsize=1)
def settings() -> dict:
    data = load("labels")
    data = dict(data)
    for key in ("leading_noise", "trailing_noise", "predicate_words", "predicate_starts",
                "item_stops", "purpose_words", "inherited_scope", "spend_verbs",
                "attribute_words"):
        # longest first; words of one length keep their file order (a set's order would vary
        # with the hash seed, and inherited_scope takes the first word that matches)
        data[key] = sorted(dict.fromkeys(str(w) for w in data.get(key, [])), key=len, reverse=True)
    data["_leading"] = re.compile("^(?:" + "|".join(map(re.escape, data["leading_noise"])) + ")")
    data["_trailing"] = re.compile("(?:" + "|".join(map(re.escape, data["trailing_noise"])) + ")+$")
    data["_item_stop"] = re.compile("|".join(map(re.escape, data["item_stops"])) + r"|[\d\s，,。：:；;、（）()“”\"|<>≤≥=%％]")
    data["_predicate_words"] = frozenset(data["predicate_words"])
    data["_predicate_starts"] = tuple(data["predicate_starts"])
    data["_attribute_words"] = tuple(data["attribute_words"])
    data["_purpose_words"] = tuple(data["purpose_words"])
    data["_row_noise"] = [re.compile(p) for p in data.get("row_label_noise", [])]
    from_to = data.get("from_to") or {}
    data["_from"] = tuple(str(w) for w in from_to.get("from") or ())
    data["_from_to_link"] = re.compile(  # 由47人 | 减少到 | 45人
        r"^\s*(?:" + "|".join(map(re.escape, from_to.get("verbs") or [])) + r")?\s*(?:"
        + "|".join(map(re.escape, from_to.get("to") or [])) + r")\s*$")
    pairs = str(data.get("traditional") or "").split()
    data["_t2s"] = {**simplified_table(), **str.maketrans({p[0]: p[1] for p in pairs if len(p) == 2})}
    return data


on_change(settings.cache_clear)


def simplify(text: str) -> str:
    """Width-folded, traditional characters folded to simplified (for matching only)."""
    return fold_width(text or "").translate(settings()["_t2s"])


@lru_cache(maxsize=16384)
def compact(text: str) -> str:
    """Text for matching: simplified, without spaces, punctuation, quotes or brackets (cached:
    the same labels and headings are compared again and again)."""
    return PUNCT.sub("", simplify(text))


on_change(compact.cache_clear)  # simplify reads the label pattern file


# ---------------------------------------------------------------------------------------
# words: jieba with the domain dictionary (loaded only when a label needs whole words)
# ---------------------------------------------------------------------------------------

WORD_FREQ = 200000  # high enough that jieba keeps a domain word whole


def userdict_words() -> list[str]:
    """Domain words from the pattern files: metric names, scope words, self-eval columns."""
    found: set[str] = set()
    data = load("metrics")
    for entry in (data.get("metrics") or {}).values():
        for key in ("names", "exact", "standalone", "after"):
            found.update(str(w) for w in entry.get(key) or [])
    for group in (data.get("scopes") or {}).values():
        found.update(str(w) for w in group)
    found.update(str(w) for w in data.get("not_metrics") or [])
    found.update(str(w) for w in data.get("qualifiers") or [])
    selfeval = load("selfeval")
    for group in ("funds_columns", "indicator_columns"):
        for forms in (selfeval.get(group) or {}).values():
            found.update(str(w) for w in forms)
    for entries in load("units").values():
        for entry in entries:
            found.update(str(f) for f in entry.get("forms", []))
    cleaned = {w.replace(" ", "") for w in found}
    return sorted(w for w in cleaned if len(w) >= 2 and not any(ch.isspace() for ch in w))


def userdict_text() -> str:
    """The jieba user dictionary generated from the pattern files (word and frequency)."""
    return "".join(f"{word} {WORD_FREQ}\n" for word in userdict_words())


@lru_cache(maxsize=1)
def jieba_tokenizer():
    """The jieba module with the domain words added (initialised once per process)."""
    import logging

    import jieba
    jieba.setLogLevel(logging.WARNING)
    for word in userdict_words():
        jieba.add_word(word, freq=WORD_FREQ)
    return jieba


on_change(jieba_tokenizer.cache_clear)


def words(text: str) -> list[str]:
    """jieba words of ``text`` with the domain dictionary (基本支出 stays one word)."""
    return [w for w in jieba_tokenizer().cut(text, HMM=False) if w]


def word_starts(text: str) -> list[int]:
    """Offsets where words begin in ``text`` (0 included)."""
    starts, offset = [], 0
    for word in words(text):
        starts.append(offset)
        offset += len(word)
    return starts


# ---------------------------------------------------------------------------------------
# label agreement (the measure the label scores are reported in)
# ---------------------------------------------------------------------------------------

GOLD_NOTE = re.compile(r"[（(][^()（）]*[)）]$")


def label_f1(gold: str, predicted: Optional[str]) -> float:
    """Character F1 of two labels (multiset of characters after :func:`compact`).

    A trailing annotator note in the gold label ("(摘要)", "(公务用车)") is scored both with
    and without it, the better counting: notes are sometimes meta, sometimes content. Labels agree when
    the F1 is at least 0.5: 调整后基本支出 vs 基本支出 -> 0.73.
    """
    pred_chars = Counter(compact(predicted or ""))
    best = 0.0
    for form in {gold or "", GOLD_NOTE.sub("", gold or "") or gold or ""}:
        gold_chars = Counter(compact(form))
        overlap = sum((gold_chars & pred_chars).values())
        if not overlap:
            continue
        precision = overlap / sum(pred_chars.values())
        recall = overlap / sum(gold_chars.values())
        best = max(best, 2 * precision * recall / (precision + recall))
    return best


def labels_agree(gold: str, predicted: Optional[str]) -> bool:
    return label_f1(gold, predicted) >= 0.5


# ---------------------------------------------------------------------------------------
# cleaning
# ---------------------------------------------------------------------------------------

QUOTE_PAIRS = (("“", "”"), ("‘", "’"), ("《", "》"), ("「", "」"))


def _drop_unpaired_quotes(phrase: str) -> str:
    """三公”经费支出 -> 三公经费支出: a quote whose partner the label window cut off."""
    for opening, closing in QUOTE_PAIRS:
        if (opening in phrase) != (closing in phrase):
            phrase = phrase.replace(opening, "").replace(closing, "")
    return phrase


@lru_cache(maxsize=8192)  # the same phrases come back in every table row and report
def clean(phrase: str) -> str:
    """Strip years, subjects and joining words from both ends of a phrase."""
    s = settings()
    phrase = _drop_unpaired_quotes(phrase.strip(" \t、，,：:\"'"))
    for _ in range(3):
        before = phrase
        phrase = NUMBERING.sub("", phrase)
        phrase = AS_OF.sub("", phrase)
        phrase = YEAR_PREFIX.sub("", phrase).strip(" 、，,")
        phrase = _without_leading(phrase)
        if not simplify(phrase).endswith(tuple(s.get("trailing_keep") or ())):
            phrase = _without(s["_trailing"], phrase).strip(" 、，,")
        if phrase == before:
            break
    return phrase


def _without_leading(phrase: str) -> str:
    """``phrase`` without the subjects and joining words at its start, one at a time, up to
    a domain word that starts like one (已支出 is spending already made: its 已 stays)."""
    s = settings()
    keep = _leading_keep()
    while not simplify(phrase).startswith(keep):
        shorter = _without(s["_leading"], phrase).strip(" 、，,")
        if shorter == phrase:
            break
        phrase = shorter
    return phrase


@lru_cache(maxsize=1)
def _leading_keep() -> tuple[str, ...]:
    """Domain words (metric names, scope words) that begin with a leading noise word."""
    noise = settings()["leading_noise"]
    return tuple(word for word in userdict_words()
                 if any(word.startswith(n) and len(word) > len(n) for n in noise))


on_change(_leading_keep.cache_clear)


def _without(noise: re.Pattern, phrase: str) -> str:
    """``phrase`` without the noise words at its start or end, matched in simplified
    characters (群眾滿意度為: 為 is 为) and cut from the phrase as written."""
    match = noise.search(simplify(phrase))
    if match is None:
        return phrase
    return phrase[:match.start()] + phrase[match.end():]


def trim(phrase: str) -> str:
    """Keep at most ``max_chars`` characters, cut from the left at a word boundary."""
    limit = int(settings().get("max_chars", 24))
    if len(phrase) <= limit:
        return phrase
    cut = len(phrase) - limit
    starts = [i for i in word_starts(phrase) if i >= cut]
    return phrase[starts[0]:] if starts else phrase[cut:]


def is_predicate(phrase: str) -> bool:
    s = settings()
    core = phrase.strip()
    if not core:
        return False
    return core in s["_predicate_words"] or core.startswith(s["_predicate_starts"])


@lru_cache(maxsize=8192)
def strip_row_label(text: str) -> str:
    text = fold_width(text or "").strip()
    for pattern in settings()["_row_noise"]:
        text = pattern.sub("", text).strip()
    return re.sub(r"\s+", "", text)


on_change(clean.cache_clear)  # both read the label pattern file
on_change(strip_row_label.cache_clear)


# ---------------------------------------------------------------------------------------
# text blocks
# ---------------------------------------------------------------------------------------

PAREN_MARK = re.compile(f"[{re.escape(OPEN + CLOSE)}]")


def _paren_depth_starts(text: str) -> list[int]:
    """For each position, the offset of the innermost open parenthesis (-1 when none).

    The value changes only after a parenthesis, so runs between parentheses are filled at once.
    """
    out: list[int] = []
    stack: list[int] = []
    for match in PAREN_MARK.finditer(text):
        i = match.start()
        out.extend([stack[-1] if stack else -1] * (i + 1 - len(out)))  # up to and at i
        if text[i] in OPEN:
            stack.append(i)
        elif stack:
            stack.pop()
    out.extend([stack[-1] if stack else -1] * (len(text) - len(out)))
    return out


def _visible(text: str, start: int, end: int, skip: list[tuple[int, int]]) -> str:
    """text[start:end] without closed parentheticals and without the ``skip`` spans."""
    if not any(start <= s < end for s, _ in skip) and not VISIBLE_MARK.search(text, start, end):
        return text[start:end]  # nothing to leave out
    chars = []
    depth = 0
    jumps: dict[int, int] = {}  # span start -> end of the first span (in sorted order) there
    for s, e in sorted(skip):
        jumps.setdefault(s, e)
    i = start
    while i < end:
        hit = jumps.get(i)
        if hit is not None:
            i = max(hit, i + 1)
            continue
        ch = text[i]
        if ch == "《":
            close = text.find("》", i, end)
            if close != -1:
                i = close + 1
                continue
        if ch in OPEN:
            close = _matching_close(text, i, end)
            if close is not None:
                i = close + 1
                continue
        if depth == 0:
            chars.append(ch)
        i += 1
    return "".join(chars)


VISIBLE_MARK = re.compile(f"[《{re.escape(OPEN)}]")  # what _visible may leave out begins so


def _matching_close(text: str, i: int, end: int) -> Optional[int]:
    depth = 0
    for j in range(i, end):
        if text[j] in OPEN:
            depth += 1
        elif text[j] in CLOSE:
            depth -= 1
            if depth == 0:
                return j
    return None


HAN = re.compile(r"[\u4e00-\u9fff]")
SPACE_IN_WORDS = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")  # a wrap inside a phrase
CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff）)])\s+(?=[\u4e00-\u9fff（(])")


CLAUSE_BREAK_RE = re.compile(f"[{re.escape(CLAUSE_BREAK)}]")
LAST_BREAK = re.compile(f"[{re.escape(CLAUSE_BREAK)}][^{re.escape(CLAUSE_BREAK)}]*\\Z")


def _last_hard_break(text: str) -> int:
    """Offset of the last clause-break mark, -1 when there is none."""
    last = LAST_BREAK.search(text)
    return last.start() if last else -1


def _last_break(text: str) -> int:
    """Offset of the last clause break; a space between two words counts (pdf, docx text)."""
    hard = _last_hard_break(text)
    tail = text[hard + 1:]
    if " " in tail or "\u3000" in tail or "\t" in tail:
        for match in reversed(list(CJK_SPACE.finditer(tail))):
            # a space right before the last character or two is a line wrap inside a word
            if len(re.findall(r"[\u4e00-\u9fff]", tail[match.end():])) >= 3:
                return hard + 1 + match.start()
    return hard


def _item_after(text: str, end: int, figure: Figure) -> str:
    """The item a count names right after itself: 9个牵头部门 -> 牵头部门."""
    s = settings()
    if figure.kind not in s.get("item_kinds", ["count"]):
        return ""
    rest = text[end:end + 40]
    if not rest or not HAN.match(rest):
        return ""
    stop = s["_item_stop"].search(rest)
    item = rest[:stop.start()] if stop else rest
    item = item[: int(s.get("max_item_chars", 10))]
    return item if len(item) >= 1 else ""


def _is_attribute(phrase: str) -> bool:
    """面积, 数量, 参与群众: a property of something named earlier, not a name of its own."""
    words = settings()["_attribute_words"]
    return bool(phrase) and len(phrase) <= 6 and (phrase.endswith(words) or phrase.startswith(words))


def _after_clause(text: str, end: int) -> str:
    rest = text[end:end + 60]
    cut = CLAUSE_BREAK_RE.search(rest)
    return rest[:cut.start()] if cut else rest


def _purpose(after: str) -> str:
    if not after.startswith(settings()["_purpose_words"]):
        return ""  # no purpose word opens it (the common case: no need to find which)
    for word in settings()["purpose_words"]:
        if after.startswith(word):
            phrase = after[len(word):]
            return phrase[:16]
    return ""


def label_text_block(block: Block, figures: list[Figure], first_index: int,
                     contexts: list[Context]) -> None:
    """Labels for the figures of one paragraph or heading block (in text order)."""
    text = fold_block(block.text)
    parens = _paren_depth_starts(text)
    spans = [(f.location.start, f.location.end) for f in figures]
    stops = [m.start() for m in SENTENCE_MARK.finditer(text)]
    local: list[Context] = []
    kinds = [f.kind for f in figures]
    for k, fig in enumerate(figures):
        ctx = Context(index=first_index + k)
        start, end = fig.location.start, fig.location.end
        at = bisect.bisect_left(stops, start)
        sent_start = stops[at - 1] + 1 if at else 0
        after = bisect.bisect_left(stops, end)
        ctx.sentence = text[sent_start:(stops[after] if after < len(stops) else len(text))]
        paren = parens[start] if start < len(parens) else -1
        window_start = sent_start
        if paren >= sent_start:
            ctx.in_parens = True
            window_start = paren + 1
        ctx.item = _item_after(text, end, fig)
        ctx.after = _after_clause(text, end + len(ctx.item))
        # the previous figure in the same window (sentence, or the same parenthesis)
        prev_k = None
        for j in range(k - 1, -1, -1):
            ps, pe = spans[j]
            if ps < window_start:
                break
            if parens[ps] == (paren if ctx.in_parens else parens[start]) or \
                    (not ctx.in_parens and parens[ps] < window_start):
                prev_k = j
                break
        if prev_k is not None:
            pe = spans[prev_k][1] + len(local[prev_k].item)
            between = _visible(text, pe, start, [])
            cut = _last_break(between)
            piece = between[cut + 1:] if cut >= 0 else between
            stripped = piece.strip(" 、和与及")
            if cut < 0 and stripped in ("", "的"):
                # 年初批复预算8个项目985万元, 完成预算数31220万元的101.7%: the earlier
                # figure's phrase governs this one too
                own = local[prev_k].own + local[prev_k].item
                if not local[prev_k].item or stripped == "的":
                    own = local[prev_k].own + ("的" if stripped == "的" else "")
                raw_phrase = own
            else:
                raw_phrase = piece
        else:
            visible = _visible(text, window_start, start, [s for s in spans if s[0] >= window_start])
            cut = _last_break(visible)
            raw_phrase = visible[cut + 1:]
            if not clean(raw_phrase) and cut >= 0 and not ctx.item:
                # "公务用车购置和运行费,总共约40.86亿元": the phrase is in the clause before
                earlier = visible[:cut]
                raw_phrase = earlier[_last_break(earlier) + 1:] + raw_phrase
        ctx.years = [int(y) for y in YEARS.findall(raw_phrase)]
        ctx.own = clean(SPACE_IN_WORDS.sub("", raw_phrase))
        if prev_k is None and _is_attribute(ctx.own):
            # 新建区级救灾物资储备库，建筑面积800平方米: whose area is in the clause before
            visible = _visible(text, window_start, start, [])
            cut = _last_break(visible)
            if cut > 0:
                earlier = visible[:cut]
                owner = clean(earlier[_last_break(earlier) + 1:])
                if owner and not re.search(r"\d", owner):
                    ctx.own = _tail_words(owner, 8) + "，" + ctx.own
        if not ctx.own:
            ctx.own = next((w for w in TOTAL_WORDS if w in raw_phrase[-4:]), "")
        # 其中 / parenthesis: the whole this figure is a part of
        ctx.parent = _parent(text, k, spans, local, sent_start, paren if ctx.in_parens else -1,
                             first_index, kinds)
        ctx.predicate = is_predicate(ctx.own) or (not ctx.own and prev_k is not None
                                                  and not ctx.item)
        if ctx.predicate:
            ctx.subject = _subject(local, k, spans, sent_start)
        local.append(ctx)
    _distribute(text, figures, spans, local)
    _from_to(text, spans, local)
    for k, ctx in enumerate(local):
        ctx.label = _compose(ctx, local, first_index)
        contexts.append(ctx)


def _parent(text: str, k: int, spans, local: list[Context], sent_start: int, paren: int,
            first_index: int, kinds: Optional[list[str]] = None) -> Optional[int]:
    start = spans[k][0]
    if paren >= 0:
        # the figure just before the parenthesis: 在职人数17人（公务员6人…）
        for j in range(k - 1, -1, -1):
            if spans[j][1] <= paren and spans[j][0] >= sent_start:
                if not text[spans[j][1]:paren].strip(" 人个名万元"):
                    return first_index + j
                if len(text[spans[j][1]:paren]) <= 12:
                    return first_index + j
                return None
        return None
    where = text.rfind("其中", sent_start, start)
    if where < 0:
        return _next_item_parent(text, k, spans, local, kinds)
    # a sentence opening with 其中 lists the parts of the whole the sentence before ends with
    # (总支出2298.4万元。其中基本支出…)
    reach = sent_start
    if sent_start and not text[sent_start:where].strip(" \t\u3000，,：:"):
        reach = max(text.rfind(mark, 0, sent_start - 1) for mark in SENTENCE_END) + 1
    for j in range(k - 1, -1, -1):
        if spans[j][1] <= where and spans[j][0] >= reach and not local[j].in_parens:
            if kinds and kinds[j] != kinds[k] and "rate" in (kinds[j], kinds[k]):
                continue  # 完成预算的83.3%，其中：因公出国费0万元: the whole is an amount
            if spans[j][0] < sent_start and kinds and kinds[j] != kinds[k]:
                continue  # the sentence before: only a whole of the same kind
            return first_index + j
    return None


def _next_item_parent(text: str, k: int, spans, local: list[Context],
                      kinds: Optional[list[str]]) -> Optional[int]:
    """其中：人员经费1700万元，主要包括…；公用经费300万元: an item opening the segment after a
    ；, right after its name, continues the 其中 list of the item before it (same kind, same
    sentence)."""
    item = _previous_item(text, k, spans, kinds)
    if item is None or local[item].parent is None or local[item].in_parens:
        return None
    between = text[spans[item][1]:spans[k][0]]
    segment = between[max(between.rfind("；"), between.rfind(";")) + 1:]
    if not re.search(r"[；;]", between) or re.search(r"[。！？]", between) \
            or re.search(r"[，,：:、]", segment) or (kinds and kinds[k] != kinds[item]) \
            or segment.strip().startswith(tuple(settings().get("beside_list") or ())):
        return None  # 另有编外聘用人员11人: beside the list, not in it
    return local[item].parent


def _previous_item(text: str, k: int, spans, kinds: Optional[list[str]]) -> Optional[int]:
    """The figure before figure ``k`` that may be the list item before it: the one right
    before, or, past figures of another kind said of it in the same segment (项目支出3866万元，
    占75.5%；…), the last one of ``k``'s kind."""
    j = k - 1
    while j > 0 and kinds and kinds[j] != kinds[k] \
            and not re.search(r"[；;。！？]", text[spans[j - 1][1]:spans[j][0]]):
        j -= 1
    return j if j >= 0 else None


def _subject(local: list[Context], k: int, spans, sent_start: int) -> Optional[int]:
    for j in range(k - 1, -1, -1):
        if spans[j][0] < sent_start:
            break
        ctx = local[j]
        if ctx.in_parens:
            continue
        if ctx.own and not ctx.predicate:
            return ctx.index
        if ctx.predicate and ctx.subject is not None:
            return ctx.subject
    return None


def _distribute(text: str, figures: list[Figure], spans, local: list[Context]) -> None:
    """分别为 54辆、34辆、33辆: give each figure the matching item listed before 分别."""
    for k, ctx in enumerate(local):
        if ctx.distributed:
            continue
        start = spans[k][0]
        sent_from = start - len(ctx.sentence) - 1
        before = text[max(0, sent_from):start]
        where = before.rfind("分别")
        if where < 0 or before[where:].count("，") + before[where:].count(",") > 0:
            continue
        # the run of figures after 分别, joined by 、 和 及 ，
        run = [k]
        for j in range(k + 1, len(local)):
            gap = text[spans[j - 1][1] + len(local[j - 1].item):spans[j][0]]
            if gap.strip() in ("、", "和", "及", "与", ",", "，", "；") or not gap.strip():
                run.append(j)
            else:
                break
        if len(run) < 2:
            continue
        head = _without_spans(text, max(0, sent_from), max(0, sent_from) + where, spans)
        years = _listed_years(head, len(run))
        if len(years) == len(run):
            # 2020年和2021年项目支出决算数分别为a、b: each figure is its year's
            last = YEAR_RANGE.sub("", re.split(r"[，,。；;：:]", head)[-1])
            phrase = clean(YEARS.sub("", last).strip("和及与、"))
            for j, year in zip(run, years):
                local[j].years = [int(year)]
                local[j].own = phrase or local[j].own
                local[j].distributed = True
            continue
        items = _list_items(head, len(run))
        if not items:
            continue
        for j, item in zip(run, items):
            local[j].distributed = True
            local[j].own = item
            local[j].predicate = False
            local[j].subject = None


YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:至|到|—|－|-|~|～)\s*((?:19|20)\d{2})\s*年")


def _listed_years(head: str, count: int) -> list[str]:
    """The years a 分别为 list's head names, in order: each written (2020年和2021年), or a
    range spelt out (2021年至2023年: 2021, 2022, 2023) when it holds as many years as the
    list has figures."""
    years = YEARS.findall(head)
    span = YEAR_RANGE.search(head)
    if span and len(years) != count:
        low, high = int(span.group(1)), int(span.group(2))
        if high - low + 1 == count:
            return [str(y) for y in range(low, high + 1)]
    return years


def _from_to(text: str, spans, local: list[Context]) -> None:
    """由47人减少到45人 / 从12辆调整为10辆: both levels are the subject's, the first the
    earlier one (its phrase keeps 由, read as previous by patterns/metrics.yaml), the second
    the level now (``from_to`` in patterns/labels.yaml)."""
    starts, link = settings()["_from"], settings()["_from_to_link"]
    for k in range(len(local) - 1):
        before, now = local[k], local[k + 1]
        between = text[spans[k][1]:spans[k + 1][0]]  # a count's "item" (减少到) included
        if not starts or not before.own.endswith(starts) or not link.match(between):
            continue
        subject = clean(before.own[:-1])
        if not subject:
            continue
        before.own, before.predicate, before.subject = subject + before.own[-1], False, None
        before.item = ""
        now.own, now.predicate, now.subject = subject, False, None


def _without_spans(text: str, low: int, high: int, spans) -> str:
    """text[low:high] with the figures in it left out (人均收入846.8元 -> 人均收入)."""
    pieces, position = [], low
    for start, end in sorted(spans):
        if end <= low or start >= high:
            continue
        pieces.append(text[position:max(start, low)])
        position = min(end, high)
    pieces.append(text[position:high])
    return "".join(pieces)


def _list_items(head: str, count: int) -> list[str]:
    """The last ``count`` items of an enumeration (A、B、C和D) in ``head``."""
    head = re.sub(r"[（(][^（）()]*[)）]", "", head)
    for chunk in reversed(re.split(r"[，,；;：:。]", head)):
        parts = [p for p in re.split(r"[、]|和|及|与", chunk) if p.strip()]
        if len(parts) >= count:
            items = [clean(p) for p in parts[-count:]]
            items[0] = items[0][-12:]
            if all(items):
                # the first item carries the clause's opening words: keep its last word
                items[0] = _last_phrase(items[0], [len(i) for i in items[1:]])
                return items
    return []


def _last_phrase(first: str, other_lengths: list[int]) -> str:
    longest = max(other_lengths) if other_lengths else len(first)
    if len(first) <= longest + 2:
        return first
    return first[-(longest + 2):]


def _compose(ctx: Context, local: list[Context], first_index: int) -> str:
    own = ctx.own
    if ctx.predicate and ctx.subject is not None:
        subject = local[ctx.subject - first_index]
        own = _short_subject(subject.own + subject.item) + own
    elif not own and ctx.parent is not None:
        own = local[ctx.parent - first_index].own
    purpose = _purpose(ctx.after) if not ctx.item else ""
    if purpose and len(own) <= 4:
        own = purpose + own
    elif not ctx.item and own in settings()["spend_verbs"] and ctx.after.strip():
        own = ctx.after.strip()[:12] + own  # 投入20万元购买安全技术服务
    label = own + ctx.item
    if ctx.parent is not None and not ctx.distributed:
        label = _inherit_scope(local[ctx.parent - first_index].own, label)
    return trim(label.strip())


def _tail_words(text: str, limit: int) -> str:
    """The last words of ``text``, at most ``limit`` characters, cut at a word boundary."""
    if len(text) <= limit:
        return text
    cut = len(text) - limit
    starts = [i for i in word_starts(text) if i >= cut]
    return text[starts[0]:] if starts else text[cut:]


def _short_subject(phrase: str) -> str:
    """The head of a subject, for a predicate's label: 市级一般公共预算收入决算数 -> 预算收入."""
    limit = int(settings().get("subject_chars", 8))
    text = re.sub(r"(?:累计完成|累计|完成|决算数|决算|预算数|合计|总计)+$", "", phrase) or phrase
    if len(text) <= limit:
        return text
    cut = len(text) - limit
    starts = [i for i in word_starts(text) if i >= cut]
    return text[starts[0]:] if starts else text[cut:]


def _inherit_scope(parent_label: str, label: str) -> str:
    for word in settings()["inherited_scope"]:
        if word in parent_label and word not in label:
            return word + label
    return label


# ---------------------------------------------------------------------------------------
# table blocks
# ---------------------------------------------------------------------------------------

TRAILING_RELATION = re.compile(r"[=＝≥≤<>]+$")  # 完成率≥ before the number of a cell
SIDE_TOTALS = ("总计", "合计", "總計", "合計")  # a side's total rows, named by the side's title
NUMERIC_CELL = re.compile(r"^[\s\d.,，%％≥≤<>=＝约余万元亿个人-]*$")


def label_table_block(block: Block, figures: list[Figure], first_index: int,
                      contexts: list[Context], header_for=None, cells=None) -> None:
    """Row header + column header for each figure in a table block; ``cells`` is the cell
    reader the figure stage built for this block (extract.document_figures), when at hand."""
    by_pos = {(c.row, c.col): c for c in block.cells}
    rows: dict[int, list[Cell]] = {}
    cols: dict[int, list[Cell]] = {}
    for c in block.cells:
        rows.setdefault(c.row, []).append(c)
        cols.setdefault(c.col, []).append(c)
    grid = _grid_cells(block, rows, cells)
    headers = _HeaderWords(rows, cols)
    for k, fig in enumerate(figures):
        ctx = Context(index=first_index + k, table=True, caption=getattr(cells, "caption", ""))
        row, col = fig.location.row, fig.location.col
        cell = by_pos.get((row, col))
        names = header_for(row, col) if header_for else None
        if names:
            ctx.row_label, ctx.column = names
        else:
            ctx.row_label = headers.row_header(row, col)
            ctx.column = headers.column_header(row, col)
            group = grid.group(row, col) if grid is not None and row is not None and ctx.column \
                else ""
            if group and group != ctx.column:
                ctx.column = f"{group} {ctx.column}"  # 决算数 合计, 累计完成数 中央级
        inside = ""
        if cell is not None:
            offset = fig.location.start - cell.start
            inside = clean(fold_width(cell.text[:max(0, offset)]).strip())
            inside = TRAILING_RELATION.sub("", inside).strip()
        ctx.own = inside or ctx.row_label
        parts = [p for p in (inside or ctx.row_label, ctx.column) if p]
        if inside and ctx.row_label and inside != ctx.row_label and not ctx.column:
            parts = [ctx.row_label, inside]
        ctx.label = trim(" ".join(dict.fromkeys(parts)))
        ctx.sentence = cell.text if cell else ""
        contexts.append(ctx)


def _grid_cells(block: Block, rows: dict[int, list[Cell]], built=None):
    """The header structure of a table whose rows are all as long (cells on one grid), for
    the header over a column header (cells.TableCells.group); None for ragged rows.

    ``built`` is the block's cell reader from the figure stage: reused when it is a
    TableCells (the part it may continue changes no group: a continued part has no header
    rows of its own), else one is built."""
    if len({len(cells) for cells in rows.values()}) != 1:
        return None
    from .cells import TableCells  # the cell reader imports the recognizer, loaded on use
    return built if isinstance(built, TableCells) else TableCells(block)


class _HeaderWords:
    """The word cells of one table's rows (left to right) and columns (bottom to top), read
    once per row or column asked: a figure's row header is the first of its row's left of it,
    its column header the first of its column's above it."""

    def __init__(self, rows: dict[int, list[Cell]], cols: dict[int, list[Cell]]) -> None:
        self.rows, self.cols = rows, cols
        self._by_row: dict[int, list[tuple[int, str]]] = {}
        self._by_col: dict[int, list[tuple[int, str]]] = {}
        self._first_data = 0
        self.sides = self._sides()

    def _sides(self) -> list[int]:
        """Where each side of a side-by-side table starts (收入 | 决算数 | 支出 | 决算数): the
        columns of word cells whose header is the first word column's header (项目 … 项目).
        [0] for a table of one side."""
        words = {col: [c for c in cells if c.text.strip()] for col, cells in self.cols.items()}
        label_cols = sorted(col for col, cells in words.items()
                            if len(cells) >= 3 and sum(not NUMERIC_CELL.match(c.text)
                                                       for c in cells) >= 0.8 * len(cells))
        if len(label_cols) < 2:
            return [0]
        first_data = min((c.row for c in self.cols[label_cols[0]]
                          if any(NUMERIC_CELL.match(o.text) and o.text.strip()
                                 for o in self.rows.get(c.row, []))), default=None)
        if first_data is None:
            return [0]
        head = self.column_header(first_data, label_cols[0])
        starts = [col for col in label_cols if head and self.column_header(first_data, col) == head]
        self._first_data = first_data
        return starts if len(starts) >= 2 and starts[0] == label_cols[0] else [0]

    def row_header(self, row, col) -> str:
        """The first word cell left of (row, col)."""
        if row is None:
            return ""
        words = self._by_row.get(row)
        if words is None:
            cells = sorted(self.rows.get(row, []), key=lambda c: c.col)
            words = self._by_row[row] = [(c.col, text) for c in cells
                                         for text in [strip_row_label(c.text)]
                                         if text and not NUMERIC_CELL.match(text)]
        side = max((start for start in self.sides if col is None or start < col), default=0)
        name = next((text for at, text in words if at >= side and (col is None or at < col)), "")
        if len(self.sides) > 1 and name in SIDE_TOTALS:
            return self._side_title(side) + name  # 总计 under 支出: 支出总计
        return name

    def _side_title(self, side: int) -> str:
        """The header over a side's column header (收入 over 项目 | 决算数): the second word
        cell above the first data row in the side's first column; with none, the word the
        side's row names mostly end with (一般公共预算财政拨款收入, 事业收入, 其他收入: 收入)."""
        above = [text for at, text in self._column_words(side) if at < self._first_data]
        text = above[1] if len(above) > 1 else ""
        if not text:
            text = self._common_ending(side)
        return "" if text in SIDE_TOTALS else text

    def _common_ending(self, side: int) -> str:
        """The last two characters most of a side's row names share (at least two names and
        two fifths of them), or ""."""
        names = [strip_row_label(text) for at, text in self._column_words(side)
                 if at >= self._first_data]
        names = [name for name in names if len(name) > 2 and not name.endswith(SIDE_TOTALS)]
        endings = Counter(name[-2:] for name in names)
        ending, count = endings.most_common(1)[0] if endings else ("", 0)
        return ending if count >= 2 and count * 5 >= 2 * len(names) else ""

    def column_header(self, row, col) -> str:
        """The nearest word cell above (row, col)."""
        if row is None or col is None:
            return ""
        return next((text for at, text in self._column_words(col) if at < row), "")

    def _column_words(self, col: int) -> list[tuple[int, str]]:
        """The word cells of a column, bottom to top (row, text), read once."""
        words = self._by_col.get(col)
        if words is None:
            cells = sorted(self.cols.get(col, []), key=lambda c: -c.row)
            words = self._by_col[col] = [(c.row, text) for c in cells
                                         for text in [re.sub(r"\s+", "", fold_width(c.text))]
                                         if text and not NUMERIC_CELL.match(text)]
        return words


# ---------------------------------------------------------------------------------------
# the whole report
# ---------------------------------------------------------------------------------------

def label_figures(blocks: list[Block], figures: list[Figure], table_headers=None,
                  flattened_labels: Optional[dict[str, tuple[str, str]]] = None,
                  table_cells: Optional[dict] = None) -> list[Context]:
    """Set ``figure.label`` for every figure; return their contexts (same order).

    ``table_headers`` maps a block index to a function (row, col) -> (row label, column) for
    recognised self-evaluation tables; ``flattened_labels`` maps a figure id to the (row,
    column) that :mod:`extractor.selfeval` read for tables flattened one cell per line;
    ``table_cells`` maps a table block's index to the cell reader the figure stage built.
    """
    by_block: dict[int, list[int]] = {}
    for i, fig in enumerate(figures):
        by_block.setdefault(fig.location.block, []).append(i)
    blocks_by_index = {b.index: b for b in blocks}
    contexts: list[Optional[Context]] = [None] * len(figures)
    flattened_labels = flattened_labels or {}
    table_headers = table_headers or {}
    for block_index, members in by_block.items():
        block = blocks_by_index.get(block_index)
        members.sort(key=lambda i: figures[i].location.start)
        figs = [figures[i] for i in members]
        out: list[Context] = []
        if block is None:
            out = [Context(index=i) for i in members]
        elif block.kind == "table":
            label_table_block(block, figs, 0, out, table_headers.get(block_index),
                              (table_cells or {}).get(block_index))
        else:
            label_text_block(block, figs, 0, out)
        for local_index, ctx in zip(members, out):
            # contexts were numbered within the block: renumber into the report's list
            ctx.index = local_index
            if ctx.parent is not None:
                ctx.parent = members[ctx.parent]
            if ctx.subject is not None:
                ctx.subject = members[ctx.subject]
            contexts[local_index] = ctx
    for i, fig in enumerate(figures):
        ctx = contexts[i] or Context(index=i)
        if fig.id in flattened_labels:
            row_label, column = flattened_labels[fig.id]
            ctx.flattened = True
            ctx.row_label, ctx.column = row_label, column
            ctx.own = row_label
            ctx.label = trim(" ".join(p for p in dict.fromkeys((row_label, column)) if p))
        if (i and ctx.label and not any(ch.isalnum() for ch in ctx.label)
                and figures[i - 1].location.block == fig.location.block):
            ctx.label = contexts[i - 1].label  # 3*1.8*2: a factor is named like the first
        contexts[i] = ctx
        fig.label = ctx.label or None
    return contexts  # type: ignore[return-value]


def label_before(text: str, start: int, floor: int = 0) -> str:
    """The words in front of a figure, back to the previous clause break (a simple label)."""
    window = fold_width(text[max(floor, start - 40):start])
    cut = _last_break(window)
    return clean(window[cut + 1:])
