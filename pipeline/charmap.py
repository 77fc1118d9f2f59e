"""A table for ``str.translate`` filled a character at a time, as characters are met.

``str.translate`` looks each character up in C; a table over all of Unicode would be huge, so
the answer for a character is computed the first time it is met and kept. A text is then
reduced, marked or filtered in one pass instead of a Python loop over its characters.
(:class:`CodePointMap`: the same for a map from each character to one character, in numpy.)
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy


class CharacterMap(dict):
    """``replacement(ch)`` gives what ``ch`` becomes: itself to keep it, other text to mark it,
    None to delete it."""

    def __init__(self, replacement: Callable[[str], str | None]):
        super().__init__()
        self.replacement = replacement

    def __missing__(self, code: int) -> str | None:
        self[code] = self.replacement(chr(code))
        return self[code]


def code_points(text: str) -> numpy.ndarray:
    """The code point of each character of ``text`` (lone surrogates too), as numpy holds them."""
    return numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), numpy.uint32)


def bmp_members(pattern: re.Pattern) -> numpy.ndarray:
    """For each character of the Basic Multilingual Plane (by code, surrogates too), whether
    ``pattern``, which takes one character at a time, takes it: asked of the regex engine in one
    pass, each character it takes replaced by U+0001 (in place), then looked for; U+0001 alone."""
    alphabet = numpy.arange(0x10000, dtype=numpy.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    members = code_points(pattern.sub("\x01", alphabet)) == 1
    members[1] = pattern.fullmatch("\x01") is not None
    return members


class CodePointMap:
    """:class:`CharacterMap`'s twin for a function from a character to exactly one character: the
    table, of code points, filled as characters are met, and a text's code points looked up in
    numpy (a dict's translate looks up a number object per character, 80 µs for 1,000
    characters that are not all ASCII; this, a tenth of it)."""

    def __init__(self, replacement: Callable[[str], str]):
        self.replacement = replacement
        self.table = numpy.zeros(0x110000, dtype=numpy.uint32)
        self.filled = numpy.zeros(0x110000, dtype=bool)

    def translate(self, text: str) -> str:
        """``text`` with each character replaced by the one ``replacement`` gives for it."""
        codes = code_points(text)
        if not self.filled[codes].all():
            for code in numpy.unique(codes[~self.filled[codes]]).tolist():
                replaced = self.replacement(chr(code))
                if len(replaced) != 1:
                    raise ValueError(f"{self.replacement} gives {replaced!r} for U+{code:04X}: not one character")
                self.table[code], self.filled[code] = ord(replaced), True
        return self.table[codes].tobytes().decode("utf-32-le", "surrogatepass")
