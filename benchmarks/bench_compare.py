"""Speed of ``perfx compare`` over many ingested reports, against a bare JSON load of the same files.

    python benchmarks/bench_compare.py [--reports 2000] [--figures 200] [--repeat 3] [--keep DIR]

Writes N synthetic report JSONs (an ingest outputs/ folder: reports/<sha256>.json), each
with the canonical metrics, ``--figures`` figures with sentences (about the size of a real
extraction) and a few 比上年 claims, for departments of three years each. Then times, best of
``--repeat``:

- bare ``json.load`` of every file (the floor any reader pays), and orjson when installed;
- ``perfx compare DIR -o out.csv`` end to end through the CLI (load, align, csv);
- ``perfx compare DIR --format json`` (adds the cross-year checks).

Goal: compare on 2,000 reports in under 5 s.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.cli import main as perfx  # noqa: E402

REGIONS = ["云溪区", "青禾县", "临江区", "东山县", "南河区", "北湖区", "安林县", "宁泉区", "平石县", "兴桥区"]
BUREAUS = ["应急管理局", "农业农村局", "城市管理局", "市场监督管理局", "水利局", "教育体育局",
           "卫生健康委员会", "自然资源局", "民政局", "司法局"]
MONEY_KEYS = ["budget.initial.revenue", "budget.initial.expenditure", "budget.initial.basic",
              "budget.initial.project", "budget.adjusted.revenue", "budget.adjusted.expenditure",
              "budget.adjusted.basic", "budget.adjusted.project", "final.revenue", "final.expenditure",
              "final.basic", "final.project", "carryover.begin", "carryover.end",
              "assets.fixed.original_value", "assets.fixed.accumulated_depreciation",
              "assets.fixed.net_value", "sangong.total", "sangong.travel_abroad", "sangong.vehicle",
              "sangong.reception", "operating_expenses", "funds.received"]
COUNT_KEYS = ["staff.authorized", "staff.authorized.administrative", "staff.authorized.institution",
              "staff.actual", "staff.in_service", "staff.retired", "staff.contract", "assets.fixed.count"]
RATE_KEYS = ["execution.rate", "funds.received_rate", "satisfaction.rate"]


def figure(fid: str, text: str, value: str, unit: str, kind: str, sentence: str, block: int,
           metric=None, direction=None) -> dict:
    start = max(sentence.find(text), 0)
    return {"id": fid, "text": text, "value": value, "unit": unit, "kind": kind,
            "normalized": {"value": value, "unit": unit}, "approx": False, "qualifier": None,
            "range": None, "direction": direction, "label": None, "metric": metric,
            "location": {"page": block // 12 + 1, "block": block, "start": start,
                         "end": start + len(text), "section": ["一、部门基本情况", "（四）部门预算及执行情况"],
                         "row": None, "col": None},
            "sentence": sentence}


def synthetic_report(rng: random.Random, department: str, year: int, n_figures: int,
                     previous: dict) -> tuple[dict, dict]:
    figures, metrics, values = [], {}, {}
    for key in MONEY_KEYS:
        base = previous.get(key) or Decimal(rng.randint(10000, 900000)) * 100
        value = (base * Decimal(rng.uniform(0.85, 1.2)) / 100).quantize(Decimal(1)) * 100
        if key == "carryover.begin" and previous:
            value = previous["carryover.end"]  # continuity holds
        values[key] = value
        written = format(value / 10000, "f")
        fid = f"f{len(figures):04d}"
        figures.append(figure(fid, written + "万元", written, "万元", "money",
                              f"{key}为{written}万元。", len(figures), metric=key))
        metrics[key] = [{"value": str(value), "unit": "元", "figure_ids": [fid], "conflict": False}]
    for key in COUNT_KEYS:
        value = rng.randint(5, 400)
        fid = f"f{len(figures):04d}"
        figures.append(figure(fid, f"{value}人", str(value), "人", "count", f"{key}{value}人。",
                              len(figures), metric=key))
        metrics[key] = [{"value": str(value), "unit": "人", "figure_ids": [fid], "conflict": False}]
    for key in RATE_KEYS:
        value = Decimal(rng.randint(8000, 10000)) / 10000
        fid = f"f{len(figures):04d}"
        text = format(value * 100, "f")
        figures.append(figure(fid, text + "%", text, "%", "rate", f"{key}为{text}%。", len(figures),
                              metric=key))
        metrics[key] = [{"value": str(value), "unit": "", "figure_ids": [fid], "conflict": False}]
    if previous:
        for key, name in (("final.expenditure", "本年支出合计"), ("operating_expenses", "机关运行经费")):
            g = ((values[key] - previous[key]) / previous[key] * 100).quantize(Decimal("0.01"))
            text = format(abs(g), "f")
            figures.append(figure(f"f{len(figures):04d}", text + "%", text, "%", "rate",
                                  f"{name}较上年{'增长' if g >= 0 else '下降'}{text}%。", len(figures),
                                  direction="up" if g >= 0 else "down"))
    while len(figures) < n_figures:
        value = rng.randint(1, 99999)
        figures.append(figure(f"f{len(figures):04d}", f"{value}个", str(value), "个", "count",
                              f"全年开展检查{value}个，覆盖重点行业领域和重点单位。", len(figures)))
    title = f"{department}{year}年度部门整体支出绩效自评报告"
    sha = hashlib.sha256(title.encode()).hexdigest()
    report = {"schema_version": "1.0",
              "source": {"path": f"archive/{year}/{department}.pdf", "sha256": sha, "format": "pdf",
                         "pages": 12},
              "meta": {"title": title, "department": department, "region": None, "year": year,
                       "genre": "dept_overall_self_eval"},
              "figures": figures, "metrics": metrics, "findings": [], "warnings": [], "errors": []}
    return report, values


def write_corpus(folder: Path, count: int, n_figures: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    (folder / "reports").mkdir(parents=True, exist_ok=True)
    paths = []
    index = 0
    while len(paths) < count:
        department = REGIONS[index % len(REGIONS)] + BUREAUS[(index // len(REGIONS)) % len(BUREAUS)]
        if index >= len(REGIONS) * len(BUREAUS):
            department = f"第{index // (len(REGIONS) * len(BUREAUS))}" + department
        previous: dict = {}
        for year in (2021, 2022, 2023):
            if len(paths) >= count:
                break
            report, previous = synthetic_report(rng, department, year, n_figures, previous)
            path = folder / "reports" / f"{report['source']['sha256']}.json"
            path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
            paths.append(path)
        index += 1
    return paths


def best_of(repeat: int, func) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--figures", type=int, default=200, help="figures per report")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    args = parser.parse_args(argv)

    folder = args.keep or Path(tempfile.mkdtemp(prefix="perfx-bench-compare-"))
    started = time.perf_counter()
    paths = write_corpus(folder, args.reports, args.figures)
    size = sum(p.stat().st_size for p in paths)
    print(f"corpus: {len(paths)} report JSONs, {args.figures} figures each, {size / 1e6:.1f} MB "
          f"(written in {time.perf_counter() - started:.1f} s) in {folder}")
    try:
        def bare_json():
            for p in paths:
                with open(p, encoding="utf-8") as handle:
                    json.load(handle)

        t_json = best_of(args.repeat, bare_json)
        print(f"bare json.load:              {t_json:6.2f} s")
        try:
            import orjson

            def bare_orjson():
                for p in paths:
                    orjson.loads(p.read_bytes())

            print(f"bare orjson.loads:           {best_of(args.repeat, bare_orjson):6.2f} s")
        except ImportError:
            pass
        out = folder / "compare.csv"
        t_csv = best_of(args.repeat, lambda: perfx(["compare", str(folder), "-o", str(out)]))
        rows = out.read_text(encoding="utf-8").count("\n") - 1
        t_json_fmt = best_of(args.repeat, lambda: perfx(["compare", str(folder), "--format", "json",
                                                         "-o", str(folder / "compare.json")]))
        findings = len(json.loads((folder / "compare.json").read_text(encoding="utf-8"))["findings"])
        print(f"perfx compare -> csv:        {t_csv:6.2f} s  ({t_csv / t_json:.2f}x bare json.load; "
              f"{rows} rows)")
        print(f"perfx compare --format json: {t_json_fmt:6.2f} s  ({t_json_fmt / t_json:.2f}x bare json.load; "
              f"cross-year checks included, {findings} findings)")
        verdict = "PASS" if max(t_csv, t_json_fmt) < 5 else "FAIL"
        print(f"goal: {len(paths)} reports under 5 s: {verdict}")
        return 0 if verdict == "PASS" else 1
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
