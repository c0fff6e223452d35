"""Ingest on a Dask LocalCluster writes the same outputs as the local executor."""
from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")
distributed = pytest.importorskip("distributed")

from test_ingest import assert_no_duplicates, make_bad_files, make_corpus, snapshot  # noqa: E402

from extractor import ingest  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    # tcp on the loopback (not inproc://) so a `perfx ingest` subprocess can connect too
    with distributed.LocalCluster(n_workers=1, processes=False, threads_per_worker=2,
                                  protocol="tcp://", host="127.0.0.1",
                                  dashboard_address=None) as local_cluster:
        yield local_cluster


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "archive"
    make_corpus(folder / "good", 30, seed=5)
    bad = make_bad_files(tmp_path / "bad")
    for name in ("empty.txt", "zipbomb.docx", "scanned.pdf"):
        (folder / name).write_bytes((tmp_path / "bad" / name).read_bytes())
    assert bad
    (folder / "copy.txt").write_bytes((folder / "good" / "dept1" / "y2020" /
                                       "report_0001.txt").read_bytes())
    return folder


def test_dask_executor_equals_local_executor(tmp_path, archive, cluster):
    local = ingest(archive, tmp_path / "local", workers=2)
    on_dask = ingest(archive, tmp_path / "dask", executor="dask",
                     scheduler=cluster.scheduler_address)
    assert (on_dask.reports, on_dask.errors, on_dask.figures) == \
        (local.reports, local.errors, local.figures) == (30, 3, local.figures)
    assert_no_duplicates(tmp_path / "dask")
    assert snapshot(tmp_path / "dask") == snapshot(tmp_path / "local")


def test_dask_from_the_command_line_and_with_a_client(tmp_path, archive, cluster):
    result = subprocess.run([sys.executable, "-m", "extractor", "ingest", str(archive), "-o",
                             str(tmp_path / "cli"), "--executor", "dask", "--scheduler",
                             cluster.scheduler_address, "--quiet"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr  # the three bad files
    assert "30 reports" in result.stdout and "3 errors" in result.stdout
    with distributed.Client(cluster.scheduler_address) as client:
        ingest(archive, tmp_path / "client", executor="dask", scheduler=client)
    assert snapshot(tmp_path / "client") == snapshot(tmp_path / "cli")
