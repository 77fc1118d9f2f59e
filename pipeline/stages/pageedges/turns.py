"""Page turns: where each page break goes, and whether the paragraph goes on over it."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import chain, islice

from pipeline.ingest.pages.vertical import to_reading_frame
from pipeline.model import Document, Edit, text_block_margins
from pipeline.stages.pageedges.lines import PAGE_MARKS, Line
from pipeline.stages.pageedges.notes import PageNotes
from pipeline.stages.pageedges.numbering import Page
from pipeline.stages.textshape import SHORT_LAST_LINE, begins_sentence_after, ends_text, typical_line_length

LINES_AT_EDGE = 3  # of a page's text, in the OCR's order: the last on the image is among them


@dataclass(frozen=True)
class PageTurn:
    """Where one page gives way to the next, and whether the paragraph goes on over it."""
    at: int  # the page break
    continues: bool  # the paragraph goes on over the turn
    final: bool  # that it ends is certain: page images show it, or the next page opens with a title
    furniture_start: int  # where the furniture between the two pages' texts begins
    text_start: int  # where the next page's text begins


def page_turns(doc: Document, pages: list[Page], edits: list[Edit], notes: list[PageNotes]) -> list[PageTurn]:
    """Each page turn, and whether the paragraph goes on over it: it ends when the page's
    last line of text ends a sentence and the next page's text begins with a capital."""
    furniture = covered_lines(pages, [e for e in edits if e.kind not in ("page-break", "footnote")])
    # the notes at a page's foot are no main text: its last line stands above them
    furniture |= {(line.start, line.end) for note in notes for line in note.lines}
    boxes = _text_block_boxes(doc, furniture) if doc.facsimile else None
    divisions = doc.library.division_pages() if doc.library else set()
    turns = []
    for page, following in zip(pages, pages[1:]):
        # lines of text: not furniture, not a rule or the OCR's specks (no letter in them)
        # (looked for from the page's edge on, as far as needed: a page has many lines)
        lasts = list(islice((line for line in reversed(page.lines) if (line.start, line.end) not in furniture
                             and any(ch.isalpha() for ch in line.text)), LINES_AT_EDGE))
        firsts = (line for line in following.lines if (line.start, line.end) not in furniture
                  and _letters_at_least(line.text, 2))
        first = next(firsts, None)
        if not lasts or first is None:
            continue
        last = lasts[0]
        if boxes is not None:  # OCR may write a piece of a line above after the page's last line: the image says
            last = max((line for line in lasts if line.start in boxes), key=lambda line: boxes[line.start][0][3],
                       default=last)
            # the text begins at the text block's left edge (an indent aside): lines before the first
            # that does, set in the middle or at the right, are furniture the OCR garbled past knowing
            first = next((line for line in chain((first,), firsts) if line.start in boxes
                          and _at_left_edge(boxes[line.start])), first)
        at = page_start(doc, following)[0]
        foot = [line for line in page.lines if line.start > last.start]
        if boxes is not None and last.start in boxes and first.start in boxes:
            # a short line or an indent ends the paragraph, unless the next page goes on in lower
            # case: the main text resumes after a footnote that closed the page; a full line
            # before a word capitalized only where sentences begin ends it too
            ends = (_ends_by_layout(boxes, last, first) or begins_sentence_after(doc, last.text, first.start)) \
                and not first.text[:1].islower()
        else:  # (the capital asked first: without it nothing else counts)
            ends = first.text[:1].isupper() and (
                ends_text(last.text) or _short_last_line_of_page(page, last, furniture)
                or following.opens_with_title or begins_sentence_after(doc, last.text, first.start))
        final = ends and (boxes is not None or following.opens_with_title)
        if following.surface in divisions:  # the library's logical map begins a division there
            ends = final = True
        turns.append(PageTurn(at, not ends, final, foot[0].start if foot else at, first.start))
    return turns


def _letters_at_least(text: str, count: int) -> bool:
    """Whether ``text`` holds ``count`` letters or more (looked at only until it does)."""
    for ch in text:
        if ch.isalpha():
            count -= 1
            if not count:
                return True
    return False


def covered_lines(pages: list[Page], edits: list[Edit]) -> set[tuple[int, int]]:
    """The spans of the furniture, and of each line the furniture covers whole in pieces (a
    signature line and the catchword beside it)."""
    spans = {(e.start, e.end) for e in edits}
    ordered = sorted(spans)
    # a line two spans or more stand on has one beginning on it (the earlier one may begin
    # before it): only the lines a span begins on are looked at
    lines = sorted((line for page in pages for line in page.lines), key=_start)
    starts = [line.start for line in lines]
    candidates = {bisect.bisect_right(starts, start) - 1 for start, _ in ordered}
    for line in (lines[index] for index in sorted(candidates) if index >= 0):
        first = max(0, bisect.bisect_left(ordered, (line.start, line.start)) - 1)
        last = bisect.bisect_left(ordered, (line.end, line.end), first)
        if last - first < 2:
            continue  # (one span at most on the line)
        inside = [span for span in ordered[first:last] if span[0] < line.end and line.start < span[1]]
        if len(inside) > 1 and not any(ch.strip() for ch in _uncovered(line, inside)):
            spans.add((line.start, line.end))
    return spans


def _start(line: Line) -> int:
    return line.start


def _uncovered(line: Line, spans: list[tuple[int, int]]) -> str:
    kept = [True] * len(line.text)
    for start, end in spans:
        for position in range(max(start, line.start), min(end, line.end)):
            kept[position - line.start] = False
    return "".join(ch for ch, keep in zip(line.text, kept) if keep)


def _short_last_line_of_page(page: Page, last: Line, furniture: set[tuple[int, int]]) -> bool:
    """Where the OCR garbled a paragraph's full stop ("benutzen«"), its last line still stops
    well short of the page's full lines."""
    text_lines = [line for line in page.lines if (line.start, line.end) not in furniture]
    return len(text_lines) >= 5 and len(last.text) < SHORT_LAST_LINE * typical_line_length(text_lines)


def _text_block_boxes(doc: Document, furniture: set[tuple[int, int]]) -> dict[int, tuple]:
    """Line start -> (box, the page's text margins left and right, its line height), for the
    lines of text of each page image (furniture left out of the margins); a page of columns
    measured in its reading frame (a column's top its left end, :mod:`pipeline.ingest.pages.vertical`)."""
    found = {}
    for surface in doc.facsimile:
        lines = [zone for zone in surface.lines
                 if (zone.start, zone.end) not in furniture and zone.box[2] > zone.box[0]]
        if len(lines) < 3:
            continue
        boxes = [zone.box for zone in lines]
        if surface.vertical:
            width = max(surface.width or 0, max(box[2] for box in boxes))
            boxes = [to_reading_frame(box, width) for box in boxes]
        heights = sorted(box[3] - box[1] for box in boxes)
        margins = (*text_block_margins(boxes), heights[len(heights) // 2])
        for zone, box in zip(lines, boxes):
            found[zone.start] = (box, *margins)
    return found


INDENT_AT_MOST = 3  # line heights: a paragraph's indent, no more, from the text block's left edge


def _at_left_edge(box: tuple) -> bool:
    (line_left, _, _, _), left, _right, height = box
    return line_left <= left + INDENT_AT_MOST * height


def _ends_by_layout(boxes: dict[int, tuple], last: Line, first: Line) -> bool:
    """The paragraph ends at the page turn when the page's last line of text stops short of
    the right margin, or the next page's first line is indented (page images tell)."""
    (_, _, last_right, _), _, right, height = boxes[last.start]
    (first_left, _, _, _), left, _, next_height = boxes[first.start]
    return last_right < right - 1.5 * height or first_left > left + 0.75 * next_height


def page_start(doc: Document, page: Page) -> tuple[int, str]:
    """Where the page break goes, and the source characters it stands for: the form feed
    that separates the pages, also where a byte-order mark follows it (page files that each
    begin with one, joined by form feeds: one break, not two); else a byte-order mark (it is
    regularized on its own, as an invisible character, with the break just before it); else
    nothing, before the page's first line."""
    position = page.start - 1
    mark = None
    while position >= 0 and (doc.text[position] in PAGE_MARKS or doc.text[position].isspace()):
        if doc.text[position] == "\f":
            return position, "\f"
        if doc.text[position] == "\ufeff" and mark is None:
            mark = position
        position -= 1
    return (mark, "") if mark is not None else (page.start, "")
