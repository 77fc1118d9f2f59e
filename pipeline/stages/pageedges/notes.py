"""Footnotes at the foot of a page: where the main text of a page ends and its notes begin.

Printers set a page's notes under its text, each opening with the mark its anchor carries in
the text ("*)", "1)", "(2)", "¹", "†"). OCR reads those marks badly ("*)" as "it)", "V)", "M")",
or not at all), so the mark's shape is evidence, not its characters. The evidence is the page's
own:

- position: the notes run from their first line to the end of the page's text (only page
  furniture comes after them), under some lines of main text, and take at most half the page;
- a mark: the first line opens with a note mark, or with a short token closing a parenthesis
  (what OCR makes of "*)");
- apartness: on a page image, a gap above the first line much wider than the gaps between
  the page's lines and smaller type (notes are set in a smaller size): either one under a
  mark, both where OCR lost the mark, and then the first line must be a line of prose (a
  dateline or a signature under a gap is no note); in a text export, a blank line above it,
  or a star or a dagger opening the line. A numbered mark ("1)", "(1)") could open a list
  item: it needs its anchor, the same mark after a word in the text above.

The main text of the page ends above the notes: a paragraph goes on over the page turn from
its last line, not from the notes' (``turns``).

A critical edition prints its apparatus under the text of (nearly) every page, its entries
keyed to the lines or verses by number, with no note mark: notes found on at least two pages
in five (three pages at least) whose first line opens with no mark are the apparatus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from statistics import median

from pipeline.model import Document
from pipeline.stages.pageedges.lines import Line
from pipeline.stages.pageedges.numbering import Page
from pipeline.stages.textshape import is_rule_line

# A note's mark as printed: stars or a dagger (with or without a parenthesis), superscript or
# circled digits (①, as Chinese and Japanese books set them); or a number in parentheses, before
# one or in brackets, which could as well number a list's items ("1)", "(2)", "[3]", "〔4〕").
SIGN_MARK = re.compile(r"\(?\*{1,3}\)|[†‡]\)?|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2}|[\u2460-\u2473]")
NUMBERED_MARK = re.compile(r"\(?\d{1,2}\)|\[\d{1,2}\]|〔\d{1,2}〕")
PRINTED_MARK = re.compile(f"{SIGN_MARK.pattern}|{NUMBERED_MARK.pattern}")
# A note's first line: a sign (which may touch the text, as Chinese sets it), or a number, a
# bare star or what OCR makes of a mark (a short token closing a parenthesis: "it)", "M")",
# ")"), then a space.
OCR_MARK = r"\*{1,3}|\S{0,3}\)"
NOTE_MARK = re.compile(rf"^(?:(?P<sign>{SIGN_MARK.pattern})\s*|(?P<mark>{NUMBERED_MARK.pattern}|{OCR_MARK})\s+)\S")
MIN_TEXT_LINES = 4  # lines of main text above the notes
MAX_NOTE_SHARE = 0.5  # of the page's lines of text
GAP_RATIO = 2.5  # the gap above the notes, to the page's median gap between lines
APPARATUS_SHARE = 0.4  # of the pages: notes under the text this often, unmarked, are an apparatus
APPARATUS_PAGES = 3
SMALLER_TYPE = 0.92  # the notes' median line height, to the main text's


@dataclass(frozen=True)
class PageNotes:
    start: int  # where the first note begins (its mark)
    end: int  # where the last note ends
    mark: str  # the first note's mark as read
    lines: tuple[Line, ...]  # the notes' lines: no main text, whose last line decides the page turn
    evidence: str  # what set the notes apart
    anchor: tuple[int, int] | None = None  # the mark in the main text the first note belongs to, when read cleanly
    apparatus: bool = False  # a critical apparatus (unmarked, under the text of most pages), no footnote


def page_notes(doc: Document, pages: list[Page], furniture: set[tuple[int, int]]) -> list[PageNotes]:
    """The notes at the foot of each page, where the page's own evidence shows them."""
    boxes = {zone.start: zone.box for surface in doc.facsimile for zone in surface.lines} if doc.facsimile else None
    found = []
    for page in pages:
        lines = [line for line in page.lines if (line.start, line.end) not in furniture]
        if notes := _notes_of(lines, boxes):
            found.append(notes)
    if len(found) >= max(APPARATUS_PAGES, APPARATUS_SHARE * len(pages)):
        found = [replace(notes, apparatus=not notes.mark) for notes in found]
    return found


def _notes_of(lines: list[Line], boxes: dict[int, tuple[int, int, int, int]] | None) -> PageNotes | None:
    while lines and is_rule_line(lines[-1].text):
        lines = lines[:-1]  # a rule under the notes closes the page's text; it is layout, not a note
    first_allowed = max(MIN_TEXT_LINES, int(len(lines) * (1 - MAX_NOTE_SHARE)))
    on_image = boxes is not None and all(line.start in boxes for line in lines)
    for index in range(first_allowed, len(lines)):
        body, notes = lines[:index], lines[index:]
        match = NOTE_MARK.match(notes[0].text)
        mark = (match.group("sign") or match.group("mark")) if match else ""
        if on_image:
            # the page image sets the notes apart: their mark, which OCR often loses, is not
            # needed where the first line is prose (a dateline, a signature or a heading under
            # a gap is not a note)
            evidence = _set_apart_on_image(body, notes, boxes, marked=match is not None) \
                if match or _prose_line(body, notes[0], boxes) else None
        elif match is None:
            continue
        elif notes[0].blank_before:
            evidence = "a blank line above it"
        elif SIGN_MARK.fullmatch(mark):
            evidence = "its mark (prose lines do not open with a star or a dagger)"
        else:
            evidence = None
        if not evidence:
            continue
        anchors = _anchors(body, mark) if PRINTED_MARK.fullmatch(mark) else []
        if NUMBERED_MARK.fullmatch(mark) and not anchors:
            continue  # a numbered line with no anchor above: a list's item, as likely
        return PageNotes(notes[0].start, notes[-1].end, mark, tuple(notes), evidence,
                         anchors[0] if len(anchors) == 1 else None)
    return None


def _set_apart_on_image(body: list[Line], notes: list[Line], boxes: dict[int, tuple[int, int, int, int]],
                       marked: bool) -> str | None:
    """Why the page image shows ``notes`` apart from the main text, or None: a wide gap above
    them and smaller type; where their first line opens with a mark, either one."""
    tops = [boxes[line.start][1] for line in body + notes]
    bottoms = [boxes[line.start][3] for line in body + notes]
    gaps = [top - bottom for bottom, top in zip(bottoms, tops[1:])]
    body_heights = [boxes[line.start][3] - boxes[line.start][1] for line in body]
    note_heights = [boxes[line.start][3] - boxes[line.start][1] for line in notes]
    wide_gap = gaps[len(body) - 1] > max(GAP_RATIO * median(gaps), median(body_heights) / 2)
    # the notes' lines, their first included, are set smaller (not a paragraph of main text
    # above notes whose lines outnumber its own)
    smaller = max(median(note_heights), note_heights[0]) < SMALLER_TYPE * median(body_heights)
    if wide_gap and smaller:
        return "a wide gap above it and smaller type on the page image"
    if marked and (wide_gap or smaller):
        return f"its mark, and {'a wide gap above it' if wide_gap else 'smaller type'} on the page image"
    return None


PROSE_LINE = 0.75  # of the main text's median line width


def _prose_line(body: list[Line], line: Line, boxes: dict[int, tuple[int, int, int, int]]) -> bool:
    widths = [boxes[other.start][2] - boxes[other.start][0] for other in body]
    box = boxes[line.start]
    return box[2] - box[0] >= PROSE_LINE * median(widths) and sum(ch.isalpha() for ch in line.text) >= 20


def _anchors(body: list[Line], mark: str) -> list[tuple[int, int]]:
    """Where the mark stands after a word or a punctuation mark in the text above ("Könige1)",
    "Recht *)"): the note's anchors, one when it is read cleanly."""
    anchor = re.compile(rf"(?<=\S)\s?({re.escape(mark)})")
    return [(line.start + match.start(1), line.start + match.end(1)) for line in body
            for match in anchor.finditer(line.text)]

