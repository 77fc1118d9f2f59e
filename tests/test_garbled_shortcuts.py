"""The garbled stage's shortcuts find what its patterns, as first written, find: on the seeds,
real OCR text (Grenzboten), the synthetic scans of the benchmark and composed garbled text."""

from __future__ import annotations

import os
import re
from collections import Counter
from itertools import accumulate, repeat
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.scans import chinese_scan, english_scan
from pipeline.stages import garbled
from pipeline.stages.garbled import (CHUNK, CLAUSE_STRIP, SYMBOL, SYMBOL_RUN, _back_to_back, _clause_texts,
                                     _ClauseSketch, _JoinedBlocks, _rare_runs, _self_coordinations)
from pipeline.ingest.plausibility import common_han
from tests.conftest import ROOT, SEEDS

# The loop pattern without the lookahead that lets the stage skip most of the text: what a
# loop is, tried at every position where a unit may start.
LOOP_DEFINITION = re.compile(r"(?:^|(?<=[\s，,、；;。.：:]))"
                             r"(?P<unit>\S.{1,39}?)(?:[，,、；;\s]{0,4}(?P=unit)){3,}")

GARBLED = [
    "蘇聯與蘇聯，以及由這些蘇聯中派出的實業家與蘇聯，蘇聯與蘇聯，蘇聯與蘇聯，爲了和平。",
    "the the the the end; ab ab ab ab, abababab and a—a—a—a—b",
    "........ -------- …… ……，……，……，…… 中國中國中國中國",
    "他說外交部長與外交部長，又說蘇聯和蘇聯。外交部與外交部與外交部 ‖‖§§¶¶ ※※☆☆★ 丨丶丿丨 ㄅㄆㄇ 〡〢〣",
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


def rare_character_as_first_written() -> re.Pattern[str]:
    """The class of rare characters as a regex: the Han ones as ranges between the common ones."""
    common = sorted(ord(ch) for ch in common_han())
    ranges, index = [], 0
    for low, high in garbled.HAN_RANGES:
        start = low
        while index < len(common) and common[index] < low:
            index += 1
        while index < len(common) and common[index] <= high:
            if common[index] > start:
                ranges.append((start, common[index] - 1))
            start = common[index] + 1
            index += 1
        if start <= high:
            ranges.append((start, high))
    han = "".join(f"{chr(a)}-{chr(b)}" if b > a else chr(a) for a, b in ranges)
    return re.compile(f"[{garbled.NOISE_BLOCKS}{han}]")


RARE_PIECES = st.lists(st.sampled_from(["丨", "丶", "丿", "ㄅ", "〡", "〢", "─", "䶵", "\U00020001", "\U0003ffff", "\U00040000",
                                        "中", "國", "a", " ", "\n", "\ud800", "〇"]), max_size=30).map("".join)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(RARE_PIECES, st.sampled_from([1, 2, 4, 1 << 16]))
def test_rare_runs_found_by_a_table_are_the_classes_runs(text, piece):
    """Runs of rare characters found by a table of them (a piece of the text at a time, cut at
    a line break or, in a block with none, at a character that is not rare): the runs the
    class, as a regex, finds in the whole text, the text's line breaks kept or made rare."""
    rare = re.compile(f"{rare_character_as_first_written().pattern}{{3,}}")
    garbled.RARE_PIECE, kept = piece, garbled.RARE_PIECE
    try:
        for block in (text, text.replace("\n", "丨")):
            assert _rare_runs(block) == [m.span() for m in rare.finditer(block) if len(set(m.group())) >= 2]
    finally:
        garbled.RARE_PIECE = kept


def test_rare_runs_of_the_texts_are_the_classes_runs():
    rare = re.compile(f"{rare_character_as_first_written().pattern}{{3,}}")
    found = 0
    for text in texts():
        expected = [m.span() for m in rare.finditer(text) if len(set(m.group())) >= 2]
        assert _rare_runs(text) == expected
        found += len(expected)
    assert found


def blocks_of(text: str) -> list[SimpleNamespace]:
    """Paragraphs as blocks (start, end), and each paragraph's lines as blocks of their own too
    when a paragraph has several: blocks that end on a clause mark, a full stop or a word."""
    blocks, start = [], 0
    for paragraph in text.split("\n\n"):
        blocks.append(SimpleNamespace(start=start, end=start + len(paragraph)))
        start += len(paragraph) + 2
    lines = [SimpleNamespace(start=b.start + m.start(), end=b.start + m.end())
             for b in blocks[::2] for m in re.finditer(r"[^\n]+", text[b.start:b.end])]
    return sorted(blocks + lines, key=lambda b: (b.start, b.end))


CLAUSE_CASES = [
    "，。a。b，，c.d. e", "ab ab\n\nab ab", "x，x\n\nab ab ab ab\n\nx，x\n\nab ab ab ab", "蘇聯 蘇聯，\n\n蘇聯，蘇聯", "。", "", "x.", "x. ", "蘇聯，。；：", "a,b;c:d!e?f", " ，  ，", "Ende.\n\nNeu， ja",
]


@pytest.mark.parametrize("text", texts() + CLAUSE_CASES)
@pytest.mark.parametrize("chunk", [CHUNK, 7])
def test_clauses_of_blocks_split_together_are_each_blocks_own(text, chunk, monkeypatch):
    """The sketch splits many blocks into clauses at once (a document in chunks of joined
    blocks); each block's clauses, whether they recur and whether the block repeats one of its
    long clauses must be what the block's own text gives."""
    monkeypatch.setattr(garbled, "CHUNK", chunk)
    blocks = blocks_of(text)
    doc = SimpleNamespace(text=text)
    sketch = _ClauseSketch(doc, blocks)
    recurring = {copy: recurs for index, recurs, copies in sketch.recurring() for copy in [index, *copies]}
    counted = Counter(key for block in blocks
                      for key in map(str.strip, _clause_texts(text[block.start:block.end]), repeat(CLAUSE_STRIP)))
    for index, block in enumerate(blocks):
        own = _clause_texts(text[block.start:block.end])
        ends = list(accumulate(map(len, own), initial=block.start))
        assert sketch.clauses(index) == list(zip(ends, ends[1:]))
        keys = [clause.strip(CLAUSE_STRIP) for clause in own]
        recurs = [not key or counted[key] >= 3 for key in keys]  # punctuation alone always recurs
        assert recurring.get(index) == (recurs if any(recurs) else None)
        long = [key for key in keys if len(key) >= garbled.NOISY_CLAUSE]
        assert sketch.repeats_inside(index) == (len(set(long)) < len(long))


@pytest.mark.parametrize("text", texts() + CLAUSE_CASES)
def test_patterns_over_joined_blocks_find_what_each_block_alone_gives(text):
    """Loops, symbol soup, rare characters and self-coordination looked for over the blocks
    joined: the same spans as block by block."""
    blocks = blocks_of(text)
    joined = _JoinedBlocks(text, blocks)
    assert sorted(joined.spans(((start, end) for start, end, _ in _back_to_back(joined.text)), "")) == sorted(
        (b.start + start, b.start + end, "") for b in blocks for start, end, _ in _back_to_back(text[b.start:b.end]))
    definition = re.compile(r"[^\w\s\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]{4,}")
    rare = re.compile(f"{rare_character_as_first_written().pattern}{{3,}}")
    for found, own in ((joined.spans((m.span() for m in SYMBOL_RUN.finditer(joined.text)), ""), definition),
                       (joined.spans(_rare_runs(joined.text), ""), rare)):
        expected = [(b.start + m.start(), b.start + m.end(), "") for b in blocks
                    for m in own.finditer(text[b.start:b.end]) if own is definition or len(set(m.group())) >= 2]
        assert sorted(found) == sorted(expected)
    assert sorted(shift + p for p in _self_coordinations(joined.text) for _, shift in joined.place(p)) == sorted(
        b.start + p for b in blocks for p in _self_coordinations(text[b.start:b.end]))


SMALL_FIXES = st.lists(st.sampled_from([" ", "  ", "\u00a0", "\u00a0 ", "   ", "a", "\n", "\t", "\u00ad", "\ufeff", "\u200b", "\u2060",
                                        "Б", "αβ", "x", "§", "…", "蘇"]), max_size=25).map("".join)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(SMALL_FIXES)
def test_the_text_fix_stages_patterns_find_what_their_definitions_find(text):
    """Patterns rewritten for the regex engine's sake (a single class first, a literal search
    where the text allows it) find what the patterns as first written find."""
    from pipeline.stages.invisible import invisible_edits
    from pipeline.stages.markers import LAYOUT_SPACE_RUN, OTHER_ALPHABET_RUN, _layout_space_runs, _layout_spaces

    invisible = re.compile("[\ufeff\u200b\u2060]|\u00ad(?![ \\t]*\\n)")
    assert [(e.start, e.end) for e in invisible_edits(text)] == [m.span() for m in invisible.finditer(text)]
    spaces = re.compile("[ \u00a0]{2,}|\u00a0")
    assert _layout_space_runs(text) == [m.span() for m in LAYOUT_SPACE_RUN.finditer(text)]
    assert list(_layout_spaces(text)) == [
        m.span() for m in spaces.finditer(text)
        if m.start() and m.end() < len(text) and not text[m.start() - 1].isspace() and not text[m.end()].isspace()]
    assert [m.span() for m in OTHER_ALPHABET_RUN.finditer(text)] == [
        m.span() for m in re.finditer("[\u0400-\u04ff\u0370-\u03ff]+", text)]
    assert [m.span() for m in SYMBOL_RUN.finditer(text)] == [
        m.span() for m in re.finditer(r"[^\w\s\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]{4,}", text)]


LINES = st.lists(st.sampled_from(["a", "\n", "é", "Ã©", "蘇", "\x1b", "“", "龘", "\n\n", " "]), max_size=30).map("".join)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(LINES)
def test_lines_looked_at_are_those_holding_a_character_the_line_test_needs(text):
    """ftfy and the mojibake stage look only at lines that hold a character their line test
    needs: every line the test would pass is among them, with its offset."""
    from pipeline.stages.mojibake import _unusual_character, _worth_examining
    from pipeline.stages.textfix import _MAY_CHANGE, ftfy_may_change, lines_with

    offsets = list(accumulate((len(line) + 1 for line in text.split("\n")), initial=0))
    every = list(zip(offsets, text.split("\n")))
    for character, test in ((_MAY_CHANGE, ftfy_may_change), (_unusual_character(), _worth_examining)):
        found = list(lines_with(text, character))
        assert found == [(offset, line) for offset, line in every if character.search(line)]
        assert [(o, line) for o, line in every if test(line)] == [(o, line) for o, line in found if test(line)]


def ftfy_lines_alone(text: str) -> list[tuple[int, str]]:
    from pipeline.stages.textfix import _MAY_CHANGE, ftfy_may_change, lines_with
    return [(offset, line) for offset, line in lines_with(text, _MAY_CHANGE) if ftfy_may_change(line)]


def mojibake_of(text: str) -> str:
    """Lines of ``text`` and their mojibake (UTF-8 read as Windows-1252 and as Latin-1), mixed."""
    lines = text.split("\n")[:400]
    bad = [line.encode("utf-8").decode(codec, "replace") for codec in ("cp1252", "latin-1")
           for line in [line for line in lines if not line.isascii()][:30]]
    return "\n".join(lines + bad)


@pytest.mark.parametrize("batch", [1 << 16, 1, 40])
@pytest.mark.parametrize("text", [mojibake_of(text) for text in texts()])
def test_lines_ftfy_may_change_found_a_batch_at_a_time_are_those_found_line_by_line(text, batch, monkeypatch):
    """Where badness can fire, found over a batch of lines joined, then the regex tried in each
    line alone: the lines the line-by-line test passes (batches of one line, of a few, of many)."""
    from pipeline.stages import textfix

    monkeypatch.setattr(textfix, "BATCH", batch)
    expected = ftfy_lines_alone(text)
    assert list(textfix.lines_ftfy_may_change(textfix.lines_with(text, textfix._MAY_CHANGE))) == expected
    assert expected or text.isascii()  # the mojibake is there to be found


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(LINES, st.sampled_from([1, 5, 1 << 16]))
def test_lines_ftfy_may_change_on_composed_lines(text, batch):
    from pipeline.stages import textfix

    textfix.BATCH, kept = batch, textfix.BATCH
    try:
        assert list(textfix.lines_ftfy_may_change(textfix.lines_with(text, textfix._MAY_CHANGE))) == ftfy_lines_alone(text)
    finally:
        textfix.BATCH = kept


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(st.lists(st.sampled_from(["ab", "é", "-", "¬", "=", "\u00ad", " ", "\t", "\n", "1", "蘇", "-\n"]), max_size=25)
       .map("".join), st.integers(0, 30), st.integers(0, 60))
def test_line_end_hyphens_found_from_the_hyphens_are_the_patterns_matches(text, start, end):
    from pipeline.stages.hyphenation import LINE_END_HYPHEN, _line_end_hyphens_in_lines

    assert [(m.span(), m.group("left")) for m in _line_end_hyphens_in_lines(text, start, end)] == [
        (m.span(), m.group("left")) for m in LINE_END_HYPHEN.finditer(text, start, end)]


@pytest.mark.parametrize("collide", [False, True])
def test_blocks_with_the_same_text_are_found_by_hash_as_by_the_text(collide, monkeypatch):
    """Blocks are grouped by their text's hash and compared where hashes meet: the groups a
    dict keyed by the text gives, also when every hash collides."""
    if collide:
        monkeypatch.setattr(garbled, "hash", lambda _text: 0, raising=False)
    for text in texts() + CLAUSE_CASES + ["ab\n\nab\n\nabc\n\nab\n\n\n\nabc\n\nb\n\n"]:
        blocks = blocks_of(text)
        first_with: dict[str, int] = {}
        assert garbled._same_text(text, blocks) == [first_with.setdefault(text[b.start:b.end], index)
                                                    for index, b in enumerate(blocks)]


def test_classes_listed_for_speed_are_the_categories_they_stand_for():
    """WHITESPACE is every character \\s takes (str.isspace), and no character NOT_SYMBOLS
    lists is a SYMBOL: the runs looked for from the characters outside it are all of them."""
    every = list(map(chr, range(0x110000)))
    whitespace = re.compile(f"[{garbled.WHITESPACE}]")
    assert [ch for ch in every if whitespace.match(ch)] == [ch for ch in every if re.match(r"\s", ch)]
    listed, symbol = re.compile(f"[{garbled.NOT_SYMBOLS}]"), re.compile(SYMBOL)
    assert not [ch for ch in every if listed.match(ch) and symbol.match(ch)]


@pytest.mark.parametrize("text", texts() + CLAUSE_CASES + ["蘇聯和蘇聯和蘇聯，外交部與外交部與外交部長，甲乙丙丁和甲乙丙丁，和和和和和和"])
def test_self_coordination_looked_for_from_echoed_conjunctions_is_the_patterns(text):
    """Conjunctions the word's first character does not follow are passed over: the places
    where SELF_COORDINATION matches are all found still."""
    assert set(_self_coordinations(text)) == {p for p in range(len(text)) if garbled.SELF_COORDINATION.match(text, p)}


def copy_as_first_written(a: str, b: str) -> bool:
    from difflib import SequenceMatcher

    if a == b or (not a.isascii() and garbled._one_script(a) == garbled._one_script(b)):
        return True
    if abs(len(a) - len(b)) > 2 or min(len(a), len(b)) < 4:
        return False
    if [ch for ch in a if not ch.isdigit()] == [ch for ch in b if not ch.isdigit()]:
        return False
    matcher = SequenceMatcher(a=a, b=b, autojunk=False)
    return matcher.quick_ratio() >= garbled.NOISY_COPY and matcher.ratio() >= garbled.NOISY_COPY


def test_copies_told_apart_first_by_the_longest_common_subsequence_are_difflibs():
    clauses = sorted({key for text in texts() for clause in _clause_texts(text)
                      if 4 <= len(key := clause.strip(CLAUSE_STRIP)) <= 40})
    pairs = list(zip(clauses, clauses[1:])) + [(a, a[:i] + "x" + a[i + 1:]) for a in clauses[::7] for i in (0, 2)]
    pairs += [("abcdefgh", "abcdxfgh"), ("abcd", "badc"), ("abcdef", "fedcba"), ("貿易協定", "貿易协定"), ("甲乙丙丁", "甲乙丙戊")]
    assert len(pairs) > 1000
    assert [garbled._copy_of(a, b) for a, b in pairs] == [copy_as_first_written(a, b) for a, b in pairs]
    assert any(copy_as_first_written(a, b) and a != b for a, b in pairs)


LOOP_PIECES = st.lists(st.sampled_from(["ab", "ab ", "ab，", "蘇聯", "蘇聯與", "，", " ", "  ", "\n", "x", "a", "\n\x00\n",
                                        "\U00020000", "\u3000", ".", "……", "the "]), max_size=40).map("".join)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(LOOP_PIECES, st.sampled_from([1, 7, 30, 1 << 16]))
def test_loops_tried_only_where_their_copies_stand_near_are_the_definitions_matches(text, stretch):
    """Loops looked for only after a separator where the next two characters recur three
    times, each near the last (found for a stretch of the text at a time): the definition's."""
    garbled.STRETCH, kept = stretch, garbled.STRETCH
    try:
        assert _back_to_back(text) == [(*m.span(), m.group("unit")) for m in LOOP_DEFINITION.finditer(text)]
    finally:
        garbled.STRETCH = kept


@pytest.mark.parametrize("stretch", [50, 333])
def test_loops_found_a_stretch_at_a_time_are_those_of_the_whole_text(stretch, monkeypatch):
    """Where a loop may start, found a stretch of a long text at a time (and a loop's reach
    more): the loops the definition finds, on texts longer than a stretch."""
    monkeypatch.setattr(garbled, "STRETCH", stretch)
    for text in texts():
        assert _back_to_back(text) == [(*m.span(), m.group("unit")) for m in LOOP_DEFINITION.finditer(text)]


def may_repeat_as_first_written(text: str) -> bool:
    if text.isascii():
        words = text.lower().split()
        return len(set(words)) <= len(words) - 2
    return len(set(zip(text, text[1:]))) <= len(text) - 3


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(st.lists(st.sampled_from(["蘇", "聯", "與", "，", "a", "b", " ", "ab"]), max_size=20).map("".join))
def test_a_clause_may_repeat_itself_as_first_written(text):
    """The cheap test first (a character found again) answers as the pairs alone do."""
    assert garbled._may_repeat_itself(text) == may_repeat_as_first_written(text)


def test_clauses_of_the_texts_may_repeat_themselves_as_first_written():
    keys = {key for text in texts() for clause in _clause_texts(text)
            if len(key := clause.strip(CLAUSE_STRIP)) >= garbled.MIN_LOOP_CLAUSE}
    assert sum(map(garbled._repeats_itself, keys)) >= 3  # the garbled ones
    for key in keys:
        assert garbled._may_repeat_itself(key) == may_repeat_as_first_written(key)


def test_character_tables_answer_as_their_classes():
    """The tables that tell separators and spaces in numpy hold the characters of the regex classes."""
    for character_class, wanted in ((garbled.WHITESPACE, False), (garbled.UNIT_SEPARATORS, True)):
        table = garbled._characters_in(character_class, wanted)
        in_class = re.compile(f"[{character_class}]")
        assert [code for code in range(0x10000) if table[code] == wanted] == [
            code for code in range(0x10000) if in_class.fullmatch(chr(code))]
        assert not in_class.fullmatch("\U00020000") and not in_class.fullmatch("\U0010ffff")  # what U+FFFF stands for
        assert table[0xFFFF] != wanted
