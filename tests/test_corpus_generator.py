"""The sample corpus generator (scripts/generate_corpus.py) and the committed corpus/.

The committed corpus must be exactly what the generator writes with its defaults; its ground
truth must match the txt (every figure's text, in reading order, and nothing else with digits);
the arithmetic it claims must hold; and every format must open and carry the same figures.
"""
from __future__ import annotations

import html
import importlib.util
import io
import json
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SCRIPT = ROOT / "scripts" / "generate_corpus.py"


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_corpus", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_corpus"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


gc = _load_generator()

KINDS = {"money", "count", "rate", "rate_delta", "score", "length", "area", "weight", "volume",
         "duration", "other"}
QUALIFIERS = {"约", "近", "余", "多", "以上", "左右", "超过", "不足", "达", "不低于"}
FIGURE_KEYS = {"text", "value", "unit", "kind", "normalized", "approx", "qualifier", "range",
               "direction", "label", "metric"}
GENERATED_SUFFIXES = (".txt", ".html", ".docx", ".pdf")
ATTACHMENT = "attachments/{id}.xlsx"  # the self-evaluation table as an xlsx attachment


def committed_truths() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((CORPUS / "truth").glob("*.json"))]


TRUTHS = committed_truths()
TRUTH_IDS = [t["id"] for t in TRUTHS]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    gc.generate(out, gc.DEFAULT_COUNT, gc.DEFAULT_SEED, gc.ALL_FORMATS)
    return out


def find_in_order(haystack: str, needles: list[str]) -> list[str]:
    """The needles that cannot be found in order (each after the previous one's end)."""
    pos, missing = 0, []
    for needle in needles:
        at = haystack.find(needle, pos)
        if at < 0:
            missing.append(needle)
        else:
            pos = at + len(needle)
    return missing


# ---------------------------------------------------------------------------------------
# the committed corpus is the generator's output
# ---------------------------------------------------------------------------------------

def test_committed_corpus_exists():
    assert len(TRUTHS) >= 10
    departments = {t["department"] for t in TRUTHS}
    years = {t["year"] for t in TRUTHS}
    genres = {t["genre"] for t in TRUTHS}
    assert len(departments) >= 3 and len(years) >= 3
    assert genres == {gc.GENRE_OVERALL, gc.GENRE_PROJECT}
    for truth in TRUTHS:
        for ext in GENERATED_SUFFIXES:
            assert (CORPUS / f"{truth['id']}{ext}").is_file(), (truth["id"], ext)
        assert (CORPUS / ATTACHMENT.format(id=truth["id"])).is_file(), truth["id"]


def test_regeneration_reproduces_committed_text_files(regenerated):
    # every file in corpus/ is generated: nothing else (a README, notes) for ingest to read
    committed = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*")
                       if p.is_file() and not p.name.startswith("."))
    fresh = sorted(p.relative_to(regenerated).as_posix() for p in regenerated.rglob("*")
                   if p.is_file())
    assert committed == fresh
    for rel in fresh:
        if rel.endswith((".txt", ".html", ".json")):
            assert (regenerated / rel).read_bytes() == (CORPUS / rel).read_bytes(), rel


def test_ingest_finds_exactly_the_reports_of_the_index():
    """The README's first command ingests the corpus: the reports, their attachments and
    their flattened-table renderings (corpus/flattened/) and the planted-mismatch reports (corpus/mismatch/), nothing else."""
    from extractor.ingest import discover
    index = json.loads((CORPUS / "index.json").read_text(encoding="utf-8"))
    expected = [str(CORPUS.resolve() / name) for entry in index["reports"]
                for name in entry["files"]]
    assert len(expected) == 55  # 11 reports x (txt, docx, pdf, html) + 11 xlsx attachments
    flattened = [str(CORPUS.resolve() / name) for name in index.get("flattened", [])]
    mismatch = json.loads((CORPUS / "mismatch" / "index.json").read_text(encoding="utf-8"))
    planted = [str(CORPUS.resolve() / name) for entry in mismatch["reports"] for name in entry["files"]]
    assert discover([CORPUS.resolve()]) == sorted(expected + flattened + planted)


def test_binary_formats_are_deterministic():
    (item, report), = gc.build_reports(1)
    assert gc.render_docx(report) == gc.render_docx(report)
    assert gc.render_pdf(report) == gc.render_pdf(report)
    assert gc.render_xlsx(report) == gc.render_xlsx(report)


def docx_text(path_or_bytes) -> list[str]:
    """Paragraph and table-cell texts of a docx body, in document order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    src = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
    doc = docx.Document(src)
    out = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(child, doc).text)
        elif tag == "tbl":
            for row in Table(child, doc).rows:
                out.extend(cell.text for cell in row.cells)
    return out


def pdf_lines(path: Path, department: str, pages=None) -> list[str]:
    import pdfplumber
    lines = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[:pages]:
            for line in (page.extract_text() or "").splitlines():
                if line.strip() == department or re.fullmatch(r"- \d+ -", line.strip()):
                    continue  # running header and page number
                lines.append(line)
    return lines


def xlsx_rows(path: Path) -> list[tuple]:
    """Every sheet's name and cell values, row by row, plus the merged ranges."""
    import openpyxl
    book = openpyxl.load_workbook(str(path))
    return [(sheet.title, sorted(str(r) for r in sheet.merged_cells.ranges),
             list(sheet.iter_rows(values_only=True))) for sheet in book.worksheets]


def test_docx_pdf_and_xlsx_content_match_committed(regenerated):
    for truth in TRUTHS[:2] + TRUTHS[-1:]:
        rid = truth["id"]
        assert docx_text(regenerated / f"{rid}.docx") == docx_text(CORPUS / f"{rid}.docx")
    for truth in TRUTHS:
        attachment = ATTACHMENT.format(id=truth["id"])
        assert xlsx_rows(regenerated / attachment) == xlsx_rows(CORPUS / attachment)
    rid, dept = TRUTHS[0]["id"], TRUTHS[0]["department"]
    assert pdf_lines(regenerated / f"{rid}.pdf", dept, 1) == pdf_lines(CORPUS / f"{rid}.pdf",
                                                                        dept, 1)


# ---------------------------------------------------------------------------------------
# truth against the txt
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("truth", TRUTHS, ids=TRUTH_IDS)
def test_truth_figures_occur_in_txt_in_order(truth):
    txt = (CORPUS / f"{truth['id']}.txt").read_text(encoding="utf-8")
    assert find_in_order(txt, [f["text"] for f in truth["figures"]]) == []
    assert find_in_order(txt, truth["negatives"]) == []
    assert txt.startswith(truth["title"] + "\n")


@pytest.mark.parametrize("truth", TRUTHS, ids=TRUTH_IDS)
def test_self_eval_truth_is_the_table_the_txt_and_xlsx_show(truth):
    """The truth's self-evaluation table, cell by cell, is the table of the txt (row after
    row under its caption) and of the xlsx attachment (below its caption and 填报单位 rows)."""
    table = truth["self_eval_table"]
    funds, indicators = table["funds"], table["indicators"]
    lines = (CORPUS / f"{truth['id']}.txt").read_text(encoding="utf-8").splitlines()
    start = lines.index(table["title"]) + 1
    rows = [line.split(" | ") for line in lines[start:lines.index("", start)]]
    assert len(rows) == 1 + len(funds) + 1 + len(indicators) + 1
    assert rows[0][1:] == list(funds[0]["values"])
    for row, want in zip(rows[1:], funds):
        assert row[0].removeprefix("其中：") == want["row"]
        assert row[1:] == [cell["text"] for cell in want["values"].values()]
    header = rows[1 + len(funds)]
    assert header[3:] == list(indicators[0]["values"])
    for row, want in zip(rows[2 + len(funds):], indicators):
        assert row[:3] == [want[name] for name in header[:3]] and row[2] == want["row"]
        assert row[3:] == [cell["text"] for cell in want["values"].values()]
    assert rows[-1][0] == "总分" and rows[-1][-1] == table["total_score"]["text"]
    for want in funds + indicators:
        for cell in list(want["values"].values()) + [table["total_score"]]:
            if cell["value"] is None:
                assert cell["text"] == "/", cell
            else:  # a decimal string, written in the cell
                assert Decimal(cell["value"]).is_finite() and cell["value"] in cell["text"], cell
    (title, merged, sheet_rows), = xlsx_rows(CORPUS / ATTACHMENT.format(id=truth["id"]))
    assert sheet_rows[0][0] == table["title"] and sheet_rows[1][0] == f"填报单位：{truth['department']}"
    assert [list(row) for row in sheet_rows[2:]] == rows


ALLOWED_DIGITS = re.compile(r"\d{4}年|^\d{1,2}\.|表\d")


@pytest.mark.parametrize("truth", TRUTHS, ids=TRUTH_IDS)
def test_every_number_in_txt_is_a_figure_or_a_planted_non_figure(truth):
    """Mask the truth's figures and negatives: the digits left are years and numbering."""
    txt = (CORPUS / f"{truth['id']}.txt").read_text(encoding="utf-8")
    chars, pos = list(txt), 0
    for needle in [f["text"] for f in truth["figures"]]:
        at = txt.find(needle, pos)
        chars[at:at + len(needle)] = ["#"] * len(needle)
        pos = at + len(needle)
    masked = "".join(chars)
    for neg in truth["negatives"]:
        masked = masked.replace(neg, "#" * len(neg), 1)
    leftovers = []
    for line in masked.splitlines():
        line = ALLOWED_DIGITS.sub("", line)
        if re.search(r"[0-9０-９]", line):
            leftovers.append(line)
    assert leftovers == []


# ---------------------------------------------------------------------------------------
# truth: schema, normalization, metrics
# ---------------------------------------------------------------------------------------

UNIT_FACTORS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000),
                "亿元": Decimal(100000000), "%": Decimal("0.01"), "个百分点": Decimal("0.01"),
                "百分之": Decimal("0.01")}


@pytest.mark.parametrize("truth", TRUTHS, ids=TRUTH_IDS)
def test_truth_schema_and_normalization(truth):
    assert {"id", "title", "department", "region", "year", "genre", "figures", "metrics",
            "relations"} <= set(truth)
    for f in truth["figures"]:
        assert FIGURE_KEYS <= set(f), f
        assert f["kind"] in KINDS, f
        value = Decimal(f["value"])
        norm = Decimal(f["normalized"]["value"])
        assert f["base"] == f["normalized"]["value"]
        if f["kind"] == "money":
            assert f["normalized"]["unit"] == "元"
            assert norm == value * UNIT_FACTORS[f["unit"]], f
        elif f["kind"] == "rate":
            assert f["normalized"]["unit"] == ""
            assert norm == value * UNIT_FACTORS[f["unit"]], f
        elif f["unit"].startswith("万"):
            assert norm == value * 10000 and f["normalized"]["unit"] == f["unit"][1:], f
        else:
            assert norm == value, f
        assert f["approx"] == (f["qualifier"] is not None)
        if f["qualifier"]:
            assert f["qualifier"] in QUALIFIERS and f["qualifier"] in f["text"], f
        if f["range"]:
            assert f["range"]["low"] == f["value"]
            assert Decimal(f["range"]["high"]) > Decimal(f["range"]["low"])
        assert f["direction"] in (None, "up", "down")
        assert f["label"]
        if f["metric"]:
            assert f["metric"] in gc.CANONICAL_METRICS
            assert truth["metrics"][f["metric"]] == f["normalized"]["value"], f
        # the written digits of the value appear in the text (full-width and commas aside)
        if not f.get("unit_implied") and re.search(r"\d", f["text"].translate(
                str.maketrans("０１２３４５６７８９．", "0123456789."))):
            plain = f["text"].translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
            assert f["value"] in plain.replace(",", ""), f
    with_metric = {f["metric"] for f in truth["figures"] if f["metric"]}
    assert set(truth["metrics"]) == with_metric


# ---------------------------------------------------------------------------------------
# arithmetic
# ---------------------------------------------------------------------------------------

def _written_quantum(value: str) -> Decimal:
    return Decimal(1).scaleb(-len(value.partition(".")[2]))


def check_relation(rel: dict, figures: list[dict]) -> bool:
    """An independent check of one truth relation from the figures' normalized values."""
    def norm(role):
        idx = rel[f"{role}_idx"]
        if idx is None:  # a value from the previous year's report, already normalized
            return Decimal(rel[role])
        if isinstance(idx, list):
            return [Decimal(figures[i]["normalized"]["value"]) for i in idx]
        return Decimal(figures[idx]["normalized"]["value"])

    kind = rel["kind"]
    if kind == "sum":
        return norm("total") == sum(norm("parts"))
    if kind == "difference":
        result = figures[rel["result_idx"]]
        sign = -1 if result["direction"] == "down" else 1
        return sign * norm("result") == norm("minuend") - norm("subtrahend")
    rate = figures[rel["rate_idx"]]
    quantum = _written_quantum(rate["value"])
    if kind == "ratio":
        computed = norm("numerator") / norm("denominator")
        computed *= 100 if rate["kind"] == "rate" else 1
        return computed.quantize(quantum, ROUND_HALF_UP) == Decimal(rate["value"])
    if kind == "growth":
        computed = (norm("current") - norm("previous")) / norm("previous") * 100
        sign = -1 if rate["direction"] == "down" else 1
        return computed.quantize(quantum, ROUND_HALF_UP) == sign * Decimal(rate["value"])
    raise AssertionError(kind)


@pytest.mark.parametrize("truth", TRUTHS, ids=TRUTH_IDS)
def test_truth_relations_hold(truth):
    kinds = {r["kind"] for r in truth["relations"]}
    assert {"sum", "ratio"} <= kinds
    if truth["genre"] == gc.GENRE_OVERALL:
        assert kinds == {"sum", "difference", "ratio", "growth"}
    for rel in truth["relations"]:
        assert rel["holds"] is True
        assert check_relation(rel, truth["figures"]), rel
        for role in ("total", "result", "rate", "numerator", "denominator", "current",
                     "minuend"):
            if isinstance(rel.get(f"{role}_idx"), int):
                assert truth["figures"][rel[f"{role}_idx"]]["text"] == rel[role]


def test_years_link_up_across_reports():
    """This year's 年初结转 is last year's 年末结转; growth uses last year's reported value."""
    overall = {t["id"]: t for t in TRUTHS if t["genre"] == gc.GENRE_OVERALL}
    linked = 0
    for truth in overall.values():
        prev = truth["previous_year"]
        assert prev["year"] == truth["year"] - 1
        assert truth["metrics"]["carryover.begin"] == prev["metrics"]["carryover.end"]
        if prev["id"] is None:
            continue
        before = overall[prev["id"]]
        linked += 1
        assert before["department"] == truth["department"]
        assert truth["metrics"]["carryover.begin"] == before["metrics"]["carryover.end"]
        for key, value in prev["metrics"].items():
            assert before["metrics"][key] == value, key
        for rel in truth["relations"]:
            if rel.get("previous_report"):
                assert rel["previous_report"] == before["id"]
        # the 分别为 sentence repeats last year's project expenditure
        implied = [f for f in truth["figures"] if f.get("unit_implied")]
        assert implied and implied[0]["normalized"]["value"] == before["metrics"]["final.project"]
    assert linked >= 6


def test_generated_data_arithmetic():
    """The data stage itself: sums, differences and continuity, for many departments."""
    for index in range(0, 40, 3):
        dept = gc.department(index)
        series = gc.department_series(dept, gc.DEFAULT_SEED)
        for year in dept.years:
            d, prev = series[year], series[year - 1]
            assert d["staff.authorized"] == (d["staff.authorized.administrative"]
                                             + d["staff.authorized.worker"]
                                             + d["staff.authorized.institution"])
            assert d["staff.actual"] == d["staff.in_service"] + d["staff.retired"]
            assert d["assets.fixed.net_value"] == (d["assets.fixed.original_value"]
                                                   - d["assets.fixed.accumulated_depreciation"])
            assert d["assets.fixed.net_value"] > 0
            for stage in ("initial", "adjusted"):
                assert d[f"budget.{stage}.expenditure"] == (d[f"budget.{stage}.basic"]
                                                            + d[f"budget.{stage}.project"])
            assert d["final.expenditure"] == d["final.basic"] + d["final.project"]
            assert d["final.project"] > 0 and d["final.basic.public"] > 0
            assert d["carryover.begin"] == prev["carryover.end"]
            assert d["carryover.end"] == (d["carryover.begin"] + d["final.revenue"]
                                          - d["final.expenditure"])
            assert d["carryover.end"] > 0
            assert d["sangong.total"] == (d["sangong.travel_abroad"] + d["sangong.vehicle"]
                                          + d["sangong.reception"])
            assert d["sangong.vehicle"] > 0
            assert d["sangong.total"] != prev["sangong.total"]
            assert Decimal("0.5") < d["execution.rate"] <= 1
            assert 60 < d["self_eval.score"] <= 100


# ---------------------------------------------------------------------------------------
# coverage of forms, formats and the CLI
# ---------------------------------------------------------------------------------------

def test_corpus_covers_the_written_forms():
    figures = [f for t in TRUTHS for f in t["figures"]]
    texts = [f["text"] for f in figures]
    units = {f["unit"] for f in figures}
    kinds = {f["kind"] for f in figures}
    assert {"money", "count", "rate", "score", "length", "area", "weight", "volume",
            "duration"} <= kinds
    assert {"元", "千元", "万元", "亿元", "%", "个百分点", "分", "公里", "平方米", "亩", "吨",
            "立方米", "天", "人次"} <= units
    assert {f["qualifier"] for f in figures} >= QUALIFIERS
    assert any(re.search(r"[０-９]", t) for t in texts)           # full-width digits
    assert any(re.search(r"\d,\d{3}", t) for t in texts)          # thousands separator
    assert any(re.search(r"\d \D", t) for t in texts)             # "2595.6208 万元"
    assert any(re.search(r"万余", t) for t in texts)               # 3.2万余条
    assert any(t.startswith("百分之") for t in texts)
    assert any(re.search(r"[两三四五六七八九]千余人", t) for t in texts)
    assert any(re.fullmatch(r"\d+-\d+人", t) for t in texts)
    assert any(re.fullmatch(r"\d+至\d+次", t) for t in texts)
    assert {f["direction"] for f in figures} >= {"up", "down"}
    assert any(f.get("unit_implied") for f in figures)           # 分别为a、b万元
    assert any(f.get("in_table_header_unit") for f in figures)
    negatives = [n for t in TRUTHS for n in t["negatives"]]
    for pattern in (r"\d{4}年\d{1,2}月\d{1,2}日", r"〔\d{4}〕\d+号", r"0\d{3}-\d{8}", r"第\d+名",
                    r"（\d）", "十四五", "统一", "最后一公里"):
        assert any(re.search(pattern, n) for n in negatives), pattern
    metrics = set().union(*(t["metrics"] for t in TRUTHS))
    assert set(gc.CANONICAL_METRICS) - metrics == set()


def test_every_format_opens_and_carries_the_figures():
    import docx
    for truth in (TRUTHS[0], next(t for t in TRUTHS if t["genre"] == gc.GENRE_PROJECT)):
        rid, dept = truth["id"], truth["department"]
        needles = [f["text"] for f in truth["figures"]]
        # docx: headings use Heading styles; tables are real Word tables
        document = docx.Document(str(CORPUS / f"{rid}.docx"))
        styles = {p.style.name for p in document.paragraphs}
        assert {"Heading 1", "Heading 2"} <= styles
        assert len(document.tables) >= 1 and document.tables[0].style.name == "Table Grid"
        assert document.core_properties.created.year == 2024
        assert find_in_order("\n".join(docx_text(CORPUS / f"{rid}.docx")), needles) == []
        # html: the article sits in the content div, with a table and portal chrome around
        page = (CORPUS / f"{rid}.html").read_text(encoding="utf-8")
        assert "<script" in page and "版权所有" in page and 'class="breadcrumb' in page
        content = page.split('<div class="content" id="zoom">', 1)[1].split("</div>", 1)[0]
        assert "<table" in content
        text = html.unescape(re.sub(r"<[^>]+>", "\n", content))
        assert find_in_order(text, needles) == []
        # pdf: text on page 1; wrapped lines reflow to the same figures
        lines = pdf_lines(CORPUS / f"{rid}.pdf", dept)
        assert truth["title"][:8] in "".join(lines[:3])
        flat = "".join(lines).replace(" ", "")
        assert find_in_order(flat, [n.replace(" ", "") for n in needles]) == []


def test_count_seed_and_formats_options(tmp_path):
    assert gc.main(["--out", str(tmp_path), "--count", "25", "--seed", "7",
                    "--formats", "txt"]) == 0
    truths = sorted((tmp_path / "truth").glob("*.json"))
    assert len(truths) == 25 and len(list(tmp_path.glob("*.txt"))) == 25
    assert not list(tmp_path.glob("*.pdf"))
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert index["seed"] == 7 and len(index["reports"]) == 25
    assert len({r["department"] for r in index["reports"]}) >= 7
    # another seed, other numbers
    first = json.loads(truths[0].read_text(encoding="utf-8"))
    committed = CORPUS / "truth" / truths[0].name
    if committed.exists():
        assert json.loads(committed.read_text(encoding="utf-8"))["metrics"] != first["metrics"]


def test_large_plans_have_unique_ids():
    plan = gc.report_plan(12000)
    ids = [item.id for item in plan]
    assert len(set(ids)) == len(ids)
    assert {item.genre for item in plan} == {gc.GENRE_OVERALL, gc.GENRE_PROJECT}
    assert len({item.dept.slug for item in plan}) > 1000
