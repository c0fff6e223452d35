#!/usr/bin/env python3
"""Generate perfx's synthetic sample corpus: self-evaluation reports with ground truth.

usage: python scripts/generate_corpus.py [--out DIR] [--count N] [--seed S]
                                         [--formats txt,docx,pdf,html,xlsx]

Every report exists as txt, docx, pdf and html with the same content, its self-evaluation
table also as an xlsx attachment ``attachments/<id>.xlsx``, plus a ground-truth file
``truth/<id>.json`` listing every figure of the txt in reading order, the canonical metrics,
the arithmetic relations between figures, the planted non-figures and every cell of the
self-evaluation table. It writes nothing else, so the output folder holds only reports, their
attachments and their truth (docs/corpus.md describes the layout and the truth format).

Three stages, kept apart so later work (error injection, multi-year checks) can hook in:

1. data     ``department_series()`` -> one dict ``metric -> Decimal`` per fiscal year, money
            in 元, rates as fractions; each year follows from the year before (carryover, growth).
2. content  ``build_overall_report()`` / ``build_project_report()`` turn data into a list of
            blocks (Heading, Para, Table) whose segments are plain text, ``Fig`` (a figure
            with its truth) or ``Neg`` (a planted non-figure), plus relations between Figs.
3. render   ``render_txt/html/docx/pdf`` write the blocks, ``render_xlsx`` the self-evaluation
            table; ``truth_json`` writes the truth.

The output is a pure function of (seed, report plan): same bytes every run (reportlab runs
with ``invariant=1``; docx and xlsx properties and zip timestamps are fixed).
The text is written for this project; no sentence is taken from a published report.
"""
from __future__ import annotations

import argparse
import html
import io
import json
import random
import sys
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Callable, Iterator, Optional, Union

D = Decimal
Q2 = D("0.01")
Q1 = D("0.1")
Q4 = D("0.0001")
WAN = D(10000)

DEFAULT_SEED = 2024
DEFAULT_COUNT = 11
ALL_FORMATS = ("txt", "docx", "pdf", "html", "xlsx")
ATTACHMENTS = "attachments"  # the xlsx attachments' folder
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "corpus"
GENRE_OVERALL = "dept_overall_self_eval"
GENRE_PROJECT = "project_self_eval"

CANONICAL_METRICS = (
    [f"budget.{stage}.{part}" for stage in ("initial", "adjusted")
     for part in ("revenue", "expenditure", "basic", "project")]
    + [f"final.{part}" for part in ("revenue", "expenditure", "basic", "project")]
    + ["carryover.begin", "carryover.end", "execution.rate", "funds.received",
       "funds.received_rate", "staff.authorized", "staff.authorized.administrative",
       "staff.authorized.institution", "staff.actual", "staff.in_service", "staff.retired",
       "staff.contract", "assets.fixed.count", "assets.fixed.original_value",
       "assets.fixed.accumulated_depreciation", "assets.fixed.net_value", "sangong.total",
       "sangong.travel_abroad", "sangong.vehicle", "sangong.reception", "operating_expenses",
       "satisfaction.rate", "self_eval.score"])


# ---------------------------------------------------------------------------------------
# numbers and figures
# ---------------------------------------------------------------------------------------

def dstr(value: Decimal) -> str:
    """Plain decimal notation without exponent, trailing zeros dropped: 811200, 0.988."""
    value = value.normalize()
    text = format(value, "f")
    return "0" if text in ("-0", "") else text


def fixed(value: Decimal, dp: int) -> str:
    """``value`` with exactly ``dp`` decimals (half-up)."""
    return format(value.quantize(D(1).scaleb(-dp), ROUND_HALF_UP), "f")


def with_commas(number: str) -> str:
    whole, _, frac = number.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return ",".join(groups) + ("." + frac if frac else "")


FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
CN_DIGITS = "零一二三四五六七八九"


def cn_small(n: int) -> str:
    """Chinese numeral for 0 < n < 100: 3 -> 三, 95 -> 九十五, 10 -> 十."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def cn_thousands(k: int) -> str:
    """两千, 三千 … for k thousands (2 <= k <= 9)."""
    return ("两" if k == 2 else CN_DIGITS[k]) + "千"


# unit as written -> (kind, normalized unit, factor)
UNITS: dict[str, tuple[str, str, Decimal]] = {
    "元": ("money", "元", D(1)), "千元": ("money", "元", D(1000)),
    "万元": ("money", "元", WAN), "亿元": ("money", "元", D(100000000)),
    "%": ("rate", "", D("0.01")), "个百分点": ("rate", "", D("0.01")),
    "百分之": ("rate", "", D("0.01")),
    "分": ("score", "分", D(1)),
    "公里": ("length", "公里", D(1)), "米": ("length", "米", D(1)),
    "平方米": ("area", "平方米", D(1)), "亩": ("area", "亩", D(1)),
    "吨": ("weight", "吨", D(1)), "立方米": ("volume", "立方米", D(1)),
    "天": ("duration", "天", D(1)), "个工作日": ("duration", "天", D(1)),
    "分钟": ("duration", "分钟", D(1)), "小时": ("duration", "小时", D(1)),
}
PRE_QUALIFIERS = ("约", "近", "超过", "不足", "达", "不低于")
MID_QUALIFIERS = ("余", "多")
POST_QUALIFIERS = ("以上", "左右")


def classify(unit: str) -> tuple[str, str, Decimal]:
    if unit in UNITS:
        return UNITS[unit]
    if len(unit) > 1 and unit[0] in "万亿":
        return "count", unit[1:], D(10000) if unit[0] == "万" else D(100000000)
    return "count", unit, D(1)


@dataclass(eq=False)
class Fig:
    """One figure as written, with everything the truth file says about it."""
    text: str
    value: str
    unit: str
    kind: str
    norm_value: Decimal
    norm_unit: str
    label: str
    metric: Optional[str] = None
    qualifier: Optional[str] = None
    range: Optional[tuple[str, str]] = None
    direction: Optional[str] = None
    extra: dict = field(default_factory=dict)

    @property
    def approx(self) -> bool:
        return self.qualifier is not None

    def __str__(self) -> str:
        return self.text

    def to_json(self) -> dict:
        out = {
            "text": self.text, "value": self.value, "unit": self.unit, "kind": self.kind,
            "normalized": {"value": dstr(self.norm_value), "unit": self.norm_unit},
            "base": dstr(self.norm_value),
            "approx": self.approx, "qualifier": self.qualifier,
            "range": ({"low": self.range[0], "high": self.range[1]} if self.range else None),
            "direction": self.direction, "label": self.label, "metric": self.metric,
        }
        out.update(self.extra)
        return out


def fig(number: Decimal, unit: str, label: str, *, dp: Optional[int] = None,
        metric: Optional[str] = None, q: Optional[str] = None, direction: Optional[str] = None,
        style: Optional[str] = None, high: Optional[Decimal] = None, sep: str = "-",
        written: Optional[str] = None, show_unit: bool = True, **extra) -> Fig:
    """Build a figure: ``number`` is the value as written in ``unit``.

    style: None | "comma" (1,234.56) | "fullwidth" (１２０) | "space" (2595.6208 万元).
    written: the numeral as written when it is not digits (两千, 百分之九十五).
    q: a qualifier; 余/多 go between number and unit (3.2万余条), 以上/左右 after the unit,
    the rest before the number.
    """
    value = fixed(number, dp) if dp is not None else format(number, "f")
    if written is not None:
        num_text = written
    elif style == "comma":
        num_text = with_commas(value)
    elif style == "fullwidth":
        num_text = value.translate(FULLWIDTH)
    else:
        num_text = value
    rng = None
    if high is not None:
        high_text = fixed(high, dp) if dp is not None else format(high, "f")
        num_text += sep + high_text
        rng = (value, high_text)
    unit_text = unit if show_unit else ""
    if q in MID_QUALIFIERS and unit_text:
        if len(unit_text) > 1 and unit_text[0] in "万亿":
            unit_text = unit_text[0] + q + unit_text[1:]
        else:
            unit_text = q + unit_text
    elif q in MID_QUALIFIERS:
        unit_text = q
    text = (q if q in PRE_QUALIFIERS else "") + num_text + (" " if style == "space" else "") \
        + unit_text + (q if q in POST_QUALIFIERS else "")
    kind, norm_unit, factor = classify(unit)
    return Fig(text=text, value=value, unit=unit, kind=kind, norm_value=D(value) * factor,
               norm_unit=norm_unit, label=label, metric=metric, qualifier=q, range=rng,
               direction=direction, extra=extra)


def money(yuan: Decimal, label: str, *, unit: str = "万元", dp: int = 2, **kw) -> Fig:
    """A money figure from a value in 元, written in 万元 (or 元/千元/亿元)."""
    factor = classify(unit)[2]
    number = yuan / factor
    assert number == number.quantize(D(1).scaleb(-dp)), (yuan, unit, dp)
    return fig(number, unit, label, dp=dp, **kw)


def pct(fraction: Decimal, label: str, *, dp: int = 2, **kw) -> Fig:
    """A rate figure from a fraction: 0.9876 -> 98.76%."""
    return fig(fraction * 100, "%", label, dp=dp, **kw)


def count(n: Union[int, Decimal], unit: str, label: str, **kw) -> Fig:
    return fig(D(n), unit, label, **kw)


class Neg(str):
    """A planted non-figure (date, 文号, phone, ordinal …) that must not be extracted."""


Segment = Union[str, Fig, Neg]


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Para:
    segments: list
    style: str = "body"  # body | title | subtitle | sign

    @property
    def text(self) -> str:
        return "".join(str(s) for s in self.segments)


@dataclass
class Table:
    caption: str
    rows: list  # list of rows; each cell a list of segments
    header_rows: tuple = (0,)


Block = Union[Heading, Para, Table]


def cell_text(cell: list) -> str:
    return "".join(str(s) for s in cell)


# The self-evaluation table's columns, named as perfx names them (patterns/selfeval.yaml).
FUNDS_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
INDICATOR_NAME_COLUMNS = ("一级指标", "二级指标", "三级指标")
INDICATOR_COLUMNS = ("年度指标值", "实际完成值", "分值", "得分")
EMPTY_CELL = "/"


@dataclass
class FundsRow:
    """A funds row: its name, the prefix it is written with (其中：) and its figures by
    column; a column without a figure is written "/"."""
    name: str
    cells: dict
    prefix: str = ""


@dataclass
class IndicatorRow:
    """An indicator row: 一级/二级/三级指标 names and its figures by column."""
    names: tuple
    cells: dict


@dataclass
class SelfEvalTable:
    """The self-evaluation table (部门整体支出绩效自评表 / 项目支出绩效自评表) as data: the
    report's Table block, its xlsx attachment and its truth are all written from this."""
    kind: str  # dept_overall | project
    caption: str
    funds_header: str  # the funds part's row-name header: 年度资金总额 | 项目资金
    funds: list
    indicators: list
    total_weight: Fig
    total_score: Fig

    def block(self) -> Table:
        rows = [[[self.funds_header]] + [[c] for c in FUNDS_COLUMNS]]
        rows += [[[row.prefix + row.name]] + [[row.cells.get(c, EMPTY_CELL)] for c in FUNDS_COLUMNS]
                 for row in self.funds]
        rows.append([[c] for c in INDICATOR_NAME_COLUMNS + INDICATOR_COLUMNS])
        rows += [[[name] for name in row.names] + [[row.cells[c]] for c in INDICATOR_COLUMNS]
                 for row in self.indicators]
        rows.append([["总分"]] + [[EMPTY_CELL]] * 4 + [[self.total_weight], [self.total_score]])
        return Table(self.caption, rows, (0, len(self.funds) + 1))

    def truth(self) -> dict:
        """Every cell as {text, value}: the text as written, the value as a decimal string
        (null for "/"); the 总分 row's 得分 is ``total_score``."""
        def cell(figure: Optional[Fig]) -> dict:
            if figure is None:
                return {"text": EMPTY_CELL, "value": None}
            return {"text": figure.text, "value": figure.value}
        funds = [{"row": row.name, "values": {c: cell(row.cells.get(c)) for c in FUNDS_COLUMNS}}
                 for row in self.funds]
        indicators = [{"row": row.names[-1], **dict(zip(INDICATOR_NAME_COLUMNS, row.names)),
                       "values": {c: cell(row.cells[c]) for c in INDICATOR_COLUMNS}}
                      for row in self.indicators]
        return {"kind": self.kind, "title": self.caption, "funds": funds,
                "indicators": indicators, "goals": [], "total_score": cell(self.total_score)}


@dataclass
class Report:
    id: str
    title: str
    department: str
    region: str
    year: int
    genre: str
    blocks: list
    relations: list
    data: dict
    previous: Optional[dict] = None
    self_eval: Optional[SelfEvalTable] = None

    def segments(self) -> Iterator[Segment]:
        for block in self.blocks:
            if isinstance(block, Para):
                yield from block.segments
            elif isinstance(block, Table):
                for row in block.rows:
                    for cell in row:
                        yield from cell

    def figures(self) -> list[Fig]:
        return [s for s in self.segments() if isinstance(s, Fig)]

    def negatives(self) -> list[str]:
        return [str(s) for s in self.segments() if isinstance(s, Neg)]


# ---------------------------------------------------------------------------------------
# relations
# ---------------------------------------------------------------------------------------

def rel_sum(total: Fig, parts: list[Fig], note: str) -> dict:
    return {"kind": "sum", "total": total, "parts": parts, "note": note}


def rel_difference(result: Fig, minuend: Fig, subtrahend: Union[Fig, Decimal], note: str,
                   previous_report: Optional[str] = None) -> dict:
    """result = minuend - subtrahend; a result with direction "down" counts as negative."""
    rel = {"kind": "difference", "result": result, "minuend": minuend,
           "subtrahend": subtrahend, "note": note}
    if not isinstance(subtrahend, Fig):
        rel["previous_report"] = previous_report
    return rel


def rel_ratio(rate: Fig, numerator: Fig, denominator: Fig, note: str) -> dict:
    return {"kind": "ratio", "rate": rate, "numerator": numerator,
            "denominator": denominator, "note": note}


def rel_growth(rate: Fig, current: Fig, previous: Union[Fig, Decimal], note: str,
               previous_report: Optional[str] = None) -> dict:
    rel = {"kind": "growth", "rate": rate, "current": current, "previous": previous,
           "note": note}
    if not isinstance(previous, Fig):
        rel["previous_report"] = previous_report
    return rel


def _dp(value: str) -> int:
    return len(value.partition(".")[2])


def relation_holds(rel: dict) -> bool:
    """Exact decimal check of a relation at the precision its result was written with."""
    def nv(f):
        return f.norm_value if isinstance(f, Fig) else D(f)
    kind = rel["kind"]
    if kind == "sum":
        return nv(rel["total"]) == sum((nv(p) for p in rel["parts"]), D(0))
    if kind == "difference":
        result = rel["result"]
        signed = -nv(result) if getattr(result, "direction", None) == "down" else nv(result)
        return signed == nv(rel["minuend"]) - nv(rel["subtrahend"])
    rate: Fig = rel["rate"]
    quantum = D(1).scaleb(-_dp(rate.value))
    if kind == "ratio":
        computed = nv(rel["numerator"]) / nv(rel["denominator"])
        if rate.kind == "rate":
            computed *= 100
        return computed.quantize(quantum, ROUND_HALF_UP) == D(rate.value)
    if kind == "growth":
        prev = nv(rel["previous"])
        computed = (nv(rel["current"]) - prev) / prev * 100
        sign = -1 if rate.direction == "down" else 1
        return computed.quantize(quantum, ROUND_HALF_UP) == sign * D(rate.value)
    raise ValueError(kind)


def relation_json(rel: dict, index: dict[int, int]) -> dict:
    out: dict = {"kind": rel["kind"]}
    for key, value in rel.items():
        if key in ("kind", "note", "previous_report"):
            continue
        if isinstance(value, Fig):
            out[key] = value.text
            out[f"{key}_idx"] = index[id(value)]
        elif isinstance(value, list):
            out[key] = [v.text for v in value]
            out[f"{key}_idx"] = [index[id(v)] for v in value]
        else:  # a value from another report (the previous year), in normalized units
            out[key] = dstr(value)
            out[f"{key}_idx"] = None
    if "previous_report" in rel:
        out["previous_report"] = rel["previous_report"]
    out["holds"] = relation_holds(rel)
    out["note"] = rel["note"]
    return out


# ---------------------------------------------------------------------------------------
# departments
# ---------------------------------------------------------------------------------------

# Each domain gives the phrases one bureau's report is written with. Activity slots are
# (verb phrase, unit, indicator name for the self-evaluation table).
DOMAINS: dict[str, dict] = {
    "yingji": dict(
        bureau="应急管理局", abbr="应急",
        duties=[
            "负责全区应急管理工作，指导各街道（镇）和有关部门做好安全生产类、自然灾害类突发事件的预防和应急准备，组织编制应急体系建设规划并督促落实。",
            "依法履行安全生产综合监督管理职责，指导协调和监督检查有关部门及各街道（镇）的安全生产工作，组织开展安全生产考核、巡查和督办。",
            "统筹应急救援力量建设，组织协调防汛抗旱、森林防火和地质灾害防治工作，按权限管理、调拨救灾款物并监督使用。",
            "承担防灾减灾救灾委员会日常工作，组织灾情核查和损失评估，推进应急避难场所和物资储备体系建设。",
        ],
        inspect=("开展安全生产执法检查", "次", "执法检查次数"),
        sessions=("举办安全生产专题培训班", "期", "培训班期数"),
        trainees=("培训企业主要负责人和安全管理人员", "人次", "培训人次"),
        publicity=("发放安全生产宣传资料", "份", "宣传资料发放数量"),
        rectify=("督促企业排查整改各类隐患", "条", "隐患整改数量"),
        campaign=("牵头开展危险化学品、燃气、消防等领域专项整治", "次", "专项整治次数"),
        consult=("受理安全生产举报投诉和政策咨询", "件", "受理举报咨询件数"),
        pass_rate="特种作业人员培训考核合格率",
        cn_pct="重大事故隐患按期整改销号的比例",
        cover="重点行业领域执法检查覆盖率",
        handle="举报投诉事项平均办结时间",
        response="突发事件先期处置平均响应时间",
        duty="汛期连续组织值班值守",
        length=("完成老旧燃气管道更新改造", "公里", "燃气管道改造长度"),
        area=("新建区级救灾物资储备库，建筑面积", "储备库建筑面积"),
        mu=("完成林区防火隔离带清理", "防火隔离带清理面积"),
        weight=("储备融雪除冰工业盐", "工业盐储备量"),
        volume=("储备防汛抢险块石", "块石储备量"),
        crowd="组织开展综合应急演练，参演干部群众",
        decline=("全区生产安全事故起数", "事故起数同比下降幅度"),
        team=("每个执法检查组由", "人组成"),
        recheck=("对重点企业每年开展", "次“回头看”检查"),
        yi="带动企业安全生产投入",
        satisfaction="群众对全区安全生产工作的满意度",
        rank="在全市安全生产目标管理考核中位列",
        slogan="打通应急救援“最后一公里”",
        special="安全生产专项整治",
        projects=[
            dict(name="安全生产执法监管专项", slug="zhifa",
                 desc="用于重点行业领域执法检查、第三方专家技术服务和执法装备配备，提升基层执法能力。",
                 outputs=["inspect", "rectify", "trainees"], benefit=["decline", "cover"]),
            dict(name="防汛抗旱应急物资储备", slug="wuzi",
                 desc="用于防汛抗旱物资采购、储备库日常管理和物资轮换，保障汛期抢险需要。",
                 outputs=["weight", "volume", "area"], benefit=["duty", "cover"]),
        ],
    ),
    "nongye": dict(
        bureau="农业农村局", abbr="农",
        duties=[
            "统筹研究和组织实施全区“三农”工作的发展规划和政策措施，推进乡村振兴战略实施，指导农村改革和农业产业化经营。",
            "负责种植业、畜牧业、渔业等农业各产业的监督管理，指导粮食等农产品生产，组织农业结构调整和高标准农田建设。",
            "负责农产品质量安全监督管理，组织开展农产品质量安全监测、追溯和风险评估，指导农业投入品监管。",
            "牵头组织改善农村人居环境，指导乡村公共服务和基础设施建设，负责农业防灾减灾和动植物疫病防控工作。",
        ],
        inspect=("开展农资市场和农产品质量安全检查", "次", "监督检查次数"),
        sessions=("举办高素质农民培训班", "期", "培训班期数"),
        trainees=("培训种养大户和家庭农场经营者", "人次", "培训人次"),
        publicity=("发放惠农政策明白纸", "份", "政策资料发放数量"),
        rectify=("录入农产品质量追溯信息", "条", "追溯信息录入数量"),
        campaign=("联合市场监管等部门开展农资打假专项行动", "次", "专项行动次数"),
        consult=("为农户提供农技咨询服务", "人次", "农技咨询服务人次"),
        pass_rate="农产品质量安全例行监测合格率",
        cn_pct="畜禽粪污综合利用的比例",
        cover="行政村农技服务覆盖率",
        handle="涉农补贴申请平均审核时间",
        response="动物疫情报告后平均到场处置时间",
        duty="夏粮收购期间组织农机跨区作业调度",
        length=("新建和改造机耕道路", "公里", "机耕道路建设长度"),
        area=("新建育秧工厂，建筑面积", "育秧工厂建筑面积"),
        mu=("建成高标准农田", "高标准农田建设面积"),
        weight=("推广测土配方施肥，减少化肥使用", "化肥减量"),
        volume=("新建田间蓄水池，新增蓄水能力", "新增蓄水能力"),
        crowd="组织农民丰收节系列活动，参与群众",
        decline=("农作物病虫害损失率", "病虫害损失率同比下降幅度"),
        team=("每个驻村农技服务小组由", "人组成"),
        recheck=("对规模养殖场每年开展", "次防疫巡查"),
        yi="撬动社会资本投入农业农村",
        satisfaction="服务对象对农业农村工作的满意度",
        rank="在全市乡村振兴实绩考核中位列",
        slogan="解决农技服务“最后一公里”问题",
        special="高标准农田建设",
        projects=[
            dict(name="高标准农田建设", slug="nongtian",
                 desc="用于土地平整、灌溉排水设施和田间道路建设，提升耕地质量和粮食综合生产能力。",
                 outputs=["mu", "length", "volume"], benefit=["decline", "cover"]),
            dict(name="高素质农民培育", slug="peiyu",
                 desc="用于开展农业生产经营技能培训和实训基地建设，培育新型农业经营主体带头人。",
                 outputs=["sessions", "trainees", "publicity"], benefit=["consult", "cover"]),
        ],
    ),
    "chengguan": dict(
        bureau="城市管理局", abbr="城管",
        duties=[
            "贯彻执行城市管理方面的法律法规和政策，拟订全区城市管理发展规划和年度计划，统筹协调城市管理重大事项。",
            "负责市容环境卫生、城市道路照明和户外广告设施的监督管理，组织开展城乡环境综合整治。",
            "负责生活垃圾分类和处理的指导监督，推进垃圾收运处理设施建设，监管垃圾处理设施运行。",
            "负责数字化城市管理平台运行，统筹城市管理综合行政执法工作，查处违法建设和占道经营等行为。",
        ],
        inspect=("开展市容秩序和违法建设巡查", "次", "巡查次数"),
        sessions=("举办城市管理执法业务培训班", "期", "培训班期数"),
        trainees=("培训执法队员和环卫作业人员", "人次", "培训人次"),
        publicity=("发放垃圾分类宣传手册", "份", "宣传手册发放数量"),
        rectify=("处置数字城管平台案件", "件", "案件处置数量"),
        campaign=("组织开展占道经营、乱张贴等专项整治", "次", "专项整治次数"),
        consult=("办理群众投诉和热线工单", "件", "办理工单件数"),
        pass_rate="道路清扫保洁质量检查合格率",
        cn_pct="生活垃圾分类示范小区达标的比例",
        cover="建成区道路机械化清扫覆盖率",
        handle="热线工单平均办结时间",
        response="市容问题发现后平均处置时间",
        duty="春节和汛期期间组织环卫应急保障",
        length=("完成人行道和背街小巷提升改造", "公里", "道路提升改造长度"),
        area=("新增和改造城市绿地，面积", "新增和改造绿地面积"),
        mu=("完成城区闲置地块临时绿化", "临时绿化面积"),
        weight=("全年清运处理生活垃圾", "生活垃圾清运处理量"),
        volume=("收集处理垃圾渗滤液", "渗滤液处理量"),
        crowd="组织“城市管理进社区”主题活动，参与居民",
        decline=("市容环境类投诉数量", "投诉数量同比下降幅度"),
        team=("每个街面执法中队的巡查小组由", "人组成"),
        recheck=("对主次干道每周开展", "次夜间巡查"),
        yi="带动市政设施建设投入",
        satisfaction="市民对城市管理工作的满意度",
        rank="在全市城市管理综合考评中位列",
        slogan="打通城市精细化管理“最后一公里”",
        special="背街小巷整治提升",
        projects=[
            dict(name="生活垃圾分类推进", slug="laji",
                 desc="用于分类收集容器配置、分类宣传和收运体系运行，提高生活垃圾资源化利用水平。",
                 outputs=["weight", "publicity", "trainees"], benefit=["decline", "cover"]),
            dict(name="背街小巷整治提升", slug="xiaoxiang",
                 desc="用于路面修复、管线整理和立面整治，改善老城区居民出行和居住环境。",
                 outputs=["length", "area", "rectify"], benefit=["decline", "cover"]),
        ],
    ),
    "shichang": dict(
        bureau="市场监督管理局", abbr="市监",
        duties=[
            "负责全区市场综合监督管理，组织实施质量强区和食品安全战略，规范和维护市场秩序，营造公平竞争的市场环境。",
            "负责市场主体登记注册和信用监管，推进企业信用信息公示，组织开展经营异常名录和严重违法失信名单管理。",
            "负责食品、药品、特种设备和工业产品质量安全的监督管理，组织开展监督抽检和风险监测。",
            "负责消费者权益保护工作，受理消费投诉举报，查处侵害消费者合法权益和不正当竞争等违法行为。",
        ],
        inspect=("开展食品安全和特种设备监督检查", "次", "监督检查次数"),
        sessions=("举办食品安全管理人员培训班", "期", "培训班期数"),
        trainees=("培训食品经营者和特种设备作业人员", "人次", "培训人次"),
        publicity=("发放消费维权和食品安全宣传资料", "份", "宣传资料发放数量"),
        rectify=("核查市场主体年报信息", "条", "年报信息核查数量"),
        campaign=("组织开展校园周边食品安全等专项整治", "次", "专项整治次数"),
        consult=("受理消费投诉举报", "件", "受理投诉举报件数"),
        pass_rate="食品安全监督抽检合格率",
        cn_pct="消费投诉调解成功的比例",
        cover="特种设备定期检验覆盖率",
        handle="消费投诉平均办结时间",
        response="食品安全事件接报后平均到场时间",
        duty="节假日期间组织市场巡查值守",
        length=("完成农贸市场周边管网和通道改造", "公里", "通道改造长度"),
        area=("完成农贸市场标准化改造，改造面积", "农贸市场改造面积"),
        mu=("建成食用农产品标准化种植基地", "标准化种植基地面积"),
        weight=("依法查扣和销毁不合格食品", "不合格食品查扣销毁量"),
        volume=("抽检和封存不合格成品油", "不合格成品油封存量"),
        crowd="组织“消费者权益日”系列宣传活动，参与群众",
        decline=("食品安全投诉举报数量", "投诉数量同比下降幅度"),
        team=("每个监督抽检小组由", "人组成"),
        recheck=("对学校食堂每学期开展", "次全覆盖检查"),
        yi="新增市场主体注册资本",
        satisfaction="群众对市场监管工作的满意度",
        rank="在全市食品安全工作评议考核中位列",
        slogan="打通企业开办服务“最后一公里”",
        special="食品安全监督抽检",
        projects=[
            dict(name="食品安全监督抽检", slug="choujian",
                 desc="用于委托检验机构开展食品安全监督抽检、风险监测和快检设备运维。",
                 outputs=["inspect", "rectify", "publicity"], benefit=["decline", "cover"]),
            dict(name="农贸市场标准化改造", slug="nongmao",
                 desc="用于农贸市场摊位改造、排水通风设施更新和快检室建设，提升市场管理水平。",
                 outputs=["area", "length", "weight"], benefit=["decline", "cover"]),
        ],
    ),
    "shuili": dict(
        bureau="水利局", abbr="水",
        duties=[
            "负责保障水资源的合理开发利用，拟订全区水利发展规划和政策，组织编制水资源保护和防洪规划。",
            "负责生活、生产经营和生态环境用水的统筹和保障，实施水资源统一监督管理，组织开展水资源调查评价。",
            "指导水利设施、水域及其岸线的管理与保护，组织实施河湖管理和河长制日常工作，指导农村水利工作。",
            "负责水旱灾害防御的组织协调和指导工作，组织编制洪水干旱防治规划和防护标准并指导实施。",
        ],
        inspect=("开展河湖和水利工程安全巡查", "次", "巡查次数"),
        sessions=("举办基层水利管理人员培训班", "期", "培训班期数"),
        trainees=("培训村级河长和水利工程管护人员", "人次", "培训人次"),
        publicity=("发放节约用水宣传资料", "份", "宣传资料发放数量"),
        rectify=("巡查记录并处置河湖问题", "条", "河湖问题处置数量"),
        campaign=("组织开展河道采砂、非法占用水域等专项整治", "次", "专项整治次数"),
        consult=("办理取水许可和水行政审批事项", "件", "办理审批事项件数"),
        pass_rate="农村集中供水工程水质检测合格率",
        cn_pct="小型水库雨水情测报设施完好的比例",
        cover="农村集中供水工程管护覆盖率",
        handle="水行政审批事项平均办理时间",
        response="水利工程险情报告后平均到场处置时间",
        duty="主汛期组织防汛值班",
        length=("完成中小河流综合治理", "公里", "河道治理长度"),
        area=("建成水土保持示范区，治理面积", "水土保持治理面积"),
        mu=("新增和恢复有效灌溉面积", "新增和恢复灌溉面积"),
        weight=("完成河道清淤，清理垃圾杂物", "河道垃圾杂物清理量"),
        volume=("完成山塘水库清淤", "山塘水库清淤量"),
        crowd="组织“世界水日”“中国水周”宣传活动，参与群众",
        decline=("全区用水总量", "用水总量同比下降幅度"),
        team=("每个河湖巡查小组由", "人组成"),
        recheck=("对病险水库每年开展", "次安全鉴定复查"),
        yi="带动水利建设投资",
        satisfaction="群众对水利工作的满意度",
        rank="在全市河长制工作考核中位列",
        slogan="打通农村供水“最后一公里”",
        special="中小河流综合治理",
        projects=[
            dict(name="中小河流综合治理", slug="hedao",
                 desc="用于河道清淤疏浚、堤岸加固和生态护坡建设，提高河道防洪排涝能力。",
                 outputs=["length", "volume", "weight"], benefit=["decline", "cover"]),
            dict(name="农村饮水安全巩固提升", slug="yinshui",
                 desc="用于农村供水管网延伸、水厂改造和水质检测，保障农村群众饮水安全。",
                 outputs=["length", "rectify", "inspect"], benefit=["consult", "cover"]),
        ],
    ),
}
DOMAIN_ORDER = ("yingji", "nongye", "chengguan", "shichang", "shuili")

FIXED_REGIONS = [("云溪区", "yunxi"), ("青禾县", "qinghe"), ("临江区", "linjiang")]
REGION_FIRST = [("东", "dong"), ("南", "nan"), ("北", "bei"), ("安", "an"), ("宁", "ning"),
                ("平", "ping"), ("兴", "xing"), ("丰", "feng"), ("长", "chang"), ("永", "yong"),
                ("金", "jin"), ("白", "bai"), ("龙", "long"), ("松", "song"), ("桃", "tao"),
                ("柳", "liu"), ("梅", "mei"), ("望", "wang"), ("嘉", "jia"), ("富", "fu")]
REGION_SECOND = [("山", "shan"), ("河", "he"), ("湖", "hu"), ("林", "lin"), ("泉", "quan"),
                 ("石", "shi"), ("桥", "qiao"), ("城", "cheng"), ("川", "chuan"), ("阳", "yang"),
                 ("原", "yuan"), ("岭", "ling"), ("港", "gang"), ("塘", "tang"), ("溪", "xi"),
                 ("洲", "zhou"), ("台", "tai"), ("坡", "po"), ("门", "men"), ("口", "kou")]
AREA_CODES = ["0791", "0731", "0551", "0851", "0771", "0931", "0371", "0451"]


def _regions() -> list[tuple[str, str]]:
    out = list(FIXED_REGIONS)
    for i, (c1, p1) in enumerate(REGION_FIRST):
        for j, (c2, p2) in enumerate(REGION_SECOND):
            out.append((c1 + c2 + ("县" if (i + j) % 3 == 0 else "区"), p1 + "-" + p2))
    return out


REGIONS = _regions()


@dataclass(frozen=True)
class Department:
    index: int
    region: str
    region_slug: str
    domain: str
    years: tuple

    @property
    def name(self) -> str:
        return self.region + DOMAINS[self.domain]["bureau"]

    @property
    def slug(self) -> str:
        return f"{self.region_slug}-{self.domain}"

    @property
    def spec(self) -> dict:
        return DOMAINS[self.domain]

    @property
    def phone(self) -> str:
        r = random.Random(f"phone/{self.slug}")
        return f"{AREA_CODES[self.index % len(AREA_CODES)]}-8{r.randint(1000000, 9999999)}"


def department(index: int) -> Department:
    """The index-th department: a region and a domain; years shift back after all pairs."""
    n_reg = len(REGIONS)
    block = n_reg * len(DOMAIN_ORDER)
    cycle, rest = divmod(index, block)
    region, region_slug = REGIONS[rest % n_reg]
    domain = DOMAIN_ORDER[(rest + rest // n_reg) % len(DOMAIN_ORDER)]
    first = 2021 - 3 * cycle
    return Department(index, region, region_slug, domain, (first, first + 1, first + 2))


@dataclass(frozen=True)
class PlanItem:
    dept: Department
    year: int
    genre: str
    project: int = 0  # index into the domain's projects for project reports

    @property
    def id(self) -> str:
        base = f"{self.dept.slug}_{self.year}"
        if self.genre == GENRE_PROJECT:
            return base + "_" + self.dept.spec["projects"][self.project]["slug"]
        return base


def report_plan(count: int) -> list[PlanItem]:
    """N reports: each department's three years, and for every other department one
    project report for its last year."""
    plan: list[PlanItem] = []
    index = 0
    while len(plan) < count:
        dept = department(index)
        for year in dept.years:
            plan.append(PlanItem(dept, year, GENRE_OVERALL))
        if index % 2 == 0:
            plan.append(PlanItem(dept, dept.years[-1], GENRE_PROJECT, (index // 2) % 2))
        index += 1
    return plan[:count]


# ---------------------------------------------------------------------------------------
# stage 1: data (metric -> Decimal, money in 元, rates as fractions)
# ---------------------------------------------------------------------------------------

def wan(rng: random.Random, low: float, high: float) -> Decimal:
    """A random amount in 元 that is a whole number of 0.01万元 between low and high 万元."""
    return D(rng.randint(int(low * 100), int(high * 100))) * 100


def scale_yuan(amount: Decimal, factor: float) -> Decimal:
    """amount × factor, kept a whole number of 0.01万元 (100元)."""
    return (amount * D(str(factor)) / 100).quantize(D(1), ROUND_HALF_UP) * 100


def rate_of(numerator: Decimal, denominator: Decimal, dp: int = 2) -> Decimal:
    """numerator/denominator as a fraction, rounded to ``dp`` decimals of a percent."""
    return ((numerator / denominator) * 100).quantize(D(1).scaleb(-dp), ROUND_HALF_UP) / 100


def growth_pct(current: Decimal, previous: Decimal) -> Decimal:
    return ((current - previous) / previous * 100).quantize(Q2, ROUND_HALF_UP)


def _non_round(rng: random.Random, low: int, high: int, step: int) -> int:
    """A whole number in [low, high] that is not a multiple of ``step``."""
    while True:
        n = rng.randint(low, high)
        if n % step:
            return n


# slot -> generator of its exact value(s); the renderer picks the written form
SLOT_GENERATORS: dict[str, Callable[[random.Random], dict]] = {
    "inspect": lambda r: {"": D(_non_round(r, 104, 420, 10))},
    "sessions": lambda r: {"": D(r.randint(6, 28))},
    "trainees": lambda r: {"": D(r.randint(8, 32) * 100)},
    "publicity": lambda r: {"": D(r.randint(11, 98) * 1000)},
    "rectify": lambda r: {"": D(_non_round(r, 11000, 64000, 1000))},
    "campaign": lambda r: {"": D(r.randint(2, 6) * 10 + r.randint(1, 9))},
    "consult": lambda r: {"": D(_non_round(r, 1100, 5400, 100))},
    "pass_rate": lambda r: {"": D(r.randint(951, 999)) / 1000},
    "cn_pct": lambda r: {"": D(r.choice([90, 92, 95, 96, 98])) / 100},
    "cover": lambda r: {"": D(1)},
    "handle": lambda r: {"": D(r.randint(21, 49)) / 10},
    "response": lambda r: {"": D(r.randint(18, 47))},
    "duty": lambda r: {"": D(_non_round(r, 81, 119, 10))},
    "length": lambda r: {"": D(r.randint(500, 4200)) / 100},
    "area": lambda r: {"": D(r.randint(300, 3200))},
    "mu": lambda r: {"": D(r.randint(1000, 26000)) / 10},
    "weight": lambda r: {"": D(r.randint(20, 600))},
    "volume": lambda r: {"": D(r.randint(120, 5600))},
    "crowd": lambda r: {"": D(_non_round(r, 2001, 8999, 1000))},
    "decline": lambda r: {"": D(r.randint(30, 199)) / 1000},
    "team": lambda r: (lambda lo: {".low": D(lo), ".high": D(lo + 2)})(r.randint(2, 4)),
    "recheck": lambda r: (lambda lo: {".low": D(lo), ".high": D(lo + 2)})(r.randint(2, 3)),
    "yi": lambda r: {"": D(r.randint(100, 680)) * 1000000},
    "qian": lambda r: {"": D(r.randint(100, 999)) * 100},
    "satisfaction": lambda r: {"": D(r.randint(950, 995)) / 1000},
}
OVERALL_SLOTS = list(SLOT_GENERATORS)

# rows of the overall self-evaluation table: (一级, 二级, slot, weight)
OVERALL_INDICATORS = [
    ("产出指标", "数量指标", "inspect", 10), ("产出指标", "数量指标", "trainees", 10),
    ("产出指标", "数量指标", "publicity", 10), ("产出指标", "质量指标", "pass_rate", 10),
    ("产出指标", "时效指标", "handle", 5), ("产出指标", "成本指标", "execution", 5),
    ("效益指标", "社会效益指标", "decline", 10), ("效益指标", "社会效益指标", "cover", 10),
    ("效益指标", "可持续影响指标", "length", 10),
    ("满意度指标", "服务对象满意度指标", "satisfaction", 10),
]
BUDGET_WEIGHT = 10


def _deductions(rng: random.Random, n: int) -> list[Decimal]:
    out = [D(0)] * n
    for i in rng.sample(range(n), rng.randint(0, 3)):
        out[i] = rng.choice([D("0.5"), D(1), D("1.5"), D(2)])
    return out


def _baseline(rng: random.Random) -> dict:
    """The year before the first report: never rendered, it seeds growth and carryover."""
    d: dict[str, Decimal] = {}
    adm, wk, ins = rng.randint(8, 40), rng.choice([0, 0, 1, 2, 3]), rng.randint(5, 60)
    d.update({"staff.authorized.administrative": D(adm), "staff.authorized.worker": D(wk),
              "staff.authorized.institution": D(ins)})
    d["assets.fixed.original_value"] = wan(rng, 40, 900)
    d["assets.fixed.accumulated_depreciation"] = scale_yuan(
        d["assets.fixed.original_value"], rng.uniform(0.3, 0.6))
    d["assets.fixed.general"] = D(rng.randint(60, 400))
    d["assets.fixed.special"] = D(rng.randint(5, 120))
    d["assets.fixed.furniture"] = D(rng.randint(40, 300))
    total = wan(rng, 1200, 8800)
    d["budget.adjusted.expenditure"] = total
    d["final.expenditure"] = scale_yuan(total, rng.uniform(0.86, 0.99))
    d["final.project"] = scale_yuan(d["final.expenditure"], rng.uniform(0.3, 0.6))
    d["execution.rate"] = rate_of(d["final.expenditure"], total)
    d["carryover.end"] = scale_yuan(total, rng.uniform(0.02, 0.12))
    d["sangong.total"] = wan(rng, 8, 45)
    d["operating_expenses"] = wan(rng, 20, 220)
    d["org.units"] = D(rng.randint(4, 12))
    d["org.institutions"] = D(rng.randint(1, 5))
    return d


def _next_year(rng: random.Random, prev: dict, domain: str) -> dict:
    """One fiscal year's data, following from the previous year's."""
    d: dict[str, Decimal] = {}
    # staff ---------------------------------------------------------------------------
    adm = max(6, int(prev["staff.authorized.administrative"]) + rng.randint(-1, 2))
    wk = max(0, int(prev["staff.authorized.worker"]) + rng.choice([0, 0, 0, -1, 1]))
    ins = max(4, int(prev["staff.authorized.institution"]) + rng.randint(-2, 3))
    d["staff.authorized.administrative"] = D(adm)
    d["staff.authorized.worker"] = D(wk)
    d["staff.authorized.institution"] = D(ins)
    d["staff.authorized"] = D(adm + wk + ins)
    cs = adm - rng.randint(0, 2)
    w2 = max(0, wk - rng.randint(0, 1))
    ei = ins - rng.randint(0, 3)
    d["staff.in_service.civil_servant"] = D(cs)
    d["staff.in_service.worker"] = D(w2)
    d["staff.in_service.institution"] = D(ei)
    d["staff.in_service"] = D(cs + w2 + ei)
    d["staff.retired"] = D(rng.randint(3, 30))
    d["staff.actual"] = d["staff.in_service"] + d["staff.retired"]
    d["staff.contract"] = D(rng.randint(10, 35))
    d["org.units"] = prev["org.units"]
    d["org.institutions"] = prev["org.institutions"]
    # assets: purchases raise the original value; depreciation accumulates --------------
    for key, lo, hi in (("general", 0, 40), ("special", 0, 12), ("furniture", 0, 25)):
        d[f"assets.fixed.{key}"] = prev[f"assets.fixed.{key}"] + rng.randint(lo, hi)
    d["assets.fixed.count"] = sum(d[f"assets.fixed.{k}"] for k in ("general", "special",
                                                                   "furniture"))
    d["assets.fixed.original_value"] = prev["assets.fixed.original_value"] + wan(rng, 1, 60)
    dep = prev["assets.fixed.accumulated_depreciation"] + scale_yuan(
        d["assets.fixed.original_value"], rng.uniform(0.05, 0.12))
    d["assets.fixed.accumulated_depreciation"] = min(
        dep, scale_yuan(d["assets.fixed.original_value"], 0.9))
    d["assets.fixed.net_value"] = (d["assets.fixed.original_value"]
                                   - d["assets.fixed.accumulated_depreciation"])
    d["assets.vehicles"] = D(rng.randint(1, 9))
    # budget ---------------------------------------------------------------------------
    initial = scale_yuan(prev["budget.adjusted.expenditure"], rng.uniform(0.88, 1.08))
    basic = scale_yuan(initial, rng.uniform(0.3, 0.65))
    d["budget.initial.revenue"] = d["budget.initial.expenditure"] = initial
    d["budget.initial.basic"] = basic
    d["budget.initial.project"] = initial - basic
    adj_basic = basic + scale_yuan(basic, rng.uniform(0.0, 0.06))
    adj_project = d["budget.initial.project"] + scale_yuan(
        d["budget.initial.project"], rng.uniform(0.01, 0.22))
    d["budget.adjusted.basic"] = adj_basic
    d["budget.adjusted.project"] = adj_project
    d["budget.adjusted.revenue"] = d["budget.adjusted.expenditure"] = adj_basic + adj_project
    adjusted = d["budget.adjusted.expenditure"]
    d["budget.adjustment"] = adjusted - initial
    begin = prev["carryover.end"]
    d["carryover.begin"] = begin
    revenue = scale_yuan(adjusted, rng.uniform(0.96, 1.0))
    spent = scale_yuan(adjusted, rng.uniform(0.86, 0.995))
    spent = min(spent, revenue + begin - scale_yuan(adjusted, 0.01))
    d["final.revenue"] = revenue
    d["final.expenditure"] = spent
    d["final.basic"] = min(scale_yuan(adj_basic, rng.uniform(0.95, 1.0)),
                           scale_yuan(spent, 0.8))
    d["final.project"] = spent - d["final.basic"]
    d["final.basic.personnel"] = scale_yuan(d["final.basic"], rng.uniform(0.72, 0.9))
    d["final.basic.public"] = d["final.basic"] - d["final.basic.personnel"]
    d["income.total"] = revenue + begin
    d["carryover.end"] = d["income.total"] - spent
    d["execution.rate"] = rate_of(spent, adjusted)
    for key in ("basic", "project"):
        d[f"execution.rate.{key}"] = rate_of(d[f"final.{key}"], d[f"budget.adjusted.{key}"])
    d["special.fund"] = D(rng.randint(10000, int(d["final.project"]) // 3))  # 元, 4dp 万元
    # 三公经费 and operating expenses, each compared with last year -------------------
    abroad = wan(rng, 1, 6) if rng.random() < 0.2 else D(0)
    target = scale_yuan(prev["sangong.total"], rng.uniform(0.75, 1.15))
    reception = min(scale_yuan(target, rng.uniform(0.12, 0.3)), target - 200)
    vehicle = target - reception - abroad
    if vehicle <= 0:
        vehicle, abroad = target - reception, D(0)
    d["sangong.travel_abroad"], d["sangong.vehicle"], d["sangong.reception"] = \
        abroad, vehicle, reception
    d["sangong.total"] = abroad + vehicle + reception
    if d["sangong.total"] == prev["sangong.total"]:
        d["sangong.vehicle"] += 100
        d["sangong.total"] += 100
    d["sangong.reception.batches"] = D(rng.randint(12, 90))
    d["sangong.reception.people"] = D(rng.randint(60, 700))
    d["sangong.reception.per_capita"] = (d["sangong.reception"]
                                         / d["sangong.reception.people"]).quantize(
                                             Q2, ROUND_HALF_UP)
    d["operating_expenses"] = scale_yuan(prev["operating_expenses"], rng.uniform(0.85, 1.15))
    if d["operating_expenses"] == prev["operating_expenses"]:
        d["operating_expenses"] += 100
    d["procurement.savings"] = D(rng.randint(100, 999)) * 100
    # activities ------------------------------------------------------------------------
    for slot in OVERALL_SLOTS:
        for suffix, value in SLOT_GENERATORS[slot](rng).items():
            d[f"activity.{slot}{suffix}"] = value
    d["satisfaction.rate"] = d["activity.satisfaction"]
    d["survey.sent"] = D(rng.randint(10, 60) * 10)
    d["survey.returned"] = d["survey.sent"] - rng.randint(0, 9)
    d["rank"] = D(rng.randint(1, 6))
    # self-evaluation scores ------------------------------------------------------------
    d["score.budget"] = (BUDGET_WEIGHT * d["execution.rate"]).quantize(Q2, ROUND_HALF_UP)
    deductions = _deductions(rng, len(OVERALL_INDICATORS))
    total = d["score.budget"]
    for i, (_, _, slot, weight) in enumerate(OVERALL_INDICATORS):
        d[f"score.indicator.{i}"] = D(weight) - deductions[i]
        total += d[f"score.indicator.{i}"]
    d["self_eval.score"] = total
    return d


def department_series(dept: Department, seed: int) -> dict[int, dict]:
    """Data for each of the department's years (plus the unrendered baseline year)."""
    rng = random.Random(f"{seed}/data/{dept.slug}/{dept.years[0]}")
    series = {dept.years[0] - 1: _baseline(rng)}
    for year in dept.years:
        series[year] = _next_year(rng, series[year - 1], dept.domain)
    return series


def project_data(dept: Department, year: int, project: int, dept_year: dict,
                 seed: int) -> dict:
    """One project's data for a year: funds, outputs and scores."""
    rng = random.Random(f"{seed}/project/{dept.slug}/{year}/{project}")
    spec = dept.spec["projects"][project]
    d: dict[str, Decimal] = {}
    initial = min(wan(rng, 60, 900), scale_yuan(dept_year["budget.adjusted.project"], 0.4))
    appropriated = initial + scale_yuan(initial, rng.uniform(0.0, 0.12))
    carried = scale_yuan(initial, rng.uniform(0.02, 0.2))
    d["project.initial"] = initial
    d["project.appropriation"] = appropriated
    d["project.carried"] = carried
    d["project.total"] = appropriated + carried
    d["funds.received"] = min(d["project.total"],
                              scale_yuan(d["project.total"], rng.uniform(0.95, 1.0)))
    d["funds.received_rate"] = rate_of(d["funds.received"], d["project.total"])
    d["project.spent.appropriation"] = scale_yuan(appropriated, rng.uniform(0.82, 0.99))
    d["project.spent.carried"] = carried if rng.random() < 0.6 else scale_yuan(carried, 0.5)
    d["project.spent"] = d["project.spent.appropriation"] + d["project.spent.carried"]
    d["execution.rate"] = rate_of(d["project.spent"], d["project.total"])
    for slot in ["cover", "satisfaction", "pass_rate", "decline", "duty", "consult"] \
            + spec["outputs"]:
        for suffix, value in SLOT_GENERATORS[slot](rng).items():
            d[f"activity.{slot}{suffix}"] = value
    d["satisfaction.rate"] = d["activity.satisfaction"]
    d["score.budget"] = (BUDGET_WEIGHT * d["execution.rate"]).quantize(Q2, ROUND_HALF_UP)
    rows = project_indicator_rows(spec)
    deductions = _deductions(rng, len(rows))
    total = d["score.budget"]
    for i, row in enumerate(rows):
        d[f"score.indicator.{i}"] = D(row[3]) - deductions[i]
        total += d[f"score.indicator.{i}"]
    d["self_eval.score"] = total
    return d


def project_indicator_rows(spec: dict) -> list[tuple]:
    rows = [("产出指标", "数量指标", slot, 10) for slot in spec["outputs"]]
    rows += [("产出指标", "质量指标", "pass_rate", 10), ("产出指标", "时效指标", "timely", 10)]
    rows += [("效益指标", "社会效益指标", spec["benefit"][0], 15),
             ("效益指标", "可持续影响指标", spec["benefit"][1], 15),
             ("满意度指标", "服务对象满意度指标", "satisfaction", 10)]
    return rows


# ---------------------------------------------------------------------------------------
# stage 2: content (blocks of segments)
# ---------------------------------------------------------------------------------------

def _floor(value: Decimal, step: int) -> Decimal:
    return (value / step).to_integral_value(ROUND_FLOOR) * step


def _ceil(value: Decimal, step: int) -> Decimal:
    return (value / step).to_integral_value(ROUND_CEILING) * step


MEASURE_UNITS = {"area": "平方米", "mu": "亩", "weight": "吨", "volume": "立方米"}


def slot_text_fig(spec: dict, slot: str, d: dict) -> Fig:
    """The figure for an activity slot, in the written form prose uses for it."""
    v = d[f"activity.{slot}"] if f"activity.{slot}" in d else None
    if slot == "inspect":
        phrase, unit, _ = spec[slot]
        return count(_floor(v, 10), unit, phrase, q="余")
    if slot in ("sessions", "trainees"):
        phrase, unit, _ = spec[slot]
        return count(v, unit, phrase)
    if slot == "publicity":
        phrase, unit, _ = spec[slot]
        return fig(v / WAN, "万" + unit, phrase, dp=1)
    if slot == "rectify":
        phrase, unit, _ = spec[slot]
        return fig(_floor(v, 1000) / WAN, "万" + unit, phrase, dp=1, q="余")
    if slot == "campaign":
        phrase, unit, _ = spec[slot]
        return count(_floor(v, 10), unit, phrase, q="多")
    if slot == "consult":
        phrase, unit, _ = spec[slot]
        return count(_floor(v, 100), unit, phrase, q="超过")
    if slot == "length":
        phrase, unit, _ = spec[slot]
        return fig(v, unit, phrase, dp=2, q="约")
    if slot == "duty":
        return fig(_ceil(v, 10), "天", spec["duty"], q="近")
    if slot in MEASURE_UNITS:
        return fig(v, MEASURE_UNITS[slot], spec[slot][0], dp=1 if slot == "mu" else None)
    if slot == "crowd":
        k = int(v) // 1000
        return fig(D(k * 1000), "人", spec["crowd"], written=cn_thousands(k), q="余")
    if slot == "pass_rate":
        return fig(_floor(v * 100, 5), "%", spec["pass_rate"], q="以上")
    if slot == "cn_pct":
        n = int(v * 100)
        return fig(D(n), "百分之", spec["cn_pct"], written="百分之" + cn_small(n),
                   show_unit=False)
    if slot == "cover":
        return pct(v, spec["cover"], dp=0, q="达")
    if slot == "handle":
        return fig(_floor(v, 1) + 1, "个工作日", spec["handle"], q="不足")
    if slot == "response":
        return fig((v / 5).quantize(D(1), ROUND_HALF_UP) * 5, "分钟", spec["response"],
                   q="左右")
    if slot == "decline":
        return pct(v, spec["decline"][0] + "同比降低", dp=1, direction="down")
    if slot == "satisfaction":
        return pct(v, spec["satisfaction"], dp=1, metric="satisfaction.rate")
    raise KeyError(slot)


def slot_table_figs(spec: dict, slot: str, d: dict) -> tuple[str, Fig, Fig]:
    """(indicator name, target figure, actual figure) for a self-evaluation table row."""
    v = d.get(f"activity.{slot}")
    if slot in ("inspect", "sessions", "trainees", "publicity", "rectify", "consult"):
        _, unit, name = spec[slot]
        step = {"inspect": 10, "sessions": 1, "trainees": 100, "publicity": 1000,
                "rectify": 1000, "consult": 100}[slot]
        target = max(D(step), _floor(v * D("0.85"), step))
        return name, count(target, unit, name + " 年度指标值"), \
            count(v, unit, name + " 实际完成值")
    if slot == "length":
        _, unit, name = spec[slot]
        return name, fig(_floor(v * D("0.9"), 1), unit, name + " 年度指标值"), \
            fig(v, unit, name + " 实际完成值", dp=2)
    if slot in MEASURE_UNITS:
        unit, name = MEASURE_UNITS[slot], spec[slot][1]
        step = 10 if slot != "mu" else 100
        return name, fig(_floor(v * D("0.9"), step), unit, name + " 年度指标值"), \
            fig(v, unit, name + " 实际完成值", dp=1 if slot == "mu" else None)
    if slot == "duty":
        name = spec["duty"] + "天数"
        return name, fig(D(80), "天", name + " 年度指标值"), fig(v, "天", name + " 实际完成值")
    if slot == "pass_rate":
        name = spec["pass_rate"]
        return name, pct(D("0.95"), name + " 年度指标值", dp=0), \
            pct(v, name + " 实际完成值", dp=1)
    if slot == "handle":
        name = spec["handle"]
        return name, fig(D(5), "个工作日", name + " 年度指标值"), \
            fig(v, "个工作日", name + " 实际完成值", dp=1)
    if slot == "decline":
        name = spec["decline"][1]
        return name, pct(D("0.03"), name + " 年度指标值", dp=0), \
            pct(v, name + " 实际完成值", dp=1)
    if slot == "cover":
        name = spec["cover"]
        return name, pct(D(1), name + " 年度指标值", dp=0), pct(v, name + " 实际完成值", dp=0)
    if slot == "satisfaction":
        name = "服务对象满意度"
        return name, pct(D("0.9"), name + " 年度指标值", dp=0), \
            pct(v, name + " 实际完成值", dp=1, metric="satisfaction.rate")
    if slot == "execution":
        name = "部门预算执行率"
        return name, pct(D("0.9"), name + " 年度指标值", dp=0), \
            pct(d["execution.rate"], name + " 实际完成值", metric="execution.rate")
    if slot == "timely":
        name = "任务按期完成率"
        return name, pct(D(1), name + " 年度指标值", dp=0), pct(D(1), name + " 实际完成值",
                                                               dp=0)
    raise KeyError(slot)


def _score(value: Decimal, label: str, **kw) -> Fig:
    """A score as a table shows it: 10分, 9.5分, 9.62分."""
    text = dstr(value)
    return fig(D(text), "分", label, **kw)


def _grade(score: Decimal) -> str:
    return "优" if score >= 90 else ("良" if score >= 80 else "中")


def _sign_date(rng: random.Random, year: int) -> Neg:
    return Neg(f"{year + 1}年{rng.randint(2, 4)}月{rng.randint(10, 28)}日")


def _docno(rng: random.Random, prefix: str, year: int) -> Neg:
    return Neg(f"{prefix}〔{year}〕{rng.randint(3, 48)}号")


def _direction_word(value: Decimal, up: str = "增长", down: str = "下降") -> tuple[str, str]:
    return (up, "up") if value > 0 else (down, "down")


GENERIC_PROBLEMS = [
    "一是预算编制的前瞻性和精细化程度还不够高，年中追加调整事项偏多，部分项目资金未能按进度支出；",
    "一是绩效目标设置不够细化量化，个别指标难以准确衡量，绩效目标与预算编制的衔接有待加强；",
    "二是绩效监控和结果应用不够充分，对资金使用效益的跟踪分析还停留在事后总结阶段；",
    "二是基层业务人员对预算绩效管理的理解不够深入，自评工作主要依靠财务人员完成，业务科室参与不足；",
]
GENERIC_PLANS = [
    "一是围绕“十四五”规划目标科学编制预算，提高预算编制的准确性，严格控制预算调整；",
    "二是健全预算绩效管理制度，实行统一的绩效目标模板，加强执行过程中的绩效监控，对偏离目标的项目及时纠偏；",
    "三是强化自评结果运用，将评价结果作为下一年度预算安排的重要依据，推动绩效信息公开。",
]


def build_overall_report(item: PlanItem, d: dict, prev: dict, prev_id: Optional[str],
                         seed: int) -> Report:
    dept, year, spec = item.dept, item.year, item.dept.spec
    rng = random.Random(f"{seed}/text/{item.id}")
    name = dept.name
    title = f"{name}{year}年度部门整体支出绩效自评报告"
    blocks: list = []
    rels: list = []
    P = lambda *segs: blocks.append(Para(list(segs)))  # noqa: E731
    H = lambda level, text: blocks.append(Heading(level, text))  # noqa: E731

    blocks.append(Para([title], "title"))
    blocks.append(Para([f"（{year}年度）"], "subtitle"))
    P("根据", f"《{dept.region}财政局关于开展{year}年度部门整体支出绩效自评工作的通知》（",
      _docno(rng, dept.region[0] + "财绩", year + 1),
      "）要求，我局对本部门", f"{year}年度整体支出的预算执行和绩效目标完成情况开展了自评，"
      "现将有关情况报告如下。")

    # 一、部门基本情况 -------------------------------------------------------------------
    H(1, "一、部门基本情况")
    H(2, "（一）部门主要职能")
    P("根据《", dept.region, "机构改革实施方案》和", f"《{name}职能配置、内设机构和人员编制规定》（",
      _docno(rng, dept.region[0] + "办发", 2019), f"），{name}是{dept.region}人民政府工作部门，"
      "主要职责如下：")
    for i, duty in enumerate(spec["duties"], 1):
        P(Neg(f"（{i}）"), duty)

    H(2, "（二）机构设置及人员情况")
    f_units = count(d["org.units"], "个", "内设股室")
    f_inst = count(d["org.institutions"], "个", "下属事业单位")
    P("本局内设股室", f_units, "，下属事业单位", f_inst, "，均纳入本部门预算编报范围。")
    f_auth = count(d["staff.authorized"], "人", "编制人数", metric="staff.authorized")
    f_adm = count(d["staff.authorized.administrative"], "人", "行政编制",
                  metric="staff.authorized.administrative")
    f_wk = count(d["staff.authorized.worker"], "人", "工勤编制")
    f_ins = count(d["staff.authorized.institution"], "人", "事业编制",
                  metric="staff.authorized.institution")
    f_act = count(d["staff.actual"], "人", "实有人数", metric="staff.actual")
    f_svc = count(d["staff.in_service"], "人", "在职人数", metric="staff.in_service")
    f_cs = count(d["staff.in_service.civil_servant"], "人", "在职公务员")
    f_w2 = count(d["staff.in_service.worker"], "人", "在职工勤人员")
    f_ei = count(d["staff.in_service.institution"], "人", "在职事业人员")
    f_ret = count(d["staff.retired"], "人", "退休人员", metric="staff.retired")
    f_con = count(d["staff.contract"], "人", "编外聘用人员", metric="staff.contract",
                  style="fullwidth")
    has_wk = d["staff.authorized.worker"] > 0
    P("截至", Neg(f"{year}年12月31日"), "，本部门编制人数", f_auth, "，其中行政编制", f_adm,
      *(["、工勤编制", f_wk] if has_wk else []), "、事业编制", f_ins, "；实有人数", f_act,
      "，其中在职人数", f_svc, "（公务员", f_cs, *(["、工勤人员", f_w2] if has_wk or
                                               d["staff.in_service.worker"] else []),
      "、事业人员", f_ei, "），退休人员", f_ret, "；另有编外聘用人员", f_con, "。")
    rels.append(rel_sum(f_auth, [f_adm] + ([f_wk] if has_wk else []) + [f_ins],
                        "编制人数 = 行政编制 + 工勤编制 + 事业编制"))
    in_svc_parts = [f_cs] + ([f_w2] if has_wk or d["staff.in_service.worker"] else []) + [f_ei]
    rels.append(rel_sum(f_svc, in_svc_parts, "在职人数 = 公务员 + 工勤人员 + 事业人员"))
    rels.append(rel_sum(f_act, [f_svc, f_ret], "实有人数 = 在职人数 + 退休人员"))

    H(2, "（三）资产情况")
    f_cnt = count(d["assets.fixed.count"], "件", "固定资产", metric="assets.fixed.count")
    f_gen = count(d["assets.fixed.general"], "件", "通用设备")
    f_spe = count(d["assets.fixed.special"], "件", "专用设备")
    f_fur = count(d["assets.fixed.furniture"], "件", "家具、用具、装具")
    f_orig = money(d["assets.fixed.original_value"], "固定资产原值合计",
                   metric="assets.fixed.original_value")
    f_dep = money(d["assets.fixed.accumulated_depreciation"], "累计折旧",
                  metric="assets.fixed.accumulated_depreciation")
    f_net = money(d["assets.fixed.net_value"], "固定资产净值", metric="assets.fixed.net_value")
    f_veh = count(d["assets.vehicles"], "辆", "公务用车")
    P("截至", Neg(f"{year}年12月31日"), "，本部门共有固定资产", f_cnt, "，其中通用设备", f_gen,
      "、专用设备", f_spe, "、家具用具装具", f_fur, "；固定资产原值合计", f_orig, "，累计折旧",
      f_dep, "，净值", f_net, "。实有公务用车", f_veh, "，均按规定纳入", Neg("统一"),
      "管理平台登记使用。")
    rels.append(rel_sum(f_cnt, [f_gen, f_spe, f_fur], "固定资产 = 通用设备 + 专用设备 + 家具用具装具"))
    rels.append(rel_difference(f_net, f_orig, f_dep, "净值 = 原值 - 累计折旧"))

    H(2, "（四）部门预算及执行情况")
    H(3, "1.年初预算情况")
    f_ir = money(d["budget.initial.revenue"], "年初预算收入总计",
                 metric="budget.initial.revenue", style="comma")
    f_ie = money(d["budget.initial.expenditure"], "年初预算支出总计",
                 metric="budget.initial.expenditure")
    f_ib = money(d["budget.initial.basic"], "年初预算基本支出", metric="budget.initial.basic")
    f_ip = money(d["budget.initial.project"], "年初预算项目支出", metric="budget.initial.project")
    P(f"{year}年年初预算收入总计", f_ir, "，年初预算支出总计", f_ie, "，其中基本支出", f_ib,
      "、项目支出", f_ip, "。")
    rels.append(rel_sum(f_ie, [f_ib, f_ip], "年初预算支出 = 基本支出 + 项目支出"))

    H(3, "2.预算调整情况")
    f_ar = money(d["budget.adjusted.revenue"], "调整后预算收入",
                 metric="budget.adjusted.revenue")
    f_ae = money(d["budget.adjusted.expenditure"], "调整后预算支出",
                 metric="budget.adjusted.expenditure")
    f_ab = money(d["budget.adjusted.basic"], "调整后预算基本支出",
                 metric="budget.adjusted.basic")
    f_ap = money(d["budget.adjusted.project"], "调整后预算项目支出",
                 metric="budget.adjusted.project")
    f_adj = money(d["budget.adjustment"], "较年初预算增加")
    P("年度执行中，因追加", spec["special"], "等任务，全年调整后预算收入", f_ar, "，调整后预算支出",
      f_ae, "，其中基本支出", f_ab, "、项目支出", f_ap, "，较年初预算增加", f_adj, "。")
    rels.append(rel_sum(f_ae, [f_ab, f_ap], "调整后预算支出 = 基本支出 + 项目支出"))
    rels.append(rel_difference(f_adj, f_ae, f_ie, "调整增加额 = 调整后预算支出 - 年初预算支出"))

    H(3, "3.决算情况")
    f_rev = money(d["final.revenue"], "本年收入合计", metric="final.revenue")
    f_beg = money(d["carryover.begin"], "年初结转和结余", metric="carryover.begin")
    f_tot = money(d["income.total"], "收入总计")
    f_exp = money(d["final.expenditure"], "本年支出合计", metric="final.expenditure")
    f_fb = money(d["final.basic"], "基本支出", metric="final.basic")
    f_per = money(d["final.basic.personnel"], "人员经费")
    f_pub = money(d["final.basic.public"], "公用经费")
    f_fp = money(d["final.project"], "项目支出", metric="final.project")
    f_end = money(d["carryover.end"], "年末结转和结余", metric="carryover.end")
    P("本年收入合计", f_rev, "，加年初结转和结余", f_beg, "，收入总计", f_tot, "。本年支出合计", f_exp,
      "，其中基本支出", f_fb, "（人员经费", f_per, "、公用经费", f_pub, "），项目支出", f_fp,
      "；年末结转和结余", f_end, "。")
    rels.append(rel_sum(f_tot, [f_rev, f_beg], "收入总计 = 本年收入 + 年初结转和结余"))
    rels.append(rel_sum(f_tot, [f_exp, f_end], "收入总计 = 本年支出 + 年末结转和结余"))
    rels.append(rel_sum(f_exp, [f_fb, f_fp], "本年支出 = 基本支出 + 项目支出"))
    rels.append(rel_sum(f_fb, [f_per, f_pub], "基本支出 = 人员经费 + 公用经费"))
    gp = growth_pct(d["final.expenditure"], prev["final.expenditure"])
    word, direc = _direction_word(gp)
    f_g = fig(abs(gp), "%", f"本年支出合计较上年{word}", dp=2, direction=direc)
    f_pp = money(prev["final.project"], f"{year - 1}年项目支出决算数", unit_implied=True,
                 show_unit=False)
    f_cp = money(d["final.project"], f"{year}年项目支出决算数", metric="final.project")
    f_sf = money(d["special.fund"], f"{spec['special']}专项资金", dp=4, style="space")
    P("本年支出合计较上年", word, f_g, "。", f"{year - 1}年和{year}年本部门项目支出决算数分别为",
      f_pp, "、", f_cp, "，其中", spec["special"], "专项资金", f_sf, "，主要用于", spec["special"],
      "相关工作。")
    rels.append(rel_growth(f_g, f_exp, prev["final.expenditure"],
                           "本年支出合计较上年增减 (上年值见上年报告)", prev_id))

    # the header-unit table: bare numbers, unit in the caption
    rows = [[["项目"], ["年初预算数"], ["调整后预算数"], ["决算数"], ["执行率"]]]
    tb: dict[str, list[Fig]] = {}
    for key, label in (("basic", "基本支出"), ("project", "项目支出"), ("total", "合计")):
        if key == "total":
            ini, adj, fin = (d["budget.initial.expenditure"], d["budget.adjusted.expenditure"],
                             d["final.expenditure"])
            metrics = ("budget.initial.expenditure", "budget.adjusted.expenditure",
                       "final.expenditure")
            rate = d["execution.rate"]
        else:
            ini, adj, fin = (d[f"budget.initial.{key}"], d[f"budget.adjusted.{key}"],
                             d[f"final.{key}"])
            metrics = (f"budget.initial.{key}", f"budget.adjusted.{key}", f"final.{key}")
            rate = d[f"execution.rate.{key}"]
        cells = [money(v, f"{label} {col}", metric=m, show_unit=False, unit_implied=True,
                       in_table_header_unit=True)
                 for v, col, m in zip((ini, adj, fin), ("年初预算数", "调整后预算数", "决算数"),
                                      metrics)]
        f_rate = pct(rate, f"{label} 执行率", metric="execution.rate" if key == "total" else None)
        tb[key] = cells + [f_rate]
        rows.append([[label]] + [[c] for c in cells] + [[f_rate]])
        rels.append(rel_ratio(f_rate, cells[2], cells[1], f"{label}执行率 = 决算数 / 调整后预算数"))
    for col, name_col in enumerate(("年初预算数", "调整后预算数", "决算数")):
        rels.append(rel_sum(tb["total"][col], [tb["basic"][col], tb["project"][col]],
                            f"表1 {name_col}: 合计 = 基本支出 + 项目支出"))
    blocks.append(Table(f"表1  {year}年度收支预算执行情况（单位：万元）", rows))

    H(3, "4.预算执行情况")
    f_er = pct(d["execution.rate"], "预算执行率", metric="execution.rate")
    delta = (d["execution.rate"] - prev["execution.rate"]) * 100
    segs: list = ["全年预算执行率为", f_er, "（本年支出合计/调整后预算支出），"]
    if delta:
        word, direc = _direction_word(delta, "提高", "下降")
        f_pt = fig(abs(delta), "个百分点", f"预算执行率较上年{word}", dp=2, direction=direc)
        segs += ["较上年", word, f_pt, "。"]
    else:
        segs += ["与上年持平。"]
    P(*segs)
    if delta:
        rels.append(rel_difference(f_pt, f_er, prev["execution.rate"],
                                   "执行率变动 = 本年执行率 - 上年执行率 (上年值见上年报告)",
                                   prev_id))
    rels.append(rel_ratio(f_er, f_exp, f_ae, "预算执行率 = 本年支出合计 / 调整后预算支出"))

    H(2, "（五）“三公”经费及机关运行经费情况")
    f_sg = money(d["sangong.total"], "“三公”经费支出合计", metric="sangong.total")
    f_ab2 = money(d["sangong.travel_abroad"], "因公出国（境）费", metric="sangong.travel_abroad",
                  dp=2 if d["sangong.travel_abroad"] else 0)
    f_vh = money(d["sangong.vehicle"], "公务用车购置及运行维护费", metric="sangong.vehicle")
    f_rc = money(d["sangong.reception"], "公务接待费", metric="sangong.reception")
    f_sgp = money(prev["sangong.total"], "上年“三公”经费支出")
    gp = growth_pct(d["sangong.total"], prev["sangong.total"])
    word, direc = _direction_word(gp)
    f_sgg = fig(abs(gp), "%", f"“三公”经费较上年{word}", dp=2, direction=direc)
    P(f"{year}年“三公”经费支出合计", f_sg, "，其中因公出国（境）费", f_ab2, "、公务用车购置及运行维护费",
      f_vh, "、公务接待费", f_rc, "，较上年的", f_sgp, word, f_sgg, "。")
    rels.append(rel_sum(f_sg, [f_ab2, f_vh, f_rc], "三公经费 = 因公出国 + 公务用车 + 公务接待"))
    rels.append(rel_growth(f_sgg, f_sg, f_sgp, "三公经费较上年增减"))
    f_bt = count(d["sangong.reception.batches"], "批次", "公务接待批次")
    f_pp2 = count(d["sangong.reception.people"], "人次", "公务接待人次")
    f_pc = fig(d["sangong.reception.per_capita"], "元", "人均接待费", dp=2)
    f_rc_yuan = money(d["sangong.reception"], "公务接待费（元）", unit="元", dp=0,
                      metric="sangong.reception")
    P("全年公务接待", f_bt, "、", f_pp2, "，公务接待费", f_rc_yuan, "，人均接待费", f_pc,
      "，严格执行接待标准。")
    rels.append(rel_ratio(f_pc, f_rc_yuan, f_pp2, "人均接待费 = 公务接待费 / 接待人次"))
    f_op = money(d["operating_expenses"], "机关运行经费支出", metric="operating_expenses")
    gp = growth_pct(d["operating_expenses"], prev["operating_expenses"])
    word, direc = _direction_word(gp)
    f_opg = fig(abs(gp), "%", f"机关运行经费比上年{word}", dp=2, direction=direc)
    f_sav = money(d["procurement.savings"], "政府采购节约资金", unit="千元", dp=1)
    P("机关运行经费支出", f_op, "，比上年", word, f_opg, "。全年通过政府采购节约资金", f_sav, "。")
    rels.append(rel_growth(f_opg, f_op, prev["operating_expenses"], "机关运行经费较上年增减",
                           prev_id))

    # 二、绩效目标完成情况 ---------------------------------------------------------------
    H(1, "二、部门整体支出绩效目标完成情况")
    H(2, "（一）产出指标完成情况")
    S = lambda slot: slot_text_fig(spec, slot, d)  # noqa: E731
    H(3, "1.数量指标")
    P("全年", spec["inspect"][0], S("inspect"), "，", spec["sessions"][0], S("sessions"), "，",
      spec["trainees"][0], S("trainees"), "；", spec["publicity"][0], S("publicity"), "，",
      spec["rectify"][0], S("rectify"), "。")
    P(spec["campaign"][0], S("campaign"), "，", spec["consult"][0], S("consult"), "。")
    H(3, "2.质量指标")
    P(spec["pass_rate"], S("pass_rate"), "，", spec["cn_pct"], "为", S("cn_pct"), "，",
      spec["cover"], S("cover"), "。")
    H(3, "3.时效指标")
    P(spec["handle"], S("handle"), "，", spec["response"], "缩短至", S("response"), "，",
      spec["duty"], S("duty"), "。")
    H(2, "（二）效益指标完成情况")
    team_lo, team_hi = d["activity.team.low"], d["activity.team.high"]
    f_team = count(team_lo, "人", spec["team"][0] + "组成人数", high=team_hi)
    rc_lo, rc_hi = d["activity.recheck.low"], d["activity.recheck.high"]
    f_rcheck = count(rc_lo, "次", spec["recheck"][0] + "检查次数", high=rc_hi, sep="至")
    P(spec["length"][0], S("length"), "，", spec["area"][0], S("area"), "，", spec["mu"][0],
      S("mu"), "；", spec["weight"][0], S("weight"), "，", spec["volume"][0], S("volume"), "。",
      spec["crowd"], S("crowd"), "，", spec["yi"], money(d["activity.yi"], spec["yi"],
                                                        unit="亿元"), "。")
    P(spec["team"][0], f_team, spec["team"][1][1:], "，", spec["recheck"][0], f_rcheck,
      spec["recheck"][1][1:], "，", spec["decline"][0], "同比降低", S("decline"), "，", spec["rank"],
      Neg(f"第{int(d['rank'])}名"), "，进一步", spec["slogan"].replace("“最后一公里”", ""),
      Neg("“最后一公里”"), "。")
    H(2, "（三）满意度指标完成情况")
    f_sent = count(d["survey.sent"], "份", "发放满意度调查问卷")
    f_ret2 = count(d["survey.returned"], "份", "回收有效问卷")
    P("通过线上线下相结合的方式发放满意度调查问卷", f_sent, "，回收有效问卷", f_ret2, "，",
      spec["satisfaction"], "为", S("satisfaction"), "，监督电话：", Neg(dept.phone), "。")

    # 三、自评结果 ------------------------------------------------------------------------
    H(1, "三、部门整体支出绩效自评结果")
    f_score = _score(d["self_eval.score"], "自评得分", metric="self_eval.score")
    P("经综合评价，本部门", f"{year}年度部门整体支出绩效自评得分为", f_score, "，评价等级为“",
      _grade(d["self_eval.score"]), "”。具体评分情况详见下表。")
    f_w = _score(D(BUDGET_WEIGHT), "预算执行 分值")
    f_bs = _score(d["score.budget"], "预算执行 得分")
    t_er = pct(d["execution.rate"], "年度资金总额 执行率", metric="execution.rate")
    t_ini = money(d["budget.initial.expenditure"], "年度资金总额 年初预算数",
                  metric="budget.initial.expenditure")
    t_adj = money(d["budget.adjusted.expenditure"], "年度资金总额 全年预算数",
                  metric="budget.adjusted.expenditure")
    t_fin = money(d["final.expenditure"], "年度资金总额 全年执行数", metric="final.expenditure")
    funds = [FundsRow("合计", {"年初预算数": t_ini, "全年预算数": t_adj, "全年执行数": t_fin,
                               "分值": f_w, "执行率": t_er, "得分": f_bs})]
    rels.append(rel_ratio(t_er, t_fin, t_adj, "自评表 执行率 = 全年执行数 / 全年预算数"))
    for key, prefix, row_name in (("basic", "其中：", "基本支出"), ("project", "", "项目支出")):
        label = prefix + row_name
        funds.append(FundsRow(row_name, {
            "年初预算数": money(d[f"budget.initial.{key}"], f"{label} 年初预算数",
                                metric=f"budget.initial.{key}"),
            "全年预算数": money(d[f"budget.adjusted.{key}"], f"{label} 全年预算数",
                                metric=f"budget.adjusted.{key}"),
            "全年执行数": money(d[f"final.{key}"], f"{label} 全年执行数", metric=f"final.{key}"),
            "执行率": pct(d[f"execution.rate.{key}"], f"{label} 执行率")}, prefix))
    indicators, score_figs = [], [f_bs]
    for i, (l1, l2, slot, weight) in enumerate(OVERALL_INDICATORS):
        ind, target, actual = slot_table_figs(spec, slot, d)
        s = _score(d[f"score.indicator.{i}"], f"{ind} 得分")
        score_figs.append(s)
        indicators.append(IndicatorRow((l1, l2, ind), {
            "年度指标值": target, "实际完成值": actual,
            "分值": _score(D(weight), f"{ind} 分值"), "得分": s}))
    t_score = _score(d["self_eval.score"], "总分 得分", metric="self_eval.score")
    rels.append(rel_sum(t_score, score_figs, "总得分 = 预算执行得分 + 各指标得分"))
    table = SelfEvalTable("dept_overall", f"{name}{year}年度部门整体支出绩效自评表", "年度资金总额",
                          funds, indicators, _score(D(100), "总分 分值"), t_score)
    blocks.append(table.block())

    # 四、五 ------------------------------------------------------------------------------
    H(1, "四、存在的问题及原因分析")
    P(rng.choice(GENERIC_PROBLEMS[:2]), rng.choice(GENERIC_PROBLEMS[2:]).rstrip("；") + "。")
    H(1, "五、下一步改进措施")
    P(*GENERIC_PLANS[0].partition("“十四五”")[:1], Neg("“十四五”"),
      GENERIC_PLANS[0].partition("“十四五”")[2],
      *GENERIC_PLANS[1].partition("统一")[:1], Neg("统一"), GENERIC_PLANS[1].partition("统一")[2],
      GENERIC_PLANS[2])
    blocks.append(Para([name], "sign"))
    blocks.append(Para([_sign_date(rng, year)], "sign"))
    return Report(item.id, title, name, dept.region, year, GENRE_OVERALL, blocks, rels, d,
                  {"id": prev_id, "year": year - 1,
                   "metrics": {k: dstr(prev[k]) for k in
                               ("carryover.end", "final.expenditure", "final.project",
                                "execution.rate", "sangong.total", "operating_expenses")}},
                  table)


def build_project_report(item: PlanItem, d: dict, seed: int) -> Report:
    dept, year, spec = item.dept, item.year, item.dept.spec
    pspec = spec["projects"][item.project]
    rng = random.Random(f"{seed}/text/{item.id}")
    name = dept.name
    title = f"{name}{year}年度{pspec['name']}项目支出绩效自评报告"
    blocks: list = []
    rels: list = []
    P = lambda *segs: blocks.append(Para(list(segs)))  # noqa: E731
    H = lambda level, text: blocks.append(Heading(level, text))  # noqa: E731
    blocks.append(Para([title], "title"))
    blocks.append(Para([f"（{year}年度）"], "subtitle"))

    H(1, "一、项目基本情况")
    H(2, "（一）项目概况")
    P(pspec["name"], "项目是", name, "根据", f"《{dept.region}人民政府关于印发{dept.region}",
      f"{pspec['name']}实施方案的通知》（", _docno(rng, dept.region[0] + "政办发", year - 1),
      "）设立的部门预算项目，", pspec["desc"], "项目实施期为", Neg(f"{year}年1月至12月"), "。")
    H(2, "（二）项目资金安排及使用情况")
    f_ini = money(d["project.initial"], "项目年初预算")
    f_tot = money(d["project.total"], "全年预算数")
    f_app = money(d["project.appropriation"], "当年财政拨款")
    f_car = money(d["project.carried"], "上年结转资金")
    f_rec = money(d["funds.received"], "实际到位资金", metric="funds.received")
    f_rr = pct(d["funds.received_rate"], "资金到位率", metric="funds.received_rate")
    f_sp = money(d["project.spent"], "全年执行数")
    f_er = pct(d["execution.rate"], "预算执行率", metric="execution.rate")
    P("项目年初预算", f_ini, "，全年预算数", f_tot, "（其中当年财政拨款", f_app, "、上年结转资金",
      f_car, "），实际到位资金", f_rec, "，资金到位率", f_rr, "；全年执行数", f_sp, "，预算执行率",
      f_er, "。")
    rels.append(rel_sum(f_tot, [f_app, f_car], "全年预算数 = 当年财政拨款 + 上年结转资金"))
    rels.append(rel_ratio(f_rr, f_rec, f_tot, "资金到位率 = 到位资金 / 全年预算数"))
    rels.append(rel_ratio(f_er, f_sp, f_tot, "预算执行率 = 全年执行数 / 全年预算数"))

    rows_spec = project_indicator_rows(pspec)
    H(1, "二、项目绩效目标")
    segs: list = ["项目年度绩效目标为："]
    table_figs = {}
    for i, (_, _, slot, _) in enumerate(rows_spec):
        ind, target, actual = slot_table_figs(spec, slot, d)
        table_figs[i] = (ind, target, actual)
    for i, (_, l2, slot, _) in enumerate(rows_spec[:len(pspec["outputs"])]):
        ind, target, _ = table_figs[i]
        segs += [ind, fig(D(target.value), target.unit, ind + " 目标", q="不低于"), "，"]
    segs[-1] = "；"
    segs += [spec["pass_rate"], pct(D("0.95"), spec["pass_rate"] + " 目标", dp=0, q="不低于"),
             "，服务对象满意度", pct(D("0.9"), "服务对象满意度 目标", dp=0, q="不低于"), "。"]
    P(*segs)

    H(1, "三、项目绩效目标完成情况")
    H(2, "（一）产出指标完成情况")
    segs = ["截至", Neg(f"{year}年12月31日"), "，"]
    for slot in pspec["outputs"]:
        phrase = spec[slot][0] if isinstance(spec[slot], tuple) else spec[slot]
        segs += [phrase, slot_text_fig(spec, slot, d), "，"]
    segs[-1] = "；"
    segs += [spec["pass_rate"], slot_text_fig(spec, "pass_rate", d), "，各项任务均按期完成。"]
    P(*segs)
    H(2, "（二）效益指标完成情况")
    segs = []
    for slot in pspec["benefit"]:
        if slot == "decline":
            segs += [spec["decline"][0], "同比降低", slot_text_fig(spec, slot, d), "，"]
        elif slot == "cover":
            segs += [spec["cover"], slot_text_fig(spec, slot, d), "，"]
        elif slot == "duty":
            segs += [spec["duty"], slot_text_fig(spec, slot, d), "，"]
        elif slot == "consult":
            segs += [spec["consult"][0], slot_text_fig(spec, slot, d), "，"]
    segs += ["项目的社会效益逐步显现，进一步", spec["slogan"].replace("“最后一公里”", ""),
             Neg("“最后一公里”"), "。"]
    P(*segs)
    H(2, "（三）满意度指标完成情况")
    P("经抽样调查，", spec["satisfaction"], "为", slot_text_fig(spec, "satisfaction", d), "。")

    H(1, "四、自评结论")
    f_score = _score(d["self_eval.score"], "自评得分", metric="self_eval.score")
    P("经对照项目绩效目标逐项评价，", pspec["name"], "项目", f"{year}年度绩效自评得分", f_score,
      "，评价等级为“", _grade(d["self_eval.score"]), "”。")
    f_bs = _score(d["score.budget"], "预算执行 得分")
    t_tot = money(d["project.total"], "年度资金总额 全年预算数")
    t_sp = money(d["project.spent"], "年度资金总额 全年执行数")
    t_er = pct(d["execution.rate"], "年度资金总额 执行率", metric="execution.rate")
    funds = [FundsRow("年度资金总额", {
        "年初预算数": money(d["project.initial"], "年度资金总额 年初预算数"),
        "全年预算数": t_tot, "全年执行数": t_sp, "分值": _score(D(BUDGET_WEIGHT), "预算执行 分值"),
        "执行率": t_er, "得分": f_bs})]
    rels.append(rel_ratio(t_er, t_sp, t_tot, "自评表 执行率 = 全年执行数 / 全年预算数"))
    funds.append(FundsRow("当年财政拨款", {
        "年初预算数": money(d["project.initial"], "当年财政拨款 年初预算数"),
        "全年预算数": money(d["project.appropriation"], "当年财政拨款 全年预算数"),
        "全年执行数": money(d["project.spent.appropriation"], "当年财政拨款 全年执行数"),
        "执行率": pct(rate_of(d["project.spent.appropriation"], d["project.appropriation"]),
                      "当年财政拨款 执行率")}, "其中："))
    funds.append(FundsRow("上年结转资金", {
        "全年预算数": money(d["project.carried"], "上年结转资金 全年预算数"),
        "全年执行数": money(d["project.spent.carried"], "上年结转资金 全年执行数"),
        "执行率": pct(rate_of(d["project.spent.carried"], d["project.carried"]),
                      "上年结转资金 执行率")}))
    indicators, score_figs = [], [f_bs]
    for i, (l1, l2, slot, weight) in enumerate(rows_spec):
        ind, target, actual = table_figs[i]
        s = _score(d[f"score.indicator.{i}"], f"{ind} 得分")
        score_figs.append(s)
        indicators.append(IndicatorRow((l1, l2, ind), {
            "年度指标值": target, "实际完成值": actual,
            "分值": _score(D(weight), f"{ind} 分值"), "得分": s}))
    t_score = _score(d["self_eval.score"], "总分 得分", metric="self_eval.score")
    rels.append(rel_sum(t_score, score_figs, "总得分 = 预算执行得分 + 各指标得分"))
    table = SelfEvalTable("project", f"{pspec['name']}项目支出绩效自评表（{year}年度）", "项目资金",
                          funds, indicators, _score(D(100), "总分 分值"), t_score)
    blocks.append(table.block())

    H(1, "五、存在的问题和改进措施")
    P(rng.choice(GENERIC_PROBLEMS[:2]).replace("一是", "项目实施中"), "下一步将按照", Neg("统一"),
      "部署，加强项目全过程绩效管理，确保资金发挥最大效益。")
    blocks.append(Para([name], "sign"))
    blocks.append(Para([_sign_date(rng, year)], "sign"))
    return Report(item.id, title, name, dept.region, year, GENRE_PROJECT, blocks, rels, d,
                  self_eval=table)


# ---------------------------------------------------------------------------------------
# truth
# ---------------------------------------------------------------------------------------

def truth_json(report: Report) -> dict:
    figures = report.figures()
    index = {id(f): i for i, f in enumerate(figures)}
    metrics: dict[str, str] = {}
    for f in figures:
        if f.metric:
            value = dstr(f.norm_value)
            assert metrics.setdefault(f.metric, value) == value, (report.id, f.metric)
            assert f.metric in CANONICAL_METRICS, f.metric
            assert dstr(report.data[f.metric]) == value, (report.id, f.metric, value)
    relations = [relation_json(r, index) for r in report.relations]
    for rel in relations:
        assert rel["holds"], (report.id, rel)
    out = {
        "id": report.id, "title": report.title, "department": report.department,
        "region": report.region, "year": report.year, "genre": report.genre,
        "figures": [f.to_json() for f in figures],
        "metrics": dict(sorted(metrics.items())),
        "relations": relations,
        "negatives": report.negatives(),
    }
    if report.previous is not None:
        out["previous_year"] = report.previous
    if report.self_eval is not None:
        out["self_eval_table"] = report.self_eval.truth()
    return out


def dump_json(obj) -> str:
    """JSON with one list item per line: small, stable and readable in a diff."""
    return _dump(obj, 0) + "\n"


def _dump(value, indent: int) -> str:
    """A list of objects one item per line, an object longer than 100 characters one key
    per line (nested alike), anything else on one line."""
    def one(v) -> str:
        return json.dumps(v, ensure_ascii=False)
    pad = " " * indent
    if isinstance(value, list) and value and isinstance(value[0], dict):
        inner = ",\n".join(pad + " " + one(v) for v in value)
        return f"[\n{inner}\n{pad}]"
    if isinstance(value, dict) and value and (indent == 0 or len(one(value)) > 100):
        inner = ",\n".join(f"{pad} {one(k)}: {_dump(v, indent + 1)}" for k, v in value.items())
        return f"{{\n{inner}\n{pad}}}"
    return one(value)


# ---------------------------------------------------------------------------------------
# stage 3: renderers
# ---------------------------------------------------------------------------------------

def render_txt(report: Report) -> str:
    lines: list[str] = []
    for block in report.blocks:
        if isinstance(block, Heading):
            lines.append(block.text)
        elif isinstance(block, Para):
            lines.append(block.text)
        else:
            lines.append(block.caption)
            for row in block.rows:
                lines.append(" | ".join(cell_text(c) for c in row))
            lines.append("")
    return "\n".join(lines) + "\n"


def _h(text: str) -> str:
    return html.escape(text, quote=False)


def render_html(report: Report, dept: Department) -> str:
    out: list[str] = []
    for block in report.blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                out.append(f"<h2>{_h(block.text)}</h2>")
            elif block.level == 2:
                out.append(f"<h3>{_h(block.text)}</h3>")
            else:
                out.append(f'<p class="lvl{block.level}"><strong>{_h(block.text)}</strong></p>')
        elif isinstance(block, Para):
            if block.style == "title":
                out.append(f'<p style="text-align:center"><strong>{_h(block.text)}</strong></p>')
            elif block.style in ("subtitle", "sign"):
                align = "center" if block.style == "subtitle" else "right"
                out.append(f'<p style="text-align:{align}">{_h(block.text)}</p>')
            else:
                out.append(f'<p style="text-indent:2em">{_h(block.text)}</p>')
        else:
            out.append(f'<p style="text-align:center">{_h(block.caption)}</p>')
            out.append('<table class="MsoTableGrid" border="1" cellspacing="0" '
                       'cellpadding="4" style="border-collapse:collapse;width:100%">')
            for r, row in enumerate(block.rows):
                tag = "th" if r in block.header_rows else "td"
                cells = "".join(f"<{tag}>{_h(cell_text(c))}</{tag}>" for c in row)
                out.append(f"<tr>{cells}</tr>")
            out.append("</table>")
    body = "\n".join(out)
    rng = random.Random(f"html/{report.id}")
    site = f"{report.region}人民政府"
    published = f"{report.year + 1}-0{rng.randint(4, 8)}-{rng.randint(10, 28)}"
    page_id = rng.randint(100000, 999999)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_h(report.title)}_{_h(site)}</title>
<meta name="ArticleTitle" content="{html.escape(report.title)}">
<meta name="ContentSource" content="{html.escape(report.department)}">
<link rel="stylesheet" href="/static/css/common.css">
<script type="text/javascript">
var pageId = {page_id};
var pageSize = 20;
function setFontSize(size) {{
  document.getElementById("zoom").style.fontSize = size + "px";
}}
</script>
</head>
<body>
<div class="topbar"><div class="wrap"><span>欢迎访问{_h(site)}门户网站</span><a href="/wza/">无障碍</a> <a href="/m/">手机版</a></div></div>
<div class="header"><div class="wrap"><h1 class="logo"><a href="/">{_h(site)}</a></h1></div></div>
<div class="nav"><ul>
<li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/zjxq/">走进{_h(report.region)}</a></li>
</ul></div>
<div class="breadcrumb wrap">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/czzj/">财政资金</a> &gt; <span>绩效评价</span></div>
<div class="article wrap">
<h1 class="article-title">{_h(report.title)}</h1>
<div class="article-info">发布时间：{published}　来源：{_h(report.department)}　字号：<a href="javascript:setFontSize(18)">大</a> <a href="javascript:setFontSize(16)">中</a> <a href="javascript:setFontSize(14)">小</a></div>
<div class="content" id="zoom">
{body}
</div>
<div class="article-tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</div>
<div class="footer"><div class="wrap">
<p>版权所有：{_h(site)}　主办：{_h(site)}办公室</p>
<p>联系电话：{dept.phone}　地址：{_h(report.region)}人民路{rng.randint(1, 300)}号</p>
<p>网站标识码：{rng.randint(1000000000, 9999999999)}　备案号：ICP备{rng.randint(10000000, 99999999)}号</p>
</div></div>
<script src="/static/js/jquery.min.js"></script>
<script type="text/javascript">
$(function () {{ $(".nav li").eq(1).addClass("on"); }});
</script>
</body>
</html>
"""


FIXED_DATETIME = (2024, 1, 1, 0, 0, 0)


def render_docx(report: Report) -> bytes:
    import datetime

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = docx.Document()
    stamp = datetime.datetime(2024, 1, 1, 0, 0, 0)
    cp = doc.core_properties
    cp.author = cp.last_modified_by = "perfx corpus generator"
    cp.title = report.title
    cp.subject = report.genre
    cp.comments = "synthetic report generated by scripts/generate_corpus.py"
    cp.created = cp.modified = cp.last_printed = stamp
    cp.revision = 1
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    for level in range(1, 5):
        style = doc.styles[f"Heading {level}"]
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")

    section = doc.sections[0]
    section.header.paragraphs[0].text = report.department
    section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("- ")
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    footer._p.append(fld)
    footer.add_run(" -")

    for block in report.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Para):
            if block.style == "title":
                doc.add_heading(block.text, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                p = doc.add_paragraph(block.text)
                if block.style == "subtitle":
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                elif block.style == "sign":
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                else:
                    p.paragraph_format.first_line_indent = Pt(24)
        else:
            doc.add_paragraph(block.caption).alignment = WD_ALIGN_PARAGRAPH.CENTER
            ncols = max(len(r) for r in block.rows)
            table = doc.add_table(rows=len(block.rows), cols=ncols)
            table.style = "Table Grid"
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell_text(cell)
                    if r in block.header_rows:
                        for run_ in table.cell(r, c).paragraphs[0].runs:
                            run_.bold = True
            doc.add_paragraph("")
    _prune_styles(doc, [section.header._element, section.footer._element])
    raw = io.BytesIO()
    doc.save(raw)
    return _stable_zip(raw.getvalue())


XLSX_SHEET_NAMES = {"dept_overall": "部门整体支出绩效自评表", "project": "项目支出绩效自评表"}
XLSX_MAX_SHEET_NAME = 31  # Excel's limit


def render_xlsx(report: Report) -> bytes:
    """The report's self-evaluation table as a one-sheet workbook (the attachment a unit
    files with its report): the sheet named by the caption, the caption in a merged first
    row, 填报单位 in the second, then the table, every cell as written in the report. Fixed
    properties and zip timestamps: same bytes every run."""
    import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    table = report.self_eval.block()
    book = Workbook()
    stamp = datetime.datetime(*FIXED_DATETIME)
    props = book.properties
    props.creator = props.lastModifiedBy = "perfx corpus generator"
    props.title = table.caption
    props.subject = report.genre
    props.created = props.modified = stamp
    sheet = book.active
    sheet.title = (table.caption if len(table.caption) <= XLSX_MAX_SHEET_NAME
                   else XLSX_SHEET_NAMES[report.self_eval.kind])
    ncols = max(len(row) for row in table.rows)
    sheet.append([table.caption])
    sheet.append([f"填报单位：{report.department}"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    shade = PatternFill("solid", fgColor="E6E6E6")
    for r, row in enumerate(table.rows):
        sheet.append([cell_text(cell) for cell in row])
        for c in range(1, len(row) + 1):
            cell = sheet.cell(r + 3, c)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if r in table.header_rows:
                cell.font = Font(bold=True)
                cell.fill = shade
    for c in range(1, ncols + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 16 if c > 3 else 22
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # save_workbook would stamp "modified" with now
    return _stable_zip(raw.getvalue())


def _prune_styles(doc, extra_parts: list) -> None:
    """Drop the template's unused styles and latent styles (most of the file's size)."""
    from docx.oxml.ns import qn
    root = doc.styles.element
    used: set[str] = set()
    for part in [doc.element] + extra_parts:
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            for el in part.iter(qn(tag)):
                used.add(el.get(qn("w:val")))
    styles = {el.get(qn("w:styleId")): el for el in root.iter(qn("w:style"))}
    used |= {sid for sid, el in styles.items() if el.get(qn("w:default")) == "1"}
    todo = list(used)
    while todo:
        el = styles.get(todo.pop())
        if el is None:
            continue
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = el.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) not in used:
                used.add(ref.get(qn("w:val")))
                todo.append(ref.get(qn("w:val")))
    for sid, el in styles.items():
        if sid not in used:
            root.remove(el)
    for el in root.findall(qn("w:latentStyles")):
        root.remove(el)


DOCX_DROP = ("docProps/thumbnail.jpeg", "word/stylesWithEffects.xml", "customXml/")


def _stable_zip(data: bytes) -> bytes:
    """Rewrite an Office zip (docx, xlsx) with fixed timestamps, without a docx template's
    optional extras (thumbnail, stylesWithEffects, customXml), so the bytes are small and
    time-free."""
    import re
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            name = info.filename
            if name.startswith(DOCX_DROP):
                continue
            blob = src.read(name)
            if name.endswith(".rels") or name == "[Content_Types].xml":
                text = blob.decode("utf-8")
                text = re.sub(r'<(Relationship|Override)\b[^>]*(thumbnail\.jpeg|'
                              r'stylesWithEffects|customXml)[^>]*/>', "", text)
                text = text.replace('<Default Extension="jpeg" ContentType="image/jpeg"/>', "")
                blob = text.encode("utf-8")
            fixed_info = zipfile.ZipInfo(name, FIXED_DATETIME)
            fixed_info.compress_type = zipfile.ZIP_DEFLATED
            fixed_info.external_attr = 0o644 << 16
            dst.writestr(fixed_info, blob)
    return out.getvalue()


_PDF_READY = False


def _pdf_setup() -> None:
    global _PDF_READY
    if not _PDF_READY:
        from reportlab import rl_config
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        rl_config.invariant = 1
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        _PDF_READY = True


def _x(text: str) -> str:
    return html.escape(text, quote=False)


def render_pdf(report: Report) -> bytes:
    _pdf_setup()
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    font = "STSong-Light"
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=20, wordWrap="CJK",
                          firstLineIndent=24, spaceAfter=2)
    styles = {
        "title": ParagraphStyle("title", parent=body, fontSize=18, leading=26,
                                alignment=TA_CENTER, firstLineIndent=0, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", parent=body, alignment=TA_CENTER,
                                   firstLineIndent=0, spaceAfter=10),
        "sign": ParagraphStyle("sign", parent=body, alignment=TA_RIGHT, firstLineIndent=0),
        "body": body,
    }
    heads = {lvl: ParagraphStyle(f"h{lvl}", parent=body, fontSize=size, leading=size + 8,
                                 firstLineIndent=0 if lvl == 1 else 24, spaceBefore=6,
                                 spaceAfter=3)
             for lvl, size in ((1, 15), (2, 13), (3, 12), (4, 12))}
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11,
                                wordWrap="CJK", alignment=TA_CENTER)
    caption = ParagraphStyle("caption", parent=body, fontSize=12, alignment=TA_CENTER,
                             firstLineIndent=0, spaceBefore=6, spaceAfter=4)

    buf = io.BytesIO()
    margin = 25 * mm
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=margin, rightMargin=margin,
                            topMargin=28 * mm, bottomMargin=25 * mm, invariant=1,
                            title=report.title, author=report.department,
                            subject=report.genre, creator="perfx corpus generator")
    avail = A4[0] - 2 * margin

    def decorate(canvas, doc_):
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 16 * mm, report.department)
        canvas.setLineWidth(0.5)
        canvas.line(margin, A4[1] - 18 * mm, A4[0] - margin, A4[1] - 18 * mm)
        canvas.setFont(font, 10)
        canvas.drawCentredString(A4[0] / 2, 14 * mm, f"- {doc_.page} -")
        canvas.restoreState()

    story = []
    for block in report.blocks:
        if isinstance(block, Heading):
            story.append(Paragraph(_x(block.text), heads[block.level]))
        elif isinstance(block, Para):
            story.append(Paragraph(_x(block.text), styles[block.style]))
        else:
            story.append(Paragraph(_x(block.caption), caption))
            texts = [[cell_text(c) for c in row] for row in block.rows]
            ncols = max(len(r) for r in texts)
            # figure cells keep their natural width; text columns share the rest
            need = [max((stringWidth(t[c], font, 8.5) + 8 for t in texts
                         if c < len(t) and any(ch.isdigit() for ch in t[c])), default=24)
                    for c in range(ncols)]
            natural = [max(stringWidth(t[c], font, 8.5) + 8 for t in texts if c < len(t))
                       for c in range(ncols)]
            spare = avail - sum(need)
            extra = [max(0.0, natural[c] - need[c]) for c in range(ncols)]
            widths = [need[c] + (spare * extra[c] / sum(extra) if sum(extra) else
                                 spare / ncols) for c in range(ncols)]
            data = [[Paragraph(_x(t), cell_style) for t in row] for row in texts]
            table = RLTable(data, colWidths=widths, repeatRows=1)
            style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                     ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                     ("LEFTPADDING", (0, 0), (-1, -1), 3),
                     ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
            for r in block.header_rows:
                style.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#e6e6e6")))
            table.setStyle(TableStyle(style))
            story.append(table)
            story.append(Spacer(1, 6))
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------
# driver
# ---------------------------------------------------------------------------------------

def build_reports(count: int, seed: int = DEFAULT_SEED) -> list[tuple[PlanItem, Report]]:
    """The first ``count`` reports of the plan, built (not rendered)."""
    out = []
    series_cache: dict[str, dict] = {}
    for item in report_plan(count):
        dept = item.dept
        key = f"{dept.slug}/{dept.years[0]}"
        if key not in series_cache:
            series_cache[key] = department_series(dept, seed)
        series = series_cache[key]
        if item.genre == GENRE_OVERALL:
            prev_year = item.year - 1
            prev_id = f"{dept.slug}_{prev_year}" if prev_year in dept.years else None
            report = build_overall_report(item, series[item.year], series[prev_year], prev_id,
                                          seed)
        else:
            d = project_data(dept, item.year, item.project, series[item.year], seed)
            report = build_project_report(item, d, seed)
        out.append((item, report))
    return out


def _mismatch():
    """scripts/corpus_mismatch.py, imported from beside this file."""
    folder = str(Path(__file__).resolve().parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    import corpus_mismatch
    return corpus_mismatch


def generate(out: Path, count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED,
             formats: tuple = ALL_FORMATS) -> list[dict]:
    """Write ``count`` reports into ``out``; returns the index entries."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(exist_ok=True)
    index, flattened = [], []
    for item, report in build_reports(count, seed):
        truth = truth_json(report)
        if "txt" in formats:  # the same text with its tables flattened (scripts/corpus_flattened.py)
            flattened += _flattened().write(out, report, dump_json, cell_text,
                                            lambda block: isinstance(block, Table))
        (out / "truth" / f"{report.id}.json").write_text(dump_json(truth), encoding="utf-8")
        files = []
        for fmt in formats:
            path = out / f"{report.id}.{fmt}"
            if fmt == "xlsx":
                path = out / ATTACHMENTS / f"{report.id}.xlsx"
                path.parent.mkdir(exist_ok=True)
                path.write_bytes(render_xlsx(report))
            elif fmt == "txt":
                path.write_text(render_txt(report), encoding="utf-8")
            elif fmt == "html":
                path.write_text(render_html(report, item.dept), encoding="utf-8")
            elif fmt == "docx":
                path.write_bytes(render_docx(report))
            elif fmt == "pdf":
                path.write_bytes(render_pdf(report))
            else:
                raise ValueError(f"unknown format {fmt!r}")
            files.append(path.relative_to(out).as_posix())
        index.append({"id": report.id, "title": report.title, "department": report.department,
                      "region": report.region, "year": report.year, "genre": report.genre,
                      "figures": len(truth["figures"]), "files": files,
                      "truth": f"truth/{report.id}.json"})
    (out / "index.json").write_text(dump_json({"seed": seed, "count": count,
                                               "reports": index, "flattened": flattened}),
                                    encoding="utf-8")
    _mismatch().write(out, seed)  # mismatch/: reports with planted mismatches (docs/corpus.md)
    return index


def _flattened():
    """scripts/corpus_flattened.py, imported from beside this script."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import corpus_flattened
    return corpus_flattened


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output folder (default: the repository's corpus/)")
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT,
                        help=f"number of reports (default {DEFAULT_COUNT})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--formats", default=",".join(ALL_FORMATS),
                        help="comma-separated formats: txt,docx,pdf,html,xlsx (xlsx: the "
                             "self-evaluation table, as attachments/<id>.xlsx)")
    args = parser.parse_args(argv)
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    unknown = set(formats) - set(ALL_FORMATS)
    if unknown:
        parser.error(f"unknown format(s): {', '.join(sorted(unknown))}")
    if args.count < 1:
        parser.error("--count must be at least 1")
    index = generate(args.out, args.count, args.seed, formats)
    print(f"wrote {len(index)} reports x {len(formats)} formats to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
