"""pipeline.ingest.badness gives ftfy's answers: on the seeds, on mojibake, and on generated mixtures."""

from __future__ import annotations

import os
from pathlib import Path

import ftfy.badness
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ingest import badness

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
# Runs of characters mojibake is made of, next to CJK, ASCII and whitespace.
MOJIBAKE = ["Ã©", "â€™", "Ã¢â‚¬Å“", "Â ", "Ã ", "вЂ", "ГўВЂВ", "β€™", "√±", "Œ", "œ", "×²", "ØØ", "Ð", "°", "¢", "\x85"]
PIECES = st.one_of(st.sampled_from(MOJIBAKE + ["蘇聯", "，", "“", "”", "—", "…", " ", "\n", "a", "Z", ".", "é", "É"]),
                   st.characters(min_codepoint=0x80, max_codepoint=0x2600), st.text(max_size=4))


def test_counts_as_ftfy_on_the_seeds_and_their_mojibake():
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        broken = text.encode("utf-8").decode("cp1252", errors="replace")
        for sample in (text, broken, broken[1000:9000]):
            assert badness.badness(sample) == ftfy.badness.badness(sample)
            assert badness.is_bad(sample) == ftfy.badness.is_bad(sample)
    # Matches that reach two characters beyond their last suspect character, or start a string.
    for sample in ("Ã© at the very start", "Ã at the very start", "the Ã result", "ГўВЂВ\x9dx words", "x.Â “y"):
        assert badness.badness(sample) == ftfy.badness.badness(sample) > 0, sample


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "500")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_counts_as_ftfy_on_generated_mixtures(text):
    assert badness.badness(text) == ftfy.badness.badness(text)
    assert badness.is_bad(text) == ftfy.badness.is_bad(text)
