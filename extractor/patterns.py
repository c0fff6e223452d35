"""The only loader of pattern data: reads patterns/*.yaml once, validates, caches.

Patterns ship inside the package (``extractor/patterns`` in a wheel); in a source checkout
they are read from the top-level ``patterns/`` folder. A user folder given with
``--patterns DIR`` (or ``PERFX_PATTERNS``) is layered on top: its files extend or override
the built-in ones key by key.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent


def builtin_dir() -> Path:
    """Where the built-in pattern files are: inside the package, else the repo's patterns/."""
    for candidate in (PACKAGE_DIR / "patterns", PACKAGE_DIR.parent / "patterns"):
        if (candidate / "units.yaml").is_file():
            return candidate
    raise FileNotFoundError("perfx pattern files not found (expected extractor/patterns or "
                            "patterns/ beside the package)")


_user_dirs: list[Path] = []
_on_change: list = []


def on_change(callback) -> None:
    """Register a cache-clearing callback run when the pattern folders change."""
    _on_change.append(callback)


def set_user_dirs(dirs: list[str | Path]) -> None:
    """Layer user pattern folders over the built-in ones (later folders win)."""
    _user_dirs[:] = [Path(d) for d in dirs]
    load.cache_clear()
    for callback in _on_change:
        callback()


def user_dirs() -> list[Path]:
    env = os.environ.get("PERFX_PATTERNS")
    extra = [Path(p) for p in env.split(os.pathsep) if p] if env else []
    return extra + list(_user_dirs)


def _merge(base: Any, extra: Any) -> Any:
    """Dicts merge key by key; lists extend; anything else is replaced."""
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = _merge(base.get(key), value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(extra, list):
        return base + extra
    return extra


@lru_cache(maxsize=None)
def load(name: str) -> Any:
    """Pattern file ``name`` (without .yaml), merged with user folders' files of that name."""
    path = builtin_dir() / f"{name}.yaml"
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    for folder in user_dirs():
        extra = folder / f"{name}.yaml"
        if extra.is_file():
            with open(extra, encoding="utf-8") as handle:
                data = _merge(data, yaml.safe_load(handle))
    return data


class PatternError(ValueError):
    """A pattern file (built-in or from a user folder) does not have the expected shape."""


@lru_cache(maxsize=1)
def department_aliases() -> dict[str, str]:
    """departments.yaml as short form -> full name (NFKC), validated.

    Every full name and short form is a non-empty string without spaces; a short form differs
    from its full name, stands under one full name only, and is not itself a full name (no
    chains). Raises PatternError naming the offending entry.
    """
    import unicodedata

    data = load("departments")
    table = data.get("departments") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        raise PatternError("departments.yaml: expected a mapping 'departments: {full name: "
                           "[short forms]}'")

    def name(value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip() or any(c.isspace() for c in value):
            raise PatternError(f"departments.yaml: {where}: {value!r} is not a name")
        return unicodedata.normalize("NFKC", value)

    fulls = {name(full, "full name") for full in table}
    aliases: dict[str, str] = {}
    for raw_full, forms in table.items():
        full = name(raw_full, "full name")
        if forms is None:
            forms = []
        if not isinstance(forms, list):
            raise PatternError(f"departments.yaml: {full}: expected a list of short forms")
        for raw in forms:
            form = name(raw, full)
            if form == full or form in fulls:
                raise PatternError(f"departments.yaml: {full}: short form {form!r} is a full "
                                   "name itself")
            if aliases.get(form, full) != full:
                raise PatternError(f"departments.yaml: short form {form!r} stands under both "
                                   f"{aliases[form]!r} and {full!r}")
            aliases[form] = full
    return aliases


on_change(department_aliases.cache_clear)
