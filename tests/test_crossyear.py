"""Cross-year checks: carryover continuity and 比上年 claims against the previous report.

The recall/precision test builds a multi-year corpus of report JSONs (departments written
differently across years, gaps, duplicate copies, in-report and non-metric distractors) with
mismatches planted at random, and scores the findings against the planted set."""
from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from test_compare import loaded, make_figure, make_report

from extractor.compare import build_table
from extractor.crossyear import (
    cross_year_findings,
    growth_claim,
    rule_id,
    rule_spec,
    subject_metric,
)
from extractor.load_reports import LoadedReport

D = Decimal
Q2 = D("0.01")


def wan_text(yuan: Decimal) -> str:
    return format((yuan / 10000).quantize(Q2), "f")


def test_subject_metric_takes_the_last_name_before_the_phrase():
    assert subject_metric("机关运行经费支出165.56万元，") == "operating_expenses"
    assert subject_metric("本年支出合计") == "final.expenditure"
    assert subject_metric("全年预算执行率为97.28%（本年支出合计/调整后预算支出），") == "execution.rate"
    assert subject_metric("2022年“三公”经费支出合计44.18万元，") == "sangong.total"
    assert subject_metric("全区生产安全事故起数") is None


def _claim(sentence: str, text: str, value: str, unit: str, direction: str, kind="rate", **kw):
    report = LoadedReport(make_report("云溪区应急管理局", 2022))
    return growth_claim(report, make_figure("g1", text, value, unit, kind, sentence,
                                            direction=direction, **kw), 2022)


def test_growth_claims_are_recognised_and_distractors_are_not():
    c = _claim("机关运行经费支出165.56万元，比上年下降14.91%。", "14.91%", "14.91", "%", "down")
    assert (c.key, c.mode, c.value) == ("operating_expenses", "pct", D("-14.91"))
    c = _claim("全年预算执行率为97.28%（本年支出合计/调整后预算支出），较上年提高0.12个百分点。",
               "0.12个百分点", "0.12", "个百分点", "up")
    assert (c.key, c.mode, c.value) == ("execution.rate", "pp", D("0.12"))
    c = _claim("本年支出合计比上年增加513.80万元。", "513.80万元", "513.80", "万元", "up", kind="money")
    assert (c.key, c.mode, c.value, c.unit) == ("final.expenditure", "abs", D("513.80"), "万元")
    # the previous value stated in the same sentence: the in-report checker's business
    assert _claim("“三公”经费支出合计44.18万元，较上年的46.89万元下降5.78%。", "5.78%", "5.78", "%",
                  "down") is None
    assert _claim("全区生产安全事故起数同比降低12.3%。", "12.3%", "12.3", "%", "down") is None
    assert _claim("调整后预算较年初预算增加474.69万元。", "474.69万元", "474.69", "万元", "up",
                  kind="money") is None
    assert _claim("机关运行经费比2020年下降14.91%。", "14.91%", "14.91", "%", "down") is None
    assert _claim("机关运行经费比上年下降约14.91%。", "约14.91%", "14.91", "%", "down",
                  approx=True) is None


def _carry(begin: tuple, end: tuple):
    return loaded(make_report("临江区城市管理局", 2021, {"carryover.end": end}),
                  make_report("临江区城市管理局", 2022, {"carryover.begin": begin}))


def test_carryover_tolerance_follows_written_precision():
    same = _carry(("2779000", "元", "277.90", "万元"), ("2779000", "元", "277.90", "万元"))
    assert cross_year_findings(same) == []
    # 277.9万元 stands for 2778500..2779500元: 2779012元 fits
    coarse = _carry(("2779000", "元", "277.9", "万元"), ("2779012", "元", "2779012", "元"))
    assert cross_year_findings(coarse) == []
    # one unit in the last place at equal precision is a real difference
    off = _carry(("2769100", "元", "276.91", "万元"), ("2769000", "元", "276.90", "万元"))
    [finding] = cross_year_findings(off)
    assert finding["rule"] == rule_id("carryover") and finding["severity"] == "error"
    assert finding["family"] == rule_spec("carryover")["family"]
    assert (finding["expected"], finding["found"], finding["difference"]) == ("276.9", "276.91", "0.01")
    assert [f["role"] for f in finding["figures"]] == ["begin", "end"]
    assert [f["year"] for f in finding["figures"]] == [2022, 2021]
    assert finding["figures"][0]["text"] == "276.91万元" and finding["figures"][0]["sha256"]
    assert "年初结转和结余" in finding["message_zh"] and "carryover" in finding["message_en"]


def test_growth_finding_has_expected_found_difference():
    prev = make_report("云溪区应急管理局", 2021, {"operating_expenses": ("1945700", "元", "194.57", "万元")})
    claim = make_figure("g1", "14.00%", "14.00", "%", "rate", "机关运行经费支出165.56万元，比上年下降14.00%。",
                        direction="down")
    cur = make_report("云溪区应急管理局", 2022, {"operating_expenses": ("1655600", "元", "165.56", "万元")},
                      figures=[claim])
    [finding] = cross_year_findings(loaded(prev, cur))
    assert finding["rule"] == rule_id("growth") and finding["metric"] == "operating_expenses"
    assert (finding["expected"], finding["found"], finding["difference"]) == ("-14.91", "-14", "0.91")
    assert [f["role"] for f in finding["figures"]] == ["rate", "current", "previous"]
    assert "下降14.00%" in finding["message_zh"] and "194.57万元" in finding["message_zh"]
    assert finding["figures"][0]["sentence"].startswith("机关运行经费支出")
    claim["value"], claim["text"] = "14.91", "14.91%"
    assert cross_year_findings(loaded(prev, cur)) == []


# ---------------------------------------------------------------------------------------
# planted mismatches: recall and precision
# ---------------------------------------------------------------------------------------

def _growth(c: Decimal, p: Decimal) -> Decimal:
    return ((c - p) / p * 100).quantize(Q2, ROUND_HALF_UP)


def _plant(rng: random.Random, value: Decimal) -> Decimal:
    """A wrong claim: off by 0.01 to 3.00 either way."""
    delta = D(rng.randint(1, 300)) / 100 * rng.choice((1, -1))
    return value + delta


def build_corpus(seed: int = 7, departments: int = 60, rate: float = 0.25):
    rng = random.Random(seed)
    reports: list[dict] = []
    planted: set[tuple] = set()
    checks = 0
    regions = ["云溪区", "青禾县", "临江区", "东山县", "南河区", "北湖区", "安林县", "宁泉区"]
    bureaus = ["应急管理局", "农业农村局", "城市管理局", "市场监督管理局", "水利局", "教育体育局",
               "卫生健康委员会", "自然资源局"]
    for d in range(departments):
        name = regions[d % len(regions)] + bureaus[(d // len(regions)) % len(bureaus)]
        if d >= len(regions) * len(bureaus):
            name = f"第{d}" + name  # keep names distinct
        years = [2019, 2020, 2021, 2022]
        if d % 7 == 3:
            years.remove(2021)  # a gap: 2022 cannot be checked against 2020
        exp = D(rng.randint(20000, 90000)) * 1000
        ope = D(rng.randint(1000, 3000)) * 1000
        sg = D(rng.randint(200, 900)) * 1000
        rate_ = D(rng.randint(9000, 9990)) / 10000
        carry = D(rng.randint(100, 5000)) * 1000
        previous = None
        for year in years:
            exp = (exp * D(rng.uniform(0.85, 1.2)) / 100).quantize(D(1)) * 100
            ope = (ope * D(rng.uniform(0.8, 1.15)) / 100).quantize(D(1)) * 100
            sg = (sg * D(rng.uniform(0.8, 1.15)) / 100).quantize(D(1)) * 100
            rate_ = min(D("0.9999"), rate_ + D(rng.randint(-150, 150)) / 10000)
            begin = carry
            carry = D(rng.randint(100, 5000)) * 1000
            shown = [name, f"某市{name}", name.replace("局", "局（本级）"), name[:3] + " " + name[3:]][year % 4]
            checkable = previous is not None and previous["year"] == year - 1
            metrics = {"final.expenditure": (str(exp), "元", wan_text(exp), "万元"),
                       "operating_expenses": (str(ope), "元", wan_text(ope), "万元"),
                       "sangong.total": (str(sg), "元", wan_text(sg), "万元"),
                       "execution.rate": (str(rate_), "", format(rate_ * 100, "f"), "%"),
                       "carryover.end": (str(carry), "元", wan_text(carry), "万元")}
            if checkable:
                checks += 1
                stated = begin
                if rng.random() < rate:
                    stated = begin + D(rng.randint(1, 5000)) * 100 * rng.choice((1, -1))
                    planted.add((name, year, "carryover", "carryover.begin"))
                metrics["carryover.begin"] = (str(stated), "元", wan_text(stated), "万元")
            figures = []
            if checkable:
                p = previous
                claims = [
                    ("final.expenditure", "pct", _growth(exp, p["exp"]),
                     rng.choice(["本年支出合计较上年{w}{v}%。", "全年总支出{x}万元，比上年{w}{v}%。",
                                 "本年度支出合计与上年相比{w}{v}%。"])),
                    ("operating_expenses", "pct", _growth(ope, p["ope"]), "机关运行经费支出{x}万元，比上年{w}{v}%。"),
                    ("sangong.total", "pct", _growth(sg, p["sg"]), "“三公”经费支出合计{x}万元，同比{w}{v}%。"),
                    ("execution.rate", "pp", (rate_ - p["rate"]) * 100,
                     "全年预算执行率为{r}%（本年支出合计/调整后预算支出），较上年{w}{v}个百分点。"),
                    ("final.expenditure", "abs", ((exp - p["exp"]) / 10000).quantize(Q2),
                     "本年支出合计比上年{w}{v}万元。"),
                ]
                for i, (key, mode, value, template) in enumerate(claims):
                    if value == 0:
                        continue
                    checks += 1
                    if rng.random() < rate:
                        value = _plant(rng, value)
                        planted.add((name, year, "growth", f"{key}/{mode}"))
                        if value == 0:
                            value = D("0.01")
                    up = value > 0
                    word = ("提高" if up else "下降") if mode == "pp" else \
                        ("增加" if up else "减少") if mode == "abs" else ("增长" if up else "下降")
                    number = format(abs(value).quantize(Q2), "f")
                    unit = {"pct": "%", "pp": "个百分点", "abs": "万元"}[mode]
                    x = wan_text(exp if key == "final.expenditure" else ope if key == "operating_expenses" else sg)
                    sentence = template.format(w=word, v=number, x=x, r=format(rate_ * 100, "f"))
                    figures.append(make_figure(f"g{i}", number + unit, number, unit,
                                               "money" if mode == "abs" else "rate", sentence,
                                               direction="up" if up else "down", page=2, block=40 + i))
                # distractors: in-report previous value, non-metric rate, a budget adjustment
                figures.append(make_figure("n1", "5.78%", "5.78", "%", "rate",
                                           "“三公”经费支出合计较上年的12.34万元下降5.78%。", direction="down"))
                figures.append(make_figure("n2", "12.3%", "12.3", "%", "rate",
                                           "全区生产安全事故起数同比降低12.3%。", direction="down"))
                figures.append(make_figure("n3", "474.69万元", "474.69", "万元", "money",
                                           "调整后预算较年初预算增加474.69万元。", direction="up"))
            report = make_report(shown, year, metrics, figures=figures)
            reports.append(report)
            if rng.random() < 0.1:  # the same report again in another format
                reports.append(make_report(shown, year, metrics, figures=figures, tag=".pdf"))
            previous = {"year": year, "exp": exp, "ope": ope, "sg": sg, "rate": rate_}
    return reports, planted, checks


def test_planted_carryover_and_growth_mismatches_recall_precision():
    reports, planted, checks = build_corpus()
    table = build_table(loaded(*reports))
    assert not table.warnings
    findings = cross_year_findings([r for s in table.series for rs in s.reports.values() for r in rs],
                                   table)
    # map each finding back to the department's canonical (unprefixed) name
    found = set()
    names = {k[0] for k in planted}
    for f in findings:
        name = next((n for n in names if f["department"].endswith(n)), f["department"])
        kind = {rule_id("carryover"): "carryover", rule_id("growth"): "growth"}[f["rule"]]
        found.add((name, f["year"], kind, f["metric"] + (f"/{f['claim']}" if "claim" in f else "")))
    assert len(found) == len(findings), "one finding per planted mismatch, none duplicated"
    hits = len(found & planted)
    recall, precision = hits / len(planted), hits / max(len(found), 1)
    by_rule = {rule: (len({p for p in planted if p[2] == rule} & found), len({p for p in planted if p[2] == rule}))
               for rule in ("carryover", "growth")}
    print(f"\ncross-year planted mismatches: {len(planted)} in {checks} checks over {len(reports)} reports; "
          f"found {len(found)}; recall {recall:.4f}, precision {precision:.4f}; per rule (hit/planted) {by_rule}")
    assert recall >= 0.95 and precision >= 0.95, (sorted(planted - found)[:5], sorted(found - planted)[:5])


# ---------------------------------------------------------------------------------------
# end to end: the generator's text, mismatches planted in it, perfx extract, cross-year
# ---------------------------------------------------------------------------------------

PLANTS = [
    # (kind, metric/claim, pattern whose group 2 is the number to change)
    ("carryover", "carryover.begin", r"(加年初结转和结余)(\d+\.\d\d)(万元)"),
    ("growth", "final.expenditure/pct", r"(本年支出合计较上年(?:增长|下降))(\d+\.\d\d)(%)"),
    ("growth", "operating_expenses/pct", r"(机关运行经费支出[\d.]+万元，比上年(?:增长|下降))(\d+\.\d\d)(%)"),
    ("growth", "execution.rate/pp", r"(较上年(?:提高|下降))(\d+\.\d\d)(个百分点)"),
]


def planted_corpus(tmp_path, count: int = 24, seed: int = 5):
    """The generator's first ``count`` reports as txt, with a number changed in about half
    of the cross-year statements of reports whose previous year is in the corpus."""
    import re as _re

    from test_compare import generator
    gen = generator()
    rng = random.Random(seed)
    built = gen.build_reports(count)
    ids = {report.id for _, report in built}
    planted, checkable = set(), 0
    for item, report in built:
        text = gen.render_txt(report)
        truth = gen.truth_json(report)
        previous = (truth.get("previous_year") or {}).get("id")
        if report.genre == gen.GENRE_OVERALL and previous in ids:
            for kind, what, pattern in PLANTS:
                match = _re.search(pattern, text)
                if not match:
                    continue
                checkable += 1
                if rng.random() < 0.5:
                    delta = D(rng.randint(5, 300)) / 100
                    number = format(D(match.group(2)) + delta, "f")
                    text = text[:match.start(2)] + number + text[match.end(2):]
                    planted.add((report.department, report.year, kind, what))
        (tmp_path / f"{report.id}.txt").write_text(text, encoding="utf-8")
    return planted, checkable


def test_end_to_end_planted_in_generated_text(tmp_path):
    from extractor.load_reports import load_reports
    planted, checkable = planted_corpus(tmp_path)
    result = load_reports([tmp_path])
    assert not result.load_errors and len(result.reports) == 24
    table = build_table(result.reports)
    findings = cross_year_findings(result.reports, table)
    kinds = {rule_id("carryover"): "carryover", rule_id("growth"): "growth"}
    found = {(f["department"], f["year"], kinds[f["rule"]],
              f["metric"] + (f"/{f['claim']}" if "claim" in f else "")) for f in findings}
    hits = len(found & planted)
    recall, precision = hits / max(len(planted), 1), hits / max(len(found), 1)
    print(f"\nend to end (generator text -> perfx extract -> cross-year): {len(planted)} planted in "
          f"{checkable} statements; found {len(found)}; recall {recall:.4f}, precision {precision:.4f}")
    missed = sorted(planted - found)
    by_year = {(s.department, y): rs[0] for s in table.series for y, rs in s.reports.items()}
    no_metric = [m for m in missed
                 if m[3].split("/")[0] not in by_year.get((m[0], m[1]), LoadedReport({})).metrics
                 or m[3].split("/")[0] not in by_year.get((m[0], m[1] - 1), LoadedReport({})).metrics
                 or (m[2] == "carryover" and "carryover.end" not in by_year[(m[0], m[1] - 1)].metrics)]
    print(f"  missed {len(missed)}, of which {len(no_metric)} because the extraction gave no "
          f"canonical metric for that key in this or the previous year's report")
    for m in missed:
        if m not in no_metric:
            print("  missed with both metrics present:", m)
    extra = sorted(found - planted)
    if extra:
        print("  not planted:", extra[:8])
    # the whole pipeline: also measures the canonical metrics extraction assigns upstream
    assert planted and precision >= 0.95 and recall >= 0.95, (missed, extra)
