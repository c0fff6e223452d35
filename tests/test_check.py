"""perfx check: the tolerance arithmetic, the findings' shape, structure specs, the CLI, and
the acceptance numbers on the seed and the dev corpus (skipped without ../shared)."""
from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from extractor.check import check_report, has_errors
from extractor.check.findings import Finding
from extractor.check.tolerance import Interval, interval
from extractor.cli import main
from extractor.extract import build_report, extract
from extractor.models import Figure, Location, Normalized
from extractor.readers import read_document

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "tests" / "specs" / "check"


def _figure(text, value, unit, kind, normalized, approx=False, qualifier=None) -> Figure:
    return Figure(id="f0001", text=text, value=Decimal(value), unit=unit, kind=kind,
                  normalized=Normalized(value=Decimal(normalized), unit="元" if kind == "money" else unit),
                  approx=approx, qualifier=qualifier, location=Location(block=0, start=0, end=len(text)))


# -- tolerance ----------------------------------------------------------------------------
def test_interval_from_written_precision():
    assert interval(_figure("81.12万元", "81.12", "万元", "money", "811200")) == \
        Interval(Decimal("811150.00"), Decimal("811250.00"))
    rate = interval(_figure("98.8%", "98.8", "%", "rate", "0.988"))
    assert rate.low == Decimal("0.9875") and rate.high == Decimal("0.9885")
    assert interval(_figure("164件", "164", "件", "count", "164")) == Interval(Decimal(164), Decimal(164))
    assert interval(_figure("100万元", "100", "万元", "money", "1000000")).high == Decimal("1005000.0")


def test_approximate_intervals_are_wide_and_one_sided():
    more = interval(_figure("5880余条", "5880", "条", "count", "5880", True, "余"))
    assert more.low == 5880 and more.high > 5880
    about = interval(_figure("约21.43公里", "21.43", "公里", "length", "21.43", True, "约"))
    assert about.low < Decimal("21.43") < about.high
    reached = interval(_figure("达到13579元", "13579", "元", "money", "13579", True, "达到"))
    assert reached.high - reached.low <= 1  # 达到 states the value itself


def test_interval_division_and_overlap():
    quotient = Interval(Decimal("28.05"), Decimal("28.15")).divided_by(Interval(Decimal("38.25"), Decimal("38.35")))
    assert quotient.overlaps(Interval(Decimal("0.7345"), Decimal("0.7355")))
    assert not Interval(Decimal(1), Decimal(2)).overlaps(Interval(Decimal("2.01"), Decimal(3)))
    assert Interval(Decimal(1), Decimal(2)).divided_by(Interval(Decimal(-1), Decimal(1))) is None


# -- findings -----------------------------------------------------------------------------
def _check_text(tmp_path, text: str):
    path = tmp_path / "report.txt"
    path.write_text(text + "\n", encoding="utf-8")
    document = read_document(path)
    return check_report(build_report(document, path), document)


def test_finding_is_frozen_and_serialises_decimals_as_strings(tmp_path):
    findings = _check_text(tmp_path, "我局共有固定资产164件，其中通用设备85件，专用设备25件，家具94件。")
    assert [f.rule for f in findings] == ["PX001"]
    finding = findings[0]
    with pytest.raises(ValidationError):
        finding.severity = "info"
    data = finding.as_dict()
    assert data["expected"] == "204" and data["found"] == "164" and data["difference"] == "-40"
    assert [f["role"] for f in data["figures"]] == ["total", "part", "part", "part"]
    assert all(isinstance(f["value"], str) for f in data["figures"])
    assert "204" in data["message_zh"] and "164" in data["message_en"]
    assert Finding.model_validate(data) == finding


def _spec_cases():
    return [pytest.param(case, id=case["name"][:40])
            for spec in sorted(SPECS.glob("*.json"))
            for case in json.loads(spec.read_text(encoding="utf-8"))["cases"]]


@pytest.mark.parametrize("case", _spec_cases())
def test_structure_spec(tmp_path, case):
    findings = _check_text(tmp_path, case["text"])
    rules = [f.rule for f in findings]
    for expected in case["expect"]:
        matching = [f for f in findings if f.rule == expected["rule"]]
        assert matching, (expected, [f.message_en for f in findings])
        if "severity" in expected:
            assert matching[0].severity == expected["severity"]
        if "figures" in expected:
            assert sorted(r.text for r in matching[0].figures) == sorted(expected["figures"])
    for absent in case.get("absent", []):
        assert absent not in rules, [f.message_en for f in findings]


# -- acceptance on the shared data ----------------------------------------------------------
def test_seed_has_exactly_the_fixed_asset_error(shared_dir):
    seed = next((shared_dir / "seed").glob("*.txt"))
    findings = check_report(extract(seed))
    errors = [f for f in findings if f.severity == "error"]
    assert len(errors) == 1, [f.message_en for f in errors]
    error = errors[0]
    assert sorted(r.text for r in error.figures) == sorted(["164件", "85件", "25件", "94件"])
    assert (error.expected, error.found) == (Decimal(204), Decimal(164))


def test_rules_doc_is_generated_and_current():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_rules_doc.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# -- CLI -------------------------------------------------------------------------------------
def test_cli_exit_codes_and_formats(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("我局共有固定资产164件，其中通用设备85件，专用设备25件，家具94件。\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("我局共有固定资产204件，其中通用设备85件，专用设备25件，家具94件。\n", encoding="utf-8")
    assert main(["check", str(good)]) == 0
    assert main(["check", str(bad)]) == 3
    out = capsys.readouterr().out
    assert "PX001" in out and "204" in out
    assert main(["check", "--format", "json", str(bad), str(good)]) == 3
    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["error"] == 1
    assert {r["path"] for r in payload["reports"]} == {str(bad), str(good)}
    assert main(["check", "--format", "html", str(bad)]) == 3
    assert "<table>" in capsys.readouterr().out
    assert main(["check", str(tmp_path / "missing.txt")]) == 1


def test_cli_reads_extracted_json_without_the_source(tmp_path, capsys):
    source = tmp_path / "r.txt"
    source.write_text("一年来，硬化道路7.8公里，其中三湾村3.4公里，庙沟村1.9公里，大义村2.5公里，陈家村1.9公里。\n",
                      encoding="utf-8")
    data = json.loads(extract(source).model_dump_json())
    source.unlink()  # the checker must work from the figures' sentences alone
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "r.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (folder / "index.json").write_text("{\"not\": \"a report\"}", encoding="utf-8")
    assert main(["check", "--format", "json", str(folder)]) == 3
    payload = json.loads(capsys.readouterr().out)
    assert [f["rule"] for r in payload["reports"] for f in r["findings"]] == ["PX001"]


def test_has_errors():
    assert not has_errors([])


def test_check_over_ingest_outputs_includes_its_cross_year_findings(tmp_path):
    """`perfx check OUT/` shows every cross-year finding `perfx ingest` wrote to
    findings.jsonl (carryover, 比上年 claims), with the same rule, severity and message."""
    import json as _json

    from test_crossyear import planted_corpus

    from extractor import ingest
    from extractor.cli import main
    archive = tmp_path / "archive"
    archive.mkdir()
    planted_corpus(archive, count=8)
    out = tmp_path / "out"
    ingest(archive, out, workers=1)
    rows = [_json.loads(line) for line in (out / "findings.jsonl").read_text("utf-8").splitlines()]
    cross = {(r["finding"]["rule"], r["finding"]["severity"], r["finding"]["message_zh"]) for r in rows
             if r["finding"].get("family") == "cross_year" or "department" in r["finding"]}
    assert cross
    report = tmp_path / "check.json"
    main(["check", "--format", "json", "-o", str(report), str(out)])
    shown = {(f["rule"], f["severity"], f["message_zh"])
             for r in _json.loads(report.read_text("utf-8"))["reports"] for f in r["findings"]}
    assert cross <= shown, cross - shown


def _mentions(finding, texts: list[str]) -> int:
    quoted = {r.text for r in finding.figures}
    return sum(1 for t in texts if t in quoted)


def test_sample_corpus_mismatches_are_found_and_nothing_else_is_flagged():
    """corpus/mismatch/: every planted mismatch is flagged (error or warning) by a finding naming
    its figures, and every error or warning names a planted mismatch."""
    import json as _json
    folder = ROOT / "corpus" / "mismatch"
    index = _json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert index["reports"]
    for entry in index["reports"]:
        path = ROOT / "corpus" / entry["files"][0]
        document = read_document(path)
        findings = [f for f in check_report(build_report(document, path), document)
                    if f.severity in ("error", "warning")]
        truth = _json.loads((ROOT / "corpus" / entry["truth"]).read_text(encoding="utf-8"))
        planted = []
        for relation in truth["relations"]:
            if relation["holds"] is False:
                texts = [v for k, v in relation.items() if k not in ("kind", "holds", "note", "direction")]
                texts = [t for v in texts for t in (v if isinstance(v, list) else [v])]
                planted.append(texts)
        assert len(planted) == entry["planted"] >= 2
        for texts in planted:
            assert any(_mentions(f, texts) >= 2 for f in findings), (path.name, texts)
        for finding in findings:
            assert any(_mentions(finding, texts) >= 2 for texts in planted), (path.name, finding.message_zh)


def test_execution_rate_of_the_self_evaluation_funds_row(tmp_path):
    """The parsed self-evaluation table's funds row is judged on its own (no table text needed):
    执行率 against 全年执行数 / 全年预算数; a row whose 执行率 cell is no rate is left alone."""
    def findings_without_text(text: str):
        path = tmp_path / "form.txt"
        path.write_text(text, encoding="utf-8")
        report = build_report(read_document(path), path)
        for figure in report.figures:  # as if the grid were lost: only the parsed table remains
            figure.location.row = figure.location.col = None
        return [f for f in check_report(report) if f.rule == "PX020"]
    head = "2023年度项目支出绩效自评表\n| 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
    wrong = findings_without_text(head + "| 年度资金总额 | 100.00 | 120.00 | 90.00 | 10 | 80.00% | 8 |\n")
    assert [sorted(r.text for r in f.figures) for f in wrong] == [["120.00", "80.00%", "90.00"]]
    assert not findings_without_text(head + "| 年度资金总额 | 100.00 | 120.00 | 96.00 | 10 | 80.00% | 8 |\n")


def test_the_checker_never_rereads_the_source_file(tmp_path):
    """A report checked without its document uses what travels with it (figure sentences,
    relations): changing the file on disk afterwards changes nothing."""
    path = tmp_path / "report.txt"
    path.write_text("我局共有固定资产164件，其中通用设备85件，专用设备25件，家具94件。\n", encoding="utf-8")
    report = extract(path)
    path.write_text("我局共有固定资产204件，其中通用设备85件，专用设备25件，家具94件。\n", encoding="utf-8")
    findings = check_report(report)
    assert [f.rule for f in findings] == ["PX001"] and findings[0].found == Decimal(164)
    path.unlink()
    assert [f.rule for f in check_report(report)] == ["PX001"]
