"""Sample reports with planted mismatches, for ``corpus/mismatch/`` (docs/corpus.md).

A new user running ``perfx ingest corpus -o outputs`` and ``perfx report`` sees the checker at
work: each report here states some figures that do not add up, of the kinds real reports get
wrong (issue 11), next to the same structures written correctly:

- a share list (支出…主要用于：A x万元，占r%；…) with one share off;
- a 其中 list whose parts stand in the paragraphs below its head, with an explanation between;
- 三公 total against 因公出国（境） + 公务用车购置及运行 + 公务接待, one part written 0万元;
- a change against two stated values (比上年 B 减少 C) and a change with its rate
  (较上年增加 C，增长 r%, r = C / (A − C));
- an execution rate in a table row (执行率 = 全年执行数 / 全年预算数);
- a project's self-evaluation form: 年度资金总额 against its 其中 rows, and 总分 against the
  funds row's weight and score plus every indicator's.

Every number is computed here from the generator's seed, so the files are reproducible;
``truth/<id>.json`` lists each relation in the gold format of ../shared/corpus/README.md
(kind, figure texts, holds). Called from ``generate_corpus.generate`` (one line).
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

FOLDER = "mismatch"
CENT = Decimal("0.01")

UNITS = [("qinghe-wenlv", "青禾县文化和旅游局", "青禾县"),
         ("linjiang-shijian", "临江区市场监督管理局", "临江区"),
         ("yunxi-ziran", "云溪区自然资源局", "云溪区")]
YEARS = (2022, 2023)


def q(value: Decimal, places: Decimal = CENT) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def w(value: Decimal) -> str:
    """A decimal as written: plain notation, the places it was quantized to."""
    return format(value, "f")


@dataclass
class Doc:
    id: str
    title: str
    department: str
    year: int
    lines: list[str] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.lines.append(text)

    def relate(self, relation: dict) -> None:
        self.relations.append(relation)


def _amount(rng: random.Random, low: int, high: int) -> Decimal:
    return q(Decimal(rng.randint(low * 100, high * 100)) / 100)


def share_list(doc: Doc, rng: random.Random, plant: bool) -> None:
    """支出 T，主要用于：A a，占 ra%；B b，占 rb%；C c，占 rc% — one share one cent off."""
    parts = [_amount(rng, 300, 600), _amount(rng, 60, 180), _amount(rng, 15, 45)]
    total = sum(parts)
    rates = [q(p / total * 100) for p in parts]
    if plant:
        rates[2] = rates[2] + CENT  # the last share written one hundredth of a point high
    names = ("一般公共服务支出", "文化旅游体育与传媒支出", "其他支出")
    items = "；".join(f"{n}{w(p)}万元，占{w(r)}%" for n, p, r in zip(names, parts, rates))
    doc.add(f"{doc.year}年本部门支出合计{w(total)}万元，主要用于：{items}。")
    doc.relate({"kind": "sum", "total": f"{w(total)}万元", "parts": [f"{w(p)}万元" for p in parts],
                "holds": True, "note": "支出合计 = 主要用于的三项"})
    for n, (p, r) in enumerate(zip(parts, rates)):
        holds = not (plant and n == 2)
        doc.relate({"kind": "ratio", "rate": f"{w(r)}%", "numerator": f"{w(p)}万元",
                    "denominator": f"{w(total)}万元", "holds": holds,
                    "note": f"占比 = 分项 / 支出合计 = {w(q(p / total * 100, Decimal('0.0001')))}%"})


def list_below(doc: Doc, rng: random.Random, plant: bool) -> None:
    """基本支出 B，其中： / 人员经费 b1，（说明） / 公用经费 b2 — over three paragraphs."""
    b1, b2 = _amount(rng, 400, 700), _amount(rng, 60, 120)
    head = b1 + b2 + (Decimal("1.20") if plant else 0)
    doc.add(f"基本支出{w(head)}万元，其中：")
    doc.add(f"人员经费{w(b1)}万元，主要包括基本工资、津贴补贴、绩效工资和社会保障缴费，"
            "保障了在职人员的正常运转和各项待遇的按时发放。")
    doc.add(f"公用经费{w(b2)}万元，主要用于办公费、水电费、差旅费和公务用车运行维护等日常开支。")
    doc.relate({"kind": "sum", "total": f"{w(head)}万元", "parts": [f"{w(b1)}万元", f"{w(b2)}万元"],
                "holds": not plant, "note": "基本支出 = 人员经费 + 公用经费（分段列出）"})


def sangong(doc: Doc, rng: random.Random, plant: bool) -> dict:
    """三公 total against its three parts, 因公出国（境） written 0万元."""
    vehicle, reception = _amount(rng, 8, 30), _amount(rng, 1, 9)
    total = vehicle + reception + (Decimal("1.50") if plant else 0)  # beyond 0万元's own ±0.5
    doc.add(f"{doc.year}年“三公”经费支出{w(total)}万元，其中：因公出国（境）费0万元，"
            f"公务用车购置及运行费{w(vehicle)}万元，公务接待费{w(reception)}万元。")
    doc.relate({"kind": "sum", "total": f"{w(total)}万元",
                "parts": ["0万元", f"{w(vehicle)}万元", f"{w(reception)}万元"], "holds": not plant,
                "note": "三公 = 因公出国（境） + 公务用车购置及运行 + 公务接待"})
    return {"reception": reception}


def changes(doc: Doc, rng: random.Random, reception: Decimal, plant_diff: bool, plant_rate: bool) -> None:
    """比上年 B 减少 C (C = B − A), and 较上年增加 C，增长 r% (r = C / (A − C))."""
    previous = reception + _amount(rng, 1, 3)
    change = previous - reception + (Decimal("0.10") if plant_diff else 0)
    doc.add(f"公务接待费{w(reception)}万元，比上年{w(previous)}万元减少{w(change)}万元，"
            "主要是严格控制接待范围和标准。")
    doc.relate({"kind": "difference", "result": f"{w(change)}万元", "minuend": f"{w(previous)}万元",
                "subtrahend": f"{w(reception)}万元", "holds": not plant_diff, "note": "上年 − 本年"})
    meeting, rise = _amount(rng, 4, 12), _amount(rng, 1, 3)
    rate = q(rise / (meeting - rise) * 100)
    if plant_rate:
        rate = q(rise / meeting * 100)  # the change over this year's value, not last year's
    doc.add(f"会议费决算数{w(meeting)}万元，较上年增加{w(rise)}万元，增长{w(rate)}%，"
            "主要是新增业务培训。")
    doc.relate({"kind": "growth_change", "rate": f"{w(rate)}%", "current": f"{w(meeting)}万元",
                "change": f"{w(rise)}万元", "direction": "increase", "holds": not plant_rate,
                "note": "增长率 = 增加额 / (本年 − 增加额)"})


def execution_table(doc: Doc, rng: random.Random, plant: bool) -> None:
    """A table of projects: 执行率 = 全年执行数 / 全年预算数 in the same row."""
    doc.add("表1 项目资金执行情况（单位：万元）")
    doc.add("项目名称 | 全年预算数 | 全年执行数 | 执行率")
    names = ("文物保护修缮", "公共文化服务补助") if doc.department.endswith("旅游局") else \
        ("专项检查抽检", "信息系统运维")
    for n, name in enumerate(names):
        budget = _amount(rng, 50, 200)
        spent = q(budget * Decimal(rng.randint(80, 99)) / 100)
        rate = q(spent / budget * 100)
        wrong = plant and n == 0
        if wrong:
            rate = rate + Decimal(5)
        doc.add(f"{name} | {w(budget)} | {w(spent)} | {w(rate)}%")
        doc.relate({"kind": "ratio", "rate": f"{w(rate)}%", "numerator": w(spent), "denominator": w(budget),
                    "holds": not wrong, "note": "执行率 = 全年执行数 / 全年预算数"})


def self_eval_form(doc: Doc, rng: random.Random, plant_funds: bool, plant_total: bool) -> None:
    """A project's form: 年度资金总额 = 其中 rows per column; 总分 = funds row + indicators."""
    central, local = _amount(rng, 40, 90), _amount(rng, 10, 30)
    budget = central + local + (Decimal("1.00") if plant_funds else 0)
    spent_central, spent_local = q(central * Decimal("0.96")), q(local * Decimal("0.90"))
    spent = spent_central + spent_local
    rate = q(spent / budget * 100)
    funds_score = q(rate / 10, Decimal("0.1"))
    doc.add(f"表2 {doc.year}年度业务培训项目支出绩效自评表")
    doc.add("项目资金（万元） | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分")
    doc.add(f"年度资金总额 | {w(budget)} | {w(spent)} | 10 | {w(rate)}% | {w(funds_score)}")
    doc.add(f"其中：上级补助 | {w(central)} | {w(spent_central)} | / | / | /")
    doc.add(f"本级安排 | {w(local)} | {w(spent_local)} | / | / | /")
    doc.relate({"kind": "sum", "total": w(budget), "parts": [w(central), w(local)], "holds": not plant_funds,
                "note": "年度资金总额 = 其中各行（全年预算数）"})
    doc.add("一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分")
    rows = [("产出指标", "数量指标", "培训人次", "300人次", f"{rng.randint(300, 360)}人次", 40),
            ("产出指标", "质量指标", "考核合格率", "≥90%", f"{rng.randint(91, 99)}%", 20),
            ("效益指标", "社会效益指标", "业务能力提升", "明显", "明显", 20),
            ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", f"{rng.randint(92, 99)}%", 10)]
    scores = [Decimal(weight) - Decimal(rng.randint(0, 2)) for *_, weight in rows]
    for (level1, level2, name, target, actual, weight), score in zip(rows, scores):
        doc.add(f"{level1} | {level2} | {name} | {target} | {actual} | {weight} | {score}")
    total = funds_score + sum(scores) + (Decimal(2) if plant_total else 0)
    doc.add(f"总分 | / | / | / | / | 100 | {w(total)}")
    doc.relate({"kind": "sum", "total": w(total), "parts": [w(funds_score)] + [str(s) for s in scores],
                "holds": not plant_total, "note": "总分（得分）= 资金执行得分 + 各指标得分"})


def build(seed: int) -> list[Doc]:
    """The reports, each planting a different mix of mismatches."""
    docs = []
    for number, ((slug, department, _), year) in enumerate(
            [(u, y) for u in UNITS for y in YEARS][:4]):
        rng = random.Random(seed * 1000 + number)
        doc = Doc(id=f"{slug}_{year}", title=f"{department}{year}年度部门整体支出绩效自评报告",
                  department=department, year=year)
        doc.add(doc.title)
        doc.add("一、部门预算收支情况")
        share_list(doc, rng, plant=number % 2 == 0)
        list_below(doc, rng, plant=number % 2 == 1)
        doc.add("二、“三公”经费支出情况")
        found = sangong(doc, rng, plant=number in (0, 3))
        changes(doc, rng, found["reception"], plant_diff=number == 1, plant_rate=number == 2)
        doc.add("三、项目支出执行情况")
        execution_table(doc, rng, plant=number in (1, 2))
        self_eval_form(doc, rng, plant_funds=number in (0, 2), plant_total=number in (1, 3))
        doc.add("四、绩效自评结论")
        doc.add("本部门整体支出绩效自评结果为良。")
        docs.append(doc)
    return docs


def write(out: Path, seed: int) -> list[dict]:
    """Write the reports (txt) and their truth into ``out/mismatch/``; returns the index."""
    folder = out / FOLDER
    (folder / "truth").mkdir(parents=True, exist_ok=True)
    index = []
    for doc in build(seed):
        (folder / f"{doc.id}.txt").write_text("\n".join(doc.lines) + "\n", encoding="utf-8")
        truth = {"id": doc.id, "title": doc.title, "department": doc.department, "year": doc.year,
                 "relations": doc.relations}
        (folder / "truth" / f"{doc.id}.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        index.append({"id": doc.id, "files": [f"{FOLDER}/{doc.id}.txt"],
                      "truth": f"{FOLDER}/truth/{doc.id}.json",
                      "planted": sum(1 for r in doc.relations if r["holds"] is False)})
    (folder / "index.json").write_text(json.dumps({"seed": seed, "reports": index}, ensure_ascii=False,
                                                  indent=1) + "\n", encoding="utf-8")
    return index
