"""Bulk ingestion: a whole archive of reports -> per-report JSON plus tables, resumably.

    ingest(["archive/"], "outputs/", workers=4) -> IngestSummary

1. discover  every supported file under the inputs (recursive, sorted; hidden names skipped)
2. hash      sha256 of each file's content: the key of everything that follows
3. manifest  ``outputs/manifest.jsonl`` (path -> sha256), written atomically
4. extract   each sha256 without a complete ``reports/<sha>.json`` (or a recorded error), in
             worker processes (or on a Dask cluster); each result is written atomically as it
             arrives: ``reports/<sha>.json``, or ``errors/<sha>.json`` for a file that failed
5. cross-year  carryover and 比上年 checks between each department's reports of successive
             years, over every report in the manifest (``crossyear``), one department's
             series in memory at a time
6. tables    rebuilt from the per-report files plus the cross-year findings
             (``export.build``), each atomically; then results of files no longer in the
             manifest (changed, removed) are dropped

A run killed at any moment (kill -9 included) leaves only complete files, and the next run
redoes exactly what is missing, so it ends with the outputs of an uninterrupted run.
"""
from __future__ import annotations

import fcntl
import itertools
import json
import os
import queue
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from . import atomic
from .hashing import file_sha256
from .readers import SUPPORTED_EXTENSIONS

DEFAULT_TIMEOUT = 120.0
MANIFEST = "manifest.jsonl"
LOCK = ".perfx-ingest.lock"
WATCHDOG_GRACE = 10.0  # seconds past the time limit before a stuck worker is killed


class IngestError(Exception):
    """The run cannot start (bad input path, missing dependency, output folder busy)."""


# -- summary ----------------------------------------------------------------------------------

@dataclass
class IngestSummary:
    output: Path
    files: int = 0            # supported files found under the inputs
    reports: int = 0          # distinct reports in the tables
    extracted: int = 0        # reports extracted in this run
    unchanged: int = 0        # files skipped: already done and unchanged
    duplicates: int = 0       # files whose content equals another file's
    figures: int = 0
    metrics: int = 0
    findings: int = 0
    cross_year: int = 0       # of the findings, those across years (in findings.jsonl too)
    cross_year_error: str = ""  # why the cross-year checks could not run, if they could not
    errors: int = 0           # rows in errors.jsonl
    new_errors: int = 0       # files that failed in this run
    seconds: float = 0.0
    inexact_decimals: int = 0
    pruned: int = 0           # results of files no longer in the archive, removed
    phases: dict = field(default_factory=dict)  # seconds: scan (find, hash, plan), extract, cross_year, tables
    error_rows: list = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def text(self) -> str:
        lines = [
            f"perfx ingest: {self.reports} reports, {self.figures} figures, "
            f"{self.findings} findings"
            + (f" ({self.cross_year} across years)" if self.cross_year else "")
            + f", {self.errors} errors in {self.seconds:.1f} s "
            f"-> {self.output}",
            f"  files: {self.files} found, {self.extracted} extracted, {self.unchanged} "
            f"unchanged (skipped), {self.duplicates} duplicate content, "
            f"{self.new_errors} failed this run"
            + (f", {self.pruned} old results dropped (files changed or removed)"
               if self.pruned else ""),
        ]
        if self.errors:
            lines.append(f"  {self.errors} file(s) failed: see {self.output / 'errors.jsonl'}")
            for row in self.error_rows[:10]:
                lines.append(f"    {row['path']}: [{row['stage']}] {row['reason']}")
            if self.errors > 10:
                lines.append(f"    ... and {self.errors - 10} more")
        if self.cross_year_error:
            lines.append(f"  cross-year checks not run: {self.cross_year_error}")
        if self.inexact_decimals:
            lines.append(f"  note: {self.inexact_decimals} decimal(s) rounded to 10 places in "
                         f"the Parquet/DuckDB tables (exact in the JSON files)")
        return "\n".join(lines)


# -- the work done for one file (in a worker process or a Dask worker) ----------------------

def _set_parent_death_signal() -> None:
    """Linux: die with the parent, so a kill -9 of the main process leaves no orphan workers."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)
    except Exception:  # noqa: BLE001 - best effort only
        pass


def warm(pattern_dirs: Sequence[str] = ()) -> None:
    """Load everything the extractor needs once per worker (pattern files, recognizer)."""
    from . import patterns
    from .figures import recognizer
    if pattern_dirs:
        patterns.set_user_dirs(list(pattern_dirs))
    recognizer()


def init_worker(pattern_dirs: Sequence[str] = (), starts=None, ocr_threads: int = 0) -> None:
    """ProcessPoolExecutor initializer: Ctrl-C goes to the main process only, then warm up.

    ``starts`` is a queue on which each task announces that it has begun, so the main
    process's watchdog times the work itself, not the wait for a (slowly starting) worker; a
    task granted more time for an OCR page announces itself again. ``ocr_threads``: ONNX
    Runtime threads of this worker, so the workers together do not oversubscribe the cores.
    """
    global _STARTS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _set_parent_death_signal()
    _STARTS = starts
    if ocr_threads:
        os.environ[OCR_THREADS_ENV] = str(ocr_threads)
    os.environ["PERFX_OCR_PROGRESS"] = "0"  # the run reports per file; no per-page lines
    if starts is not None:
        from .timeout import on_grant
        on_grant(_heartbeat)
    warm(pattern_dirs)


_STARTS = None
_TICKET: Optional[int] = None
OCR_THREADS_ENV = "PERFX_OCR_THREADS"  # read by extractor.readers.ocr


def ocr_threads_per_worker(workers: int) -> int:
    """ONNX Runtime threads for each of ``workers`` processes: the usable cores shared out."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores // max(1, workers))


def _heartbeat(seconds: float) -> None:
    """Tell the watchdog that the current task was granted ``seconds`` more (an OCR page)."""
    if _STARTS is not None and _TICKET is not None:
        _STARTS.put((_TICKET, seconds))


def _run_task(work: Callable, path: str, timeout: Optional[float], ticket: int) -> dict:
    global _TICKET
    _TICKET = ticket
    if _STARTS is not None:
        _STARTS.put(ticket)
    return work(path, timeout)


def extract_one(path: str, timeout: Optional[float]) -> dict:
    """Extract one file; never raises. ``{"status": "ok", "json": ...}`` or an error record."""
    from .extract import extract
    from .readers import ReaderError
    from .timeout import FileTimeout, time_limit

    started = time.perf_counter()
    try:
        with time_limit(timeout):
            report = extract(path)
            text = report.model_dump_json()
    except ReaderError as exc:
        return {"status": "error", "stage": "read", "reason": exc.reason}
    except FileTimeout as exc:
        return {"status": "error", "stage": "timeout", "reason": str(exc)}
    except MemoryError:
        return {"status": "error", "stage": "extract", "reason": "out of memory"}
    except RecursionError:
        return {"status": "error", "stage": "extract", "reason": "too deeply nested"}
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
        return {"status": "error", "stage": "extract",
                "reason": f"internal error {type(exc).__name__}: {exc}"}
    return {"status": "ok", "json": text, "figures": len(report.figures),
            "findings": len(report.findings), "seconds": time.perf_counter() - started}


def _dask_extract(path: str, timeout: Optional[float], pattern_dirs: Sequence[str]) -> dict:
    """The Dask task: warm once per worker process, then extract."""
    global _DASK_WARM
    if _DASK_WARM != tuple(pattern_dirs):
        warm(pattern_dirs)
        _DASK_WARM = tuple(pattern_dirs)
    return extract_one(path, timeout)


_DASK_WARM: Optional[tuple] = None


# -- discovery and hashing ------------------------------------------------------------------

def _skipped_name(name: str) -> bool:
    return name.startswith(".") or name.startswith("~$")


def discover(inputs: Iterable[str | Path], exclude: Iterable[Path] = ()) -> list[str]:
    """Absolute paths of every supported file under ``inputs`` (files given are kept as is)."""
    excluded = {os.path.abspath(p) for p in exclude}
    found: set[str] = set()
    for item in inputs:
        root = os.path.abspath(item)
        if os.path.isfile(root):
            found.add(root)
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not _skipped_name(d)
                             and os.path.join(folder, d) not in excluded)
            for name in files:
                if _skipped_name(name):
                    continue
                if os.path.splitext(name)[1].lower() in SUPPORTED_EXTENSIONS:
                    path = os.path.join(folder, name)
                    if os.path.isfile(path):
                        found.add(path)
    return sorted(found)




def _under(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def read_manifest(out: Path) -> list[dict]:
    try:
        text = (out / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    rows = []
    for line in text.splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if isinstance(row, dict) and isinstance(row.get("path"), str):
            rows.append(row)
    return rows


def merge_manifest(previous: list[dict], roots: list[str], current: list[dict]) -> list[dict]:
    """This run's files replace every earlier entry under its inputs; others are kept."""
    merged = {row["path"]: row for row in previous if not _under(row["path"], roots)}
    for row in current:
        merged[row["path"]] = row
    return [merged[path] for path in sorted(merged)]


# -- executors ------------------------------------------------------------------------------

Task = tuple  # (sha256, path)
OnResult = Callable[[Task, dict], None]


def _crash_record(what: str) -> dict:
    return {"status": "error", "stage": "crash",
            "reason": f"worker process died ({what})"}


def run_local(tasks: list[Task], on_result: OnResult, *, workers: int,
              timeout: Optional[float], pattern_dirs: Sequence[str] = (),
              work: Callable = extract_one) -> None:
    """Run ``work(path, timeout)`` for each task in a pool of worker processes.

    At most ``workers`` tasks are in flight. Each task announces its start, and a watchdog
    kills the pool when one outlives its time limit by a grace period (C code that ignores the
    alarm); the other tasks in flight are then run again. When a worker dies the pool is
    restarted; the files that were in flight are retried one at a time, and one that kills
    its worker again is recorded as an error.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")
    pending = deque(tasks)
    suspects: deque = deque()
    inflight: dict = {}  # future -> [task, started at (None until it starts), alone, ticket]
    tickets = itertools.count()
    hard_limit = (timeout + max(WATCHDOG_GRACE, timeout * 0.25)) if timeout else None
    pool = None
    starts = None

    def kill(executor) -> None:
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            try:
                process.kill()
            except Exception:  # noqa: BLE001 - already gone
                pass

    def submit(source: deque, alone: bool) -> bool:
        task = source.popleft()
        ticket = next(tickets)
        try:
            future = pool.submit(_run_task, work, task[1], timeout, ticket)
        except BrokenProcessPool:
            source.appendleft(task)
            return False
        inflight[future] = [task, None, alone, ticket]
        return True

    def note_starts() -> None:
        begun = set()
        granted: dict[int, float] = {}  # ticket -> seconds more, one grant per OCR page
        while True:
            try:
                item = starts.get_nowait()
            except (queue.Empty, OSError, ValueError, EOFError):
                break
            if isinstance(item, tuple):
                granted[item[0]] = granted.get(item[0], 0.0) + item[1]
            else:
                begun.add(item)
        if begun or granted:
            now = time.monotonic()
            for entry in inflight.values():
                if entry[1] is None and entry[3] in begun:
                    entry[1] = now
                if entry[1] is not None and entry[3] in granted:
                    entry[1] += granted[entry[3]]  # its deadline moves as the worker's does

    try:
        while pending or suspects or inflight:
            if pool is None:
                # a new queue with each pool: a killed worker may have held the old one's lock
                starts = context.Queue() if hard_limit is not None else None
                pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                           initializer=init_worker,
                                           initargs=(tuple(pattern_dirs), starts,
                                                     ocr_threads_per_worker(workers)))
            broken = False
            if suspects:
                if not inflight:
                    broken = not submit(suspects, alone=True)
            else:
                while pending and len(inflight) < workers and not broken:
                    broken = not submit(pending, alone=False)
            done = set()
            if inflight and not broken:
                done, _ = wait(list(inflight), timeout=0.5, return_when=FIRST_COMPLETED)
            finished = []
            for future in done:
                task, _, alone, _ = inflight.pop(future)
                try:
                    finished.append((task, future.result()))
                except BrokenProcessPool:
                    broken = True
                    if alone:
                        finished.append((task, _crash_record("crashed or was killed, "
                                                             "e.g. out of memory")))
                    else:
                        suspects.append(task)
                except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
                    finished.append((task, {"status": "error", "stage": "extract",
                                            "reason": f"internal error {type(exc).__name__}: "
                                                      f"{exc}"}))
            if finished and not broken and not suspects:
                # keep the workers busy while this process writes the results
                while pending and len(inflight) < workers and not broken:
                    broken = not submit(pending, alone=False)
            for task, result in finished:
                on_result(task, result)
            killed = False
            if starts is not None:
                note_starts()
            if hard_limit is not None and not broken:
                now = time.monotonic()
                for future, (task, started, _, _) in list(inflight.items()):
                    if started is not None and now - started > hard_limit and not future.done():
                        del inflight[future]
                        on_result(task, {"status": "error", "stage": "timeout",
                                         "reason": f"time limit of {timeout:g} s exceeded "
                                                   "(worker stopped)"})
                        killed = True
            if broken or killed:
                kill(pool)
                for future, (task, _, alone, _) in list(inflight.items()):
                    if future.done() and future.exception() is None:
                        on_result(task, future.result())
                    elif killed and not broken:
                        pending.appendleft(task)  # innocent: it shared the pool we killed
                    elif alone:
                        on_result(task, _crash_record("crashed or was killed, e.g. out of memory"))
                    else:
                        suspects.append(task)
                inflight.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                pool = None
                if starts is not None:
                    starts.close()
    finally:
        if pool is not None:
            if inflight or pending or suspects:
                kill(pool)
            pool.shutdown(wait=True, cancel_futures=True)
        if starts is not None:
            starts.close()


def run_dask(tasks: list[Task], on_result: OnResult, *, scheduler, timeout: Optional[float],
             pattern_dirs: Sequence[str] = ()) -> None:
    """Run the tasks on a Dask cluster (``scheduler``: an address or a ``distributed.Client``).

    Results come back to this process, which writes every output file, so workers must be
    able to read the input paths (a shared filesystem) but never write. Dask runs tasks in
    threads, where the alarm-based time limit cannot work: a task that outlives its limit is
    recorded as a timeout here and abandoned.
    """
    try:
        from distributed import Client
        from distributed import wait as dask_wait
    except ImportError as exc:
        raise IngestError("the dask executor needs dask.distributed: "
                          "pip install 'perfx[dask]'") from exc
    own_client = not isinstance(scheduler, Client)
    client = Client(scheduler) if own_client else scheduler
    try:
        threads = max(1, sum((client.nthreads() or {}).values()))
        limit = threads * 2  # enough queued to keep every thread busy
        hard_limit = (2 * timeout + WATCHDOG_GRACE) if timeout else None
        pending = deque(tasks)
        inflight: dict = {}  # future -> (task, submitted at)

        while pending or inflight:
            while pending and len(inflight) < limit:
                task = pending.popleft()
                future = client.submit(_dask_extract, task[1], timeout, tuple(pattern_dirs),
                                       pure=False)
                inflight[future] = (task, time.monotonic())
            try:
                done = dask_wait(list(inflight), timeout=0.5, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                done = set()
            for future in done:
                task, _ = inflight.pop(future)
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001 - a lost worker, a cancelled task ...
                    result = {"status": "error", "stage": "crash",
                              "reason": f"dask task failed: {type(exc).__name__}: {exc}"}
                future.release()
                on_result(task, result)
            if hard_limit is not None:
                now = time.monotonic()
                for future, (task, began) in list(inflight.items()):
                    if now - began > hard_limit and not future.done():
                        del inflight[future]
                        future.cancel()
                        on_result(task, {"status": "error", "stage": "timeout",
                                         "reason": f"time limit of {timeout:g} s exceeded "
                                                   "(dask task abandoned)"})
    finally:
        if own_client:
            client.close()


# -- the run ----------------------------------------------------------------------------------

class _Lock:
    """An exclusive lock on the output folder (released by the kernel if the process dies)."""

    def __init__(self, out: Path) -> None:
        self.path = out / LOCK
        self.handle = None

    def __enter__(self):
        self.handle = open(self.path, "a+")
        try:
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.handle.close()
            raise IngestError(f"{self.path.parent}: another perfx ingest is writing here") from None
        return self

    def __exit__(self, *exc) -> None:
        fcntl.flock(self.handle.fileno(), fcntl.LOCK_UN)
        self.handle.close()


def _prune(out: Path, keep: set[str]) -> int:
    """Remove per-report results whose content is no longer in the archive (a file changed or
    was removed), so ``reports/`` and ``errors/`` hold exactly what the tables hold."""
    removed = 0
    for folder in (out / "reports", out / "errors"):
        for path in folder.glob("*.json"):
            if path.stem not in keep:
                try:
                    path.unlink()
                    removed += 1
                except FileNotFoundError:
                    pass
    return removed


def cross_year_findings(out: Path, shas: Iterable[str]) -> dict[str, list[dict]]:
    """Cross-year findings over the reports ``out/reports/<sha>.json`` (carryover continuity,
    比上年 claims against last year's report), keyed by the sha256 each one is about.

    Reports are read one department at a time: a first pass keeps only each report's
    department name, then each department's series is loaded and checked on its own, so
    memory is bounded by the largest series, not by the number of reports.
    """
    from .compare import department_name, match_departments
    from .crossyear import findings_by_report
    from .gc_pause import without_cyclic_gc
    from .load_reports import (
        LoadedReport,
        is_report_dict,
        load_report_files,
        read_json_bytes,
    )

    paths = {sha: out / "reports" / f"{sha}.json" for sha in shas}
    names: dict[str, str] = {}
    for sha, path in paths.items():
        try:
            data = read_json_bytes(path.read_bytes())
        except (OSError, ValueError):
            continue
        if not is_report_dict(data):
            continue
        header = LoadedReport({"meta": data.get("meta") or {}, "source": data.get("source") or {}})
        name = department_name(header)
        if name and header.year is not None:
            names[sha] = name
    display = match_departments(names.values())
    by_department: dict[str, list[str]] = {}
    for sha, name in names.items():
        by_department.setdefault(display.get(name, name), []).append(sha)
    found: dict[str, list[dict]] = {}
    for group in by_department.values():
        if len(group) < 2:
            continue  # one report: nothing to compare it with
        reports = load_report_files([paths[sha] for sha in sorted(group)])
        found.update(without_cyclic_gc(lambda: findings_by_report(reports)))
    return found


def _json_bytes(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def ingest(inputs: str | Path | Sequence[str | Path], output: str | Path = "outputs", *,
           workers: Optional[int] = None, timeout: Optional[float] = DEFAULT_TIMEOUT,
           executor: str = "local", scheduler=None, force: bool = False,
           retry_errors: bool = False, progress: bool | str = False) -> IngestSummary:
    """Ingest every supported report under ``inputs`` into ``output``; see the module doc.

    ``workers``: processes for the local executor (default: the CPU count). ``timeout``:
    seconds per file. ``executor="dask"`` with ``scheduler`` (an address or a
    ``distributed.Client``) runs extraction on a Dask cluster. ``force`` re-extracts every
    file; ``retry_errors`` retries files that failed before (they are skipped otherwise).
    ``progress``: False (silent), True (a bar on a terminal, log lines otherwise), or one of
    ``"bar"``, ``"log"``. Raises IngestError when the run cannot start.
    """
    from . import export, patterns
    from .progress import Progress

    started = time.monotonic()
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    inputs = list(inputs)
    if not inputs:
        raise IngestError("no input folder or file given")
    for item in inputs:
        if not os.path.exists(item):
            raise IngestError(f"{item}: no such file or folder")
    if executor not in ("local", "dask"):
        raise IngestError(f"unknown executor {executor!r} (local or dask)")
    if executor == "dask" and scheduler is None:
        raise IngestError("the dask executor needs a scheduler address (--scheduler)")
    try:
        export.require()
    except export.MissingDependency as exc:
        raise IngestError(str(exc)) from None
    if not workers:
        workers = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                   else os.cpu_count() or 1)
    workers = max(1, int(workers))
    timeout = timeout if timeout and timeout > 0 else None
    pattern_dirs = tuple(str(p) for p in patterns.user_dirs())

    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    (out / "reports").mkdir(exist_ok=True)
    (out / "errors").mkdir(exist_ok=True)
    mode = ("off" if not progress else None if progress is True else str(progress))
    summary = IngestSummary(output=out)

    with _Lock(out):
        export.clean_stale(out)
        roots = [os.path.abspath(p) for p in inputs]
        paths = discover(roots, exclude=[out])
        summary.files = len(paths)
        phase_started = time.monotonic()
        note = Progress(0, mode=mode)
        note.note(f"found {len(paths)} files under {', '.join(map(str, inputs))}; hashing")
        current = []
        for path in paths:
            try:
                current.append({"path": path, "sha256": file_sha256(path)})
            except OSError as exc:
                current.append({"path": path, "sha256": None, "stage": "hash",
                                "reason": f"cannot read: {exc.strerror or exc}"})
        manifest = merge_manifest(read_manifest(out), roots, current)
        atomic.write_bytes(out / MANIFEST, b"".join(_json_bytes(row) for row in manifest))

        # plan: one task per distinct content among this run's files
        first_path: dict[str, str] = {}
        for row in current:
            sha = row["sha256"]
            if sha is None:
                continue
            if sha in first_path:
                summary.duplicates += 1
            else:
                first_path[sha] = row["path"]
        tasks: list[Task] = []
        for sha, path in sorted(first_path.items(), key=lambda item: item[1]):
            if not force:
                if export.valid_report(export.load_json(out / "reports" / f"{sha}.json")):
                    summary.unchanged += 1
                    continue
                if not retry_errors and export.load_json(out / "errors" / f"{sha}.json"):
                    summary.unchanged += 1
                    continue
            tasks.append((sha, path))

        summary.phases["scan"] = time.monotonic() - phase_started
        phase_started = time.monotonic()
        bar = Progress(len(tasks), mode=mode)
        if summary.unchanged:
            bar.note(f"{summary.unchanged} unchanged files already done; {len(tasks)} to extract")

        def on_result(task: Task, result: dict) -> None:
            sha, path = task
            report_file = out / "reports" / f"{sha}.json"
            error_file = out / "errors" / f"{sha}.json"
            if result.get("status") == "ok":
                atomic.write_text(report_file, result["json"] + "\n")
                if error_file.exists():
                    error_file.unlink()
                summary.extracted += 1
                bar.advance(path, ok=True, detail=f"{result.get('figures', 0)} figures")
            else:
                record = {"sha256": sha, "path": path, "stage": result.get("stage", "extract"),
                          "reason": result.get("reason", "unknown error")}
                atomic.write_bytes(error_file, _json_bytes(record))
                if report_file.exists():  # an earlier result (--force): this run's failure wins
                    report_file.unlink()
                summary.new_errors += 1
                bar.advance(path, ok=False, detail=f"[{record['stage']}] {record['reason']}")

        try:
            if tasks:
                if executor == "dask":
                    run_dask(tasks, on_result, scheduler=scheduler, timeout=timeout,
                             pattern_dirs=pattern_dirs)
                else:
                    run_local(tasks, on_result, workers=min(workers, len(tasks)),
                              timeout=timeout, pattern_dirs=pattern_dirs)
        finally:
            bar.close()

        summary.phases["extract"] = time.monotonic() - phase_started
        phase_started = time.monotonic()
        by_sha: dict[str, list[str]] = {}
        unreadable = []
        for row in manifest:
            if row.get("sha256"):
                by_sha.setdefault(row["sha256"], []).append(row["path"])
            else:
                unreadable.append(row)
        bar.note("cross-year checks")
        try:
            cross_year = cross_year_findings(out, sorted(by_sha))
        except Exception as exc:  # noqa: BLE001 - the tables are still built, without them
            cross_year = {}
            summary.cross_year_error = f"internal error {type(exc).__name__}: {exc}"
        summary.cross_year = sum(len(rows) for rows in cross_year.values())
        summary.phases["cross_year"] = time.monotonic() - phase_started
        phase_started = time.monotonic()
        bar.note("building tables")
        stats = export.build(out, by_sha.items(), unreadable, cross_year)
        summary.pruned = _prune(out, set(by_sha))
        summary.phases["tables"] = time.monotonic() - phase_started

    summary.reports = stats.reports
    summary.figures = stats.figures
    summary.metrics = stats.metrics
    summary.findings = stats.findings
    summary.errors = stats.errors
    summary.error_rows = stats.error_rows
    summary.inexact_decimals = stats.inexact
    summary.seconds = time.monotonic() - started
    return summary
