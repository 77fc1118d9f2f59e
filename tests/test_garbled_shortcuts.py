"""The garbled stage's shortcuts find what its patterns, as first written, find: on the seeds,
real OCR text (Grenzboten), the synthetic scans of the benchmark and composed garbled text."""

from __future__ import annotations

import re

import pytest

from bench.scans import chinese_scan, english_scan
from pipeline.stages.garbled import UNIT_SEPARATORS, _back_to_back
from tests.conftest import ROOT, SEEDS

# The loop pattern without the lookahead that lets the stage skip most of the text: what a
# loop is, tried at every position where a unit may start.
LOOP_DEFINITION = re.compile(f"(?:^|(?<=[{UNIT_SEPARATORS}]))"
                             r"(?P<unit>\S.{1,39}?)(?:[，,、；;\s]{0,4}(?P=unit)){3,}")

GARBLED = [
    "蘇聯與蘇聯，以及由這些蘇聯中派出的實業家與蘇聯，蘇聯與蘇聯，蘇聯與蘇聯，爲了和平。",
    "the the the the end; ab ab ab ab, abababab and a—a—a—a—b",
    "........ -------- …… ……，……，……，…… 中國中國中國中國",
    "甲乙，甲乙，甲乙，甲乙 甲乙丙丁戊，甲乙丙丁戊 甲乙丙丁戊，甲乙丙丁戊。x" + "，" * 9,
    "x ab,ab,ab,ab,cd,cd,cd,cd ef ef ef ef 12 12 12 12 Ω1 Ω1 Ω1 Ω1 _x_x_x_x",  # one loop right after another
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "Wir wissen es nicht, wir wissen es nicht, wir wissen es nicht, wir wissen es nicht.",
    # the longest unit (40 characters) and the widest separator (4): copies 44 characters apart
    "x " + " ,，;".join(["The forty characters of a unit repeated."] * 4) + " y",
    "lorem ipsum dolor sit amet consectetur " * 4 + "\n" + ("長的句子在這裡重複一次" + "，") * 4,
]


def texts() -> list[str]:
    own = [path.read_text(encoding="utf-8") for path in SEEDS]
    real = [path.read_text(encoding="utf-8")
            for path in sorted((ROOT / "tests" / "data" / "grenzboten-1841").glob("*/*.txt"))]
    scans = [chinese_scan(seed).text for seed in range(2)] + [english_scan(seed).text for seed in range(2)]
    return own + real + scans + GARBLED


@pytest.mark.parametrize("text", texts())
def test_loops_found_through_the_lookahead_are_the_definitions_matches(text):
    for block in [text, *text.split("\n\n")[:200]]:  # whole, and in blocks as the stage sees them
        assert _back_to_back(block) == [(*m.span(), m.group("unit")) for m in LOOP_DEFINITION.finditer(block)]
