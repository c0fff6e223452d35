"""Shared fixtures: where the shared dev data lives (skipped cleanly when it is absent)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "corpus" / "dev").is_dir() or not (SHARED / "seed").is_dir():
        pytest.skip("../shared (dev corpus and seed) is not present in this checkout")
    return SHARED
