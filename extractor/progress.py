"""Progress for long runs: a one-line bar redrawn with \\r on a terminal, plain log lines otherwise.

Hand-written rather than tqdm: the bar needs one line of arithmetic, and perfx keeps its
dependency list short (tqdm is not needed anywhere else).
"""
from __future__ import annotations

import sys
import time
from typing import Optional, TextIO


def _duration(seconds: float) -> str:
    seconds = int(max(0, seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class Progress:
    """Counts files done out of a total, with rate, ETA and errors so far.

    ``mode`` is ``"bar"`` (redrawn line, for a terminal), ``"log"`` (one line per file), or
    ``"off"``. ``mode=None`` picks ``bar`` when ``stream`` is a terminal, else ``log``.
    """

    BAR_WIDTH = 24
    REDRAW_EVERY = 0.1  # seconds between redraws of the bar

    def __init__(self, total: int, *, mode: Optional[str] = None, stream: Optional[TextIO] = None,
                 label: str = "perfx ingest") -> None:
        self.stream = stream if stream is not None else sys.stderr
        if mode is None:
            mode = "bar" if getattr(self.stream, "isatty", lambda: False)() else "log"
        self.mode = mode
        self.total = total
        self.label = label
        self.done = 0
        self.errors = 0
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._drawn = False
        self._closed = False

    # -- numbers ---------------------------------------------------------------------------
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def eta(self) -> Optional[float]:
        rate = self.rate()
        if rate <= 0:
            return None
        return (self.total - self.done) / rate

    def line(self) -> str:
        total = max(self.total, 1)
        filled = int(self.BAR_WIDTH * self.done / total)
        bar = "#" * filled + "-" * (self.BAR_WIDTH - filled)
        eta = self.eta()
        eta_text = _duration(eta) if eta is not None else "--:--"
        width = len(str(self.total))
        return (f"{self.label} [{bar}] {self.done:>{width}}/{self.total} "
                f"{self.rate():.1f} files/s ETA {eta_text} errors {self.errors}")

    # -- events ----------------------------------------------------------------------------
    def advance(self, path: str, *, ok: bool, detail: str = "") -> None:
        """One file finished (``ok`` False for an error; ``detail`` is logged in log mode)."""
        self.done += 1
        if not ok:
            self.errors += 1
        if self.mode == "log":
            width = len(str(self.total))
            status = "done " if ok else "ERROR"
            tail = f" ({detail})" if detail else ""
            self._write(f"{self.label}: [{self.done:>{width}}/{self.total}] {status} {path}{tail}\n")
        elif self.mode == "bar":
            if not ok:  # an error is worth a line of its own above the bar
                self._clear()
                self._write(f"{self.label}: error: {path}: {detail}\n")
            self.draw(force=not ok)

    def note(self, text: str) -> None:
        """A message line (phase changes, warnings) that does not disturb the bar."""
        if self.mode == "off":
            return
        self._clear()
        self._write(f"{self.label}: {text}\n")
        if self.mode == "bar" and self.done and not self._closed:
            self.draw(force=True)

    def draw(self, force: bool = False) -> None:
        if self.mode != "bar" or (self._closed and not force):
            return
        now = time.monotonic()
        if not force and now - self._last_draw < self.REDRAW_EVERY and self.done < self.total:
            return
        self._last_draw = now
        self._write("\r" + self.line() + "\x1b[K")
        self._drawn = True

    def close(self) -> None:
        self._closed = True
        if self.mode == "bar" and self._drawn:
            self.draw(force=True)
            self._write("\n")
            self._drawn = False

    def _clear(self) -> None:
        if self.mode == "bar" and self._drawn:
            self._write("\r\x1b[K")

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass  # a closed or broken stderr must not stop the run
