"""Property tests: any text gives a valid edition that rebuilds it."""

from __future__ import annotations

import os
from itertools import accumulate

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.config import PipelineConfig
from pipeline.errors import DocumentError
from pipeline.process import build_edition
from pipeline.tei.reader import rebuild_source, without_whitespace
from tests.conftest import parse

CONFIG = PipelineConfig()
PIECES = st.sampled_from([
    "，", "。", "「", "」", "！", "（", "）", "\u3000", "“", "”", "<", ">", "&", "]]>", "&amp;", "<TEI>",
    "\n", "\n\n", "\t", " ", "\x00", "\x0c", "\x1b", "\ufffe", "蘇聯", "苏联", "Title: x\n", "word", "Ã©",
    "第一章", "—", "\u00a0", "\r\n", "\r",
])
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None, suppress_health_check=[HealthCheck.too_slow],
          derandomize="FUZZ_EXAMPLES" not in os.environ)  # CI reproducible; long local runs explore
@given(TEXTS)
def test_any_text_gives_a_valid_edition_that_rebuilds_it_or_a_clean_error(text):
    try:
        edition = build_edition(text.encode("utf-8"), "generated.txt", CONFIG)
    except DocumentError as error:
        assert error.file_name == "generated.txt" and error.problem
        if text.strip():
            assert "binary" in error.problem  # the only refusal valid UTF-8 text with letters can meet
        else:
            assert "empty" in error.problem or "whitespace" in error.problem
        return
    assert edition.errors == []
    rebuilt = rebuild_source(parse(edition.xml))
    assert without_whitespace(rebuilt) == without_whitespace(edition.document.text)
    if "\x00" not in text:  # with NULs, a few bytes can be UTF-16 just as well
        assert edition.document.text == text.replace("\r\n", "\n").replace("\r", "\n")


LOOPY = st.lists(st.sampled_from(["ab", "ab", "蘇聯", "與", "，", ", ", " ", "\n", "。", ".", "x", "the ", "---"]),
                 max_size=30).map("".join)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(LOOPY)
def test_back_to_back_loops_looked_for_from_separators_are_the_patterns_own_matches(text):
    """The garbled stage tries its loop pattern only where a separator precedes a possible loop
    (a speed-up): the matches must be those of the pattern run over the whole text."""
    from pipeline.stages.garbled import BACK_TO_BACK, _back_to_back

    assert [m.span() for m in _back_to_back(text)] == [m.span() for m in BACK_TO_BACK.finditer(text)]


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(st.lists(st.sampled_from(["ab", "，", "。", ".", ". ", ".x", "!", "?", ";", "\n", " ", "蘇"]), max_size=25).map("".join))
def test_clauses_end_where_a_clause_mark_or_a_full_stop_before_a_space_ends_them(text):
    import re

    from pipeline.stages.garbled import _clause_texts

    clauses = _clause_texts(text)
    ends = [m.end() for m in re.finditer(r"[，。；：、！？,;:!?]|\.(?=\s)", text)]
    if not ends or ends[-1] < len(text):
        ends.append(len(text))
    assert "".join(clauses) == text
    assert [sum(map(len, clauses[:i + 1])) for i in range(len(clauses))] == (ends if text else [])


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(st.lists(st.sampled_from(["蘇聯", "蘇", "聯", "與", "和", "及", "，", "。", " ", "a", "外交部"]), max_size=25).map("".join))
@example("他說外交部長與外交部長，又說蘇聯和蘇聯。")  # a word of four characters, and one of two
@example("外交部與外交部與外交部")
def test_self_coordinations_looked_for_from_conjunctions_flag_the_patterns_clauses(text):
    """Each match of the pattern starts at a position found from a conjunction, and each position
    found lies in a clause where the pattern itself matches (the stage flags clauses)."""
    from pipeline.stages.garbled import SELF_COORDINATION, _clause_texts, _self_coordinations

    def clause_of(position: int) -> int:
        return next(i for i, end in enumerate(accumulate(map(len, _clause_texts(text)))) if position < end)

    found = _self_coordinations(text)
    own = [match.start() for match in SELF_COORDINATION.finditer(text)]
    assert set(own) <= set(found)
    assert {clause_of(position) for position in found} == {clause_of(position) for position in own}


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(st.lists(st.sampled_from([" ", "\u00a0", "a", "\n", "\t"]), max_size=20).map("".join))
def test_layout_space_runs_are_two_spaces_or_more_or_a_no_break_space(text):
    import re

    from pipeline.stages.markers import LAYOUT_SPACE_RUN

    definition = re.compile("[ \u00a0]{2,}|\u00a0")
    assert [m.span() for m in LAYOUT_SPACE_RUN.finditer(text)] == [m.span() for m in definition.finditer(text)]


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
          derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(st.lists(st.sampled_from([" ", ", ", ",", "ab", "Ä", "7", "_", "\n", "蘇", "聯"]), max_size=20).map("".join))
def test_patterns_found_from_a_space_match_what_their_lookbehind_definitions_match(text):
    """Two patterns start at a space and look behind it (the regex engine skips to a literal
    first character): their findings must be those of the patterns as first written."""
    import re

    from pipeline.ingest.plausibility import _SPACED_HAN
    from pipeline.stages.structure import MID_SENTENCE_WORD

    mid_sentence_word = re.compile(r"(?<=[^\W\d_] )[^\W\d_]+|(?<=[^\W\d_], )[^\W\d_]+")
    spaced_han = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
    assert MID_SENTENCE_WORD.findall(text) == mid_sentence_word.findall(text)
    assert [m.span() for m in _SPACED_HAN.finditer(text)] == [m.span() for m in spaced_han.finditer(text)]
