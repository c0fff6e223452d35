"""kill -9 a running `perfx ingest` at random moments, run it again: same outputs, no duplicates
(cross-year findings included)."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")

from test_crossyear import planted_corpus  # noqa: E402
from test_ingest import (  # noqa: E402
    assert_no_duplicates,
    cross_year_rows,
    make_bad_files,
    make_corpus,
    snapshot,
)


def start(archive: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "extractor", "ingest", str(archive), "-o",
                             str(out), "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # its own process group: main + workers


def count_results(out: Path) -> int:
    return sum(1 for folder in ("reports", "errors") if (out / folder).is_dir()
               for _ in (out / folder).iterdir())


def test_kill_9_then_resume_gives_the_uninterrupted_outputs(tmp_path):
    archive = tmp_path / "archive"
    make_corpus(archive / "good", 300, seed=11)
    make_bad_files(archive / "bad")
    (archive / "years").mkdir()
    planted_corpus(archive / "years", count=8)  # reports of successive years, mismatches planted
    duplicate = archive / "copies" / "again.txt"
    duplicate.parent.mkdir()
    duplicate.write_bytes((archive / "good" / "dept0" / "y2019" / "report_0000.txt").read_bytes())

    reference = tmp_path / "reference"
    began = time.monotonic()
    assert start(archive, reference).wait(timeout=300) == 1  # the bad files fail
    whole = time.monotonic() - began
    assert_no_duplicates(reference)
    assert cross_year_rows(reference)
    expected = snapshot(reference)

    seed = int(os.environ.get("PERFX_KILL_SEED", time.time_ns() % 100_000))
    rng = random.Random(seed)
    resumed = tmp_path / "resumed"
    moments = []
    for attempt in range(3):
        done_before = count_results(resumed)
        process = start(archive, resumed)
        began = time.monotonic()
        if attempt == 0:  # anywhere in the run, start-up included
            time.sleep(rng.uniform(0.2, whole * 1.05))
        else:  # once this run has written results: mid-extraction or in the table build
            while count_results(resumed) == done_before and process.poll() is None \
                    and time.monotonic() - began < 60:
                time.sleep(0.02)
            time.sleep(rng.uniform(0, whole * 0.5))
        moments.append(round(time.monotonic() - began, 2))
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it had already finished
        process.wait(timeout=60)
    assert start(archive, resumed).wait(timeout=300) == 1
    note = f"seed {seed} (PERFX_KILL_SEED), kills at {moments} s of a {whole:.1f} s run"
    assert_no_duplicates(resumed)
    got = snapshot(resumed)
    assert sorted(got) == sorted(expected), note
    for name in expected:
        assert got[name] == expected[name], f"{name} differs; {note}"
