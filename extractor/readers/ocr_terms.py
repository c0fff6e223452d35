"""Domain words an OCR recogniser misread by one look-alike character (收人总计 -> 收入总计).

Labels and metrics look for words such as 收入总计, 年末结余, 已支出; on a scanned page the
recogniser may print 收人总计, 年未结余, 己支出, and the figure beside them loses its name.
The look-alike groups and the shortest word length live in patterns/ocr.yaml; the words are
the domain dictionary (``labels.userdict_words``). Every fix replaces one character by one, so
offsets into the line are kept, and each is reported.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..labels import userdict_words
from ..patterns import load, on_change


def term_fixes(text: str) -> tuple[str, list[str]]:
    """``text`` with misread domain words restored, and a note per fix.

    >>> term_fixes("本年收人合计4,301.22万元，年未结余13.5万元")[0]
    '本年收入合计4,301.22万元，年末结余13.5万元'
    """
    pattern, words = _misreadings()
    if pattern is None:
        return text, []
    notes: list[str] = []

    def fix(match: re.Match) -> str:
        word = words[match.group()]
        notes.append(f"OCR read {match.group()!r} as {word!r}")
        return word

    return pattern.sub(fix, text), notes


@lru_cache(maxsize=1)
def _misreadings() -> tuple[re.Pattern | None, dict[str, str]]:
    """One expression for every misreading, longest first, and the word each stands for."""
    data = load("ocr") or {}
    alike: dict[str, str] = {}
    for group in data.get("lookalikes") or []:
        for char in str(group):
            alike[char] = alike.get(char, "") + str(group).replace(char, "")
    vocabulary = set(userdict_words())
    read_as: dict[str, set[str]] = {}
    for word in vocabulary:
        if len(word) < int(data.get("min_length", 3)):
            continue
        for i, char in enumerate(word):
            for other in alike.get(char, ""):
                misread = word[:i] + other + word[i + 1:]
                if misread not in vocabulary:
                    read_as.setdefault(misread, set()).add(word)
    words = {misread: next(iter(found)) for misread, found in read_as.items() if len(found) == 1}
    if not words:
        return None, {}
    ordered = sorted(words, key=lambda misread: (-len(misread), misread))
    return re.compile("|".join(map(re.escape, ordered))), words


on_change(_misreadings.cache_clear)
