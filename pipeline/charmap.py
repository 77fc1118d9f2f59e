"""A table for ``str.translate`` filled a character at a time, as characters are met.

``str.translate`` looks each character up in C; a table over all of Unicode would be huge, so
the answer for a character is computed the first time it is met and kept. A text is then
reduced, marked or filtered in one pass instead of a Python loop over its characters.
"""

from __future__ import annotations

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
