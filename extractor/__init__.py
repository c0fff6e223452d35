"""perfx: every figure in Chinese government performance reports, as source-grounded JSON."""
from __future__ import annotations

__version__ = "0.1.0"

# imported eagerly: each function must shadow the submodule of the same name
# (extractor.ingest imports only the standard library at module level, so this is cheap)
from .extract import extract  # noqa: E402
from .ingest import ingest  # noqa: E402

__all__ = ["extract", "ingest", "__version__"]
