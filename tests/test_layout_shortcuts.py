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


def _joined_paragraphs_texts() -> dict[str, str]:
    """Texts without pages whose paragraphs a blank line split (a sentence going on in lower
    case, a Chinese one after a full-width comma, an address's comma, spaces around the blocks)."""
    return {
        "German letter": "Lieber Freund,\n\nich schreibe dir heute aus Berlin, wo das Wetter schön ist\n\n"
                         "und die Stadt voller Leben. Wir sehen uns bald.\n\nDein Karl.\n",
        "Chinese": "這是一個很長的句子，說的是一件很久以前發生在城裡的事情，\n\n接著又說了另一件事情，那是很久以前的事情了。\n\n"
                   "第二段的句子也很長，說的是那年夏天的天氣和人們的生活。\n\n　後來的事情就不必說了，大家都已經知道了。\n",
        "English": "  The committee met on Tuesday and considered the question of\n\n"
                   "the new regulations, which had been  \n\n\tproposed in March. It agreed.\n\n"
                   "Another paragraph ends here.\n\n• a list item\n\nand a sentence that goes on after it.\n",
    }


@pytest.mark.parametrize("name", [*INPUTS, *_joined_paragraphs_texts()])
def test_pages_the_same_without_the_quick_test_of_a_sentence_going_on(name: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """_sentence_goes_on asks the blocks' edge characters before it copies them: the pages stage
    joins and keeps the same paragraphs with the quick test switched off (every pair asked in full)."""
    import pickle

    from pipeline.stages import layout
    text = INPUTS[name]() if name in INPUTS else _joined_paragraphs_texts()[name]
    up_to_pages = STAGES[:[stage.name for stage in STAGES].index("pages")]
    document = build_document(text.encode("utf-8"), "text.txt", PipelineConfig(), stages=up_to_pages)
    copy = pickle.loads(pickle.dumps(document))
    layout.detect_pages(document)
    with monkeypatch.context() as patch:
        patch.setattr(layout, "_first_mark", lambda _text, _start, _end: "a")  # (lower case: never a quick no)
        layout.detect_pages(copy)
    assert [(b.start, b.end, b.kind) for b in copy.blocks] == [(b.start, b.end, b.kind) for b in document.blocks]
    assert [(e.start, e.end, e.kind, e.reason) for e in copy.edits] == \
        [(e.start, e.end, e.kind, e.reason) for e in document.edits]
