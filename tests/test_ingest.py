"""perfx ingest: good and bad files, duplicates, resume, the docs' examples, crashed workers.

The helpers at the top (``make_corpus``, ``snapshot``, ``assert_no_duplicates``) are shared by
test_ingest_kill.py and test_ingest_dask.py.
"""
from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")

from extractor import ingest  # noqa: E402
from extractor import ingest as ingest_function  # noqa: E402
from extractor.ingest import IngestError, run_local  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEPARTMENTS = ["东河区水利局", "云溪区应急管理局", "青河县农业农村局", "西山市教育局", "南湖区卫生健康委员会"]


# -- shared helpers ---------------------------------------------------------------------------

def report_text(index: int, seed: int = 7) -> str:
    """A small self-evaluation report, different for every index."""
    rng = random.Random(seed * 100_003 + index)
    dept = DEPARTMENTS[index % len(DEPARTMENTS)]
    year = 2019 + index % 5
    budget = f"{rng.randint(100, 99999)}.{rng.randint(0, 9999):04d}"
    rate = f"{rng.randint(80, 99)}.{rng.randint(0, 99):02d}"
    return (f"{dept}{year}年度部门整体支出绩效自评报告\n"
            f"一、部门概况\n"
            f"{dept}核定编制{rng.randint(10, 90)}人，实有在职人员{rng.randint(10, 90)}人。\n"
            f"二、预算执行情况\n"
            f"{year}年年初预算支出总计{budget}万元，预算执行率{rate}%。\n"
            f"全年完成项目{rng.randint(2, 40)}个，惠及群众{rng.randint(1000, 90000)}人次。\n"
            f"报告编号{index}。\n")


def make_corpus(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """``count`` distinct small txt reports in nested folders."""
    paths = []
    for index in range(count):
        path = folder / f"dept{index % 4}" / f"y{2019 + index % 5}" / f"report_{index:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report_text(index, seed), encoding="utf-8")
        paths.append(path)
    return paths


def _docx_bytes(text: str) -> bytes:
    import docx
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf_bytes(text: str | None, encrypt: bool = False) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    buffer = io.BytesIO()
    kwargs = {}
    if encrypt:
        from reportlab.lib import pdfencrypt
        kwargs["encrypt"] = pdfencrypt.StandardEncryption("secret-user", "secret-owner",
                                                          canPrint=0, canCopy=0)
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1, **kwargs)
    if text is None:  # a "scan": only shapes, no text layer
        for i in range(40):
            pdf.rect(50 + i * 10, 400, 8, 200 - i * 3, fill=1)
    else:
        pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_bad_files(folder: Path) -> dict[str, str]:
    """Ten files that must each become one error row: name -> what is wrong."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(99)

    def noise() -> bytes:  # distinct every call: equal files would be one error row
        return bytes(rng.getrandbits(8) for _ in range(4096))
    good_docx = _docx_bytes("某局2022年度部门整体支出绩效自评报告 预算1268.2万元")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (64 << 20))
    files = {
        "empty.txt": (b"", "empty"),
        "garbage.pdf": (noise(), "random bytes"),
        "corrupt.docx": (noise(), "random bytes"),
        "truncated.docx": (good_docx[: len(good_docx) // 2], "truncated zip"),
        "zipbomb.docx": (bomb.getvalue(), "zip bomb"),
        "encrypted.pdf": (_pdf_bytes("secret 12.5万元", encrypt=True), "encrypted"),
        "scanned.pdf": (_pdf_bytes(None), "no text layer"),
        "binary.txt": (noise(), "not text"),
        "pdf-named.docx": (_pdf_bytes("12.5万元"), "pdf renamed docx"),
        "notes.md": (b"\x00\x01\x02\x03" * 1000, "binary markdown"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return {name: why for name, (_, why) in files.items()}


def snapshot(out: Path) -> dict:
    """Everything in an output folder by content (tables by rows, files by bytes)."""
    import duckdb
    import pyarrow.parquet as pq
    result = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.is_dir() or rel == ".perfx-ingest.lock":
            continue
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            result[rel] = (str(table.schema), table.to_pylist())
        elif path.suffix == ".duckdb":
            con = duckdb.connect(str(path), read_only=True)
            try:
                tables = {}
                for (name,) in con.execute("SELECT table_name FROM information_schema.tables "
                                           "ORDER BY table_name").fetchall():
                    tables[name] = (con.execute(f"DESCRIBE {name}").fetchall(),
                                    con.execute(f"SELECT * FROM {name}").fetchall())
                result[rel] = tables
            finally:
                con.close()
        else:
            result[rel] = path.read_bytes()
    return result


def assert_no_duplicates(out: Path) -> None:
    import duckdb
    keys = {"reports": "sha256", "figures": "sha256, id", "metrics": "sha256, metric, index",
            "findings": "sha256, index", "errors": "sha256, path"}
    con = duckdb.connect(str(out / "perfx.duckdb"), read_only=True)
    try:
        for table, key in keys.items():
            total, distinct = con.execute(
                f"SELECT count(*), count(DISTINCT ({key})) FROM {table}").fetchone()
            assert total == distinct, f"duplicate rows in {table}"
    finally:
        con.close()
    for name in ("figures.jsonl", "findings.jsonl", "errors.jsonl"):
        lines = (out / name).read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(set(lines)), f"duplicate lines in {name}"
    leftovers = [p for p in out.rglob("*") if p.name.endswith(".tmp") or ".staging" in p.parts]
    assert not leftovers, leftovers


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extractor", "ingest", *args],
                          capture_output=True, text=True, timeout=timeout)


# -- acceptance 3: 100 good files + 10 bad ones -------------------------------------------------

def test_good_and_bad_files(tmp_path):
    archive = tmp_path / "archive"
    make_corpus(archive / "good", 100)
    bad = make_bad_files(archive / "bad")
    out = tmp_path / "out"
    result = run_cli(str(archive), "-o", str(out), "--workers", "2")
    assert result.returncode == 1, result.stderr
    assert "100 reports" in result.stdout and "10 errors" in result.stdout, result.stdout
    assert "10 file(s) failed" in result.stdout

    reports = list((out / "reports").glob("*.json"))
    assert len(reports) == 100
    rows = [json.loads(line) for line in (out / "errors.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) == 10
    assert sorted(Path(row["path"]).name for row in rows) == sorted(bad)
    for row in rows:
        assert set(row) == {"sha256", "path", "paths", "stage", "reason"}
        assert row["reason"] and row["stage"] and len(row["sha256"]) == 64
        assert "Traceback" not in row["reason"]
    reasons = {Path(row["path"]).name: row["reason"] for row in rows}
    assert "empty" in reasons["empty.txt"]
    assert "zip bomb" in reasons["zipbomb.docx"]
    assert "encrypted" in reasons["encrypted.pdf"].lower()
    assert "OCR" in reasons["scanned.pdf"] or "text layer" in reasons["scanned.pdf"]

    import duckdb
    con = duckdb.connect(str(out / "perfx.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 100
    assert con.execute("SELECT count(*) FROM errors").fetchone()[0] == 10
    figures = con.execute("SELECT count(*) FROM figures").fetchone()[0]
    assert figures >= 500
    con.close()
    figure_lines = (out / "figures.jsonl").read_text("utf-8").splitlines()
    assert len(figure_lines) == figures
    assert_no_duplicates(out)

    # a second run skips everything, changes nothing, and still reports the failures
    before = snapshot(out)
    again = run_cli(str(archive), "-o", str(out), "--workers", "2")
    assert again.returncode == 1
    assert "0 extracted, 110 unchanged" in again.stdout, again.stdout
    assert snapshot(out) == before


# -- duplicates, changed files, removed files ---------------------------------------------------

def test_duplicates_recorded_once_with_both_paths(tmp_path):
    archive = tmp_path / "a"
    make_corpus(archive, 3)
    copy = archive / "copy" / "same.txt"
    copy.parent.mkdir()
    copy.write_bytes((archive / "dept0" / "y2019" / "report_0000.txt").read_bytes())
    out = tmp_path / "out"
    summary = ingest([archive], out, workers=1)
    assert summary.ok and summary.reports == 3 and summary.duplicates == 1
    import duckdb
    con = duckdb.connect(str(out / "perfx.duckdb"), read_only=True)
    paths = con.execute("SELECT paths FROM reports WHERE len(paths) = 2").fetchall()
    con.close()
    assert len(paths) == 1
    assert sorted(Path(p).name for p in paths[0][0]) == ["report_0000.txt", "same.txt"]


def test_changed_and_removed_files_follow_the_archive(tmp_path):
    from extractor.ingest import file_sha256
    archive = tmp_path / "a"
    paths = make_corpus(archive, 4)
    out = tmp_path / "out"
    first = ingest(archive, out, workers=1)
    assert first.extracted == 4
    old = {file_sha256(str(paths[0])), file_sha256(str(paths[1]))}
    paths[0].write_text(report_text(1000), encoding="utf-8")  # changed content
    paths[1].unlink()  # removed
    second = ingest(archive, out, workers=1)
    assert (second.extracted, second.unchanged, second.reports) == (1, 2, 3)
    import duckdb
    con = duckdb.connect(str(out / "perfx.duckdb"), read_only=True)
    shas = {sha for (sha,) in con.execute("SELECT sha256 FROM reports").fetchall()}
    con.close()
    assert file_sha256(str(paths[0])) in shas and not shas & old
    assert {p.stem for p in (out / "reports").glob("*.json")} == shas  # old results pruned
    assert second.pruned == 2
    manifest = (out / "manifest.jsonl").read_text("utf-8")
    assert "report_0001.txt" not in manifest and manifest.count("\n") == 3


def test_retry_errors_and_force(tmp_path):
    archive = tmp_path / "a"
    make_corpus(archive, 2)
    (archive / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    assert ingest(archive, out, workers=1).errors == 1
    skipped = ingest(archive, out, workers=1)
    assert (skipped.extracted, skipped.new_errors, skipped.errors) == (0, 0, 1)
    retried = ingest(archive, out, workers=1, retry_errors=True)
    assert (retried.extracted, retried.new_errors) == (0, 1)
    (archive / "empty.txt").unlink()
    forced = ingest(archive, out, workers=1, force=True)
    assert (forced.extracted, forced.errors) == (2, 0)
    assert not list((out / "errors.jsonl").read_text().splitlines())


def test_usage_errors(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        ingest(tmp_path / "missing", tmp_path / "out")
    result = run_cli(str(tmp_path / "missing"), "-o", str(tmp_path / "out"))
    assert result.returncode == 2 and "no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_data_extra_names_the_install_command(tmp_path, monkeypatch):
    import builtins
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "duckdb":
            raise ImportError("no duckdb")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    make_corpus(tmp_path / "a", 1)
    with pytest.raises(IngestError, match=re.escape("pip install pyarrow duckdb")):
        ingest(tmp_path / "a", tmp_path / "out")


def test_output_folder_inside_the_archive_is_not_ingested(tmp_path):
    make_corpus(tmp_path, 2)
    first = ingest(tmp_path, tmp_path / "outputs", workers=1)
    second = ingest(tmp_path, tmp_path / "outputs", workers=1)
    assert first.files == second.files == 2 and second.unchanged == 2


def test_user_patterns_reach_the_workers(tmp_path):
    """`perfx --patterns DIR ingest`: worker processes use the user's pattern folder too."""
    folder = tmp_path / "mypatterns"
    folder.mkdir()
    (folder / "units.yaml").write_text("count:\n  - {forms: [羽]}\n", encoding="utf-8")
    archive = tmp_path / "a"
    archive.mkdir()
    (archive / "birds.txt").write_text("放流鱼苗3000羽", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "extractor", "--patterns", str(folder),
                             "ingest", str(archive), "-o", str(tmp_path / "out"), "--workers",
                             "1", "--quiet"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in
            (tmp_path / "out" / "figures.jsonl").read_text("utf-8").splitlines()]
    assert [row["text"] for row in rows] == ["3000羽"]


# -- metrics and findings tables ----------------------------------------------------------------

def test_metrics_and_findings_tables(tmp_path):
    """Rows per report x metric and per finding, decimals exact, tied to the figure ids."""
    from decimal import Decimal

    import duckdb
    archive = tmp_path / "a"
    archive.mkdir()
    (archive / "r.txt").write_text(
        "某局2022年度部门整体支出绩效自评报告\n一、预算执行情况\n"
        "年初预算支出总计1268.22万元，其中：基本支出500.00万元，项目支出700.00万元。\n",
        encoding="utf-8")
    out = tmp_path / "out"
    summary = ingest(archive, out, workers=1)
    report = json.loads(next((out / "reports").glob("*.json")).read_text("utf-8"))
    con = duckdb.connect(str(out / "perfx.duckdb"), read_only=True)
    metrics = con.execute("SELECT metric, value, unit, figure_ids, conflict FROM metrics "
                          "ORDER BY metric, index").fetchall()
    findings = con.execute("SELECT rule, severity, figure_ids, expected, found, difference, "
                           "unit, finding->>'$.family' FROM findings").fetchall()
    counts = con.execute("SELECT figure_count, metric_count, finding_count FROM reports").fetchall()
    con.close()
    expected_metrics = sorted(
        (key, Decimal(item["value"]), item["unit"], item["figure_ids"], item["conflict"])
        for key, items in report["metrics"].items() for item in items)
    assert metrics == expected_metrics
    assert summary.metrics == len(metrics)
    assert len(findings) == len(report["findings"]) == summary.findings
    if report["metrics"]:  # filled by the metric recognizer (issue 3)
        assert ("budget.initial.expenditure", Decimal("12682200"), "元", ["f0001"], False) in metrics
    if report["findings"]:  # filled by the consistency checker (issue 4)
        first = report["findings"][0]
        assert findings[0][:2] == (first["rule"], first["severity"])
        assert findings[0][2] == [f["id"] for f in first["figures"]]
        assert findings[0][7] == first["family"]
        lines = (out / "findings.jsonl").read_text("utf-8").splitlines()
        assert json.loads(lines[0])["finding"] == first
    assert counts == [(len(report["figures"]), len(metrics), len(findings))]


def cross_year_rows(out: Path) -> list[dict]:
    """The rows of findings.jsonl that compare one report with last year's."""
    from extractor.crossyear import rule_id
    rules = {rule_id("carryover"), rule_id("growth")}
    rows = [json.loads(line) for line in (out / "findings.jsonl").read_text("utf-8").splitlines()]
    return [row for row in rows if row["rule"] in rules]


def test_cross_year_findings_are_written_and_resume_without_duplicates(tmp_path):
    """Generated reports with mismatches planted in their carryover and 比上年 statements
    (test_crossyear.planted_corpus): ingest puts the cross-year findings in the findings
    tables, tied to this year's report, and a resumed run ends with the same outputs."""
    import duckdb
    from test_crossyear import planted_corpus

    from extractor.crossyear import cross_year_findings, rule_id
    from extractor.load_reports import load_reports
    archive = tmp_path / "archive"
    archive.mkdir()
    planted, _ = planted_corpus(archive, count=8)
    carryovers = {p for p in planted if p[2] == "carryover"}
    assert carryovers
    out = tmp_path / "out"
    summary = ingest(archive, out, workers=2)
    rows = cross_year_rows(out)
    assert summary.cross_year == len(rows) and not summary.cross_year_error
    assert "across years" in summary.text()
    kinds = {rule_id("carryover"): "carryover", rule_id("growth"): "growth"}
    found = {(row["finding"]["department"], row["year"], kinds[row["rule"]], row["finding"]["metric"]
              + (f"/{row['finding']['claim']}" if "claim" in row["finding"] else "")) for row in rows}
    assert carryovers <= found, (carryovers, found)
    # the same findings as perfx compare gives on the outputs, and perfx report shows each once
    from extractor.report_html import gather_findings
    loaded = load_reports([out])
    live = cross_year_findings(loaded.reports)
    assert len(rows) == len(live)
    assert len(gather_findings(loaded, live)) == summary.findings
    con = duckdb.connect(str(out / "perfx.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM findings").fetchone()[0] == summary.findings
        assert con.execute("SELECT sum(finding_count) FROM reports").fetchone()[0] == summary.findings
        # each row's figure ids are figures of the row's own report (this year's)
        assert con.execute("""
            SELECT count(*) FROM (SELECT sha256, unnest(figure_ids) AS id FROM findings) f
            LEFT JOIN figures g USING (sha256, id) WHERE g.id IS NULL""").fetchone()[0] == 0
        years = con.execute("SELECT DISTINCT f.year = r.year FROM findings f JOIN reports r "
                            "USING (sha256)").fetchall()
        assert years == [(True,)]
    finally:
        con.close()
    assert_no_duplicates(out)
    expected = snapshot(out)
    # a run stopped before this year's report and the tables were written, then resumed
    sha = rows[0]["sha256"]
    (out / "reports" / f"{sha}.json").unlink()
    (out / "findings.jsonl").unlink()
    resumed = ingest(archive, out, workers=2)
    assert resumed.extracted == 1 and resumed.cross_year == summary.cross_year
    assert snapshot(out) == expected
    ingest(archive, out, workers=1)  # and once more with nothing to do
    assert snapshot(out) == expected
    assert_no_duplicates(out)


def test_force_rerun_that_fails_replaces_the_old_report(tmp_path):
    archive = tmp_path / "a"
    make_corpus(archive, 2)
    out = tmp_path / "out"
    ingest(archive, out, workers=1)
    run = sys.modules["extractor.ingest"].run_local

    def failing(tasks, on_result, **kwargs):
        for task in tasks:
            on_result(task, {"status": "error", "stage": "extract", "reason": "boom"})

    sys.modules["extractor.ingest"].run_local = failing
    try:
        summary = ingest(archive, out, workers=1, force=True)
    finally:
        sys.modules["extractor.ingest"].run_local = run
    assert (summary.reports, summary.errors) == (0, 2)
    assert not list((out / "reports").glob("*.json"))


# -- the documentation's examples ---------------------------------------------------------------

def _python_blocks(markdown: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown.read_text(encoding="utf-8"), re.S)


def test_docs_ingest_python_example(tmp_path, monkeypatch):
    """docs/ingest.md (the README section): its python block runs as written."""
    make_corpus(tmp_path / "archive", 6)
    monkeypatch.chdir(tmp_path)
    blocks = _python_blocks(ROOT / "docs" / "ingest.md")
    assert blocks
    namespace: dict = {}
    exec(compile(blocks[0], "docs/ingest.md", "exec"), namespace)  # noqa: S102
    summary = namespace["summary"]
    assert summary.reports == 6 and summary.ok
    assert namespace["rows"], "the example query returned no rows"


def test_docs_duckdb_query_returns_expected_rows(tmp_path, monkeypatch):
    """The DuckDB query in docs/outputs.md, on a known archive, gives the documented rows."""
    import duckdb
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "a.txt").write_text(
        "东河区水利局2022年度部门整体支出绩效自评报告\n一、预算执行情况\n"
        "年初预算支出总计1268.2285万元，执行率98.80%，在职17人。\n", encoding="utf-8")
    (archive / "b.txt").write_text(
        "东河区水利局2023年度部门整体支出绩效自评报告\n一、预算执行情况\n"
        "年初预算支出总计1300.5万元，另有项目资金20万元，执行率99.1%。\n", encoding="utf-8")
    (archive / "c.txt").write_text(
        "云溪区应急管理局2023年度部门整体支出绩效自评报告\n一、预算执行情况\n"
        "年初预算支出总计88.88万元。\n", encoding="utf-8")
    ingest(archive, tmp_path / "outputs", workers=1)
    monkeypatch.chdir(tmp_path)
    text = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    query = re.search(r"```sql\n(.*?)```", text, re.S).group(1)
    con = duckdb.connect("outputs/perfx.duckdb", read_only=True)
    rows = con.execute(query).fetchall()
    con.close()
    from decimal import Decimal
    assert rows == [
        ("东河区水利局", 2022, 1, Decimal("12682285.0000000000")),
        ("东河区水利局", 2023, 2, Decimal("13205000.0000000000")),
        ("云溪区应急管理局", 2023, 1, Decimal("888800.0000000000")),
    ]


# -- workers that die or hang -------------------------------------------------------------------

def crash_on_bad(path: str, timeout):  # runs in a worker process
    if "bad" in Path(path).name:
        os._exit(3)
    time.sleep(0.05)
    return {"status": "ok", "json": "{}", "figures": 0, "findings": 0}


def hang_on_bad(path: str, timeout):  # runs in a worker process; ignores the alarm
    if "bad" in Path(path).name:
        while True:
            time.sleep(1)
    return {"status": "ok", "json": "{}", "figures": 0, "findings": 0}


def test_dead_worker_is_one_error_and_the_pool_restarts():
    tasks = [(f"sha{i}", f"/x/file{i}.txt") for i in range(6)] + [("shabad", "/x/bad.txt")]
    results = {}
    run_local(tasks, lambda task, result: results.__setitem__(task[0], result), workers=2,
              timeout=30, work=crash_on_bad)
    assert set(results) == {task[0] for task in tasks}
    assert results["shabad"]["stage"] == "crash"
    assert all(results[f"sha{i}"]["status"] == "ok" for i in range(6))


def test_stuck_worker_is_stopped_by_the_watchdog(monkeypatch):
    module = sys.modules["extractor.ingest"]  # the attribute is the function
    monkeypatch.setattr(module, "WATCHDOG_GRACE", 0.5)
    tasks = [("shabad", "/x/bad.txt")] + [(f"sha{i}", f"/x/file{i}.txt") for i in range(4)]
    results = {}
    started = time.monotonic()
    run_local(tasks, lambda task, result: results.__setitem__(task[0], result), workers=2,
              timeout=1, work=hang_on_bad)
    assert time.monotonic() - started < 20
    assert results["shabad"]["stage"] == "timeout"
    assert all(results[f"sha{i}"]["status"] == "ok" for i in range(4))


# -- progress -----------------------------------------------------------------------------------

def test_progress_bar_and_log_lines():
    from extractor.progress import Progress
    stream = io.StringIO()
    bar = Progress(4, mode="bar", stream=stream)
    bar.advance("a.txt", ok=True)
    bar.advance("b.pdf", ok=False, detail="[read] encrypted PDF")
    bar.close()
    bar.note("building tables")
    text = stream.getvalue()
    assert text.endswith("\nperfx ingest: building tables\n")  # no bar redrawn after close
    assert "\r" in text and "2/4" in text and "errors 1" in text and "files/s" in text
    assert "ETA" in text and "error: b.pdf: [read] encrypted PDF" in text
    stream = io.StringIO()
    log = Progress(2, mode="log", stream=stream)
    log.advance("a.txt", ok=True, detail="3 figures")
    assert stream.getvalue() == "perfx ingest: [1/2] done  a.txt (3 figures)\n"


def test_public_api_is_the_function():
    assert callable(ingest) and ingest is ingest_function
    import extractor
    assert extractor.ingest.__name__ == "ingest" and callable(extractor.ingest)
