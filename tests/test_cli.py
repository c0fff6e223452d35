"""The perfx command line: output, exit codes, one-line errors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.cli import main


def run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extractor", *args], capture_output=True,
                          text=True, timeout=60)


@pytest.fixture
def report_txt(tmp_path: Path) -> Path:
    path = tmp_path / "某局2022年度部门整体支出绩效自评报告.txt"
    path.write_text("某局2022年度部门整体支出绩效自评报告\n一、部门概况\n"
                    "年初预算支出总计1268.2285万元，执行率98.80%，在职17人。\n", encoding="utf-8")
    return path


def test_one_file_prints_json(report_txt):
    result = run(["extract", str(report_txt)])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [f["text"] for f in report["figures"]] == ["1268.2285万元", "98.80%", "17人"]
    money = report["figures"][0]
    assert money["normalized"] == {"value": "12682285", "unit": "元"}
    assert money["value"] == "1268.2285"
    assert report["figures"][1]["normalized"]["value"] == "0.988"
    assert money["location"]["section"] == ["一、部门概况"]
    assert report["meta"]["year"] == 2022
    assert report["source"]["format"] == "txt" and len(report["source"]["sha256"]) == 64


def test_several_files_need_a_folder(report_txt, tmp_path):
    result = run(["extract", str(report_txt), str(report_txt)])
    assert result.returncode == 2
    assert "-o DIR" in result.stderr


def test_several_files_write_one_json_each(report_txt, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("支出5万元", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["extract", "-o", str(out), str(report_txt), str(other)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{report_txt.stem}.json", "other.json"])


def test_bad_file_is_one_line_error_and_exit_1(report_txt, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    result = run(["extract", "-o", str(out), str(bad), str(report_txt)])
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "empty.txt" in lines[0] and "empty" in lines[0]
    assert "Traceback" not in result.stderr
    assert (out / f"{report_txt.stem}.json").exists()  # the good file is still written


def test_unsupported_extension(tmp_path):
    path = tmp_path / "report.exe"
    path.write_bytes(b"MZ\x90\x00")
    result = run(["extract", str(path)])
    assert result.returncode == 1
    assert "report.exe" in result.stderr and "unsupported" in result.stderr


def test_usage_error_exit_2():
    assert run(["extract"]).returncode == 2


def test_schema_is_json_schema():
    result = run(["schema"])
    schema = json.loads(result.stdout)
    figure = schema["$defs"]["Figure"]["properties"]
    assert figure["value"]["type"] == "string"
    for field in ("id", "text", "unit", "kind", "normalized", "approx", "qualifier", "range",
                  "label", "metric", "location", "sentence"):
        assert field in figure


def test_user_patterns_extend_units(tmp_path):
    folder = tmp_path / "mypatterns"
    folder.mkdir()
    (folder / "units.yaml").write_text("count:\n  - {forms: [羽]}\n", encoding="utf-8")
    path = tmp_path / "birds.txt"
    path.write_text("放流鱼苗3000羽", encoding="utf-8")
    result = run(["--patterns", str(folder), "extract", str(path)])
    assert [f["text"] for f in json.loads(result.stdout)["figures"]] == ["3000羽"]
    plain = run(["extract", str(path)])
    assert json.loads(plain.stdout)["figures"] == []


def test_user_patterns_in_process(tmp_path):
    from extractor import patterns
    from extractor.figures import find_figures
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "units.yaml").write_text("count:\n  - {forms: [羽]}\n", encoding="utf-8")
    assert find_figures("鱼苗3000羽") == []
    patterns.set_user_dirs([folder])
    try:
        assert [f.text for f in find_figures("鱼苗3000羽")] == ["3000羽"]
    finally:
        patterns.set_user_dirs([])
    assert find_figures("鱼苗3000羽") == []
