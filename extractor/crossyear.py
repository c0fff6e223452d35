"""Cross-year checks: one department's report against its previous year's report.

- carryover continuity (the checker's PX060): this year's 年初结转和结余 (``carryover.begin``)
  equals last year's 年末结转和结余 (``carryover.end``).
- growth claims (the checker's PX032): "比上年增长 X%", "较上年提高 X个百分点", "比上年增加 X万元"
  — a figure with a direction whose sentence names a metric before the 比上年 phrase — against
  the value the previous year's report gives for that metric and this year's value.

Rule ids, names, severities and message templates come from the checker's catalogue
(patterns/rules.yaml via ``extractor.check.rules``), so ``perfx check``, ``compare`` and
``report`` speak of one rule set; without the catalogue the fallback ids are XY01 / XY02.
The detection itself is done here rather than by ``extractor.check.families.crossyear``:
that family builds a full text context per report (re-reading source files when present)
and pairs reports by their raw department name, while this module works on the loaded
report JSON (thousands at a time), pairs years through ``compare``'s department matching, and
also reads claims that name the metric without restating its value (本年支出合计较上年增长
10.50%) and percentage-point changes of rates (较上年提高0.12个百分点).

Findings have the checker's shape: rule, name, family, severity, message_zh / message_en,
figures [{id, text, role, value, unit, location, report, ...}], expected, found, difference
(strings, in ``unit``).

Tolerance follows the precision figures were written with: a value written to 0.01万元
stands for anything that rounds to it, and a finding is raised only when no values that round
to the written ones satisfy the relation. Approximate figures (约, 余, 以上 ...) are never
checked.
"""
from __future__ import annotations

import re
import string
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache
from typing import Optional

from .compare import (
    CompareTable,
    Series,
    build_table,
    change_unit,
    decimal_text,
    is_rate_key,
    to_display,
)
from .load_reports import LoadedReport

CATALOGUE_IDS = {"carryover": "PX060", "growth": "PX032"}
FALLBACK_RULES = {
    "carryover": {"id": "XY01", "name": "carryover_across_years", "family": "cross_year",
                  "severity": "error",
                  "message_zh": "本年年初结转和结余{begin}与上年报告的年末结转和结余{end}不符，相差{gap}{unit}。",
                  "message_en": "Opening carryover {begin} does not match last year's closing "
                                "carryover {end}; difference {difference}{unit}."},
    "growth": {"id": "XY02", "name": "growth_vs_previous_report", "family": "growth",
               "severity": "warning",
               "message_zh": "按上年报告的{previous}，{current}的变动应为{expected}{unit}，所述{rate}{change}"
                             "相差{gap}{unit}。",
               "message_en": "Against {previous} in last year's report, {current} changed by "
                             "{expected}{unit}; the stated {rate}{change} differs by {difference}{unit}."},
}


@lru_cache(maxsize=None)
def rule_spec(kind: str) -> dict:
    """id, name, family, severity and message templates of a cross-year rule."""
    try:
        from .check.rules import catalogue
        rule = catalogue().get(CATALOGUE_IDS[kind])
    except Exception:  # noqa: BLE001 - no catalogue (or a broken one): the fallback rule
        rule = None
    if rule is None:
        return FALLBACK_RULES[kind]
    return {"id": rule.id, "name": rule.name, "family": rule.family, "severity": rule.severity,
            "message_zh": rule.message_zh, "message_en": rule.message_en}


def rule_id(kind: str) -> str:
    return rule_spec(kind)["id"]


class _Blank(dict):
    def __missing__(self, key):
        return ""


def _message(template: str, values: dict) -> str:
    try:
        return string.Formatter().vformat(template, (), _Blank(values))
    except (ValueError, IndexError, AttributeError):
        return template


# Metric names as reports write them before 比上年 (longest first when matching).
METRIC_NAMES: dict[str, list[str]] = {
    "final.expenditure": ["本年支出合计", "本年度支出合计", "支出合计", "本年支出", "全年支出", "总支出",
                          "支出总额", "支出总计", "决算支出", "年度支出"],
    "final.revenue": ["本年收入合计", "本年度收入合计", "收入合计", "本年收入", "全年收入", "总收入",
                      "收入总额"],
    "final.basic": ["基本支出"],
    "final.project": ["项目支出"],
    "budget.adjusted.expenditure": ["调整后预算支出", "调整后预算", "全年预算支出"],
    "budget.initial.expenditure": ["年初预算支出", "年初预算"],
    "carryover.end": ["年末结转和结余", "年末结转结余"],
    "carryover.begin": ["年初结转和结余", "年初结转结余"],
    "execution.rate": ["预算执行率", "执行率"],
    "funds.received_rate": ["资金到位率", "到位率"],
    "funds.received": ["到位资金"],
    "staff.authorized": ["编制人数", "编制数"],
    "staff.actual": ["实有人数"],
    "staff.in_service": ["在职人数", "在职人员"],
    "staff.retired": ["退休人员", "退休人数"],
    "staff.contract": ["编外聘用人员", "编外人员"],
    "assets.fixed.original_value": ["固定资产原值"],
    "assets.fixed.net_value": ["固定资产净值"],
    "sangong.total": ["三公经费支出", "三公经费"],
    "sangong.vehicle": ["公务用车购置及运行维护费", "公务用车运行维护费"],
    "sangong.reception": ["公务接待费"],
    "sangong.travel_abroad": ["因公出国(境)费", "因公出国费"],
    "operating_expenses": ["机关运行经费", "运行经费"],
    "satisfaction.rate": ["满意度"],
    "self_eval.score": ["自评得分", "自评总分", "综合得分"],
}

MARKER = re.compile(r"(?:比|较|与)(?:上年|去年|上一年|上年度|上一年度)(?:同期)?(?:相比)?|同比|"
                    r"(?:比|较)(?P<year>(?:19|20)\d{2})年(?:度)?")
PREVIOUS_STATED = re.compile(r"^[的为是]?\s*[0-9０-９]")
PARENS = re.compile(r"[(（][^()（）]*[)）]")
QUOTES = re.compile(r"[\"'“”‘’「」『』《》\s]")


@lru_cache(maxsize=1)
def _names_regex() -> tuple[re.Pattern, list[str]]:
    """One alternation of every metric name (longest first) and the key of each group."""
    pairs = sorted(((name, key) for key, names in METRIC_NAMES.items() for name in names),
                   key=lambda p: -len(p[0]))
    regex = re.compile("|".join(f"(?P<m{i}>{re.escape(unicodedata.normalize('NFKC', n))})"
                                for i, (n, _) in enumerate(pairs)))
    return regex, [k for _, k in pairs]


def subject_metric(text_before: str) -> Optional[str]:
    """The metric named last in the text before a 比上年 phrase (parentheses left out)."""
    text = unicodedata.normalize("NFKC", text_before)
    text = QUOTES.sub("", text)
    while True:
        stripped = PARENS.sub("", text)
        if stripped == text:
            break
        text = stripped
    regex, keys = _names_regex()
    best = None
    for match in regex.finditer(text):
        best = match
    if best is None:
        return None
    return keys[int(best.lastgroup[1:])]


def _dec(text) -> Optional[Decimal]:
    try:
        value = Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def half_ulp(written: str, unit: str, key: str) -> Decimal:
    """Half a unit in the last written place, in the table's display unit for ``key``."""
    value = _dec(written)
    if value is None:
        return Decimal(0)
    exponent = value.as_tuple().exponent
    half = Decimal(5).scaleb(exponent - 1)
    return abs(to_display(key, half, unit)[0])


class Quantity:
    """A metric value as one report gives it: display value, precision, the figure behind it."""

    def __init__(self, key: str, report: LoadedReport, entry: dict):
        self.key = key
        self.report = report
        raw = _dec(entry.get("value"))
        self.value, self.unit = to_display(key, raw, entry.get("unit") or "")
        ids = entry.get("figure_ids") or []
        self.figure = report.figure(ids[0]) if ids else None
        self.approx = bool(self.figure and self.figure.get("approx"))
        if self.figure is not None and _dec(self.figure.get("value")) is not None \
                and self.figure.get("range") is None:
            self.half = half_ulp(self.figure["value"], self.figure.get("unit") or "", key)
        else:  # no figure: the precision of the stored value itself
            self.half = half_ulp(str(entry.get("value")), entry.get("unit") or "", key)

    def ref(self, role: str) -> dict:
        return figure_ref(self.report, self.figure, role,
                          f"{decimal_text(self.value)}{self.unit}", self.value, self.unit)


def figure_ref(report: LoadedReport, figure: Optional[dict], role: str, fallback_text: str = "",
               value: Optional[Decimal] = None, unit: str = "") -> dict:
    """A figure as the checker's FigureRef has it (id, text, role, value, unit, location,
    report) plus what a reader of the finding needs: the sentence, sha256 and year."""
    ref = {"id": None, "text": fallback_text, "role": role,
           "value": decimal_text(value) if value is not None else None, "unit": unit,
           "location": None, "report": report.path, "sentence": "",
           "sha256": report.sha256, "year": report.year}
    if figure is not None:
        ref.update({"id": figure.get("id"), "text": figure.get("text", fallback_text),
                    "value": figure.get("value"), "unit": figure.get("unit") or "",
                    "location": figure.get("location"), "sentence": figure.get("sentence", "")})
    return ref


def quantity(reports: list[LoadedReport], key: str) -> Optional[Quantity]:
    """The first value any of one year's reports gives for ``key`` (reports in priority order)."""
    for report in reports:
        entries = report.metrics.get(key)
        if isinstance(entries, dict):
            entries = [entries]
        if not entries or not isinstance(entries[0], dict) or _dec(entries[0].get("value")) is None:
            continue
        return Quantity(key, report, entries[0])
    return None


def _finding(kind: str, series: Series, year: int, figures: list[dict], expected: Decimal,
             found: Decimal, tolerance: Decimal, metric: str, unit: str, values: dict,
             **extra) -> dict:
    spec = rule_spec(kind)
    difference = found - expected
    values = {"expected": decimal_text(expected), "found": decimal_text(found),
              "difference": decimal_text(difference), "gap": decimal_text(abs(difference)),
              "unit": unit, **values}
    where_zh = f"{series.label}{year}年："
    where_en = f"{series.label}, {year}: "
    return {
        "rule": spec["id"], "name": spec["name"], "family": spec["family"],
        "severity": spec["severity"], "department": series.label, "year": year, "metric": metric,
        "unit": unit,
        "message_zh": where_zh + _message(spec["message_zh"], values),
        "message_en": where_en + _message(spec["message_en"], values),
        "figures": figures, "expected": decimal_text(expected), "found": decimal_text(found),
        "difference": decimal_text(difference), "tolerance": decimal_text(tolerance),
        "report": figures[0]["report"] if figures else None,
        "sha256": figures[0]["sha256"] if figures else "",
        **extra,
    }


def check_carryover(series: Series, year: int) -> Optional[dict]:
    begin = quantity(series.reports.get(year, []), "carryover.begin")
    end = quantity(series.reports.get(year - 1, []), "carryover.end")
    if begin is None or end is None or begin.unit != end.unit or begin.approx or end.approx:
        return None
    diff = begin.value - end.value
    tolerance = begin.half + end.half
    if diff == 0 or abs(diff) < tolerance:
        return None
    unit = begin.unit
    refs = [begin.ref("begin"), end.ref("end")]
    return _finding("carryover", series, year, refs, end.value, begin.value, tolerance,
                    "carryover.begin", unit, {"begin": refs[0]["text"], "end": refs[1]["text"]})


# ---------------------------------------------------------------------------------------
# growth claims
# ---------------------------------------------------------------------------------------

class Claim:
    def __init__(self, report: LoadedReport, figure: dict, key: str, mode: str, value: Decimal,
                 half: Decimal, unit: str):
        self.report, self.figure, self.key, self.mode = report, figure, key, mode
        self.value, self.half, self.unit = value, half, unit


def _signed_value(figure: dict) -> Optional[Decimal]:
    value = _dec(figure.get("value"))
    if value is None:
        return None
    if figure.get("direction") == "down":
        return -abs(value)
    return value


def growth_claim(report: LoadedReport, figure: dict, year: int) -> Optional[Claim]:
    """A figure that states a change against the previous year, with the metric it is about."""
    direction = figure.get("direction")
    if direction not in ("up", "down") or figure.get("approx") or figure.get("range"):
        return None
    unit = (figure.get("unit") or "").strip()
    if unit in ("%", "％", "﹪"):
        mode = "pct"
    elif "百分点" in unit or "百分點" in unit:
        mode = "pp"
    elif figure.get("kind") in ("money", "count"):
        mode = "abs"
    else:
        return None
    sentence = figure.get("sentence") or ""
    text = figure.get("text") or ""
    if not text:
        return None
    key = None
    for start in [m.start() for m in re.finditer(re.escape(text), sentence)]:
        before = sentence[:start]
        markers = list(MARKER.finditer(before))
        if not markers:
            continue
        marker = markers[-1]
        if marker.group("year") and int(marker.group("year")) != year - 1:
            return None
        between = before[marker.end():]
        if PREVIOUS_STATED.match(between):
            return None  # "较上年的46.89万元下降5.78%": both values in one report
        key = subject_metric(before[:marker.start()])
        break
    if key is None:
        return None
    if mode == "pp" and not is_rate_key(key):
        return None
    if mode == "pct" and is_rate_key(key):
        return None  # a % change of a rate: relative or points? not guessed
    if mode == "abs" and is_rate_key(key):
        return None
    signed = _signed_value(figure)
    if signed is None:
        return None
    half = Decimal(5).scaleb(_dec(figure["value"]).as_tuple().exponent - 1)
    if mode == "abs":
        signed, unit_shown = to_display(key, signed, unit)
        half = abs(to_display(key, half, unit)[0])
    else:
        unit_shown = "%" if mode == "pct" else "百分点"
    return Claim(report, figure, key, mode, signed, half, unit_shown)


def _quantize_like(value: Decimal, like: Decimal) -> Decimal:
    exponent = like.as_tuple().exponent
    return value.quantize(Decimal(1).scaleb(exponent), ROUND_HALF_UP)


def quantities(reports: list[LoadedReport], key: str) -> list[Quantity]:
    """Every value the first of one year's reports that gives ``key`` states for it."""
    for report in reports:
        entries = report.metrics.get(key)
        if isinstance(entries, dict):
            entries = [entries]
        found = [Quantity(key, report, e) for e in entries or []
                 if isinstance(e, dict) and _dec(e.get("value")) is not None]
        if found:
            return found
    return []


def _claim_expected(claim: Claim, now: Quantity, before: Quantity) -> Optional[tuple[Decimal, bool]]:
    """(what this year's and last year's values imply for the claim, whether the claim fits
    it at every value's written precision); None when the pair cannot judge the claim."""
    if now.approx or before.approx or now.unit != before.unit:
        return None
    c, p, hc, hp = now.value, before.value, now.half, before.half
    with localcontext() as ctx:
        ctx.prec = 60
        if claim.mode == "pct":
            if p - hp <= 0:
                return None
            expected = (c - p) / p * 100
            low = ((c - hc) / (p + hp) - 1) * 100
            high = ((c + hc) / (p - hp) - 1) * 100
        else:
            if claim.mode == "abs" and claim.unit != now.unit:
                return None
            expected = c - p
            low, high = expected - hc - hp, expected + hc + hp
        claimed_low, claimed_high = claim.value - claim.half, claim.value + claim.half
        return expected, claimed_low <= high and claimed_high >= low


def check_claim(series: Series, year: int, claim: Claim) -> Optional[dict]:
    """A finding when the claim fits none of the values last year's report gives the metric."""
    now = quantity([claim.report] + [r for r in series.reports.get(year, []) if r is not claim.report],
                   claim.key)
    if now is None:
        return None
    judged = [(before, _claim_expected(claim, now, before))
              for before in quantities(series.reports.get(year - 1, []), claim.key)]
    judged = [(before, result) for before, result in judged if result is not None]
    if not judged or any(fits for _, (_, fits) in judged):
        return None
    before, (expected, _) = judged[0]
    with localcontext() as ctx:
        ctx.prec = 60
        expected_q = _quantize_like(expected, _dec(claim.figure["value"]))
    shown = {"pct": "%", "pp": "个百分点", "abs": claim.unit}[claim.mode]
    refs = [figure_ref(claim.report, claim.figure, "change" if claim.mode == "abs" else "rate"),
            now.ref("current"), before.ref("previous")]
    up = claim.value >= 0
    word = {"pct": ("增长", "下降"), "pp": ("提高", "下降"), "abs": ("增加", "减少")}[claim.mode][0 if up else 1]
    stated = word + refs[0]["text"]
    return _finding(
        "growth", series, year, refs, expected_q, claim.value, claim.half, claim.key, shown,
        {"previous": f"{refs[2]['text']}（{year - 1}年）", "current": f"{METRIC_NAMES[claim.key][0]}{refs[1]['text']}",
         "rate": stated if claim.mode != "abs" else "", "change": stated if claim.mode == "abs" else ""},
        claim=claim.mode)


def series_findings(series: Series) -> list[dict]:
    findings: list[dict] = []
    for year in sorted(series.reports):
        if year - 1 not in series.reports:
            continue
        carry = check_carryover(series, year)
        if carry:
            findings.append(carry)
        seen: set[tuple] = set()
        for report in series.reports[year]:
            for figure in report.figures:
                claim = growth_claim(report, figure, year)
                if claim is None:
                    continue
                key = (claim.key, claim.mode, claim.value)
                if key in seen:  # the same report in two formats
                    continue
                seen.add(key)
                finding = check_claim(series, year, claim)
                if finding:
                    findings.append(finding)
    return findings


def cross_year_findings(reports: list[LoadedReport],
                        table: Optional[CompareTable] = None) -> list[dict]:
    """Every cross-year finding over ``reports`` (grouped by department as ``compare`` does)."""
    if table is None:
        table = build_table(reports)
    findings: list[dict] = []
    for series in table.series:
        findings.extend(series_findings(series))
    return findings


def findings_by_report(reports: list[LoadedReport]) -> dict[str, list[dict]]:
    """The cross-year findings over ``reports``, keyed by the sha256 of the report each one is
    about (this year's: the opening carryover, the 比上年 claim), in a stable order.

    Each finding gets ``figure_ids``: the ids of its figures in that report only (the previous
    year's figures are in their own report; ``figures[].sha256`` says which), so the ids join
    with that report's figures.
    """
    grouped: dict[str, list[dict]] = {}
    for finding in cross_year_findings(reports):
        sha = finding.get("sha256")
        if not sha:
            continue
        ids = [f["id"] for f in finding["figures"] if f.get("sha256") == sha and f.get("id")]
        grouped.setdefault(sha, []).append({**finding, "figure_ids": ids})
    return grouped


__all__ = ["findings_by_report", "rule_id", "rule_spec", "METRIC_NAMES", "cross_year_findings", "series_findings", "growth_claim",
           "subject_metric", "check_carryover", "change_unit"]
