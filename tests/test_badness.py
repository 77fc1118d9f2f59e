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


def test_the_installed_ftfy_counts_each_c1_control_in_a_match_of_its_own():
    """The decoder bounds badness by the C1 controls before searching (UTF-8 read as Latin-1 is
    full of them); the bound is used only when ftfy's regex allows it, as the installed one does."""
    assert badness.C1_BOUND
    latin1 = "Gr\u00fc\u00dfe \u2014 \u201cquoted\u201d 蘇聯".encode("utf-8").decode("latin-1")
    assert ftfy.badness.badness(latin1) >= badness.TEXT_PATTERNS.count_c1(latin1) > 0


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(st.lists(st.one_of(PIECES, st.characters(min_codepoint=0x80, max_codepoint=0x9F)), max_size=60).map("".join),
       st.integers(0, 100))
def test_counting_a_stretch_at_a_time_gives_lower_bounds_then_ftfys_count(text, position):
    count = badness.BadnessCount(text)
    exact = ftfy.badness.badness(text)
    assert count.at_least() <= exact
    assert count.count_to(position) <= exact
    assert count.count_to(None, enough=2) <= exact
    assert count.count_to() == exact and count.done


CODE_PAGES = ("cp1252", "latin-1", "cp1253", "cp1251", "koi8-r")  # the decoder's single-byte candidates


def _read_in(code_page: str) -> str:
    return bytes(range(256)).decode(code_page, errors="replace")


def test_the_bytes_of_a_single_byte_reading_count_as_ftfy_counts_its_text():
    """A single-byte reading is counted in its bytes, with ftfy's pattern translated to them: on
    the seeds saved in every encoding the decoder tries and read in every single-byte code page
    (mojibake of every kind, mostly), the count is ftfy's, and so is the C1 bound below it."""
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        for saved in ("utf-8", "gb18030", "big5hkscs", "cp932", "cp1252", "cp1251", "koi8-r", "utf-16-le"):
            data = text.encode(saved, errors="replace")
            for code_page in CODE_PAGES:
                for part in (data[:3000], data[5000:40000]):
                    read = part.decode(code_page, errors="replace")
                    count = badness.BadnessCount(read, (part, _read_in(code_page)))
                    assert count.count_to() == ftfy.badness.badness(read) >= count.least, (seed.name, saved, code_page)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(st.lists(st.one_of(st.integers(0, 255), st.sampled_from([0x20, 0x61, 0x0A, 0xC3, 0xA9, 0xE2, 0x80, 0xC2])),
                max_size=40).map(bytes), st.sampled_from(CODE_PAGES), st.integers(0, 40))
def test_counting_in_the_bytes_a_stretch_at_a_time_gives_ftfys_count(data, code_page, enough):
    read = data.decode(code_page, errors="replace")
    count = badness.BadnessCount(read, (data, _read_in(code_page)))
    exact = ftfy.badness.badness(read)
    assert count.at_least() <= exact
    assert count.count_to(None, enough) <= exact
    assert count.count_to() == exact and count.done


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "500")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(st.lists(st.one_of(PIECES, st.characters(min_codepoint=0x80, max_codepoint=0x9F),
                          st.characters(min_codepoint=0x10000)), max_size=30).map("".join))
def test_the_regex_is_tried_wherever_a_match_can_start(text):
    """Badness is searched for only where an alternative's first two characters stand: every
    position where ftfy's regex matches is one of them (in text, and in the bytes of each
    single-byte code page), and the installed ftfy's regex is understood (not searched everywhere)."""
    assert badness.TEXT_PATTERNS.starts is not None
    starts = set(badness.TEXT_PATTERNS.match_starts(text).tolist())
    assert {p for p in range(len(text)) if badness.BADNESS_RE.match(text, p)} <= starts
    for code_page in CODE_PAGES:
        data = text.encode(code_page, errors="ignore")
        patterns = badness.code_page_patterns(_read_in(code_page))
        assert patterns.starts is not None
        starts = set(patterns.match_starts(data).tolist())
        assert {p for p in range(len(data)) if patterns.badness.match(data, p)} <= starts


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(st.lists(st.one_of(PIECES, st.characters(min_codepoint=0x10000), st.characters()), max_size=30).map("".join))
def test_suspect_characters_counted_in_numpy_are_those_the_search_finds(text):
    """The decoder bounds the score of valid UTF-8 by its suspect characters, counted in numpy:
    the count is the one SUSPECT's search finds."""
    assert badness.suspect_count(text) == len(badness.SUSPECT.findall(text))


def test_suspect_characters_of_the_seeds_and_their_mojibake_are_counted_as_searched():
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        for sample in (text, text.encode("utf-8").decode("cp1252", errors="replace")):
            assert badness.suspect_count(sample) == len(badness.SUSPECT.findall(sample)) > 0
