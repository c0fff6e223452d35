"""CLI subcommands: each module has ``register(subparsers)`` that adds its parser."""
from __future__ import annotations

from ..gc_pause import without_cyclic_gc

__all__ = ["without_cyclic_gc"]
