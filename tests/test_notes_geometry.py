"""The notes' measures of a page image, taken once for all the splits of the page into main text
and notes (notes._Geometry), answer every split as measuring its lines afresh does (the
functions below, the stage's own before, and notes._space_above_closer_lines): on the pages of
real hOCR books (tests/data) and on pages composed with the shapes notes take (an apparatus
set closer, smaller type under a gap, lines cut in pieces side by side, lines out of order)."""

from __future__ import annotations

import random
from statistics import median

from pipeline.config import PipelineConfig
from pipeline.ingest.pages.compose import SourceFile
from pipeline.process import build_document
from pipeline.stages import STAGES
from pipeline.stages.pageedges import notes
from pipeline.stages.pageedges.lines import Line, page_lines
from pipeline.stages.pageedges.numbering import pages_by_surfaces
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"
BEFORE_PAGE_EDGES = STAGES[:[stage.name for stage in STAGES].index("page-edges")]
BOOKS = ["swete-1901/tess-hocr", "arnobius-1875/tess-hocr", "arnobius-1875/ocropus-hocr", "hobbes-1668/ocropus-hocr",
         "grenzboten-1841/tess-hocr"]


def _set_apart_measured(body, notes_, boxes, marked):
    """The split's wide gap and smaller type, every line measured for it."""
    tops = [boxes[line.start][1] for line in body + notes_]
    bottoms = [boxes[line.start][3] for line in body + notes_]
    gaps = [top - bottom for bottom, top in zip(bottoms, tops[1:])]
    body_heights = [boxes[line.start][3] - boxes[line.start][1] for line in body]
    note_heights = [boxes[line.start][3] - boxes[line.start][1] for line in notes_]
    wide_gap = gaps[len(body) - 1] > max(notes.GAP_RATIO * median(gaps), median(body_heights) / 2)
    smaller = max(median(note_heights), note_heights[0]) < notes.SMALLER_TYPE * median(body_heights)
    if wide_gap and smaller:
        return "a wide gap above it and smaller type on the page image"
    if marked and (wide_gap or smaller):
        return f"its mark, and {'a wide gap above it' if wide_gap else 'smaller type'} on the page image"
    return None


def _prose_line_measured(body, line, boxes):
    widths = [boxes[other.start][2] - boxes[other.start][0] for other in body]
    box = boxes[line.start]
    return box[2] - box[0] >= notes.PROSE_LINE * median(widths) and sum(ch.isalpha() for ch in line.text) >= 20


def _assert_every_split_measures_alike(lines: list[Line], boxes: dict) -> bool:
    """Every split from the first notes may begin at, asked in the stage's order (down the page,
    twice: the stage asks again with ``flush``); whether the page stands in rows."""
    first = max(notes.MIN_TEXT_LINES, int(len(lines) * (1 - notes.MAX_NOTE_SHARE)))
    page = notes._Geometry(lines, boxes)
    for flush in (False, True):
        for k in range(first, len(lines)):
            body, below = lines[:k], lines[k:]
            assert page.space_above_closer_lines(k, flush) == notes._space_above_closer_lines(body, below, boxes, flush)
            assert page.prose_line(k) == _prose_line_measured(body, below[0], boxes)
            for marked in (False, True):
                assert page.set_apart(k, marked) == _set_apart_measured(body, below, boxes, marked)
    return _measured_apart(page, first)


def _measured_apart(page: notes._Geometry, first: int) -> bool:
    """Whether some split of the page was measured from the sorted middles (not on its own)."""
    asked = []
    original = notes._space_above_closer_lines
    notes._space_above_closer_lines = lambda *args: asked.append(1) or original(*args)
    try:
        splits = [k for k in range(first, len(page.lines) - notes.MIN_CLOSER_LINES + 1)]
        for k in splits:
            page.space_above_closer_lines(k, False)
    finally:
        notes._space_above_closer_lines = original
    return len(asked) < len(splits)


def test_real_pages_measure_alike() -> None:
    rows = pages = 0
    for folder in BOOKS:
        files = [SourceFile(path.name, path.read_bytes()) for path in sorted((DATA / folder).glob("*.hocr"))]
        document = build_document(files, "book", PipelineConfig(), stages=BEFORE_PAGE_EDGES)
        boxes = {zone.start: zone.box for surface in document.facsimile for zone in surface.lines}
        for page in pages_by_surfaces(page_lines(document.text), document):
            if len(page.lines) > notes.MIN_TEXT_LINES and all(line.start in boxes for line in page.lines):
                rows += _assert_every_split_measures_alike(page.lines, boxes)
                pages += 1
    assert pages >= 20 and 0 < rows  # (pages in rows, and some not: both ways of measuring asked)


def _composed_page(rng: random.Random) -> tuple[list[Line], dict]:
    """A page's lines at a pitch, notes under them closer (or not) under a space (or none), in
    smaller type (or not); now and then a line cut in two pieces side by side, a line given
    out of order, a line the OCR lost, odd boxes' heights."""
    lines, boxes, top, start = [], {}, rng.randint(50, 300), 0
    pitch, height = rng.randint(30, 120), None
    height = rng.randint(pitch // 3, pitch - 2)
    text_lines, note_lines = rng.randint(3, 40), rng.randint(0, 20)
    note_pitch = rng.choice([pitch, int(pitch * rng.uniform(0.6, 0.95))])
    note_height = rng.choice([height, int(height * rng.uniform(0.6, 0.9))])
    y = top
    for index in range(text_lines + note_lines):
        in_notes = index >= text_lines
        if index == text_lines:
            y += rng.choice([0, pitch // 2, pitch, 2 * pitch])
        y += (note_pitch if in_notes else pitch) + rng.choice([0, 0, 0, 1, -1, 3, -3, pitch // 3])
        if rng.random() < 0.03:
            continue  # a line lost
        tall = (note_height if in_notes else height) + rng.choice([0, 0, 2, -2, 9])
        pieces = 2 if rng.random() < 0.04 else 1
        for piece in range(pieces):
            text = " ".join(rng.choice(["et", "quod", "nobis", "12", "*)", "uastationes"])
                            for _ in range(rng.randint(1, 12)))
            left = 100 + piece * 700
            boxes[start] = (left, y - tall // 2 + piece * rng.choice([0, 3]), left + rng.randint(200, 1400),
                            y + tall - tall // 2)
            lines.append(Line(start, start + len(text), text))
            start += len(text) + 1
    if rng.random() < 0.1 and len(lines) > 3:
        i = rng.randrange(len(lines) - 1)
        lines[i], lines[i + 1] = lines[i + 1], lines[i]  # the OCR gave a line out of order
    return lines, boxes


def test_composed_pages_measure_alike() -> None:
    rng = random.Random(11)
    rows = asked = 0
    for _trial in range(500):
        lines, boxes = _composed_page(rng)
        if len(lines) > notes.MIN_TEXT_LINES:
            rows += _assert_every_split_measures_alike(lines, boxes)
            asked += 1
    assert rows > asked / 5 and rows < asked  # (both ways of measuring asked)
