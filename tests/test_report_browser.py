"""The review page in a real browser: headless Chromium driven by selenium.

Loads the page from a file:// URL with every network feature off, and checks: no console
errors, the charts (svg) and findings are there, typing in the filter box hides departments
and rows, and a screenshot is saved to tests/artifacts/report.png.

Skipped cleanly when chromium, chromedriver or selenium is missing. Debian:
    apt-get install -y chromium chromium-driver && pip install selenium
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from test_compare import make_figure, write_reports
from test_crossyear import build_corpus

from extractor.cli import main
from extractor.crossyear import rule_id

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"


def _binary(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name) or (name if os.path.isfile(name) else None)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    chromium = _binary(os.environ.get("PERFX_CHROMIUM", ""), "/usr/bin/chromium", "chromium",
                       "chromium-browser", "google-chrome")
    chromedriver = _binary(os.environ.get("PERFX_CHROMEDRIVER", ""), "/usr/bin/chromedriver",
                           "chromedriver")
    if not chromium or not chromedriver:
        pytest.skip("chromium or chromedriver is not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,1600",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        drv = webdriver.Chrome(service=Service(chromedriver), options=options)
    except Exception as exc:  # noqa: BLE001 - a browser that cannot start is an environment issue
        pytest.skip(f"chromium did not start: {exc}")
    drv.set_page_load_timeout(30)
    yield drv
    drv.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    """A review page over a small multi-year corpus with planted mismatches, an in-report
    finding, an ingestion error and a department name that must be escaped."""
    reports, planted, _ = build_corpus(seed=3, departments=6)
    assert planted
    figure = make_figure("x1", "164件", "164", "件", "count",
                         "固定资产164件，其中通用设备85件、专用设备25件、家具94件。", page=3)
    reports[0]["figures"].append(figure)
    reports[0]["findings"].append({
        "rule": "PX001", "name": "sum_total", "family": "sum", "severity": "error",
        "message_zh": "合计164件与各项之和204件不符", "message_en": "total 164 differs from its parts 204",
        "figures": [{"id": "x1", "text": "164件", "role": "total", "value": "164", "unit": "件",
                     "location": figure["location"], "report": None}],
        "expected": "204", "found": "164", "difference": "-40", "unit": "件"})
    reports[-1]["meta"]["department"] = "<img src=x onerror=alert(1)>局"
    folder = write_reports(tmp_path_factory.mktemp("outputs"), reports)
    (folder / "errors.jsonl").write_text(json.dumps(
        {"path": "archive/2020/扫描件.pdf", "reason": "scanned PDF: no text layer", "stage": "read"},
        ensure_ascii=False) + "\n", encoding="utf-8")
    out = folder / "report.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    return out


def _console_errors(drv) -> list[dict]:
    return [e for e in drv.get_log("browser") if e.get("level") == "SEVERE"]


def test_report_in_chromium(driver, page):
    from selenium.webdriver.common.by import By

    driver.get(page.resolve().as_uri())
    assert "perfx" in driver.title
    sections = driver.find_elements(By.CSS_SELECTOR, "section.dept")
    charts = driver.find_elements(By.CSS_SELECTOR, "svg.chart")
    findings = driver.find_elements(By.CSS_SELECTOR, "#findings + ol li.finding")
    marks = driver.find_elements(By.CSS_SELECTOR, "li.finding mark")
    print(f"\nchromium: {len(sections)} department sections, {len(charts)} charts, "
          f"{len(findings)} findings, {len(marks)} highlighted figures")
    assert len(sections) >= 6
    assert len(charts) >= 6 * 5
    assert charts[0].size["width"] > 100 and charts[0].size["height"] > 50
    assert driver.find_elements(By.CSS_SELECTOR, "svg.chart polyline")
    assert len(findings) >= 2 and len(marks) >= len(findings)
    assert any("PX001" in f.text for f in findings)
    assert any(rule_id("carryover") in f.text for f in findings)
    assert any(rule_id("growth") in f.text for f in findings)
    assert "第 3 页" in driver.find_element(By.ID, "findings").find_element(By.XPATH, "..").text
    assert "扫描件.pdf" in driver.find_element(By.CSS_SELECTOR, "table.errors").text
    assert not driver.find_elements(By.CSS_SELECTOR, "main img")  # the name was escaped
    assert _console_errors(driver) == []

    # the filter box: a department name hides the other departments
    box = driver.find_element(By.ID, "filter")
    target = sections[1].find_element(By.TAG_NAME, "h2").text
    box.send_keys(target)
    visible = [s for s in sections if s.is_displayed()]
    assert [s.find_element(By.TAG_NAME, "h2").text for s in visible] == [target]
    assert "1 / " in driver.find_element(By.ID, "count").text
    # a metric key keeps every department but hides the other metric rows
    box.clear()
    box.send_keys("execution.rate")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.metrics tbody tr")
    shown = [r for r in rows if r.is_displayed()]
    assert shown and len(shown) < len(rows)
    assert all("execution.rate" in r.text for r in shown)
    box.clear()
    box.send_keys("没有这个部门")
    assert not any(s.is_displayed() for s in sections)
    box.clear()
    box.send_keys(" ")  # back to everything
    assert all(s.is_displayed() for s in sections)
    assert _console_errors(driver) == []

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
