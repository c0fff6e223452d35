"""A per-file time limit, so one malformed file cannot hang a run."""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Callable, Iterator


class FileTimeout(Exception):
    """Raised inside the guarded block when its time is up."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise FileTimeout after ``seconds`` (main thread on Unix; otherwise no limit)."""
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def on_alarm(signum, frame):  # noqa: ARG001
        raise FileTimeout(f"time limit of {seconds:g} s exceeded")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_HEARTBEATS: list[Callable[[float], None]] = []


def on_grant(hook: Callable[[float], None]) -> None:
    """Call ``hook(seconds)`` whenever a long step is granted more time (ingest's watchdog)."""
    _HEARTBEATS.append(hook)


def grant(seconds: float) -> None:
    """Give the running time limit ``seconds`` more, for one more long step (an OCR page).

    A file's limit thus scales with the pages it OCRs; without a running limit this does
    nothing but tell the hooks.
    """
    if hasattr(signal, "getitimer") and threading.current_thread() is threading.main_thread():
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        if remaining > 0:
            signal.setitimer(signal.ITIMER_REAL, remaining + seconds)
    for hook in _HEARTBEATS:
        hook(seconds)
