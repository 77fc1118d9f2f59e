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

    assert _back_to_back(text) == [(*m.span(), m.group("unit")) for m in BACK_TO_BACK.finditer(text)]


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

    from pipeline.stages.textshape import MID_SENTENCE_WORD
    from tests.plausibility_reference import SPACED_HAN

    mid_sentence_word = re.compile(r"(?<=[^\W\d_] )[^\W\d_]+|(?<=[^\W\d_], )[^\W\d_]+")
    spaced_han = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
    assert MID_SENTENCE_WORD.findall(text) == mid_sentence_word.findall(text)
    assert [m.span() for m in SPACED_HAN.finditer(text)] == [m.span() for m in spaced_han.finditer(text)]


def _reference_decoding(data: bytes) -> tuple[str, str, float, str | None, float | None]:
    """What pipeline.ingest.encoding.decode answers, by its definition, without its shortcuts:
    every reading of the sample decoded twice (replace, ignore), every character counted one
    by one, ftfy's own badness, every reading scored in full and sorted."""

    import ftfy.badness

    from pipeline.ingest import encoding
    from pipeline.ingest.plausibility import code_page_penalty
    from tests.plausibility_reference import PlausibilityByCharacter

    sample = encoding._sample(data)
    certain_utf8 = encoding._multibyte_utf8(sample) and b"\x00" not in sample
    readings = []
    for rank, (decoder, labels) in enumerate(encoding.CANDIDATES):
        if (decoder.startswith("utf-16") and len(data) % 2) or (
                encoding._multibyte_utf8(sample) and decoder in encoding.ALPHABET_CODE_PAGES):
            continue
        part = sample[:-1] if decoder.startswith("utf-16") and len(sample) % 2 else sample
        text = part.decode(decoder, errors="replace")
        invalid = text.count("\ufffd") - part.decode(decoder, errors="ignore").count("\ufffd")
        if invalid > max(2, len(part) // 200):
            continue
        plausibility = PlausibilityByCharacter(text)
        score = plausibility.bound()
        if plausibility.total and plausibility.before_badness > 0:
            score = max(0.0, (plausibility.before_badness - ftfy.badness.badness(text) / plausibility.total)
                        * plausibility.latin_factor)
        score *= 1 - min(1.0, 20 * invalid / max(1, len(text)))
        if decoder in encoding.SINGLE_BYTE:
            score = max(0.0, score - code_page_penalty(text))
        label = next((name for name in labels if encoding._reads_as(part, name, text)), decoder)
        readings.append(((-round(score, 3), rank), label, decoder, score, text))
    readings.sort()
    best = next(r for r in readings if r[2] == "utf-8") if certain_utf8 else readings[0]
    runner_up = next((r for r in readings if r[4] != best[4]), None)
    margin = best[3] - runner_up[3] if runner_up else best[3]
    confidence = round(max(0.0, min(1.0, best[3] * (0.5 + 5 * margin))), 2)
    if certain_utf8:
        confidence = max(confidence, 0.99)
    return (best[2], best[1], confidence, runner_up[1] if runner_up else None,
            round(runner_up[3], 2) if runner_up else None)


def _seed_texts() -> list[str]:
    from tests.conftest import SEEDS

    return [path.read_text(encoding="utf-8") for path in SEEDS]


SAVED_AS = st.sampled_from(["utf-8", "utf-8", "utf-8", "gb18030", "gbk", "big5hkscs", "cp932", "cp949", "cp1252",
                            "latin-1", "cp1253", "cp1251", "koi8-r", "utf-16-le", "utf-16-be"])


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow], derandomize="FUZZ_EXAMPLES" not in os.environ)
@given(st.data())
def test_the_decoder_answers_what_scoring_every_reading_in_full_answers(data):
    """The decoder takes shortcuts (valid multi-byte UTF-8 decided first, bounds, badness counted
    a stretch at a time, damaged readings dropped at their limit): on stretches of the seeds saved
    in any supported encoding, some bytes damaged, its answer (encoding, confidence, runner-up and
    its score, as the edition's header records them) is the one of every reading scored in full."""
    from pipeline.ingest.encoding import decode

    texts = _seed_texts()
    text = data.draw(st.sampled_from(texts))
    start = data.draw(st.integers(0, len(text) - 1))
    text = text[start:start + data.draw(st.sampled_from([20, 200, 3000, 40000]))]
    raw = bytearray(text.encode(data.draw(SAVED_AS), errors="replace"))
    for _ in range(data.draw(st.integers(0, 3))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    raw = bytes(raw)
    if raw.isascii() or any(raw.startswith(bom) for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return  # decided before any reading is scored
    _, guess = decode(raw, "generated.txt")
    decoder, label, confidence, runner_up, runner_up_score = _reference_decoding(raw)
    assert (guess.encoding, guess.confidence, guess.runner_up, guess.runner_up_confidence) == (
        label, confidence, runner_up, runner_up_score)
