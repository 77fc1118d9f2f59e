"""Page numbers as printed: Arabic, Chinese (一二 or 十二 style), Roman and Greek numerals."""

from __future__ import annotations

import re

CHINESE_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
# Greek numerals: letters with a keraia (ʹ, or what fonts and OCR put for it), hundreds, tens,
# units in that order ("ιβʹ" 12, "ρκγʹ" 123; "στ" for the obsolete stigma, 6): the front
# matter of Greek books is paged so, as Latin books use Roman numerals.
GREEK_VALUES = {"α": 1, "β": 2, "γ": 3, "δ": 4, "ε": 5, "ϛ": 6, "ζ": 7, "η": 8, "θ": 9,
                "ι": 10, "κ": 20, "λ": 30, "μ": 40, "ν": 50, "ξ": 60, "ο": 70, "π": 80, "ϟ": 90, "ϙ": 90,
                "ρ": 100, "σ": 200, "τ": 300, "υ": 400, "φ": 500, "χ": 600, "ψ": 700, "ω": 800, "ϡ": 900}
KERAIA = "ʹ΄'’"
GREEK_NUMERAL = f"[{''.join(GREEK_VALUES)}]{{1,4}}[{KERAIA}]"
NUMERAL = re.compile(r"\d{1,4}|[〇零一二三四五六七八九十百千]{1,7}|[ivxlcdm]{1,7}|[IVXLCDM]{1,7}|" + GREEK_NUMERAL)


def chinese_to_int(text: str) -> int | None:
    """一二 → 12 and 一〇八 → 108 (digit by digit, as page numbers are printed), 十二 → 12.

    >>> chinese_to_int("一〇八"), chinese_to_int("十二"), chinese_to_int("二十三"), chinese_to_int("第二")
    (108, 12, 23, None)
    """
    if not text or any(ch not in CHINESE_DIGITS and ch not in CHINESE_UNITS for ch in text):
        return None
    if not any(ch in CHINESE_UNITS for ch in text):
        return int("".join(str(CHINESE_DIGITS[ch]) for ch in text))
    total, digit = 0, None
    for ch in text:
        if ch in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * CHINESE_UNITS[ch]
            digit = None
    return total + (digit or 0)


DASH_READ_AS_ONE = "一"  # the dashes around a Chinese page number (— 三八 —), as OCR reads them


def chinese_page_numbers(text: str) -> list[int]:
    """What a Chinese numeral standing as a page number may say: its value, and where it opens
    and closes with 一, the value between them too (``一三八一``: the page number 38 between
    dashes OCR read as 一, or 1381; the sequence of the pages decides).

    >>> chinese_page_numbers("一三八一"), chinese_page_numbers("三八")
    ([1381, 38], [38])
    """
    values = [chinese_to_int(text)]
    if len(text) >= 3 and text[0] == text[-1] == DASH_READ_AS_ONE:
        values.append(chinese_to_int(text[1:-1]))
    return [value for value in values if value]


def roman_to_int(text: str) -> int | None:
    """A Roman numeral's value, either case (a smaller digit before a larger one subtracts);
    None for anything else.

    >>> roman_to_int("xiv"), roman_to_int("MDCLXVIII"), roman_to_int("Cap")
    (14, 1668, None)
    """
    values = [ROMAN.get(ch) for ch in text.lower()]
    if not values or None in values:
        return None
    total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    return total if total > 0 else None


def greek_to_int(text: str) -> int | None:
    """ιβʹ → 12: hundreds, tens and units, each at most once and in that order."""
    letters = text.rstrip(KERAIA).replace("στ", "ϛ")
    values = [GREEK_VALUES.get(ch) for ch in letters]
    if not values or None in values or values != sorted(values, reverse=True) \
            or len({len(str(v)) for v in values}) != len(values):
        return None
    return sum(values)


def numeral_value(text: str) -> int | None:
    """The value of a page number as printed: Arabic (also full-width), Chinese, Roman or Greek.

    >>> [numeral_value(n) for n in ("12", "１２", "一二", "xii", "ιβʹ")]
    [12, 12, 12, 12, 12]
    """
    if text[-1:] in KERAIA and text[:-1]:
        return greek_to_int(text)
    if text.isascii() and text.isdecimal():
        return int(text)
    if text.isdecimal():
        return int(text)  # other decimal digits (full-width １２) read as numbers too
    return chinese_to_int(text) if not text.isascii() else roman_to_int(text)
