"""Text normalisation that keeps character offsets: what is matched maps back to the source.

>>> fold_width("１２０人，占９８．５％")
'120人,占98.5%'
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from .patterns import load, on_change

# Full-width ASCII forms, the ideographic space and other one-to-one NFKC foldings. Characters
# whose NFKC form is longer (㎡ -> m2) are left as written, so offsets stay offsets.
_RANGES = [(0xFF01, 0xFF5E), (0x3000, 0x3000), (0xFE50, 0xFE6B), (0x2160, 0x217F),
           (0x2F00, 0x2FD5), (0x2E80, 0x2EF3)]
FOLD_TABLE = {}
for _low, _high in _RANGES:
    for _code in range(_low, _high + 1):
        _folded = unicodedata.normalize("NFKC", chr(_code))
        if len(_folded) == 1 and _folded != chr(_code):
            FOLD_TABLE[_code] = _folded


def display_columns(char: str) -> int:
    """The columns a character takes in a fixed-width layout: CJK and full-width ones two."""
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def fold_width(text: str) -> str:
    """NFKC per character where it keeps one character (full-width digits, ％, ，, space)."""
    return text.translate(FOLD_TABLE)


@lru_cache(maxsize=1024)
def fold_block(text: str) -> str:
    """:func:`fold_width` of a block text, cached: labels, relations and the checker each fold
    the same block texts of a report one after another."""
    return fold_width(text)


@lru_cache(maxsize=1)
def simplified_table() -> dict[int, str]:
    """Traditional -> simplified characters (patterns/traditional.yaml) as a translate table."""
    pairs = str((load("traditional") or {}).get("pairs", "")).split()
    return str.maketrans({pair[0]: pair[1] for pair in pairs if len(pair) == 2})


on_change(simplified_table.cache_clear)


def simplified(text: str) -> str:
    """``text`` with traditional characters folded to simplified ones, for matching only (one
    character for one: offsets stay offsets)."""
    return text.translate(simplified_table())
