"""Numeral text -> Decimal. Pure functions.

>>> parse_number("1,268.2285")
Decimal('1268.2285')
>>> parse_number("两千")
Decimal('2000')
>>> parse_number("１２０")
Decimal('120')
>>> parse_number("一千二百三十四")
Decimal('1234')
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

import cn2an

from .patterns import load

_ARABIC = re.compile(r"^\d+(?:\.\d+)?$")


def _numerals() -> dict:
    return load("numerals")


def is_chinese_numeral(text: str) -> bool:
    """Whether ``text`` is written in Chinese numeral characters only (三千, 贰拾)."""
    return bool(text) and not text.strip(_numerals()["chinese_chars"])


def parse_number(text: str) -> Decimal:
    """Convert a written number (Arabic, full-width, Chinese, mixed with 万/亿) to Decimal."""
    cleaned = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "").replace("\n", "").strip()
    if _ARABIC.match(cleaned):
        return Decimal(cleaned)
    scales = _numerals()["scales"]
    if cleaned and cleaned[-1] in scales and _ARABIC.match(cleaned[:-1]):
        return Decimal(cleaned[:-1]) * Decimal(scales[cleaned[-1]])
    return chinese_to_decimal(cleaned)


def chinese_to_decimal(text: str) -> Decimal:
    """Chinese numerals (simplified, traditional or financial) to Decimal via cn2an."""
    aliases = _numerals()["digit_aliases"]
    simplified = "".join(aliases.get(ch, ch) for ch in text)
    if simplified.startswith("两") and len(simplified) == 1:
        return Decimal(2)
    try:
        value = cn2an.cn2an(simplified, "smart")
    except (ValueError, KeyError, IndexError) as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc


def plain(value: Decimal) -> str:
    """Decimal as a plain string without exponent or trailing zeros after the point.

    >>> plain(Decimal("12682285.0000")), plain(Decimal("0.98800")), plain(Decimal("1E+3"))
    ('12682285', '0.988', '1000')
    """
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
