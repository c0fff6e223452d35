"""Text normalisation that keeps character offsets: what is matched maps back to the source.

>>> fold_width("１２０人，占９８．５％")
'120人,占98.5%'
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


def fold_width(text: str) -> str:
    """NFKC per character where it keeps one character (full-width digits, ％, ，, space).

    Characters whose NFKC form is longer (㎡ -> m2) stay as written, so offsets into the
    folded text are offsets into the original text.
    """
    if text.isascii():
        return text
    return "".join(_fold_char(ch) if not ch.isascii() else ch for ch in text)
