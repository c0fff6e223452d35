"""spaCy: blank Chinese with jieba and the domain dictionary, perfx stages as factories."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

from extractor import spacy_pipeline  # noqa: E402  (registers the factories)
from extractor.labels import userdict_text, userdict_words  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TEXT = "2022年度调整后预算支出总计1268.2285万元，其中：基本支出364.1228万元，项目支出904.1057万元。"


def test_pipeline_is_built_once_per_process():
    assert spacy_pipeline.nlp() is spacy_pipeline.nlp()
    assert spacy_pipeline.nlp().lang == "zh"


def test_domain_terms_are_single_tokens():
    tokens = spacy_pipeline.tokens("调整后预算支出总计，基本支出，年末结转和结余，实有人数")
    for term in ("调整后预算", "基本支出", "年末结转和结余", "实有人数"):
        assert term in tokens


def test_user_dictionary_comes_from_the_pattern_files():
    words = userdict_words()
    assert {"基本支出", "实有人数", "全年执行数", "公务接待费"} <= set(words)
    written = (ROOT / "patterns" / "jieba_userdict.txt").read_text(encoding="utf-8")
    # regenerate with: python -m extractor.spacy_pipeline
    assert written == userdict_text()


def test_factories_in_a_users_own_pipeline():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("perfx_figures")
    nlp.add_pipe("perfx_labels")
    doc = nlp(TEXT)
    spans = list(doc.spans["figures"])
    assert [s.text for s in spans] == ["1268.2285万元", "364.1228万元", "904.1057万元"]
    first = spans[0]
    assert str(first._.value) == "1268.2285" and first._.unit == "万元" and first._.kind == "money"
    assert first._.label == "调整后预算支出总计"
    assert first._.metric == "budget.adjusted.expenditure"
    assert spans[1]._.metric == "budget.adjusted.basic"
    assert "调整后" in spans[1]._.label and "基本支出" in spans[1]._.label


def test_figures_alone_fill_the_span_group():
    nlp = spacy.blank("zh")
    nlp.add_pipe("perfx_figures")
    doc = nlp("共有固定资产164件。")
    assert [(s.text, s._.kind) for s in doc.spans["figures"]] == [("164件", "count")]
    assert doc.spans["figures"][0]._.metric is None   # metrics come from perfx_labels


HEAVY_MODULES = ["spacy", "thinc", "pdfplumber", "pdfminer", "pypdfium2", "docx", "openpyxl", "onnxruntime",
                 "rapidocr_onnxruntime", "pyarrow", "duckdb", "dask"]


def test_cold_start_of_extract_on_a_small_file_loads_no_heavy_library(tmp_path):
    """A small text report is extracted without importing spaCy, the pdf/docx/xlsx readers, OCR or
    the table writers: the cold start stays short on any machine (no wall-clock assertion, which a
    loaded machine would break; speed is measured in benchmarks/)."""
    small = tmp_path / "small.txt"
    small.write_text("某县示范局2023年度部门整体支出绩效自评报告\n年初预算收入总计594.37万元。\n",
                     encoding="utf-8")
    probe = ("import contextlib, io, json, sys\n"
             "from extractor.cli import main\n"
             "out = io.StringIO()\n"
             "with contextlib.redirect_stdout(out):\n"
             f"    code = main(['extract', {str(small)!r}])\n"
             f"print(json.dumps([code, out.getvalue(), [m for m in {HEAVY_MODULES!r} if m in sys.modules]]))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    code, output, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert code == 0
    assert "budget.initial.revenue" in output
    assert loaded == []


def test_heavy_module_probe_sees_a_loaded_module():
    import pdfplumber  # noqa: F401  (the probe above must be able to fail)
    assert "pdfplumber" in sys.modules
