#!/usr/bin/env python3
"""Read each dev text as written and changed in a way that keeps its meaning; list the files
whose figures (value, kind, metric) come out differently.

usage: python scripts/perturb_dev.py TRANSFORM [FILE ...] [--dev DIR]

Transforms (each keeps every figure's value, kind and canonical key):
- ``traditional``: characters put in traditional script where patterns/traditional.yaml has
  exactly one traditional form for them;
- ``fullwidth``: digits, decimal points and % in full width (２０２２年, ９．８０万元);
- ``wrapped60`` / ``wrapped44`` / ``wrapped80``: lines hard-wrapped at 60 (44, 80) display
  columns, as a PDF saved as text is;
- ``punct``: ASCII and full-width punctuation swapped (，<->, ：<->: （）<->()), thousands
  commas kept;
- ``crlf``: Windows line ends.

A robust reader gives the same list for both. The dev texts stay in ../shared: the changed
copies are written to a temporary folder, never into the project.
"""
from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "corpus" / "dev"
sys.path.insert(0, str(ROOT))

FULL_WIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")
PUNCTUATION = {"，": ",", "：": ":", "（": "(", "）": ")", "；": ";",
               ",": "，", ":": "：", "(": "（", ")": "）", ";": "；"}


def to_traditional(text: str) -> str:
    """Simplified characters with exactly one traditional form put in that form."""
    import yaml
    data = yaml.safe_load((ROOT / "patterns" / "traditional.yaml").read_text(encoding="utf-8"))
    forms: dict[str, set[str]] = defaultdict(set)
    for pair in str(data["pairs"]).split():
        if len(pair) == 2 and pair[0] != pair[1]:
            forms[pair[1]].add(pair[0])
    return text.translate(str.maketrans({s: next(iter(t)) for s, t in forms.items() if len(t) == 1}))


def to_full_width(text: str) -> str:
    return re.sub(r"\d[\d.]*%?", lambda m: m.group().translate(FULL_WIDTH), text)


def wrapped(width: int) -> Callable[[str], str]:
    def wrap(text: str) -> str:
        out = []
        for line in text.split("\n"):
            current, used = "", 0
            for char in line:
                size = 2 if unicodedata.east_asian_width(char) in "WF" else 1
                if used + size > width:
                    out.append(current)
                    current, used = "", 0
                current, used = current + char, used + size
            out.append(current)
        return "\n".join(out)
    return wrap


def swap_punctuation(text: str) -> str:
    out = []
    for i, char in enumerate(text):
        thousands = char == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() \
            and text[i + 1].isdigit()
        out.append(PUNCTUATION.get(char, char) if not thousands else char)
    return "".join(out)


TRANSFORMS: dict[str, Callable[[str], str]] = {
    "traditional": to_traditional, "fullwidth": to_full_width, "wrapped44": wrapped(44),
    "wrapped60": wrapped(60), "wrapped80": wrapped(80), "punct": swap_punctuation,
    "crlf": lambda text: text.replace("\n", "\r\n"),
}


def signature(path: Path) -> list[tuple[str, str, str | None]]:
    """(normalized value, kind, metric) of every figure of the report, in order."""
    from extractor import extract
    return [(str(f.normalized.value), f.kind, f.metric) for f in extract(path).figures]


def differing(transform: str, files: list[Path]) -> dict[str, str]:
    """File name -> a short description of how its changed copy reads differently."""
    change = TRANSFORMS[transform]
    found: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as folder:
        for source in files:
            copy = Path(folder) / source.name
            copy.write_bytes(change(source.read_text(encoding="utf-8")).encode("utf-8"))
            before, after = signature(source), signature(copy)
            if before != after:
                ops = [op for op in difflib.SequenceMatcher(a=before, b=after, autojunk=False)
                       .get_opcodes() if op[0] != "equal"]
                found[source.name] = "; ".join(
                    f"{tag} {before[i1:i2][:3]} -> {after[j1:j2][:3]}" for tag, i1, i2, j1, j2 in ops[:3])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("transform", choices=sorted(TRANSFORMS))
    parser.add_argument("files", nargs="*", help="dev file names (default: all)")
    parser.add_argument("--dev", type=Path, default=DEV)
    args = parser.parse_args()
    files = [args.dev / name for name in args.files] or sorted(args.dev.glob("*.txt"))
    found = differing(args.transform, files)
    for name, how in found.items():
        print(f"{name}: {how}")
    print(f"{args.transform}: {len(found)} of {len(files)} files read differently")


if __name__ == "__main__":
    main()
