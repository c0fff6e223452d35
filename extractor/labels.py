"""Labels: the phrase that names what a figure measures, taken from its context."""
from __future__ import annotations

import re

from .normalize import fold_width

CLAUSE_BREAK = re.compile(r"[。！？；;!?，,：:、（）()\n|]")
LEADING_NOISE = re.compile(r"^(其中|包括|以及|及|和|与|共计|共有|共|另外|另|此外|全年|截至[^，。]*?[日月底末]|我局|我单位|本单位|本部门|我部门|单位|部门)+")
TRAILING_NOISE = re.compile(r"(为|是|达到|达|约为|约|近|共计|合计|累计|共|总计为|计|达|有|了|占|的|超过|不足|分别为|分别是|分别)+$")


def label_before(text: str, start: int, floor: int = 0) -> str:
    """The words in front of a figure, back to the previous clause break or figure."""
    window = fold_width(text[max(floor, start - 40):start])
    pieces = CLAUSE_BREAK.split(window)
    phrase = pieces[-1].strip()
    if not phrase and len(pieces) > 1:
        phrase = pieces[-2].strip()
    phrase = re.sub(r"^\d{4}年(度)?", "", phrase)
    phrase = LEADING_NOISE.sub("", phrase)
    phrase = TRAILING_NOISE.sub("", phrase)
    return phrase.strip()
