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
  dateline or a signature under a gap is no note); or, mark or none, lines set closer
  together than the main text's (smaller type on a smaller body: the distance from one
  line's top to the next is the surest measure of it, where accents and specks make the
  boxes' heights unreliable), three lines at least, the first standing further from the
  text above than its lines stand from each other (an apparatus opening with a short line,
  a line number and a reference: ``13 Tim. p. 25``); in a text export, a blank line above
  it, or a star or a dagger opening the line. A numbered mark ("1)", "(1)") could open a list
  item: it needs its anchor, the same mark after a word in the text above.

The main text of the page ends above the notes: a paragraph goes on over the page turn from
its last line, not from the notes' (``turns``).

A critical edition prints its apparatus under the text of (nearly) every page, its entries
keyed to the lines or verses by number, with no note mark: notes found on at least two pages
in five (three pages at least) whose first line opens with no mark are the apparatus.
"""

from __future__ import annotations

import bisect
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
CLOSER_LINES = 0.9  # the notes' median distance from line to line, to the main text's
CLOSER_STEP = 0.95  # one step from a note line to the next, to the main text's distance
CLOSER_SHARE = 0.8  # of the steps from note line to note line, the first aside
APART = 1.05  # the first note line's distance from the text above, to the main text's from line to line
MIN_CLOSER_LINES = 3  # lines it takes to measure their distance
REGULAR = 0.15  # most steps of the text's lines are this close to their median: its distance from line to line
NEARLY_AS_WIDE = 0.85  # a space above lines set closer, to the widest such space on the page


@dataclass(frozen=True)
class PageNotes:
    """The notes under a page's main text: their span and the first one's mark."""
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
    texts = [[line for line in page.lines if (line.start, line.end) not in furniture] for page in pages]
    found = [notes for lines in texts if (notes := _notes_of(lines, boxes))]
    if len(found) < max(APPARATUS_PAGES, APPARATUS_SHARE * len(pages)):
        return found
    # a book that prints notes under the text of most pages, set apart: on its other pages
    # lines set closer right under the text, with no wider space, are its notes too
    if boxes is not None:
        found = [notes for lines in texts if (notes := _notes_of(lines, boxes, flush=True))]
    return [replace(notes, apparatus=not notes.mark) for notes in found]


def _notes_of(lines: list[Line], boxes: dict[int, tuple[int, int, int, int]] | None,
              flush: bool = False) -> PageNotes | None:
    """The notes under the page's text (its lines, furniture out), where its evidence shows
    them; ``flush``: also lines set closer right under the text, with no wider space above."""
    while lines and is_rule_line(lines[-1].text):
        lines = lines[:-1]  # a rule under the notes closes the page's text; it is layout, not a note
    first_allowed = max(MIN_TEXT_LINES, int(len(lines) * (1 - MAX_NOTE_SHARE)))
    on_image = boxes is not None and all(line.start in boxes for line in lines)
    page = _Geometry(lines, boxes) if on_image and first_allowed < len(lines) else None
    closer: list[tuple[float, PageNotes]] = []  # splits above lines set closer, with the space above them
    for index in range(first_allowed, len(lines)):
        match = NOTE_MARK.match(lines[index].text)
        if match is None and not on_image:
            continue  # (a text's note opens with its mark: the page is not copied for every line)
        body, notes = lines[:index], lines[index:]
        mark = (match.group("sign") or match.group("mark")) if match else ""
        if on_image:
            space = page.space_above_closer_lines(index, flush)
            if space is not None and (found := _notes(body, notes, match, CLOSER_EVIDENCE)):
                closer.append((space, found))
            # the page image sets the notes apart: their mark, which OCR often loses, is not
            # needed where the first line is prose (a dateline, a signature or a heading under
            # a gap is not a note)
            evidence = page.set_apart(index, marked=match is not None) if match or page.prose_line(index) else None
        elif match is None:
            continue
        elif notes[0].blank_before:
            evidence = "a blank line above it"
        elif SIGN_MARK.fullmatch(mark):
            evidence = "its mark (prose lines do not open with a star or a dagger)"
        else:
            evidence = None
        if evidence and (found := _notes(body, notes, match, evidence)):
            break
    else:
        found = None
    # lines set closer begin under the widest space (a split inside the text, or inside the
    # notes, shows less), or under nearly as wide a space above it: the testimonia of a
    # critical edition ("13 Tim. p. 25") standing apart above its apparatus; they may begin
    # above the notes found otherwise
    if closer:
        widest = max(space for space, _notes_found in closer)
        first = next(notes_found for space, notes_found in closer if space >= NEARLY_AS_WIDE * widest)
        if found is None or first.start < found.start:
            return first
    return found


def _notes(body: list[Line], notes: list[Line], match: re.Match | None, evidence: str) -> PageNotes | None:
    """The notes under ``body``, their first line opening with the mark ``match`` found; none
    where a numbered mark has no anchor above (a list's item, as likely)."""
    mark = (match.group("sign") or match.group("mark")) if match else ""
    anchors = _anchors(body, mark) if PRINTED_MARK.fullmatch(mark) else []
    if NUMBERED_MARK.fullmatch(mark) and not anchors:
        return None
    # (the edge rules may have moved a line of the foot after lines that follow it in the text)
    return PageNotes(min(line.start for line in notes), max(line.end for line in notes), mark, tuple(notes), evidence,
                     anchors[0] if len(anchors) == 1 else None)


class _Geometry:
    """A page's lines as its image shows them, measured once for every split of the page into
    main text (its first ``k`` lines) and notes (the rest), which :func:`_notes_of` asks in turn
    from the top down: the medians of the lines' heights and widths above and below every split;
    the middles of the lines above the split, sorted, and of those from it on, with the steps
    between neighbours, brought along as the split moves down (a line moves from below to
    above). Each question is answered as measuring the lines of one split answers it, without
    measuring the page again for every split: a page's lines, not their square (where the
    lines of one side merge into rows, :func:`_steps`, the split is measured on its own)."""

    def __init__(self, lines: list[Line], boxes: dict[int, tuple[int, int, int, int]]) -> None:
        self.lines, self.boxes = lines, boxes
        box = [boxes[line.start] for line in lines]
        self.heights = [b[3] - b[1] for b in box]
        self.widths = [b[2] - b[0] for b in box]
        gaps = [top[1] - bottom[3] for bottom, top in zip(box, box[1:])]
        self.gaps, self.gap_median = gaps, median(gaps) if gaps else None
        self.heights_above, self.widths_above = _medians_of_heads(self.heights), _medians_of_heads(self.widths)
        self.heights_below = _medians_of_heads(self.heights[::-1])[::-1]  # [k]: of the lines from k on
        self.middles = [_middle(b) for b in box]
        self.split = -1  # (the split the sorted middles are for: none yet)

    def set_apart(self, k: int, marked: bool) -> str | None:
        """Why the page image shows the lines from ``k`` on apart from the main text above, or
        None: a wide gap above them and smaller type; where their first line opens with a mark,
        either one."""
        body_height = self.heights_above[k - 1]
        wide_gap = self.gaps[k - 1] > max(GAP_RATIO * self.gap_median, body_height / 2)
        # the notes' lines, their first included, are set smaller (not a paragraph of main text
        # above notes whose lines outnumber its own)
        smaller = max(self.heights_below[k], self.heights[k]) < SMALLER_TYPE * body_height
        if wide_gap and smaller:
            return "a wide gap above it and smaller type on the page image"
        if marked and (wide_gap or smaller):
            return f"its mark, and {'a wide gap above it' if wide_gap else 'smaller type'} on the page image"
        return None

    def prose_line(self, k: int) -> bool:
        """Line ``k`` is as wide as the main text's lines above it, and holds words."""
        return self.widths[k] >= PROSE_LINE * self.widths_above[k - 1] \
            and sum(map(str.isalpha, self.lines[k].text)) >= 20

    def space_above_closer_lines(self, k: int, flush: bool) -> float | None:
        """:func:`_space_above_closer_lines` of the lines from ``k`` on under those above it."""
        if len(self.lines) - k < MIN_CLOSER_LINES:
            return None
        self._move_to(k)
        middle = self.middles[k]
        # the notes measured: the lines from k on as low on the page as its first at least
        first = bisect.bisect_left(self.below, (middle, -1))
        note_steps = self.below_steps[first:]
        body_height, note_height = self.heights_above[k - 1], median(self.below_heights[first:])
        if self.above_steps and self.above_steps[0] < body_height / 2 \
                or note_steps and min(note_steps) < note_height / 2:
            # (lines of one side merge into rows, the steps between them longer than the ones here)
            return _space_above_closer_lines(self.lines[:k], self.lines[k:], self.boxes, flush)
        # every line a step of its own (:func:`_steps`): the steps are those between sorted neighbours
        above = self.above_steps  # (sorted)
        if len(above) < MIN_CLOSER_LINES - 1 or len(note_steps) < MIN_CLOSER_LINES - 1:
            return None
        pitch = _median_of_sorted(above)
        # the steps within REGULAR of the pitch (a range of the sorted steps around it)
        within = REGULAR * pitch
        low = bisect.bisect_left(above, True, key=lambda step: step >= pitch or abs(step - pitch) <= within)
        high = bisect.bisect_left(above, True, key=lambda step: step > pitch and not abs(step - pitch) <= within)
        if high - low < len(above) / 2:
            return None  # the text's lines at no distance of their own (a title page, lines the OCR lost)
        nearest = bisect.bisect_left(self.above_middles, middle)  # (the lines above it: before this one)
        if not nearest or middle - self.above_middles[nearest - 1] < CLOSER_STEP * pitch:
            return None
        space = middle - self.above_middles[nearest - 1]
        first_closer = note_steps[0] < CLOSER_STEP * pitch
        ordered = sorted(note_steps)
        closer, steps = bisect.bisect_left(ordered, CLOSER_STEP * pitch), len(ordered)  # (steps < CLOSER_STEP * pitch)
        if space > APART * pitch:
            closer, steps = closer - first_closer, steps - 1
        elif not flush or not first_closer:
            return None
        if _median_of_sorted(ordered) >= CLOSER_LINES * pitch or closer < CLOSER_SHARE * steps:
            return None
        return space

    def _move_to(self, k: int) -> None:
        """The middles of the lines above split ``k`` (sorted, and the steps between neighbours,
        sorted) and of those from it on (sorted by middle, then line; their heights, and the
        steps between neighbours, in that order)."""
        if k < self.split or self.split < 0:
            self.above_middles, self.above_steps = [], []
            self.below = sorted((middle, j) for j, middle in enumerate(self.middles))
            self.below_heights = [self.heights[j] for _, j in self.below]
            self.below_steps = [b[0] - a[0] for a, b in zip(self.below, self.below[1:])]
            self.split = 0
        while self.split < k:  # line ``split`` moves from below to above
            middle, line = self.middles[self.split], self.split
            at = bisect.bisect_left(self.below, (middle, line))
            del self.below[at], self.below_heights[at]
            if 0 < at <= len(self.below_steps) - 1:  # its neighbours, now neighbours of each other
                self.below_steps[at - 1:at + 1] = [self.below[at][0] - self.below[at - 1][0]]
            elif self.below_steps:
                del self.below_steps[at - 1 if at else 0]
            at = bisect.bisect_left(self.above_middles, middle)
            before = self.above_middles[at - 1] if at else None
            after = self.above_middles[at] if at < len(self.above_middles) else None
            if before is not None and after is not None:  # a step between them, now two
                del self.above_steps[bisect.bisect_left(self.above_steps, after - before)]
            if before is not None:
                bisect.insort(self.above_steps, middle - before)
            if after is not None:
                bisect.insort(self.above_steps, after - middle)
            self.above_middles.insert(at, middle)
            self.split += 1


def _medians_of_heads(values: list[float]) -> list[float]:
    """The median of each head of ``values``: [i] of the first i + 1 (statistics.median's value)."""
    ordered: list[float] = []
    medians = []
    for value in values:
        bisect.insort(ordered, value)
        medians.append(_median_of_sorted(ordered))
    return medians


def _median_of_sorted(ordered: list[float]) -> float:
    """statistics.median of values already sorted."""
    half = len(ordered) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


CLOSER_EVIDENCE = "lines set closer than the main text's, under a space wider than its lines' on the page image"


def _space_above_closer_lines(body: list[Line], notes: list[Line], boxes: dict[int, tuple[int, int, int, int]],
                              flush: bool) -> float | None:
    """The space above ``notes`` where the page image shows them set closer than the main
    text, or None: their lines follow one another at a shorter distance than the main
    text's, and the first stands at least as far from the text above it as the text's own
    lines from each other (a split inside the notes shows a shorter step above). Under a
    wider space the first step among them may be wide too (the testimonia standing apart
    above the apparatus: ``13 Tim. p. 25``); set ``flush`` under the text, with no wider
    space above, they must be closer from their first line on (a split a line above them
    shows a step at the text's distance first)."""
    if len(notes) < MIN_CLOSER_LINES:
        return None
    middle = _middle(boxes[notes[0].start])
    # (OCR may give a piece of the text above after the notes' first line: not theirs to measure)
    below = [line for line in notes if _middle(boxes[line.start]) >= middle]
    body_steps, note_steps = _steps(body, boxes), _steps(below, boxes)
    if len(body_steps) < MIN_CLOSER_LINES - 1 or len(note_steps) < MIN_CLOSER_LINES - 1:
        return None
    pitch = median(body_steps)
    if sum(abs(step - pitch) <= REGULAR * pitch for step in body_steps) < len(body_steps) / 2:
        return None  # the text's lines at no distance of their own (a title page, lines the OCR lost)
    above = [_middle(boxes[line.start]) for line in body if _middle(boxes[line.start]) < middle]
    if not above or middle - max(above) < CLOSER_STEP * pitch:
        return None
    space = middle - max(above)
    closer = [step < CLOSER_STEP * pitch for step in note_steps]
    if space > APART * pitch:
        closer = closer[1:]
    elif not flush or not closer[0]:
        return None
    # closer as a rule, and hardly a step at the text's distance: no lines of text among them
    if median(note_steps) >= CLOSER_LINES * pitch or sum(closer) < CLOSER_SHARE * len(closer):
        return None
    return space


def _middle(box: tuple[int, int, int, int]) -> float:
    return (box[1] + box[3]) / 2


def _steps(lines: list[Line], boxes: dict[int, tuple[int, int, int, int]]) -> list[float]:
    """The distances from one line to the next, middle to middle (a speck above a line or a
    descender below it moves one edge of its box, seldom both), the lines taken from the top
    of the page down (OCR may give them in another order, or a line in pieces side by side:
    lines closer than half a line's height are one line)."""
    height = median(boxes[line.start][3] - boxes[line.start][1] for line in lines)
    middles = sorted(_middle(boxes[line.start]) for line in lines)
    steps, last = [], middles[0]
    for middle in middles[1:]:
        if middle - last >= height / 2:
            steps.append(middle - last)
            last = middle
    return steps


PROSE_LINE = 0.75  # of the main text's median line width


def _anchors(body: list[Line], mark: str) -> list[tuple[int, int]]:
    """Where the mark stands after a word or a punctuation mark in the text above ("Könige1)",
    "Recht *)"): the note's anchors, one when it is read cleanly."""
    anchor = re.compile(rf"(?<=\S)\s?({re.escape(mark)})")
    return [(line.start + match.start(1), line.start + match.end(1)) for line in body
            for match in anchor.finditer(line.text)]

