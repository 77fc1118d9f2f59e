"""The layout stages' shortcuts give what the full computation gives: the text's line length
segment hands on to the pages stage is the one the pages stage measured itself, on the seeds,
scans with page turns that end paragraphs (their lines cut at the breaks) and composed books."""

from __future__ import annotations

import pytest

from bench.scans import chinese_scan, english_scan
from pipeline.config import PipelineConfig
from pipeline.process import build_document
from pipeline.stages import STAGES
from pipeline.stages.textshape import split_lines, typical_line_length
from tests.conftest import ROOT
from tests.test_book_furniture import _book_without_page_marks, latin_book

UP_TO_SEGMENT = STAGES[:[stage.name for stage in STAGES].index("segment") + 1]
INPUTS = {
    **{f"seed {path.name}": lambda path=path: path.read_text(encoding="utf-8")
       for path in sorted((ROOT / "seeds").glob("*.txt"))},
    **{f"English scan {seed}": lambda seed=seed: english_scan(seed).text for seed in range(4)},
    "Chinese scan": lambda: chinese_scan(1).text,
    "Early print": latin_book,
    "Book without page marks": _book_without_page_marks,
    "A page's first line cut by a byte-order mark": lambda: "Title\n\nA line of text here that runs on\ufeffand "
                                                           "the next page goes on here\n\nMore text.\n",
}


@pytest.mark.parametrize("name", INPUTS)
def test_the_line_length_segment_hands_on_is_the_text_s_own(name: str) -> None:
    text = INPUTS[name]()
    document = build_document(text.encode("utf-8"), "text.txt", PipelineConfig(), stages=UP_TO_SEGMENT)
    assert document.findings.full_line_length == typical_line_length(split_lines(document.text))


def test_some_input_has_its_lines_cut_at_page_turns() -> None:
    """(the inputs above include the case where segment's own lines differ from the text's)"""
    cut = [name for name, make in INPUTS.items()
           if build_document(make().encode("utf-8"), "text.txt", PipelineConfig(),
                             stages=UP_TO_SEGMENT).findings.paragraph_ends_at_page_turns]
    assert cut


def _split_at_copying(lines, positions):
    """structure.split_at's spec: every line copied, cut where a position falls inside it."""
    from pipeline.stages.textshape import Line
    if not positions:
        return lines
    result = []
    for line in lines:
        start = line.start
        for cut in sorted(p for p in positions if line.start < p < line.end) + [line.end]:
            result.append(Line(start, cut, line.text[start - line.start:cut - line.start]))
            start = cut
    return result


def test_lines_without_a_cut_are_kept_as_the_copies_would_be() -> None:
    import random

    from pipeline.stages.structure import split_at
    rng = random.Random(3)
    for _ in range(500):
        text = "".join(rng.choice("ab \n\f") for _ in range(rng.randint(0, 60)))
        lines = split_lines(text)
        positions = {rng.randint(0, len(text)) for _ in range(rng.randint(0, 6))}
        assert split_at(lines, positions) == _split_at_copying(lines, positions), (text, positions)
