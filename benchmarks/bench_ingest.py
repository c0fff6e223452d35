#!/usr/bin/env python3
"""Benchmark `perfx ingest`: docs/s and peak memory for 500 and 2,000 reports, and the
speed-up of 2 workers over 1.

usage: python benchmarks/bench_ingest.py [--sizes 500,2000] [--workers 2] [--corpus DIR]
                                         [--seed S] [--no-speedup] [--formats txt,docx,pdf,html]
                                         [--engines pdfium,pdfplumber]

``--engines`` compares PDF engines (PERFX_PDF_ENGINE in the ingesting process) on the first
size, with 1 and ``--workers`` workers, runs of the engines alternating; besides docs/s of wall
time it gives docs per CPU second (user + system time of the ingesting process and its
workers), the steadier figure while other processes load the machine. Issue 13's measure:
``--formats pdf --sizes 200 --engines pdfplumber,pdfium``.

The corpus comes from scripts/generate_corpus.py (each report as txt, docx, pdf and html, so
2,000 files hold 500 of each format); without that script a small built-in generator writes
txt/docx/pdf/html files itself. The corpus is cached in --corpus (default
/tmp/perfx-bench-corpus-<seed>) and reused.

Each ingestion runs in a fresh process, so its numbers are its own. Memory is measured
three ways: ru_maxrss of the main process, ru_maxrss of its largest child (a worker), and the
peak of the summed RSS of the whole process tree, sampled from /proc every 50 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "scripts" / "generate_corpus.py"
FORMATS = ("txt", "docx", "pdf", "html")

RUNNER = r"""
import json, resource, sys, time
from extractor import ingest
started = time.perf_counter()
summary = ingest(sys.argv[1], sys.argv[2], workers=int(sys.argv[3]), progress=False)
elapsed = time.perf_counter() - started
own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "cpu_seconds": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
    "seconds": elapsed, "files": summary.files, "reports": summary.reports,
    "figures": summary.figures, "errors": summary.errors, "phases": summary.phases,
    "self_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "children_maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}))
"""


# -- corpus ----------------------------------------------------------------------------------

def generate(folder: Path, reports: int, seed: int, formats: tuple[str, ...] = FORMATS) -> None:
    if GENERATOR.is_file():
        subprocess.run([sys.executable, str(GENERATOR), "--out", str(folder), "--count",
                        str(reports), "--seed", str(seed), "--formats", ",".join(formats)],
                       check=True, stdout=subprocess.DEVNULL)
    else:
        fallback_generate(folder, reports, seed)


def fallback_generate(folder: Path, reports: int, seed: int) -> None:
    """A tiny generator used only when scripts/generate_corpus.py is absent."""
    import html as html_lib

    import docx
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for index in range(reports):
        dept = rng.choice(["东河区水利局", "云溪区应急管理局", "青河县农业农村局", "西山市教育局"])
        year = 2019 + index % 5
        lines = [f"{dept}{year}年度部门整体支出绩效自评报告", "一、部门概况",
                 f"核定编制{rng.randint(10, 90)}人，实有在职人员{rng.randint(10, 90)}人。",
                 "二、预算执行情况"]
        for _ in range(30):
            lines.append(f"年初预算支出{rng.randint(100, 99999)}.{rng.randint(0, 99):02d}万元，"
                         f"执行率{rng.randint(80, 99)}.{rng.randint(0, 9)}%，"
                         f"完成项目{rng.randint(2, 40)}个。")
        stem = folder / f"report_{index:05d}"
        Path(f"{stem}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        Path(f"{stem}.html").write_text(
            "<html><body>" + "".join(f"<p>{html_lib.escape(line)}</p>" for line in lines)
            + "</body></html>", encoding="utf-8")
        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        document.save(f"{stem}.docx")
        pdf = canvas.Canvas(f"{stem}.pdf", pagesize=A4, invariant=1)
        pdf.setFont("STSong-Light", 10)
        y = 800
        for line in lines:
            if y < 60:
                pdf.showPage()
                pdf.setFont("STSong-Light", 10)
                y = 800
            pdf.drawString(40, y, line)
            y -= 16
        pdf.save()


def corpus_files(folder: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Files grouped by report (stem), each report's formats together, in a fixed order."""
    files = [p for p in folder.iterdir() if p.suffix.lstrip(".") in formats]
    return sorted(files, key=lambda p: (p.stem, p.suffix))


def subset(files: list[Path], size: int, folder: Path) -> Path:
    """A folder holding the first ``size`` files (hard links, so nothing is copied)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for path in files[:size]:
        try:
            os.link(path, folder / path.name)
        except OSError:
            shutil.copy2(path, folder / path.name)
    return folder


# -- measuring a run -------------------------------------------------------------------------

def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read().decode("ascii", "replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, IndexError, ValueError):
        return 0


def measure(inputs: Path, out: Path, workers: int, engine: str | None = None) -> dict:
    if out.exists():
        shutil.rmtree(out)
    env = dict(os.environ, **({"PERFX_PDF_ENGINE": engine} if engine else {}))
    process = subprocess.Popen([sys.executable, "-c", RUNNER, str(inputs), str(out),
                                str(workers)], stdout=subprocess.PIPE, text=True, cwd=ROOT,
                               env=env)
    peak = {"tree_kb": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            if sys.platform.startswith("linux"):
                total = sum(_rss_kb(pid) for pid in _tree(process.pid))
                peak["tree_kb"] = max(peak["tree_kb"], total)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"ingest run failed with exit code {process.returncode}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["tree_peak_kb"] = peak["tree_kb"]
    result["docs_per_s"] = result["files"] / result["seconds"]
    result["docs_per_cpu_s"] = result["files"] / max(result["cpu_seconds"], 1e-9)
    return result


def compare_engines(folder: Path, work: Path, engines: list[str], workers: int,
                    repeat: int = 1) -> None:
    """docs/s (wall) and docs per CPU second of each PDF engine, 1 and ``workers`` workers."""
    best: dict[tuple[str, int], dict] = {}
    for _ in range(repeat):
        for count in sorted({1, workers}):
            for engine in engines:
                result = measure(folder, work / f"out-{engine}-{count}", count, engine)
                key = (engine, count)
                if key not in best or result["cpu_seconds"] < best[key]["cpu_seconds"]:
                    best[key] = result
    print(f"{'engine':<11} {'workers':>7} {'files':>6} {'docs/s':>7} {'docs/cpu-s':>10} "
          f"{'cpu s':>7} {'wall s':>7} {'errors':>6} {'figures':>8}")
    for (engine, count), result in best.items():
        print(f"{engine:<11} {count:>7} {result['files']:>6} {result['docs_per_s']:>7.2f} "
              f"{result['docs_per_cpu_s']:>10.2f} {result['cpu_seconds']:>7.1f} "
              f"{result['seconds']:>7.1f} {result['errors']:>6} {result['figures']:>8}")
    if len(engines) == 2:
        old, new = engines
        for count in sorted({1, workers}):
            a, b = best[(old, count)], best[(new, count)]
            print(f"{count} worker(s): {new} / {old}: x{b['docs_per_s'] / a['docs_per_s']:.2f} "
                  f"docs/s, x{b['docs_per_cpu_s'] / a['docs_per_cpu_s']:.2f} docs per CPU "
                  f"second; figures {a['figures']} -> {b['figures']}")


def mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--no-speedup", action="store_true", help="skip the 1-worker run")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help="formats of the generated corpus (default: all four)")
    parser.add_argument("--engines", default="",
                        help="compare PDF engines, e.g. pdfplumber,pdfium (see above)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="with --engines: best of N runs (by CPU time)")
    args = parser.parse_args(argv)
    formats = tuple(f for f in args.formats.split(",") if f)
    sizes = [int(s) for s in args.sizes.split(",")]
    suffix = "" if formats == FORMATS else "-" + "-".join(formats)
    corpus = args.corpus or Path(tempfile.gettempdir()) / f"perfx-bench-corpus-{args.seed}{suffix}"

    need = max(sizes)
    files = corpus_files(corpus, formats) if corpus.is_dir() else []
    if len(files) < need:
        reports = -(-need // len(formats))
        print(f"generating {reports} reports x {len(formats)} formats into {corpus} ...",
              flush=True)
        started = time.perf_counter()
        shutil.rmtree(corpus, ignore_errors=True)
        generate(corpus, reports, args.seed, formats)
        files = corpus_files(corpus, formats)
        print(f"  {len(files)} files in {time.perf_counter() - started:.0f} s", flush=True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} CPUs, load average {load:.2f} before the runs (other work on the "
          f"machine slows the runs and hides the speed-up)", flush=True)
    work = Path(tempfile.mkdtemp(prefix="perfx-bench-"))
    if args.engines:
        try:
            folder = subset(files, sizes[0], work / f"in-{sizes[0]}")
            compare_engines(folder, work, args.engines.split(","), args.workers, args.repeat)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return 0
    try:
        rows = []
        for size in sizes:
            folder = subset(files, size, work / f"in-{size}")
            counts = {fmt: sum(1 for p in files[:size] if p.suffix == f".{fmt}")
                      for fmt in formats}
            result = measure(folder, work / f"out-{size}", args.workers)
            result.update(size=size, workers=args.workers, formats=counts)
            rows.append(result)
            print(f"{size} files ({', '.join(f'{n} {f}' for f, n in counts.items())}), "
                  f"{args.workers} workers: {result['docs_per_s']:.1f} docs/s "
                  f"({result['seconds']:.1f} s; scan {result['phases'].get('scan', 0):.1f} s, "
                  f"extract {result['phases'].get('extract', 0):.1f} s, tables "
                  f"{result['phases'].get('tables', 0):.1f} s), {result['reports']} reports, "
                  f"{result['figures']} figures, {result['errors']} errors; peak RSS: main "
                  f"{mb(result['self_maxrss_kb'])}, largest worker "
                  f"{mb(result['children_maxrss_kb'])}, whole tree {mb(result['tree_peak_kb'])}",
                  flush=True)
        if len(rows) > 1:
            first, last = rows[0], rows[-1]
            print(f"peak RSS {first['size']} -> {last['size']} files: main "
                  f"{mb(first['self_maxrss_kb'])} -> {mb(last['self_maxrss_kb'])}, worker "
                  f"{mb(first['children_maxrss_kb'])} -> {mb(last['children_maxrss_kb'])}, tree "
                  f"{mb(first['tree_peak_kb'])} -> {mb(last['tree_peak_kb'])} "
                  f"(x{last['tree_peak_kb'] / max(first['tree_peak_kb'], 1):.2f} for "
                  f"x{last['size'] / first['size']:.0f} the files)")
        if not args.no_speedup and args.workers > 1:
            size = sizes[0]
            one = measure(work / f"in-{size}", work / f"out-{size}-1", 1)
            many = rows[0]
            print(f"{size} files, 1 worker: {one['docs_per_s']:.1f} docs/s ({one['seconds']:.1f} s, "
                  f"extract {one['phases'].get('extract', 0):.1f} s); speed-up of "
                  f"{args.workers} workers over 1: x{one['seconds'] / many['seconds']:.2f} "
                  f"overall, x{one['phases']['extract'] / many['phases']['extract']:.2f} "
                  f"in the extraction phase (on {os.cpu_count()} CPUs)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
