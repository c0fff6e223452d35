"""Report metadata: title, department, region, fiscal year, genre.

- title: the first short line in the opening blocks that reads like a report title;
- fiscal year: from the title ("（2022年度）"), else the opening lines, else the year the text
  names most often — never a publication date (公开时间 / 发布日期 lines, full dates);
- genre: title words, else opening-text words (patterns/genres.yaml);
- department: a labelled field (实施单位 / 资金使用单位 …), else the title's unit name;
- region: the province / city / county prefix the text puts in front of the department.

:func:`normalize_department` gives the form names are matched in across years: no spaces,
one kind of bracket, no "(本级)", short forms written in full (patterns/departments.yaml).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Iterator, Optional

from .models import Block, Meta
from .normalize import fold_width, simplified
from .patterns import department_aliases, load, on_change

TITLE_WORDS = re.compile(r"(报告|自评|决算|预算|绩效|支出|公开|说明|情况|評|報告|決算|預算|績效|公開|說明|情況|自评表)")
FIGURE_IN_LINE = re.compile(r"\d\s*(?:万|亿|元|%|％|人|个|萬)|\d\.\d")
REPORT_INTRO = re.compile(r"现将(?:我[县市区局单位]*)?((?:19|20)?[^，。,]{4,60}?(?:报告|自评|情况))(?:报告)?如下")
NAV_WORDS = re.compile(r"(首页|目录|索引号|发布机构|发布日期|公开时间|浏览次数|字体|关闭窗口|来源[:：]|作者[:：])")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
YEAR_ANY = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年度?")
CITED = re.compile(r"《[^《》]*》|[（(][^（）()]*[)）]")  # cited documents and notes: not this report's year
FISCAL = re.compile(r"[（(]\s*((?:19|20)\d{2})\s*年度\s*[)）]|((?:19|20)\d{2})\s*年度")
SENTENCE_MARKS = re.compile(r"[，；;]")  # a title is no sentence
OPENING_NOISE = re.compile(r"[\s\"'“”‘’「」]")
FULL_DATE = re.compile(r"(?:19|20)\d{2}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}")
GENRE_WORDS = re.compile(r"(关于|部门(?=整体|绩效|决算|预算)|单位(?=决算|预算|绩效)|整体支出|部门整体|项目支出|项目|绩效|决算|预算|财政|自评|部门决算|单位决算|"
                         r"[“\"]三公|专项|中央|资金|收支|衔接|[（(]\d{4})")


@lru_cache(maxsize=1)
def settings() -> dict:
    data = dict(load("genres"))
    suffixes = sorted(data.get("region_suffixes", []), key=len, reverse=True)
    data["_region_token"] = re.compile(
        r"[\u4e00-\u9fff]{1,8}?(?:" + "|".join(map(re.escape, suffixes)) + ")")
    dept_suffixes = sorted(data.get("department_suffixes", []), key=len, reverse=True)
    data["_dept_end"] = re.compile(
        r"^(.*(?:" + "|".join(map(re.escape, dept_suffixes)) + "))")
    return data


on_change(settings.cache_clear)
on_change(lambda: (_region_prefix.cache_clear(), _trim_region_start.cache_clear()))


def read_meta(blocks: list[Block]) -> Meta:
    """Best-effort metadata; fields stay None when the text does not say."""
    head = [b for b in blocks[:40] if b.text.strip()]
    texts = [b for b in head if b.kind != "table"]
    title = _title(texts) or _intro_title(blocks[:30])
    opening = "\n".join(b.text for b in blocks[:60])[: int(settings().get("body_chars", 1500))]
    genre = _genre(title or "", opening)
    year = _year(title, head, blocks)
    department = _field_department(blocks[:80]) or _department(title) or _body_department(opening)
    region = _region(department, "\n".join(b.text for b in blocks[:80]), title) if department else None
    return Meta(title=title, department=department, region=region, year=year, genre=genre)


def _title(blocks: list[Block]) -> Optional[str]:
    best, best_score = None, 0
    for position, block in enumerate(blocks[:25]):
        text = block.text.strip()
        if len(text) > 80 or len(text) < 4 or NAV_WORDS.search(text) or FIGURE_IN_LINE.search(text):
            continue
        if re.match(r"^(第[一二三四五六七八九十]+部分|\d{1,2}\s*[、.．]|[（(]\d|[一二三四五六七八九十]+、)", text):
            continue
        if not TITLE_WORDS.search(text) or text.endswith(("。", "：", ":")) or SENTENCE_MARKS.search(text):
            continue
        score = 1
        if re.search(r"(报告|自评表|决算|情况|说明|方案)\s*[)）]?\s*$", text):
            score += 2
        if YEAR.search(text):
            score += 1
        if re.match(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])", text):
            score -= 2
        if score < 2:
            continue  # neither a title's ending nor a year: a line of the body
        score -= position * 0.05
        if score > best_score:
            best, best_score = text, score
    return best


def _intro_title(blocks: list[Block]) -> Optional[str]:
    """现将2022年西平县交通运输局…自评总结报告如下: the report names itself."""
    for block in blocks:
        match = REPORT_INTRO.search(block.text)
        if match:
            return match.group(1)
    return None


def _year(title: Optional[str], head: list[Block], blocks: list[Block]) -> Optional[int]:
    """The report's fiscal year: the title's, a fiscal-year phrase near the top, a year in the
    opening lines, else the year the text names most (full-width digits read as digits)."""
    publication = settings().get("publication_words", [])
    if title:
        title = fold_width(title)
        match = FISCAL.search(title) or YEAR.search(title)
        if match:
            return int(next(g for g in match.groups() if g))
    for block in head[:12]:
        text = fold_width(block.text)
        if any(text.strip().startswith(w) for w in publication):
            continue
        match = FISCAL.search(text)
        if match:
            return int(next(g for g in match.groups() if g))
    for block in head[:8]:
        text = fold_width(block.text)
        if any(text.strip().startswith(w) for w in publication) or NAV_WORDS.search(text):
            continue
        match = YEAR.search(CITED.sub("", FULL_DATE.sub("", text)))
        if match:
            return int(match.group(1))
    counts: Counter = Counter()
    for block in blocks[:200]:
        text = fold_width(block.text)
        if any(text.strip().startswith(w) for w in publication):
            continue
        for match in YEAR_ANY.finditer(text):
            counts[int(match.group(1))] += 1
    return counts.most_common(1)[0][0] if counts else None


def _genre(title: str, opening: str) -> str:
    """The title's longest genre word decides (部门整体支出绩效自评表 is not a project's
    绩效自评表); else the first genre (in file order) whose word the opening text holds,
    matched without spaces, quotes and cited document titles (《…》)."""
    data = settings()
    title, opening = simplified(title), simplified(opening)  # 部門整體支出績效自評報告
    hits = [(len(word), -order, genre)
            for order, (genre, words) in enumerate((data.get("title") or {}).items())
            for word in words if word in title]
    if hits:
        return max(hits)[2]
    text = OPENING_NOISE.sub("", re.sub(r"《[^《》]*》", "", opening))
    for genre, words in (data.get("body") or {}).items():
        if any(word in text for word in words):
            return genre
    return "other"


def _clean_name(name: str) -> str:
    name = unicodedata.normalize("NFKC", name or "")
    name = re.sub(r"\s+", "", name)
    return name.strip("|:：,，。 ")


def _field_department(blocks: list[Block]) -> Optional[str]:
    fields = settings().get("department_fields", [])
    text = "\n".join(b.text for b in blocks)
    for field in fields:
        if field not in text:
            continue  # the pattern needs the field's name: spare scanning the text for it
        match = re.search(rf"(?:^|[\n|])\s*[-·•]?\s*{re.escape(field)}\s*[:：|\n]\s*\|?\s*([^\n|]{{2,40}})",
                          text)
        if match:
            name = _clean_name(match.group(1))
            end = settings()["_dept_end"].match(name)
            if end and len(end.group(1)) >= 3:
                return end.group(1)
    return None


def _department(title: Optional[str]) -> Optional[str]:
    if not title:
        return None
    text = _clean_name(title)
    text = re.sub(r"^关于", "", text)
    text = re.sub(r"^(?:(?:19|20)\d{2}年度?)", "", text)
    cut = GENRE_WORDS.search(text)
    before = text[:cut.start()] if cut else text
    before = re.split(r"(?:19|20)\d{2}年", before)[0]
    end = settings()["_dept_end"].match(before)
    name = end.group(1) if end else ""
    if not name or _only_region(name):
        return None
    return name


def _body_department(opening: str) -> Optional[str]:
    """A line that is only a unit's name (汕尾市财政局), or the subject of the opening text."""
    for line in opening.splitlines()[:15]:
        line = _clean_name(line)
        if 3 <= len(line) <= 20 and re.fullmatch(r"[\u4e00-\u9fff]+", line):
            end = settings()["_dept_end"].match(line)
            if end and end.group(1) == line and not _only_region(line) and _region_prefix(line):
                return line
    match = re.search(r"([\u4e00-\u9fff]{2,20}?(?:局|委员会|中心|人民政府|办公室))(?:主要|是|为|属于|设|内设|下设)",
                      opening)
    if match and not _only_region(match.group(1)):
        return match.group(1)
    return None


@lru_cache(maxsize=4096)
def _region_prefix(name: str) -> str:
    """The region tokens a name opens with: 南昌市西湖区应急管理局 -> 南昌市西湖区 (cached:
    a report names its unit again and again)."""
    data = settings()
    not_regions = data.get("not_regions", [])
    pos = 0
    while pos < len(name):
        match = data["_region_token"].match(name, pos)
        if not match:
            break
        token = match.group(0)
        if any(token.endswith(w) or w in token for w in not_regions):
            break
        if match.end() >= len(name):
            break
        pos = match.end()
    return name[:pos]


def unit_without_region(name: str) -> str:
    """A unit's name without the region it opens with: 南昌市西湖区应急管理局 -> 应急管理局."""
    return name[len(_region_prefix(name)):]


LONG_NAME_SUFFIXES = ("自治区", "自治州", "自治县", "自治旗", "特别行政区", "地区")


@lru_cache(maxsize=4096)
def _trim_region_start(text: str) -> str:
    """Drop words a text search caught in front of a region: 核定南昌市西湖区 -> 南昌市西湖区."""
    match = settings()["_region_token"].match(text)
    if not match:
        return text
    token = match.group(0)
    if token.endswith(LONG_NAME_SUFFIXES):
        return text
    suffix = next(s for s in sorted(settings().get("region_suffixes", []), key=len, reverse=True)
                  if token.endswith(s))
    name_chars = len(token) - len(suffix)
    if name_chars > 3:
        return text[name_chars - 2:]
    return text


def _only_region(name: str) -> bool:
    data = settings()
    rest = name
    while rest:
        match = data["_region_token"].match(rest)
        if not match:
            return False
        rest = rest[match.end():]
    return True


REGION_NAME_CHARS = 8  # characters of one region name before its suffix (南昌 + 市)
REGION_TOKENS = 4  # region names in a row before a unit's name (江西省南昌市西湖区)


def _region(department: str, text: str, title: Optional[str]) -> Optional[str]:
    core = department[len(_region_prefix(department)):]
    best = _region_prefix(department)
    if core:
        suffixes = sorted(settings().get("region_suffixes", []), key=len, reverse=True)
        pattern = re.compile(r"((?:[\u4e00-\u9fff]{1," + str(REGION_NAME_CHARS) + r"}?(?:"
                             + "|".join(map(re.escape, suffixes)) + r")){1," + str(REGION_TOKENS)
                             + r"})" + re.escape(core))
        reach = REGION_TOKENS * (REGION_NAME_CHARS + max(map(len, suffixes), default=0))
        for match in _matches_before(pattern, re.sub(r"\s+", "", text), core, reach):
            prefix = _region_prefix(_trim_region_start(match.group(0)))
            if len(prefix) > len(best):
                best = prefix
    return best or None


def _matches_before(pattern: re.Pattern, text: str, core: str, reach: int) -> Iterator[re.Match]:
    """``pattern.finditer(text)`` for a pattern whose matches end with ``core`` and start at
    most ``reach`` characters before it: only the starts that near an occurrence of ``core``
    are tried (the pattern's lazy repeats make trying every start of a long text slow)."""
    pos = 0
    while True:
        at = text.find(core, pos)
        if at < 0:
            return
        for start in range(max(pos, at - reach), at + 1):
            match = pattern.match(text, start)
            if match:
                yield match
                pos = match.end()
                break
        else:
            pos = at + 1


_NAME_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")",
                                "﹝": "(", "﹞": ")", "〈": "(", "〉": ")", "{": "(", "}": ")"})
_NAME_NOISE = re.compile(r"[\s\u200b\u3000·•・\"'“”‘’「」『』《》]")
_LEVEL_SUFFIX = re.compile(r"\((?:本级|机关本级|部门本级|汇总)\)$|(?<=[局委办院所站队厅部署会馆处科府心])本级$")
GOVERNMENT = "人民政府"


def clean_department_name(name: str) -> str:
    """Formatting only: width (NFKC), one kind of bracket, no spaces, quotes or dots, and no
    "(本级)" / "(汇总)" suffix. 南昌市西湖区 应急管理局（本级） -> 南昌市西湖区应急管理局."""
    text = unicodedata.normalize("NFKC", name or "").translate(_NAME_BRACKETS)
    text = _NAME_NOISE.sub("", text)
    return _LEVEL_SUFFIX.sub("", text)


def full_unit_name(unit: str) -> str:
    """A unit's own name (no region) in full: a short form in patterns/departments.yaml is
    replaced by its full name (应急局 -> 应急管理局), and 人民政府 in front of a department is
    dropped (人民政府应急管理局 -> 应急管理局) — but not in front of 办公室 (人民政府办公室 is the
    government's own office). Only whole names are replaced."""
    aliases = department_aliases()
    unit = aliases.get(unit, unit)
    if unit.startswith(GOVERNMENT):
        rest = aliases.get(unit[len(GOVERNMENT):], unit[len(GOVERNMENT):])
        if len(rest) >= 2 and not rest.startswith("办"):
            return rest
    return unit


def normalize_department(name: str, keep_region: bool = True) -> str:
    """The form a department's name is matched in across years and reports.

    Formatting is normalised (:func:`clean_department_name`) and the unit's own name is
    written in full (:func:`full_unit_name`: 应急局 -> 应急管理局). The region prefix is kept by
    default — 南昌市西湖区应急管理局 and 杭州市西湖区应急管理局 are different units, and ``perfx
    compare`` matches a shorter prefix (西湖区应急管理局) only when it is unambiguous;
    ``keep_region=False`` gives the unit's own name without it.

    >>> normalize_department(" 南昌市西湖区 应急管理局（本级）")
    '南昌市西湖区应急管理局'
    >>> normalize_department("西湖区应急局")
    '西湖区应急管理局'
    >>> normalize_department("南昌市西湖区应急管理局", keep_region=False)
    '应急管理局'
    """
    text = clean_department_name(name)
    prefix = _region_prefix(text)
    rest = text[len(prefix):]
    if not rest or _only_region(rest):
        return text
    rest = full_unit_name(rest)
    if keep_region or len(rest) < 2:
        return prefix + rest
    return rest
