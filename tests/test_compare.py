"""perfx compare: name matching, exact values and changes, gaps, conflicts, output formats,
and agreement with the corpus generator's ground truth."""
from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.compare import (
    build_table,
    clean_name,
    decimal_text,
    is_region_prefix,
    match_departments,
    to_csv,
    to_json_dict,
    to_markdown,
    with_region,
    write_xlsx,
)
from extractor.load_reports import LoadedReport, load_reports

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------------------
# builders shared by the compare, cross-year and report tests
# ---------------------------------------------------------------------------------------

def make_figure(fid: str, text: str, value: str, unit: str, kind: str, sentence: str = "", *,
                direction=None, label=None, metric=None, page=1, block=0, approx=False) -> dict:
    start = max(sentence.find(text), 0)
    return {"id": fid, "text": text, "value": value, "unit": unit, "kind": kind,
            "normalized": {"value": value, "unit": unit}, "approx": approx, "qualifier": None,
            "range": None, "direction": direction, "label": label, "metric": metric,
            "location": {"page": page, "block": block, "start": start, "end": start + len(text),
                         "section": [], "row": None, "col": None},
            "sentence": sentence or text}


def make_report(department: str, year: int, metrics: dict | None = None, *, figures=None,
                genre: str = "dept_overall_self_eval", region=None, title=None, tag: str = "",
                findings=None, errors=None) -> dict:
    """A Report JSON dict. ``metrics``: key -> (value, unit[, written, written_unit]) or a
    list of such tuples (several values for one key: a conflict). Each value gets a figure."""
    figures = list(figures or [])
    out_metrics: dict[str, list[dict]] = {}
    for key, spec in (metrics or {}).items():
        specs = spec if isinstance(spec, list) else [spec]
        entries = []
        for value, unit, *written in specs:
            fid = f"m{len(figures):04d}"
            text_value, text_unit = (written + [None, None])[:2] if written else (value, unit)
            text_value = text_value or value
            text_unit = text_unit if text_unit is not None else unit
            text = f"{text_value}{text_unit}"
            figures.append(make_figure(fid, text, text_value, text_unit, "money" if "元" in text_unit
                                       else "other", f"{key}为{text}。", metric=key,
                                       page=len(figures) // 10 + 1, block=len(figures)))
            entries.append({"value": value, "unit": unit, "figure_ids": [fid], "conflict": False})
        if len({e["value"] for e in entries}) > 1:
            for e in entries:
                e["conflict"] = True
        out_metrics[key] = entries
    title = title or f"{department}{year}年度部门整体支出绩效自评报告"
    sha = hashlib.sha256(f"{department}|{year}|{genre}|{title}|{tag}".encode()).hexdigest()
    return {"schema_version": "1.0",
            "source": {"path": f"/data/{department}_{year}{tag}.docx", "sha256": sha, "format": "docx",
                       "pages": 3},
            "meta": {"title": title, "department": department, "region": region, "year": year,
                     "genre": genre},
            "figures": figures, "metrics": out_metrics, "findings": findings or [],
            "warnings": [], "errors": errors or []}


def loaded(*reports: dict) -> list[LoadedReport]:
    return [LoadedReport(r) for r in reports]


def write_reports(folder: Path, reports: list[dict]) -> Path:
    (folder / "reports").mkdir(parents=True, exist_ok=True)
    for r in reports:
        (folder / "reports" / f"{r['source']['sha256']}.json").write_text(
            json.dumps(r, ensure_ascii=False), encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------------------
# department names
# ---------------------------------------------------------------------------------------

def test_clean_name_folds_width_brackets_spaces():
    assert clean_name("西湖区 应急管理局（本级）") == "西湖区应急管理局"
    assert clean_name("西湖区应急管理局") == clean_name("西湖区应急管理局 ")
    assert clean_name("ＸＸ县水利局【机关】") == "XX县水利局(机关)"


def test_region_prefix():
    assert is_region_prefix("南昌市")
    assert is_region_prefix("江西省南昌市西湖区")
    assert not is_region_prefix("城市")  # 城市管理局 is not 城 + 市
    assert not is_region_prefix("应急")
    assert with_region("应急管理局", "西湖区") == "西湖区应急管理局"
    assert with_region("西湖区应急管理局", "南昌市西湖区") == "南昌市西湖区应急管理局"
    assert with_region("西湖区应急管理局", "西湖区") == "西湖区应急管理局"


def test_region_prefix_names_match_and_ambiguity_is_reported():
    group = match_departments({"南昌市西湖区应急管理局", "西湖区应急管理局", "东湖区应急管理局"})
    assert group["西湖区应急管理局"] == "南昌市西湖区应急管理局"
    assert group["东湖区应急管理局"] == "东湖区应急管理局"
    reports = loaded(
        make_report("南昌市西湖区应急管理局", 2021, {"staff.actual": ("10", "人")}),
        make_report("西湖区应急管理局", 2022, {"staff.actual": ("11", "人")}),
        make_report("杭州市西湖区应急管理局", 2021, {"staff.actual": ("50", "人")}),
        make_report("杭州市西湖区应急管理局", 2022, {"staff.actual": ("51", "人")}),
    )
    table = build_table(reports)
    labels = [s.department for s in table.series]
    # 西湖区应急管理局 fits both cities: kept apart, reported, not guessed
    assert labels == ["南昌市西湖区应急管理局", "杭州市西湖区应急管理局", "西湖区应急管理局"]
    assert [w["name"] for w in table.warnings if w["kind"] == "ambiguous_department"] == ["西湖区应急管理局"]
    # without the second city the short name joins the full one
    table = build_table(reports[:2])
    assert [s.department for s in table.series] == ["南昌市西湖区应急管理局"]
    assert table.series[0].years == [2021, 2022]
    assert not table.warnings


def test_city_management_bureau_is_not_a_region_prefix():
    group = match_departments({"东山县城市管理局", "管理局", "东山县管理局"})
    assert group["东山县城市管理局"] == "东山县城市管理局"
    assert group["管理局"] == "东山县管理局"


# ---------------------------------------------------------------------------------------
# the table
# ---------------------------------------------------------------------------------------

def _three_years():
    return loaded(
        make_report("云溪区应急管理局", 2021, {"final.expenditure": ("48935000", "元"),
                                          "execution.rate": ("0.9716", ""),
                                          "staff.actual": ("77", "人")}),
        # short name, full-width brackets, written in 万元
        make_report("云溪区应急管理局（本级）", 2022, {"final.expenditure": ("5407.30", "万元"),
                                                "execution.rate": ("97.28", "%"),
                                                "staff.actual": ("78", "人")}),
        # 2023 missing; 2024 present with a conflicting value
        make_report("云溪区 应急管理局", 2024, {"final.expenditure": [("60000000.01", "元"),
                                                                ("60000100", "元")]}),
    )


def test_values_changes_gaps_and_conflicts_are_exact():
    table = build_table(_three_years())
    assert len(table.series) == 1
    s = table.series[0]
    assert s.years == [2021, 2022, 2023, 2024]
    exp = s.cells["final.expenditure"]
    assert exp[2021].value == Decimal("4893.5") and exp[2021].unit == "万元"
    assert exp[2022].value == Decimal("5407.30")
    assert 2023 not in exp  # a gap, not a zero
    assert exp[2024].value == Decimal("6000.000001") and exp[2024].conflict
    assert exp[2024].values == ["6000.000001", "6000.01"]
    assert s.change("final.expenditure", 2022) == (Decimal("513.80"), Decimal("10.50"))
    assert s.change("final.expenditure", 2024) == (None, None)  # previous year is a gap
    rate = s.cells["execution.rate"]
    assert rate[2021].value == Decimal("97.16") and rate[2021].unit == "%"
    assert s.change("execution.rate", 2022)[0] == Decimal("0.12")


def test_csv_rows_are_strings_with_gaps():
    text = to_csv(build_table(_three_years()))
    rows = list(csv.DictReader(io.StringIO(text)))
    by = {(r["metric"], r["year"]): r for r in rows}
    assert by[("final.expenditure", "2022")]["value"] == "5407.3"
    assert by[("final.expenditure", "2022")]["change"] == "513.8"
    assert by[("final.expenditure", "2022")]["change_pct"] == "10.5"
    assert by[("final.expenditure", "2023")]["value"] == ""
    assert by[("final.expenditure", "2024")]["conflict"] == "yes"
    assert by[("execution.rate", "2022")]["change_unit"] == "百分点"
    assert by[("staff.actual", "2022")]["unit"] == "人"
    assert len(rows) == 3 * 4


def test_filters_by_department_and_metric():
    reports = _three_years() + loaded(make_report("青禾县水利局", 2022, {"staff.actual": ("5", "人")}))
    table = build_table(reports, departments=["水利"])
    assert [s.department for s in table.series] == ["青禾县水利局"]
    table = build_table(reports, departments=["某市云溪区应急管理局"])
    assert [s.department for s in table.series] == ["云溪区应急管理局"]
    table = build_table(reports, metrics=["final.*", "staff"])
    assert sorted({k for s in table.series for k in s.cells}) == ["final.expenditure", "staff.actual"]


def test_project_reports_are_their_own_rows():
    reports = loaded(
        make_report("云溪区应急管理局", 2023, {"self_eval.score": ("99.1", "分")}),
        make_report("云溪区应急管理局", 2023, {"self_eval.score": ("97.43", "分")},
                    genre="project_self_eval",
                    title="云溪区应急管理局2023年度安全生产执法监管专项项目支出绩效自评报告"),
    )
    table = build_table(reports)
    assert [(s.department, s.subject) for s in table.series] == [
        ("云溪区应急管理局", ""), ("云溪区应急管理局", "安全生产执法监管专项")]
    assert not any(c.conflict for s in table.series for c in s.cells["self_eval.score"].values())


def test_markdown_json_xlsx(tmp_path):
    table = build_table(_three_years())
    md = to_markdown(table)
    assert "| final.expenditure | 万元 | 4893.5 | 5407.3 (+513.8, +10.5%) | — |" in md
    assert "⚠" in md
    data = to_json_dict(table, [])
    years = data["series"][0]["metrics"][0]["years"]
    assert data["series"][0]["metrics"][0]["key"] == "final.expenditure"
    assert years["2023"] is None and years["2022"]["value"] == "5407.3"
    assert years["2024"]["conflict"] is True
    json.dumps(data)  # plain JSON: every number is a string
    path = tmp_path / "t.xlsx"
    write_xlsx(table, path, [])
    from openpyxl import load_workbook
    sheet = load_workbook(path)["compare"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("department", "subject", "metric", "unit", "year", "value")
    values = {(r[2], r[4]): r[5] for r in rows[1:]}
    assert values[("final.expenditure", "2024")] == "6000.000001"  # text: exact, never a float


def test_cli_compare_on_an_ingest_folder(tmp_path, capsys):
    folder = write_reports(tmp_path / "outputs", [r.data for r in _three_years()])
    (folder / "errors.jsonl").write_text('{"path": "x.pdf", "reason": "encrypted", "stage": "read"}\n',
                                         encoding="utf-8")
    assert main(["compare", str(folder), "--format", "json", "--metric", "final.expenditure"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [m["key"] for m in out["series"][0]["metrics"]] == ["final.expenditure"]
    assert main(["compare", str(folder), "-o", str(tmp_path / "c.md")]) == 0
    assert "4893.5" in (tmp_path / "c.md").read_text(encoding="utf-8")
    assert main(["compare", str(folder), "--format", "xlsx"]) == 2
    assert main(["compare", str(tmp_path / "missing")]) == 1


def test_loader_reads_folders_files_and_skips_non_reports(tmp_path):
    folder = write_reports(tmp_path / "out", [r.data for r in _three_years()])
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose" / "index.json").write_text('{"reports": []}', encoding="utf-8")
    (tmp_path / "loose" / "r.json").write_text(json.dumps(_three_years()[0].data), encoding="utf-8")
    result = load_reports([folder, tmp_path / "loose"])
    assert len(result.reports) == 3  # the loose copy is the same report (same sha256)
    assert not result.load_errors
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    assert len(load_reports([tmp_path / "bad.json"]).load_errors) == 1


# ---------------------------------------------------------------------------------------
# agreement with the corpus generator's ground truth
# ---------------------------------------------------------------------------------------

def generator():
    path = ROOT / "scripts" / "generate_corpus.py"
    if not path.is_file():
        pytest.skip("scripts/generate_corpus.py is not in this checkout")
    spec = importlib.util.spec_from_file_location("perfx_generate_corpus", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def truth_files(count: int = 60) -> list[dict]:
    """corpus/truth/*.json when the corpus is generated, plus the generator's first ``count``
    reports built in memory (the committed corpus is small)."""
    truths: dict[str, dict] = {}
    truth_dir = ROOT / "corpus" / "truth"
    if truth_dir.is_dir():
        for p in sorted(truth_dir.glob("*.json")):
            t = json.loads(p.read_text(encoding="utf-8"))
            truths[t["id"]] = t
    gen = generator()
    for _, report in gen.build_reports(count):
        t = gen.truth_json(report)
        truths.setdefault(t["id"], t)
    return list(truths.values())


def name_variant(name: str, year: int) -> str:
    """The same department written differently in different years."""
    return [name, name[:3] + " " + name[3:], name + "（本级）"][year % 3]


def report_from_truth(truth: dict) -> dict:
    """A Report JSON whose metrics are the truth's (values in the truth's normalized units)."""
    figures, metrics = [], {}
    for i, f in enumerate(truth["figures"]):
        fid = f"f{i:04d}"
        sentence = (f.get("label") or "") + f["text"]  # label + figure: 本年支出合计较上年增长10.50%
        figures.append(make_figure(fid, f["text"], f["value"], f["unit"], f["kind"], sentence,
                                   direction=f.get("direction"), label=f.get("label"),
                                   metric=f.get("metric"), block=i))
        if f.get("metric") and f["metric"] not in metrics:
            metrics[f["metric"]] = [{"value": f["normalized"]["value"], "unit": f["normalized"]["unit"],
                                     "figure_ids": [fid], "conflict": False}]
    return make_report(name_variant(truth["department"], truth["year"]), truth["year"], None, figures=figures,
                       genre=truth["genre"], region=truth.get("region"), title=truth["title"],
                       tag=truth["id"]) | {"metrics": metrics}


def truth_unit(truth: dict, key: str) -> str:
    return next(f["normalized"]["unit"] for f in truth["figures"] if f.get("metric") == key)


def agreement(table, truths: list[dict]) -> tuple[int, int, list]:
    """(agreeing, total, misses) over every truth department x metric x year."""
    cells = {}
    for s in table.series:
        for key, years in s.cells.items():
            for year, cell in years.items():
                cells[(s.department, s.subject, key, year)] = cell
    series_of = {}
    for s in table.series:
        for reports in s.reports.values():
            for r in reports:
                series_of[r.data["source"]["path"]] = (s.department, s.subject)
    agree, total, misses = 0, 0, []
    for t in truths:
        where = next((v for k, v in series_of.items() if t["id"] in k), None)
        for key, value in t["metrics"].items():
            total += 1
            unit = truth_unit(t, key)
            want = Decimal(value)
            if unit == "元":
                want = want / 10000
            elif unit == "" and key.endswith("rate"):
                want = want * 100
            cell = cells.get((*where, key, t["year"])) if where else None
            if cell is not None and cell.value == want and not cell.conflict:
                agree += 1
            else:
                misses.append((t["id"], key, value, cell and decimal_text(cell.value)))
    return agree, total, misses


def test_compare_equals_generator_truth_for_every_department_metric_year(tmp_path):
    truths = truth_files()
    reports = [LoadedReport(report_from_truth(t)) for t in truths]
    table = build_table(reports)
    agree, total, misses = agreement(table, truths)
    departments = {t["department"] for t in truths}
    print(f"\ncompare vs truth metrics (truth-fed): {agree}/{total} = {agree / total:.4f} "
          f"over {len(departments)} departments, {len(truths)} reports")
    assert total > 100
    assert agree == total, misses[:10]
    # the truth corpus is consistent: its 比上年 claims and carryovers raise no finding
    from extractor.crossyear import cross_year_findings, growth_claim
    claims = sum(1 for r in reports for f in r.figures if growth_claim(r, f, r.year) is not None)
    print(f"cross-year claims recognised in the truth-fed corpus: {claims}")
    assert claims > 50
    assert cross_year_findings(reports, table) == []


def test_compare_on_extracted_corpus_against_truth(tmp_path):
    """End to end: perfx extract on the corpus txt, then compare. The table must repeat every
    report's metrics faithfully; agreement with the generator's truth (which also measures
    the metric assignment upstream) is printed."""
    corpus = ROOT / "corpus"
    if not (corpus / "truth").is_dir():
        gen = generator()
        gen.generate(tmp_path, 11, formats=("txt",))
        corpus = tmp_path
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((corpus / "truth").glob("*.json"))]
    result = load_reports(sorted(corpus.glob("*.txt")))
    assert not result.load_errors and len(result.reports) == len(truths)
    if not any(r.metrics for r in result.reports):
        pytest.skip("extraction assigns no canonical metrics yet")
    table = build_table(result.reports)
    # faithful: every cell is its report's first value for the key, in the table's unit
    from extractor.compare import to_display
    cells = 0
    for s in table.series:
        for key, years in s.cells.items():
            for year, cell in years.items():
                report = next(r for r in s.reports[year] if r.sha256 == cell.sha256)
                entry = report.metrics[key][0]
                assert (cell.value, cell.unit) == to_display(key, Decimal(entry["value"]), entry["unit"])
                cells += 1
    agree, total, misses = agreement(table, truths)
    extracted = {(t["id"], k) for t in truths for k in t["metrics"]} - {(m[0], m[1]) for m in misses if m[3] is None}
    print(f"\ncompare on extracted corpus: {cells} cells; vs truth {agree}/{total} = {agree / total:.4f} "
          f"(missing metric {sum(1 for m in misses if m[3] is None)}, other value or conflict "
          f"{sum(1 for m in misses if m[3] is not None)}); of extracted keys {agree}/{len(extracted)} agree")
    assert cells > 0
    # the whole pipeline: this also measures the canonical metrics extraction assigns upstream
    assert agree / total >= 0.95, misses[:10]


def test_parallel_load_equals_serial(tmp_path, monkeypatch):
    import extractor.load_reports as lr
    reports = [make_report(f"第{i}县水利局", 2020 + i % 3, {"staff.actual": (str(i), "人")},
                           figures=[make_figure("x", "1个", "1", "个", "count")]) for i in range(300)]
    folder = write_reports(tmp_path / "out", reports)
    (folder / "reports" / "broken.json").write_text("{", encoding="utf-8")
    parallel = load_reports([folder])
    monkeypatch.setattr(lr, "PARALLEL_MIN_FILES", 10**9)
    serial = load_reports([folder])
    assert [r.data for r in parallel.reports] == [r.data for r in serial.reports]
    assert len(parallel.reports) == 300 and len(parallel.load_errors) == 1
    # slimmed: the metric's figure stays, the unrelated one goes
    assert all([f["id"] for f in r.figures] == ["m0001"] and r.data["figure_count"] == 2
               for r in parallel.reports)
