"""Plausibility counted the plain way, for equivalence tests: the text's characters counted one
by one in order of first appearance (a Counter), CJK characters beside letters and spaces
between hanzi found by regular expressions. The pipeline counts the same with numpy, all
positions at once (pipeline.ingest.plausibility._CountedByCode)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from pipeline.ingest import plausibility
from pipeline.ingest.plausibility import Plausibility

SPACED_HAN = re.compile(r" (?<=[\u4e00-\u9fff] )(?=[\u4e00-\u9fff])")  # a space between hanzi, found from the space
CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
# A CJK character standing alone (no CJK neighbour) with an ASCII letter on either side.
LONE_CJK_TOUCHING_LATIN = re.compile(f"[{CJK}](?:(?<=[A-Za-z].)(?![{CJK}])|(?<![{CJK}].)(?=[A-Za-z]))")


def lone_cjk_touching_latin(text: str) -> int:
    """How many CJK characters stand alone beside an ASCII letter."""
    return len(LONE_CJK_TOUCHING_LATIN.findall(text))


class CountedByCharacter:
    """The parts of a text counted from its characters' counts (in order of first appearance)."""

    def __init__(self, text: str, counts: dict[str, int]):
        self.text = text
        self.per_part: dict[int, int] = defaultdict(int)
        for ch, n in counts.items():
            self.per_part[ord(plausibility._SYMBOL_OF[ch])] += n

    def first_met(self, families: list[str]) -> str:
        return families[0]  # counted in order of first appearance

    def spaced_han(self) -> int:
        return len(SPACED_HAN.findall(self.text))

    def lone_cjk(self) -> int:
        return lone_cjk_touching_latin(self.text)


class PlausibilityByCharacter(Plausibility):
    """Plausibility of a text whose characters are counted one by one."""

    def __init__(self, text: str):
        self.text, self.codes = text, None
        self.total, self.before_badness, self.latin_factor = plausibility._before_badness(
            text, CountedByCharacter(text, Counter(text)))
