"""Canonical metrics: which figures are the standard quantities of the reporting unit's year.

The taxonomy is data (patterns/metrics.yaml): each key has names, a kind and the scopes it
belongs to. A figure gets a key only when

- its label ends with one of the key's names (the longest name wins over every key and the
  ``not_metrics`` parts), or is one of its generic ``exact`` names with nothing but
  qualifiers (全县, 一般公共预算, 本级 …) and scope words in front;
- its scope (年初 / 调整后 / 决算 / current) — from its own words, else the whole it is a part
  of, else the sentence's subject, else the genre's default — is one of the key's scopes;
- it is this year's value for the whole unit: not last year's (上年, 比2017年), not a part in
  parentheses or a 其中 part of the same quantity, not an estimate (约, 余), not a
  year-to-date value (1-5月, 上半年, 累计), not a sub-item (其他, 涉外, 人均 …);
- its kind is the key's kind.

Scope (issue 10): a key goes only to the reporting unit's own value for the report's year.
Section headings (and a paragraph's numbered run-in heading) give scope, year and the name of
a generic label; a label that is only a generic name (支出决算) takes the specific name of the
figure before it; the unit's own name is a qualifier, a sub-unit's (所属…), a whole region's
(全县…) or a reason's (主要原因为：…) figure gets none; the genre's rules (``genre_defaults``)
say what bare words mean and which keys exist (a project report knows only project keys);
government and many-unit reports get no keys (``aggregate_reports``). Each rule has spec
cases in tests/specs/metrics/scope.json.

Self-evaluation table cells get their key from row and column (extractor.selfeval).
The report's ``metrics`` map holds key -> [{value, unit, figure_ids, conflict}], one entry per
distinct normalized value; ``conflict`` is true on every entry of a key with two values.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Optional

from .labels import Context, compact, strip_row_label
from .models import Figure, Meta
from .normalize import fold_width
from .patterns import load, on_change

YEAR = re.compile(r"(?:19|20)\d{2}年度?|(?:\d{1,2}\s*[-—–~～至到]\s*)?\d{1,2}月(?:份)?|\d{1,2}日")


@dataclass(frozen=True)
class Name:
    text: str
    keys: tuple[str, ...]       # empty for a not-metric part
    exact: bool = False
    standalone: bool = False


@dataclass
class Taxonomy:
    metrics: dict
    names: list[Name]
    scopes: list[tuple[str, str]]   # (word, scope), longest first
    previous: list[re.Pattern]
    qualifiers: list[str]
    disqualifiers: list[str]
    suffixes: list[str]
    estimates: set[str]
    partial: list[re.Pattern]
    partial_title: list[re.Pattern]
    partial_exempt: list[str]
    execution_ratio: list[re.Pattern]
    genre_defaults: dict
    after: list[tuple[str, str]]
    changes: list[str]
    bounds: set
    aggregate_genres: set
    aggregate: list[re.Pattern]
    aggregate_always: set
    not_scope: list[str]
    reason_heads: list[str]
    subtotal_words: list[str]
    elliptic_from: dict
    side_by_side: set
    total_words: list[str]
    mixed_stages: list[re.Pattern] = field(default_factory=list)
    two_quantity_captions: list[re.Pattern] = field(default_factory=list)
    partial_money: dict = field(default_factory=dict)  # partial_money_titles: words, keys
    wholes: dict = field(default_factory=dict)  # whole key -> its part keys


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    data = load("metrics")
    metrics = {str(k): dict(v or {}) for k, v in (data.get("metrics") or {}).items()}
    by_text: dict[tuple[str, bool, bool], list[str]] = {}
    for key, entry in metrics.items():
        for list_name, exact, standalone in (("names", False, False), ("exact", True, False),
                                         ("standalone", False, True)):
            for name in entry.get(list_name) or []:
                by_text.setdefault((compact(str(name)), exact, standalone), []).append(key)
    names = [Name(text, tuple(dict.fromkeys(keys)), exact, standalone)
             for (text, exact, standalone), keys in by_text.items() if text]
    names += [Name(compact(str(n)), ()) for n in data.get("not_metrics") or []]
    names.sort(key=lambda n: (len(n.text), not n.exact), reverse=True)
    scopes = [(compact(str(w)), scope) for scope, words in (data.get("scopes") or {}).items()
              for w in words]
    scopes.sort(key=lambda item: len(item[0]), reverse=True)
    after = [(compact(str(w)), key) for key, entry in metrics.items() for w in entry.get("after") or []]
    after.sort(key=lambda item: len(item[0]), reverse=True)
    return Taxonomy(
        metrics=metrics, names=names, scopes=scopes,
        previous=[re.compile(p) for p in data.get("previous_patterns") or []],
        qualifiers=sorted((compact(str(w)) for w in data.get("qualifiers") or []), key=len, reverse=True),
        disqualifiers=[compact(str(w)) for w in data.get("disqualifiers") or []],
        suffixes=sorted((compact(str(w)) for w in data.get("suffixes") or []), key=len, reverse=True),
        estimates={str(w) for w in data.get("estimate_qualifiers") or []},
        partial=[re.compile(p) for p in data.get("partial_year_patterns") or []],
        partial_title=[re.compile(p) for p in data.get("partial_year_title_patterns") or []],
        partial_exempt=[str(w) for w in data.get("partial_year_exempt") or []],
        execution_ratio=[re.compile(p) for p in data.get("execution_ratio_patterns") or []],
        genre_defaults=dict(data.get("genre_defaults") or {}),
        after=after,
        changes=[compact(str(w)) for w in data.get("change_words") or []],
        bounds={str(w) for w in data.get("bound_qualifiers") or []},
        aggregate_genres={str(g) for g in (data.get("aggregate_reports") or {}).get("genres") or []},
        aggregate=[re.compile(p) for p in (data.get("aggregate_reports") or {}).get("patterns") or []],
        aggregate_always={str(g) for g in (data.get("aggregate_reports") or {}).get("always") or []},
        not_scope=sorted((compact(str(w)) for w in data.get("not_scope_words") or []), key=len, reverse=True),
        reason_heads=[compact(str(w)) for w in data.get("reason_heads") or []],
        subtotal_words=[compact(str(w)) for w in data.get("subtotal_words") or []],
        elliptic_from=dict(data.get("elliptic_from") or {}),
        side_by_side={str(k) for k in data.get("side_by_side") or []},
        total_words=[compact(str(w)) for w in data.get("section_total_words") or []],
        mixed_stages=[re.compile(p) for p in data.get("mixed_stage_headings") or []],
        two_quantity_captions=[re.compile(p) for p in data.get("two_quantity_captions") or []],
        partial_money=dict(data.get("partial_money_titles") or {}),
        wholes=dict(data.get("wholes") or {}),
    )


@lru_cache(maxsize=1)
def _names_by_text() -> dict[str, list[Name]]:
    out: dict[str, list[Name]] = {}
    for name in taxonomy().names:  # already longest first, non-exact before exact
        out.setdefault(name.text, []).append(name)
    return out


def _clear() -> None:
    taxonomy.cache_clear()
    _names_by_text.cache_clear()
    _read_phrase.cache_clear()
    _headings.cache_clear()
    scope_of.cache_clear()
    _disqualifying.cache_clear()
    _names_change.cache_clear()
    _without_scope_words.cache_clear()
    for cached in (_partial_year, _section_total, _only_scope, _holds_reason_head, _names_subtotal):  # phrase tests, cached per phrase
        cached.cache_clear()


on_change(_clear)


def metric_keys() -> list[str]:
    """The canonical keys (internal helper keys such as the parts of the vehicle cost left out)."""
    return [k for k, entry in taxonomy().metrics.items() if not entry.get("internal")]


# ---------------------------------------------------------------------------------------
# one phrase
# ---------------------------------------------------------------------------------------

@dataclass
class Reading:
    """What a phrase says: the name it ends with, the words before it, its scope."""
    name: Optional[Name]
    prefix: str
    scope: Optional[str]


def _strip_suffixes(text: str) -> tuple[str, str]:
    tax = taxonomy()
    removed = ""
    changed = True
    while changed and text:
        changed = False
        for word, _scope in tax.scopes:
            # a trailing scope word (…决算, …预算) says the stage, not the thing
            if word and text.endswith(word) and len(text) > len(word):
                text, removed = text[:-len(word)], word + removed
                changed = True
                break
        if changed:
            continue
        for word in tax.suffixes:
            if word and text.endswith(word) and len(text) > len(word):
                text, removed = text[:-len(word)], word + removed
                changed = True
                break
    return text, removed


@lru_cache(maxsize=8192)
def scope_of(text: str) -> Optional[str]:
    """The scope the words of ``text`` give: previous, initial, adjusted, final, budget.

    A previous-year word anywhere wins; otherwise the scope word nearest the end (the head of
    the phrase): 完成预算数 is a budget, 调整后预算 is adjusted.
    """
    tax = taxonomy()
    if any(p.search(text) for p in tax.previous):
        return "previous"
    for word in tax.not_scope:
        if word:
            text = text.replace(word, "|" * len(word))
    found: list[tuple[int, str]] = []
    rest = text
    for word, scope in tax.scopes:
        at = rest.find(word) if word else -1
        while at >= 0:
            found.append((at + len(word), scope))
            rest = rest[:at] + "|" * len(word) + rest[at + len(word):]
            at = rest.find(word)
    if any(scope == "previous" for _, scope in found):
        return "previous"
    return max(found)[1] if found else None


def read_phrase(phrase: str) -> Reading:
    """The name a phrase ends with, the words before it and the scope they give (cached)."""
    return _read_phrase(phrase)


@lru_cache(maxsize=8192)
def _read_phrase(phrase: str) -> Reading:
    tax = taxonomy()
    text = compact(phrase)
    if any(p.search(text) for p in tax.previous):
        return Reading(None, text, "previous")
    text = YEAR.sub("", text)
    if not text:
        return Reading(None, "", None)
    best: Optional[Reading] = None
    by_text = _names_by_text()
    longest = max((len(t) for t in by_text), default=0)
    for candidate, removed in _candidates(text):
        for size in range(min(longest, len(candidate)), 0, -1):
            names = by_text.get(candidate[-size:])
            if not names:
                continue
            prefix = candidate[:-size]
            name = next((n for n in names if not n.exact or _only_qualifiers(prefix)), None)
            if name is None:
                continue
            if best is None or len(name.text) > len(best.name.text):
                best = Reading(name, prefix, scope_of(prefix + removed))
            break
    if best is not None and not best.name.keys and best.prefix:
        # 三公经费财政拨款支出: a part's name right after a metric's says which money of it
        inner = _read_phrase(best.prefix)
        if inner.name is not None and inner.name.keys and best.prefix.endswith(inner.name.text):
            return Reading(inner.name, inner.prefix, scope_of(inner.prefix + text[len(best.prefix):]))
    return best or _interior_scope(text) or Reading(None, text, scope_of(text))


def _interior_scope(text: str) -> Optional[Reading]:
    """A whole name with a scope word set inside it (项目实际支出, 全年项目实际支出): the
    name read without the word, the word (and any scope or qualifier words before the name) as
    its scope. None unless what is left is a name with nothing but such words before it."""
    for word, _scope in taxonomy().scopes:
        at = text.find(word, 1)
        if at < 0 or at + len(word) >= len(text):
            continue
        inner = _read_phrase(text[:at] + text[at + len(word):])
        if inner.name is not None and not inner.name.exact and _only_qualifiers(inner.prefix):
            return Reading(inner.name, inner.prefix + word, scope_of(inner.prefix + word))
    return None


def _candidates(text: str) -> list[tuple[str, str]]:
    """The phrase itself, then with trailing scope words and suffixes taken off one by one."""
    out = [(text, "")]
    current, removed = text, ""
    for _ in range(4):
        stripped, more = _strip_one(current)
        if stripped == current:
            break
        current, removed = stripped, more + removed
        out.append((current, removed))
    return out


def _strip_one(text: str) -> tuple[str, str]:
    tax = taxonomy()
    for word in [w for w, _ in tax.scopes] + tax.suffixes:
        if word and text.endswith(word) and len(text) > len(word):
            return text[:-len(word)], word
    return text, ""


def _only_qualifiers(prefix: str) -> bool:
    tax = taxonomy()
    rest = prefix
    changed = True
    while rest and changed:
        changed = False
        for word in tax.qualifiers + [w for w, _ in tax.scopes]:
            if word and rest.startswith(word):
                rest = rest[len(word):]
                changed = True
                break
    return not rest


def cell_key(row_label: str, column: str, figure: Figure, actual_only: bool = False) -> Optional[str]:
    """The metric of a table cell: the row names the quantity, the column its scope
    (基本支出 × 年初预算数 -> budget.initial.basic; 部门预算执行率 -> execution.rate)."""
    reading = read_phrase(row_label)
    if reading.name is None or not reading.name.keys:
        return None
    if _disqualified(reading):
        return None
    if reading.name.standalone:
        key = reading.name.keys[0]
        return key if _kind_ok(figure, key) else None
    scope = scope_of(compact(column)) if column else reading.scope
    if actual_only and scope not in (None, "final"):
        return None
    if scope == "previous":
        return None
    return _choose(reading.name.keys, scope, figure)


# ---------------------------------------------------------------------------------------
# the whole report
# ---------------------------------------------------------------------------------------

def _is_estimate(figure: Figure) -> bool:
    if not figure.qualifier:
        return False
    words = re.split(r"[、,，\s]+", figure.qualifier)
    return any(w in taxonomy().estimates for w in words)


def _is_bound(figure: Figure) -> bool:
    """不低于90%, ≤5%: a target or a limit, not the value itself."""
    if not figure.qualifier:
        return False
    words = re.split(r"[、,，\s]+", figure.qualifier)
    return any(w in taxonomy().bounds for w in words)


@lru_cache(maxsize=4096)
def _partial_year(sentence: str) -> bool:
    tax = taxonomy()
    text = sentence
    for word in tax.partial_exempt:
        text = text.replace(word, "")
    return any(p.search(text) for p in tax.partial)


def _kind_ok(figure: Figure, key: str, bare_ok: bool = False) -> bool:
    """The figure's kind (and, where the key lists units, its unit: 编制3辆 is no staff) is
    the key's; a bare table number's kind is a guess (``bare_ok``)."""
    if bare_ok and not (figure.unit or "").strip():
        return True
    entry = taxonomy().metrics.get(key, {})
    units = entry.get("units")
    if units and (figure.unit or "").strip() and not any(u in figure.unit for u in units):
        return False
    want = entry.get("kind")
    if not want:
        return True
    if want == "count":
        return figure.kind in ("count", "other")
    return figure.kind == want


def _disqualified(reading: Reading) -> bool:
    """A word in front of the name makes it a part (其他公务接待费, 人均…), unless every key of
    the name allows that word (财政拨款 in front of 三公经费)."""
    if not reading.prefix:
        return False  # no word in front
    return _disqualifying(reading.name.keys if reading.name else (), reading.prefix)


@lru_cache(maxsize=8192)
def _disqualifying(keys: tuple[str, ...], prefix: str) -> bool:
    """_disqualified for a name's keys and the words in front of it (cached: the same few
    names and prefixes come back figure after figure)."""
    tax = taxonomy()
    allowed = set.intersection(*(set(tax.metrics[k].get("allow") or []) for k in keys)) if keys else set()
    return any(w and w in prefix and w not in allowed for w in tax.disqualifiers)


@lru_cache(maxsize=8192)
def _names_change(own: str) -> bool:
    """The (compact) phrase names a change (增收, 调增), not a quantity."""
    return any(w and w in own for w in taxonomy().changes)


def _choose(keys: tuple[str, ...], scope: Optional[str], figure: Figure,
            genre: Optional[str] = None) -> Optional[str]:
    tax = taxonomy()
    effective = scope or "current"
    for key in keys:
        entry = tax.metrics[key]
        scopes = list(entry.get("scope") or ["current"])
        scopes += (entry.get("genre_scope") or {}).get(genre or "", [])
        if effective in scopes and _kind_ok(figure, key):
            return key
    return None


@dataclass(frozen=True)
class GenreRules:
    """What a report's genre says about its figures (``genre_defaults`` in the pattern file)."""
    genre: str
    scope: Optional[str] = None
    scope_kinds: tuple[str, ...] = ()
    budget_scope: Optional[str] = None
    bare_budget: frozenset[str] = frozenset()
    head: Optional[Name] = None
    bare_head: Optional[Name] = None
    total_scope: Optional[str] = None
    scope_map: tuple[tuple[str, str], ...] = ()
    remap: tuple[tuple[str, str], ...] = ()
    keys: tuple[str, ...] = ()

    @staticmethod
    def of(genre: Optional[str]) -> "GenreRules":
        entry = taxonomy().genre_defaults.get(genre or "", {}) or {}
        return GenreRules(
            genre=genre or "",
            scope=str(entry["scope"]) if entry.get("scope") else None,
            scope_kinds=tuple(str(k) for k in entry.get("scope_kinds") or ()),
            budget_scope=str(entry["budget_scope"]) if entry.get("budget_scope") else None,
            bare_budget=frozenset(compact(str(w)) for w in entry.get("bare_budget") or ()),
            head=read_phrase(str(entry["head"])).name if entry.get("head") else None,
            bare_head=read_phrase(str(entry["bare_head"])).name if entry.get("bare_head") else None,
            total_scope=str(entry["total_scope"]) if entry.get("total_scope") else None,
            remap=tuple((str(a), str(b)) for a, b in (entry.get("remap") or {}).items()),
            scope_map=tuple((str(a), str(b)) for a, b in (entry.get("scope_map") or {}).items()),
            keys=tuple(str(k) for k in entry.get("keys") or ()))

    @cached_property
    def scope_dict(self) -> dict[str, str]:
        """``scope_map`` as a dict (built once per report, asked per figure)."""
        return dict(self.scope_map)

    @cached_property
    def remap_dict(self) -> dict[str, str]:
        """``remap`` as a dict."""
        return dict(self.remap)

    def default_scope(self, figure: Figure) -> Optional[str]:
        if self.scope and (not self.scope_kinds or figure.kind in self.scope_kinds):
            return self.scope
        return None

    def settled(self, scope: Optional[str]) -> Optional[str]:
        """A scope as this genre reads it: a bare 预算 as its budget scope (a department's
        initial budget), then the genre's scope map (a budget text's 本年 is its budget)."""
        if scope == "budget" and self.budget_scope:
            scope = self.budget_scope
        return self.scope_dict.get(scope or "", scope)

    def key(self, key: Optional[str]) -> Optional[str]:
        """The key under this genre: remapped (a project's 实际支出 is final.project), and
        None when the genre does not know it."""
        if key is None:
            return None
        key = self.remap_dict.get(key, key)
        if self.keys and key not in self.keys and not taxonomy().metrics.get(key, {}).get("internal"):
            return None
        return key


def unit_names(department: Optional[str]) -> list[str]:
    """The reporting unit's names as a label may hold them: its full name and every shorter
    ending of it down to the unit's own name (某市白石区水文站, 白石区水文站, 水文站)."""
    if not department:
        return []
    from .meta import unit_without_region
    full, core = compact(department), compact(unit_without_region(department))
    shortest = max(len(core), 3) if core else 3
    return [full[-k:] for k in range(len(full), shortest - 1, -1)]


def _without_unit(phrase: str, names: list[str]) -> str:
    """金安区生态环境分局部门预算收入 -> 部门预算收入: the unit's own name is no qualifier."""
    text = compact(phrase)
    if not names or names[-1] not in text:
        return phrase  # the shortest name is in every longer one: none is in the phrase
    for name in names:  # longest first
        if name in text:
            return text.replace(name, "")
    return phrase


@dataclass(frozen=True)
class Heading:
    """The innermost section heading that says something: its reading, text and years."""
    reading: Reading
    text: str
    years: tuple[int, ...]


HEADING_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
RUN_IN = re.compile(r"^\s*(?:\d{1,2}\s*[、.．]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])"
                    r"\s*([^。：:，,；;\d]{2,24}?(?:情况说明|情况|说明))\s*[。：:]")


def run_in_headings(blocks) -> dict[int, str]:
    """Paragraphs that open with their own numbered heading (1、机关运行经费支出情况。2015年…):
    block index -> the heading."""
    out = {}
    for block in blocks:
        match = RUN_IN.match(block.text or "")
        if match and len(block.text) > match.end() + 4:
            out[block.index] = match.group(1)
    return out


def headings_of(figure: Figure, run_in: Optional[str] = None) -> list[Heading]:
    """The figure's section headings, innermost first (a paragraph's run-in heading before
    all); headings that hold figures (a sentence the reader took for a heading) are left out."""
    return list(_headings(tuple(figure.location.section or ()), run_in))


@lru_cache(maxsize=4096)
def _headings(section: tuple[str, ...], run_in: Optional[str]) -> tuple[Heading, ...]:
    """headings_of for one section path (figures of a section share it: cached)."""
    out = []
    for raw in ([run_in] if run_in else []) + list(reversed(section)):
        text = strip_row_label(raw)
        years = tuple(int(y) for y in HEADING_YEAR.findall(text))
        if re.search(r"\d", HEADING_YEAR.sub("", text)):
            continue
        reading = read_phrase(text)
        # the whole heading says the stage (部门预算收入: 预算 is in the name itself), unless
        # it names two (部门预算及执行情况: its figures are budgets and actuals alike)
        mixed = any(p.search(compact(text)) for p in taxonomy().mixed_stages)
        out.append(Heading(Reading(reading.name, reading.prefix,
                                   None if mixed else scope_of(compact(text))),
                           compact(text), years))
    return tuple(out)


def _elliptic(reading: Reading, own: str) -> bool:
    """A label that is only a generic name and scope words (支出决算 after 三公经费支出预算)."""
    name = reading.name
    if name is None or not name.exact:
        return False
    text = compact(own)
    rest = _without_scope_words(text)
    # 实际支出 is itself a scope word: nothing but the generic name is left either way
    return rest == name.text or (not rest and name.text in text)


@lru_cache(maxsize=8192)
def _without_scope_words(text: str) -> str:
    """``text`` with every scope word taken out, longest first (cached per phrase)."""
    for word, _scope in taxonomy().scopes:
        if word:
            text = text.replace(word, "")
    return text


def _specific(generic: Name, reading: Reading, text: str) -> Optional[Name]:
    """The specific name a phrase gives for a generic one: 公务接待费支出情况 for 支出; a
    spending name (``elliptic_from``: 三公经费预算10万元，实际支出8.6万元) for 支出 too."""
    name = reading.name
    if name is None or not name.keys or name.exact:
        return None
    at = text.find(name.text)
    if at >= 0 and generic.text in text[at:]:
        return name
    spending = taxonomy().elliptic_from
    if generic.text in spending.get("generic", []) and \
            all(any(p in k for p in spending.get("keys", [])) for k in name.keys):
        return name
    return None


@lru_cache(maxsize=4096)
def _section_total(own: str) -> Optional[Name]:
    """The generic name a label ends with when a total word follows it (各项支出合计): the
    section's total of what its heading names."""
    text = compact(own)
    for word in taxonomy().total_words:
        if word and text.endswith(word):
            for name in _names_by_text().get(text[:-len(word)][-2:], []):
                if name.exact and name.keys:
                    return name
    return None


@lru_cache(maxsize=4096)
def _only_scope(own: str) -> bool:
    """A label that is only scope words, qualifiers and suffixes (年初预算数, 部门决算数为,
    已支出资金), its suffixes taken off all together or one at a time."""
    text = compact(own)
    return bool(text) and (_only_qualifiers(_strip_suffixes(text)[0])
                           or any(_only_qualifiers(part) for part, _ in _candidates(text)))


def _after_reason(figure: Figure, ctx: Context) -> bool:
    """The figure stands after a reason or purpose head of its sentence (主要原因为：…)."""
    at = ctx.sentence.find(figure.text)
    if at < 0:  # the context's sentence is width-folded: ９．８０万元 stands there as 9.80万元
        at = ctx.sentence.find(fold_width(figure.text))
    return _holds_reason_head(compact(ctx.sentence[:at] if at >= 0 else ctx.sentence))


@lru_cache(maxsize=4096)
def _holds_reason_head(text: str) -> bool:
    """A reason or purpose head (主要原因, 主要用于) stands in ``text`` (cached per text)."""
    return any(h and h in text for h in taxonomy().reason_heads)


def assign_metrics(figures: list[Figure], contexts: list[Context], meta: Meta,
                   cell_metrics: Optional[dict[str, str]] = None,
                   partial_year: bool = False,
                   run_in: Optional[dict[int, str]] = None,
                   form_blocks: frozenset[int] = frozenset()) -> dict[str, list[dict]]:
    """Set ``figure.metric`` where a figure is a canonical quantity; return the report map.

    A figure's scope comes from its own words, else the whole it is a part of, else its
    sentence's subject, else its section headings, else the genre's default. A label that is
    only a generic name (支出决算) takes the specific name of the figure before it in the
    sentence or of its heading (三公经费支出预算…，支出决算…; (三)公务接待费支出情况).
    ``partial_year``: the report covers part of the year (its title says 1-6月), so only
    budget keys apply; an actual figure in it is not the year's. ``run_in``: block index ->
    the numbered heading its paragraph opens with (:func:`run_in_headings`). A cell of a
    table other than a self-evaluation form (``form_blocks``: their blocks, keyed through
    ``cell_metrics`` only) is read by its row name and column header (:func:`_table_key`).
    """
    cell_metrics = cell_metrics or {}
    run_in = run_in or {}
    rules = GenreRules.of(meta.genre)
    names = unit_names(meta.department)
    readings: list[Reading] = []
    scopes: list[Optional[str]] = []
    heads: list[Optional[Name]] = []
    for ctx in contexts:
        reading = read_phrase(_without_unit(ctx.own + ctx.item, names)) if not ctx.flattened \
            else Reading(None, "", None)
        readings.append(reading)
        heads.append(reading.name)
        scopes.append(reading.scope)
    other_year = [False] * len(figures)
    for i, ctx in enumerate(contexts):
        _inherit(i, figures, contexts, readings, heads, scopes, rules, meta.year, other_year,
                 run_in.get(figures[i].location.block))
    for i, (fig, ctx) in enumerate(zip(figures, contexts)):
        fig.metric = None
        if fig.id in cell_metrics:
            key = rules.key(cell_metrics[fig.id])
            fig.metric = key if key and _kind_ok(fig, key, True) else None
            continue
        if ctx.table and not ctx.flattened and fig.location.block not in form_blocks:
            key = rules.key(_table_key(fig, ctx, rules, meta.genre, meta.year))
            fig.metric = key if key and not (partial_year and not key.startswith("budget.")) \
                else None
            continue
        if ctx.flattened or ctx.table or _is_estimate(fig) or ctx.in_parens or _is_bound(fig) \
                or other_year[i] or _after_reason(fig, ctx):
            continue
        key = rules.key(_figure_key(fig, ctx, readings[i], heads[i], scopes[i], figures, contexts,
                                    meta.year, meta.genre))
        if key is None or (partial_year and not key.startswith("budget.")):
            continue
        if ctx.parent is not None and figures[ctx.parent].metric == key:
            continue  # a part of the same quantity (其中 部门预算项目支出 under 项目总预算)
        if ctx.parent is not None and not figures[ctx.parent].metric \
                and _names_partial_money(contexts[ctx.parent].own):
            continue  # 一般公共预算财政拨款基本支出，其中：公用经费 — that money's part only
        fig.metric = key
    _table_wholes(figures, contexts, form_blocks)
    _drop_subtotals(figures, contexts)
    _drop_side_by_side(figures, contexts)
    _promote_alone(figures, contexts)
    for fig in figures:
        if fig.metric and taxonomy().metrics.get(fig.metric, {}).get("internal"):
            fig.metric = None
    return report_metrics(figures)


def _inherit(i: int, figures: list[Figure], contexts: list[Context], readings: list[Reading],
             heads: list[Optional[Name]], scopes: list[Optional[str]], rules: GenreRules,
             report_year: Optional[int], other_year: list[bool],
             run_in: Optional[str] = None) -> None:
    """Fill figure ``i``'s scope and head from its whole or subject, the figure before it,
    its section headings and the report's genre (in that order)."""
    ctx, fig = contexts[i], figures[i]
    _from_whole(i, contexts, heads, scopes)
    if heads[i] is not None and _elliptic(readings[i], ctx.own) and i > 0 \
            and contexts[i - 1].sentence == ctx.sentence and not contexts[i - 1].in_parens:
        before = _specific(heads[i], readings[i - 1], compact(contexts[i - 1].own))
        heads[i] = before or heads[i]  # 三公经费支出预算…，支出决算…
    headings = [] if ctx.table or ctx.flattened else headings_of(fig, run_in)
    if report_year and not ctx.years and headings and headings[0].years \
            and report_year not in headings[0].years:
        other_year[i] = True  # under 2022年“三公”经费决算情况 in the 2023 budget
    heads[i], scopes[i] = _from_headings(headings, readings[i], ctx, heads[i], scopes[i])
    heads[i], scopes[i] = _from_genre(rules, fig, ctx, readings[i], heads[i], scopes[i])


def _from_whole(i: int, contexts: list[Context], heads: list[Optional[Name]],
                scopes: list[Optional[str]]) -> None:
    """A part takes its whole's scope; a predicate its subject's scope and head."""
    ctx = contexts[i]
    source = ctx.parent if ctx.parent is not None else ctx.subject
    if scopes[i] is None and source is not None:
        scopes[i] = scopes[source] if scopes[source] != "previous" else None
    if heads[i] is None and source is not None and scopes[i] not in (None, "previous") \
            and ctx.subject == source:
        heads[i] = heads[source]  # 占调整预算数539267万元: the subject's quantity


def _from_headings(headings: list[Heading], reading: Reading, ctx: Context, head: Optional[Name],
                   scope: Optional[str]) -> tuple[Optional[Name], Optional[str]]:
    """The nearest heading with a scope gives it; a heading naming a quantity gives a generic
    label its name ((二)公务接待费支出情况: 支出1.86万元) and a section total its quantity."""
    for heading in headings:
        if scope is None and heading.reading.scope not in (None, "previous"):
            scope = heading.reading.scope
        if head is not None and head.exact and _elliptic(reading, ctx.own):
            head = _specific(head, heading.reading, heading.text) or head
        elif head is None and not ctx.predicate:
            generic = _section_total(ctx.own)
            head = _specific(generic, heading.reading, heading.text) if generic else None
    return head, scope


def _from_genre(rules: GenreRules, fig: Figure, ctx: Context, reading: Reading,
                head: Optional[Name], scope: Optional[str]) -> tuple[Optional[Name], Optional[str]]:
    """The genre's default scope and scope reading, and its default heads."""
    if scope is None:
        scope = rules.default_scope(fig)
    own = compact(ctx.own)
    if scope is None and rules.total_scope and _names_total(own, reading) \
            and scope_of(own) is None:
        scope = rules.total_scope  # 支出合计 / 总支出 in a department's self-evaluation
    if scope in ("budget", None) and not (scope == "budget" and rules.budget_scope) \
            and re.sub(r"^[该本此]", "", own) in rules.bare_budget:
        scope = "initial"  # the project's bare 预算 in the figure's own words (预算安排1280万元)
    scope = rules.settled(scope)
    money = not ctx.table and fig.kind == "money"
    if head is None and rules.head is not None and scope in ("initial", "adjusted") and money:
        head = rules.head  # 年初批复预算985万元 in a project report
    if head is None and rules.bare_head is not None and reading.scope not in (None, "previous") \
            and money and _only_scope(ctx.own):
        head = rules.bare_head  # 年初预算数为500万元: the unit's own budget
    return head, scope


def _names_total(own: str, reading: Reading) -> bool:
    """The phrase names a total (支出合计, 总支出), alone or after words saying whose it is
    (部门总收入, 单位支出合计)."""
    words = tuple(taxonomy().total_words)
    if own.endswith(words) or own.startswith("总"):
        return True
    name = reading.name
    return name is not None and _only_qualifiers(reading.prefix) \
        and (name.text.startswith("总") or name.text.endswith(words))


def _table_key(fig: Figure, ctx: Context, rules: GenreRules, genre: Optional[str],
               report_year: Optional[int] = None) -> Optional[str]:
    """A table cell's key from its row name and column header (:func:`_table_reading`).
    A header naming another year than the report's (2022年决算数 beside 2023年), or a
    month or day, gives no key."""
    if fig.approx or _is_bound(fig):
        return None
    for match in YEAR.finditer(ctx.row_label + ctx.column):
        if match.group(0)[:4] != str(report_year):
            return None
    reading = _table_reading(ctx)
    name = reading.name if reading is not None else None
    if name is None or not name.keys or reading.scope == "previous" \
            or _disqualified(reading) or _names_change(compact(ctx.row_label)):
        return None
    scope = rules.settled(reading.scope or rules.default_scope(fig))
    key = name.keys[0] if name.standalone and _kind_ok(fig, name.keys[0]) else \
        None if name.standalone else _choose(name.keys, scope, fig, genre)
    return None if key and _partial_money(ctx.caption, key) else key


def _table_wholes(figures: list[Figure], contexts: list[Context],
                  form_blocks: frozenset[int]) -> None:
    """A table's total row (合计) whose title names no single quantity (收支预算执行情况) is
    the whole of the rows beside it in its column when they are all parts of one whole
    (基本支出 + 项目支出 -> 支出; ``wholes`` in patterns/metrics.yaml)."""
    wholes = {str(part): str(whole) for whole, parts in taxonomy().wholes.items()
              for part in parts}
    columns: dict[tuple[int, Optional[int]], list[int]] = {}
    for i, fig in enumerate(figures):
        if contexts[i].table and not contexts[i].flattened and fig.location.block not in form_blocks:
            columns.setdefault((fig.location.block, fig.location.col), []).append(i)
    for members in columns.values():
        totals = [i for i in members if not figures[i].metric
                  and compact(contexts[i].row_label) in taxonomy().total_words]
        parts = {figures[i].metric for i in members if figures[i].metric}
        whole = {wholes.get(key) for key in parts}
        if len(totals) == 1 and len(parts) >= 2 and len(whole) == 1 and None not in whole \
                and _kind_ok(figures[totals[0]], next(iter(whole))):
            figures[totals[0]].metric = next(iter(whole))


def _names_partial_money(phrase: str) -> bool:
    """Whether a phrase names one kind of money (partial_money_titles: 财政拨款, 一般公共预算)."""
    return any(w in compact(phrase) for w in taxonomy().partial_money.get("words") or [])


def _partial_money(caption: str, key: str) -> bool:
    """Whether the table's title names one kind of money (财政拨款收入支出决算总表) whose
    totals ``key`` (a unit's total) does not describe."""
    return key.startswith(tuple(taxonomy().partial_money.get("keys") or ())) and \
        _names_partial_money(_table_title(caption))


def _table_reading(ctx: Context) -> Optional[Reading]:
    """What a cell measures, read from its row name and column header:

    - a total row (合计 / 总计) under a column naming a quantity (基本支出, 编制数) is that
      quantity; under a column of amounts (决算数, 合计) the table's own, named by its
      caption (支出决算表, “三公”经费支出决算表);
    - another row under a column of amounts is the row's quantity (年末结转和结余 | 决算数);
      under a column naming a quantity, only a name the two make together (行政 | 编制数:
      行政编制), not the row's share of the column's quantity (一般公共服务支出 | 基本支出)."""
    column = ctx.column.split(" ")[-1]
    column_reading = read_phrase(column)  # read_phrase drops a year (2023年决算数)
    column_name = column_reading.name if column_reading.name and column_reading.name.keys \
        else None
    row = compact(ctx.row_label)
    if not row or row in taxonomy().total_words:
        if column_name is not None:
            return column_reading
        caption = _table_title(ctx.caption)
        if not caption or any(p.search(caption) for p in taxonomy().two_quantity_captions):
            return None  # 收入支出决算总表: a total row there is one of two quantities
        return read_phrase(caption + column)
    for phrase in (ctx.row_label + ctx.column, ctx.row_label + column):
        reading = read_phrase(phrase)
        if reading.name is not None:
            if column_name is not None and reading.name.text == column_name.text:
                return None  # the row's share of the column's quantity
            return reading
    return None


def _table_title(caption: str) -> str:
    """A table's own title from the lines above it (extract.table_caption joins them with
    spaces): the last line that is not a unit line, without its number and 表 (表3 支出决算表
    单位：万元 -> 支出决算)."""
    lines = [compact(line) for line in caption.split(" ")]
    lines = [line for line in lines if line and not re.match(r"(?:金额)?单位", line)]
    title = re.sub(r"^(?:附?表\d+[-－—.．]?\d*|附件\d+)", "", lines[-1]) if lines else ""
    return re.sub(r"(?:总|明细|情况)?表$", "", title)


def _figure_key(fig: Figure, ctx: Context, reading: Reading, head: Optional[Name],
                scope: Optional[str], figures: list[Figure], contexts: list[Context],
                report_year: Optional[int] = None, genre: Optional[str] = None) -> Optional[str]:
    tax = taxonomy()
    if scope == "previous":
        return None
    if report_year and ctx.years and any(y != report_year for y in ctx.years):
        return None  # 2020年项目支出决算数 in the 2021 report is last year's
    whole = contexts[ctx.parent] if ctx.parent is not None else None
    if report_year and whole is not None and any(y != report_year for y in whole.years):
        return None  # 2020年项目实际支出30万元。其中…: a part of last year's whole
    own = compact(ctx.own)
    if _disqualified(Reading(head, reading.prefix, scope)):
        return None
    if _names_change(own):
        return None  # a change (增收12423万元, 调增) is not the quantity itself
    key = None
    if head is not None and head.keys:
        key = head.keys[0] if head.standalone and _kind_ok(fig, head.keys[0]) else \
            _choose(head.keys, scope, fig, genre)
    if key is None and fig.kind == "rate" and ctx.subject is not None:
        if any(p.search(own) for p in tax.execution_ratio):
            subject = figures[ctx.subject]
            subject_key = subject.metric or ""
            subject_head = read_phrase(contexts[ctx.subject].own).name
            keys = (subject_key,) if subject_key else subject_head.keys if subject_head else ()
            if any("expenditure" in k for k in keys):
                key = "execution.rate"  # not a 三公 or other part's spending (sangong.total)
    if key is None and head is None:
        after = compact(ctx.after)
        for word, candidate in tax.after:
            if after.startswith(word) and _kind_ok(fig, candidate):
                key = candidate
                break
    if key is None or (key == "execution.rate" and _part_rate(own, genre)):
        return None
    actual = not key.startswith("budget.")
    if actual and _partial_year(ctx.sentence):
        return None
    return key


@lru_cache(maxsize=4096)
def _part_rate(own: str, genre: Optional[str]) -> bool:
    """The rate is of a part of the unit's spending (基本支出执行率, 项目支出执行率 in a
    department report): its phrase names a part of the spending whole (``wholes`` in
    patterns/metrics.yaml), unless that part is the unit itself (a project report's 项目支出)."""
    tax = taxonomy()
    head = GenreRules.of(genre).head
    own_names = set(head.keys) if head is not None else set()
    return any(part not in own_names and any(str(name) in own for name in
                                             tax.metrics.get(part, {}).get("names") or ())
               for part in tax.wholes.get("final.expenditure") or ())


def _drop_side_by_side(figures: list[Figure], contexts: list[Context]) -> None:
    """Two values of a ``side_by_side`` key in one sentence (群众满意度95%，企业满意度92%)
    are the measures of two groups: with no overall one beside them, neither is the key."""
    groups: dict[tuple, list[int]] = {}
    for i, fig in enumerate(figures):
        if fig.metric in taxonomy().side_by_side:
            groups.setdefault((fig.metric, fig.location.block, contexts[i].sentence), []).append(i)
    for members in groups.values():
        if len({figures[i].normalized.value for i in members}) > 1:
            for i in members:
                figures[i].metric = None


@lru_cache(maxsize=4096)
def _names_subtotal(own: str) -> bool:
    """The phrase holds a subtotal word (本年收入合计); cached per phrase."""
    text = compact(own)
    return any(w in text for w in taxonomy().subtotal_words)


def _drop_subtotals(figures: list[Figure], contexts: list[Context]) -> None:
    """本年收入合计 (this year's money without carry-over) is the key's value only where no
    grand total (收入总计, carry-over included) of another value holds the key."""
    by_key: dict[str, list[int]] = {}
    for i, fig in enumerate(figures):
        if fig.metric:
            by_key.setdefault(fig.metric, []).append(i)
    for holders in by_key.values():
        sub = [i for i in holders if _names_subtotal(contexts[i].own)]
        subs = set(sub)
        totals = {figures[i].normalized.value for i in holders if i not in subs}
        if sub and totals and any(figures[i].normalized.value not in totals for i in sub):
            for i in sub:
                if figures[i].normalized.value not in totals:
                    figures[i].metric = None


def _promote_alone(figures: list[Figure], contexts: list[Context]) -> None:
    """An establishment stated alone (事业编制25名, no total) is the whole establishment; a
    part under a whole of another quantity (``alone_under``: 运行维护费 under the 三公 total)
    may stand alone too."""
    tax = taxonomy()
    present = {f.metric for f in figures if f.metric}
    for key, entry in tax.metrics.items():
        target = entry.get("alone")
        if not target or target in present:
            continue
        holders = [i for i, f in enumerate(figures) if f.metric == key]
        siblings = [i for i, f in enumerate(figures)
                    if f.metric and target in (tax.metrics.get(f.metric, {}).get("alone"),
                                               tax.metrics.get(f.metric, {}).get("part_of"))]
        if len(holders) >= 1 and len(siblings) == len(holders) and \
                len({figures[i].normalized.value for i in holders}) == 1 and \
                all(contexts[i].parent is None or
                    figures[contexts[i].parent].metric in (entry.get("alone_under") or [])
                    for i in holders):
            for i in holders:
                figures[i].metric = str(target)


def report_metrics(figures: list[Figure]) -> dict[str, list[dict]]:
    """key -> one entry per distinct value: {value, unit, figure_ids, conflict}."""
    out: dict[str, list[dict]] = {}
    for fig in figures:
        if not fig.metric:
            continue
        entries = out.setdefault(fig.metric, [])
        value = format(fig.normalized.value.normalize(), "f")
        for entry in entries:
            if entry["value"] == value and entry["unit"] == fig.normalized.unit:
                entry["figure_ids"].append(fig.id)
                break
        else:
            entries.append({"value": value, "unit": fig.normalized.unit,
                            "figure_ids": [fig.id], "conflict": False})
    for entries in out.values():
        if len(entries) > 1:
            for entry in entries:
                entry["conflict"] = True
    return out


# ---------------------------------------------------------------------------------------
# the stage build_report calls
# ---------------------------------------------------------------------------------------

OPENING_CHARS = 600  # how much of the opening text says what kind of report this is


def is_aggregate_report(blocks, meta: Meta) -> bool:
    """A government's own final accounts (市级决算草案): no per-unit metric applies.

    Decided from the genre and the title or opening text (patterns/metrics.yaml,
    ``aggregate_reports``).
    """
    tax = taxonomy()
    if meta.genre in tax.aggregate_always:
        return True
    if meta.genre not in tax.aggregate_genres:
        return False
    opening = (meta.title or "") + "\n" + "\n".join(b.text for b in blocks[:10])[:OPENING_CHARS]
    return any(p.search(opening) for p in tax.aggregate)


def is_partial_year_report(blocks, meta: Meta) -> bool:
    """The title (or, with none, the first line) says the report covers part of the year."""
    head = meta.title or next((b.text for b in blocks if b.text.strip()), "")
    return any(p.search(head) for p in taxonomy().partial_title)
