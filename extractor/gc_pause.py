"""Pausing the cyclic garbage collector while many loaded reports are held."""
from __future__ import annotations

import gc
from typing import Callable, TypeVar

T = TypeVar("T")


def without_cyclic_gc(func: Callable[[], T]) -> T:
    """Run ``func`` with the cyclic garbage collector off, for commands that load many reports.

    Loaded reports are acyclic JSON trees freed by reference counting; the cyclic collector
    would rescan all of them again and again while tables are built (more than half the run
    time on thousands of reports), so short-lived commands switch it off.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return func()
    finally:
        if enabled:
            gc.enable()
