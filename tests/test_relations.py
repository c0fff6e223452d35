"""The figure-relation graph: spec cases in tests/specs/relations/*.json, the pattern file, and
the graph in the report JSON."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.extract import build_report
from extractor.readers import read_document
from extractor.relations import build_relations, cues

SPECS = Path(__file__).resolve().parent / "specs" / "relations"


def _cases():
    return [pytest.param(case, id=case["name"][:40])
            for spec in sorted(SPECS.glob("*.json"))
            for case in json.loads(spec.read_text(encoding="utf-8"))["cases"]]


def _graph(tmp_path: Path, text: str):
    path = tmp_path / "report.txt"
    path.write_text(text + "\n", encoding="utf-8")
    document = read_document(path)
    report = build_report(document, path)
    texts = {f.id: f.text for f in report.figures}
    return report, [dict(r.model_dump(), head=texts[r.head], items=[texts[i] for i in r.items])
                    for r in report.relations]


def _matches(relation: dict, expected: dict) -> bool:
    return all(relation.get(key) == value for key, value in expected.items())


@pytest.mark.parametrize("case", _cases())
def test_relation_spec(tmp_path, case):
    _, graph = _graph(tmp_path, case["text"])
    for expected in case["expect"]:
        assert any(_matches(r, expected) for r in graph), (expected, graph)
    for absent in case.get("absent", []):
        assert not any(_matches(r, absent) for r in graph), (absent, graph)


def test_the_graph_is_the_same_from_figure_sentences_for_in_sentence_relations(tmp_path):
    report, _ = _graph(tmp_path, "本单位支出745.20万元，主要用于：教学支出501.30万元；后勤支出245.90万元。")
    from_sentences = build_relations(report.figures)
    assert [r for r in from_sentences if r.kind == "list"] == [r for r in report.relations if r.kind == "list"]


def test_cue_patterns_compile_from_the_pattern_file():
    assert cues().list_head.search("其中：") and cues().share.search("占")
    assert cues().change.search("较上年减少") and cues().other_total.search("负债总额")
