"""perfx: every figure in Chinese government performance reports, as source-grounded JSON."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["extract", "__version__"]


def __getattr__(name: str):
    # heavy modules load on first use, so `perfx --version` stays instant
    if name == "extract":
        from .extract import extract
        return extract
    raise AttributeError(name)
