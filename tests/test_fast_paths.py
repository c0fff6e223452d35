"""The fast paths of the annotation and check stages give what the plain code they replaced
gave: each is compared with a straightforward reference on invented and random texts.

Whole-pipeline sameness is checked with ``scripts/snapshot_outputs.py`` (before and after a
change, diffed); these tests pin the pieces whose shortcut is not obvious from reading them.
"""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from extractor.check.context import Context, Placed
from extractor.labels import (
    CLAUSE_BREAK,
    CLOSE,
    OPEN,
    _last_break,
    _last_hard_break,
    _paren_depth_starts,
    _visible,
)
from extractor.meta import REGION_NAME_CHARS, REGION_TOKENS, _matches_before
from extractor.models import Figure, Location, Normalized, Report, Source

ALPHABET = "省市区县州自治旗盟江南北东西山河湖城乡镇街道财政农业应急管理局委员会中心（）()《》，。：；|\n 12"


def _texts(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 160))) for _ in range(count)]


def test_region_matches_near_the_name_are_all_matches():
    suffixes = ["特别行政区", "自治区", "自治州", "市", "区", "县", "省", "旗"]
    for core in ("财政局", "应急管理局", "中心", "局", "区"):
        pattern = re.compile(r"((?:[\u4e00-\u9fff]{1," + str(REGION_NAME_CHARS) + r"}?(?:"
                             + "|".join(map(re.escape, suffixes)) + r")){1," + str(REGION_TOKENS)
                             + r"})" + re.escape(core))
        reach = REGION_TOKENS * (REGION_NAME_CHARS + max(map(len, suffixes)))
        for text in _texts(400) + ["东山省河西市北湖区财政局和南江县财政局", "财政局财政局", ""]:
            expected = [(m.span(), m.group(0)) for m in pattern.finditer(text)]
            found = [(m.span(), m.group(0)) for m in _matches_before(pattern, text, core, reach)]
            assert found == expected


def _paren_depth_reference(text: str) -> list[int]:
    out, stack = [], []
    for i, ch in enumerate(text):
        out.append(stack[-1] if stack else -1)
        if ch in OPEN:
            stack.append(i)
        elif ch in CLOSE and stack:
            stack.pop()
    return out


def test_parenthesis_depths_by_runs():
    for text in _texts(300) + ["在职人数17人（公务员6人（含2人）、工勤2人）", ")(", ""]:
        assert _paren_depth_starts(text) == _paren_depth_reference(text)


def _last_hard_break_reference(text: str) -> int:
    """The last clause-break mark found by walking back one character at a time."""
    hard = len(text) - 1
    while hard >= 0 and text[hard] not in CLAUSE_BREAK:
        hard -= 1
    return hard


def test_last_break_by_pattern():
    for text in _texts(300) + ["支出合计", "收入1万元，其中", "，", "一般 公共预算财政拨款"]:
        assert _last_hard_break(text) == _last_hard_break_reference(text)
    assert _last_break("收入1万元，其中 基本支出") == 8  # a space between words breaks too


def test_visible_text_without_anything_to_leave_out_is_the_slice():
    text = "其中基本支出120万元，项目支出30万元"
    assert _visible(text, 0, 6, []) == text[:6]
    assert _visible(text, 0, 6, [(2, 4)]) == "其中支出"  # a skipped span is still left out
    assert _visible("A（注）B", 0, 5, []) == "AB"  # and a closed parenthetical


def _figure(number: int, block: int, start: int) -> Figure:
    return Figure(id=f"f{number:04d}", text="1万元", value=1, unit="万元", kind="money",
                  normalized=Normalized(value=10000, unit="元"),
                  location=Location(block=block, start=start, end=start + 3))


def test_figures_between_one_at_a_time_as_all_at_once():
    figures = [_figure(n, 1, start) for n, start in enumerate((0, 5, 9, 20, 30), 1)]
    report = Report(source=Source(path="x.txt", sha256="0", format="txt"), figures=figures)
    placed = [Placed(f, 1, f.location.start, f.location.end, n) for n, f in enumerate(figures)]
    ctx = Context(report=report, texts={1: "x" * 40}, placed=placed)
    for start in range(0, 36, 3):
        for end in range(start, 40, 4):
            assert list(ctx.iter_between(1, start, end)) == ctx.between(1, start, end)
            assert [p.start for p in ctx.between(1, start, end)] == \
                [p.start for p in placed if start <= p.start < end and p.end <= end]


def test_bench_takes_each_files_best_round():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from bench_extract import best_of
    # round 1 runs a then b on each file, round 2 b then a; per file: a 5 then 1 on file 1,
    # 1 then 1 on file 2; b 1 then 1 on file 1, 2 then 3 on file 2
    ticks = iter([0, 5, 5, 6, 6, 7, 7, 9,
                  9, 10, 10, 11, 11, 14, 14, 15])
    clock = lambda: next(ticks)  # noqa: E731 - a scripted clock
    times = best_of(2, {"a": lambda p: None, "b": lambda p: None}, [Path("1"), Path("2")], clock)
    assert times == {"a": 2, "b": 3}
