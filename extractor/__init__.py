"""perfx: every figure in Chinese government performance reports, as source-grounded JSON."""
from __future__ import annotations

__version__ = "0.1.0"

# imported eagerly: the function must shadow the submodule of the same name
from .extract import extract  # noqa: E402

__all__ = ["extract", "__version__"]
