"""Pages and their numbers: from a page reader's pages, from the marks where page files were
joined, or from the page numbers' own sequence, one a page at a steady number of lines."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.model import Document, LineZone, Surface
from pipeline.stages.pageedges import columnar
from pipeline.stages.pageedges.heads import HEAD_SHARE, HeadWords, top_lines
from pipeline.stages.pageedges.lettered import (LetteredRun, Numeral, fits_in_letters, lettered, lettered_run,
                                               numbers_beside_heads)
from pipeline.stages.pageedges.lines import (NUMBER_MAX_CHARS, NUMBER_MAX_CORE, Line, ends, fits, framed,
                                            number_pieces, number_shaped, readings, reads_exactly,
                                            title_shaped)
from pipeline.stages.pageedges.openers import unnumbered_pages
from pipeline.stages.textshape import SHORT_LAST_LINE, ends_sentence, typical_line_length

HEADS_BESIDE = 0.8  # share of the chain's numbers beside a running head that makes it the rule
TITLE_PIECE = 12  # characters of a title's piece the OCR set on a line of its own above the page's number
FOOT_LINES = 3  # the number, and under it a signature mark and a margin's last siglum
MAX_PAGE_SKIP = 12  # pages without a printed number between two numbered ones (plates, openers)


@dataclass
class PageNumber:
    """A page's number: the line that prints it, and its value."""
    line: Line
    value: int
    alone: bool = False  # numbered by where it stands alone (a corner, a printer's frame), no sequence around it
    numeral: Numeral | None = None  # printed in letters (Roman, Greek), not in digits

    @property
    def exact(self) -> bool:
        """The OCR read the number as printed (otherwise @n gives the number it stands for)."""
        if self.numeral is not None:
            return lettered(self.line) == self.numeral
        return reads_exactly(self.line, self.value)

    @property
    def printed(self) -> str:
        """The number as the page prints it (a page break's @n): ``12``, ``xiv``, ``ιβʹ``."""
        if self.numeral is not None:  # (a Greek 6 as this page reads it, where it reads exactly)
            return (lettered(self.line) if self.exact else self.numeral).printed
        return str(self.value)


@dataclass
class Page:
    """A page of the text: its lines and, once found, its number."""
    lines: list[Line]
    number: PageNumber | None = None
    opens_with_title: bool = False  # found by the title it opens with, its number not printed
    surface: int | None = None  # the digitized source's page it is (an index into the facsimile)
    # its place in the book's count where the library's labels show leaves absent before it
    # (:func:`places_by_labels`), else None (the surface's index is its place)
    place: int | None = None
    # lines on the page image that are not the book's: a library's stamp or the digitizer's
    # strip at the scan's border, the OCR's specks; the edge rules do not look at them
    stray: list[Line] = field(default_factory=list)

    @property
    def start(self) -> int:
        """Where the page's text begins (its lines are in the order the edge rules read them,
        which is not always the text's: a foot's mark the engine wrote first, a stamp)."""
        return min(line.start for line in self.lines + self.stray)


def pages_by_surfaces(lines: list[Line], doc: Document) -> list[Page]:
    """The pages a page reader found: each line on the page whose text holds it (a page the
    OCR found no text on has no lines, and no page of its own here)."""
    starts = [surface.start for surface in doc.facsimile]
    pages: dict[int, Page] = {}
    for line in lines:
        index = bisect.bisect_right(starts, line.start) - 1
        pages.setdefault(index, Page([], surface=index)).lines.append(line)
    places = places_by_labels([surface.label for surface in doc.facsimile])
    for index, page in pages.items():
        _edges_by_position(page, doc.facsimile[index])
        page.place = places[index]
    return [pages[index] for index in sorted(pages)]


LABEL_NUMBER = re.compile(r"\[?(\d+)\]?")  # a page's label that numbers it: "12", or "[12]" counted, not printed


def places_by_labels(labels: list[str | None]) -> list[int]:
    """Each page image's place in the book's count: its index, moved on by the leaves a library
    package leaves out where its labels (METS ORDERLABEL) say so: labels that number the pages
    (5, 6, 8, 9) skip a number the images do not, and the labels on both sides of the skip
    count on in step with the images (a single slip, 5 6 70 8, moves nothing). A label in
    brackets ("[6]") is the library's count of a page that prints no number: it counts too."""
    numbered = [(index, int(match.group(1))) for index, label in enumerate(labels)
                if label is not None and (match := LABEL_NUMBER.fullmatch(label.strip()))]
    skips: dict[int, int] = {}
    for k in range(1, len(numbered)):
        (a, first), (b, second) = numbered[k - 1], numbered[k]
        skipped = (second - first) - (b - a)
        if not 0 < skipped <= MAX_PAGE_SKIP:
            continue
        sides = [numbered[j] for j in (k - 2, k + 1) if 0 <= j < len(numbered)]
        in_step = [(second - value == b - index) if index > b else (first - value == a - index)
                   for index, value in sides]
        if in_step and all(in_step):
            skips[b] = skipped
    places, moved = [], 0
    for index in range(len(labels)):
        moved += skips.get(index, 0)
        places.append(index + moved)
    return places


EDGE_LINES = 2  # lines that may stand apart at each edge: a running head and a page number
# A mark printed in the text's type (a digit and a star, "1 *") is at least half as tall as the
# text's line boxes and 0.4 of that wide, however the OCR read it (";"); a speck read as "!" is narrower.
TYPE_HEIGHT, TYPE_WIDTH = 0.5, 0.4


def _edges_by_position(page: Page, surface: Surface) -> None:
    """Engines do not always write the page's furniture where it stands (ABBYY puts a foot's
    signature mark first): a line that stands alone above (below) every other line of the
    page is moved to the top (foot) of the page's lines, where the edge rules look."""
    zones = {zone.start: zone.box for zone in surface.lines}
    roles = {zone.start: zone.role for zone in surface.lines if zone.role}
    if roles:  # the OCR file names the page's furniture (PAGE region types): its word is final
        named_top = [line for line in page.lines if roles.get(line.start) in ("page-number", "running-head")]
        named_foot = [line for line in page.lines if roles.get(line.start) in ("signature", "catchword")]
        for line in named_top + named_foot:
            line.named = roles[line.start]
            line.head_apart = line.named == "page-number"
        page.lines = named_top + [line for line in page.lines
                                  if line not in named_top and line not in named_foot] + named_foot
        return
    boxed = [line for line in page.lines if line.start in zones and zones[line.start][3] > zones[line.start][1]]
    if len(boxed) < 3:
        return
    page.stray = stray_lines(boxed, zones, surface)
    page.lines = [line for line in page.lines if line not in page.stray]
    boxed = [line for line in boxed if line not in page.stray]
    if len(boxed) < 3:
        return
    if surface.vertical:  # a page of columns: its own measures
        page.lines = columnar.order_by_edges(page.lines, zones) or page.lines
        return
    by_height = sorted(boxed, key=lambda line: zones[line.start][1])
    top = [line for n, line in enumerate(by_height[:EDGE_LINES])
           if zones[line.start][3] <= min(zones[other.start][1] for other in by_height[n + 1:]) + 2]
    by_foot = sorted(boxed, key=lambda line: -zones[line.start][3])
    bottom = [line for n, line in enumerate(by_foot[:EDGE_LINES])
              if zones[line.start][1] >= max(zones[other.start][3] for other in by_foot[n + 1:]) - 2]
    top = [line for n, line in enumerate(top) if top[: n + 1] == by_height[: n + 1]]  # stacked from the edge
    if not top and (row := _first_row(by_height, zones)):
        top = sorted(row, key=lambda line: zones[line.start][0])  # the pieces of one printed line, left to right
        for line in top:
            line.top_row = True
    bottom = [line for n, line in enumerate(bottom) if bottom[: n + 1] == by_foot[: n + 1]]
    at_edges = {id(line) for line in top + bottom}  # (the page's own lines: by identity, not field by field)
    middle = [line for line in page.lines if id(line) not in at_edges]
    page.lines = top + middle + bottom[::-1]
    lefts = sorted(zones[line.start][0] for line in middle) or [0]
    rights = sorted(zones[line.start][2] for line in middle) or [0]
    left, right = lefts[len(lefts) // 2], rights[len(rights) // 2]
    heights = sorted(zones[line.start][3] - zones[line.start][1] for line in middle) or [0]
    line_height = heights[len(heights) // 2]
    for line in bottom:  # where signature marks and catchwords stand, never a paragraph's last line
        ulx, uly, lrx, lry = zones[line.start]
        line.foot_aside = ulx > left + 0.5 * (right - left)
        line.type_sized = lry - uly >= TYPE_HEIGHT * line_height and lrx - ulx >= TYPE_WIDTH * line_height
    _mark_foot_pieces(page.lines, zones, left, right)
    for line in boxed:  # where a short line stands: in the middle or at one of the margins
        ulx, _, lrx, _ = zones[line.start]
        centred = abs((ulx + lrx) / 2 - (left + right) / 2) < 0.15 * (right - left)
        at_left, at_right = ulx < left + 0.1 * (right - left), lrx > right - 0.1 * (right - left)
        line.place = "centre" if centred else "left" if at_left else "right" if at_right else None
    for line in top:  # where a page number stands: short, in the middle or at one of the margins
        ulx, _, lrx, _ = zones[line.start]
        short = 0.5 if framed(line.text) else 0.2  # ornaments around a framed number widen it
        line.head_apart = lrx - ulx < short * (right - left) and line.place is not None
    pieced = {zone.start: zone for zone in surface.lines if zone.pieces}
    for line in top:
        if line.start in pieced:
            _number_at_corner(line, pieced[line.start], left, right)
    for line in bottom[:1]:  # the same under the text, below everything else (a signature, or the number)
        ulx, _, lrx, _ = zones[line.start]
        line.foot_apart = lrx - ulx < 0.2 * (right - left) and line.place is not None


CORNER = 0.05  # of the text's width: a number at the corner stands this near the text block's edge
HEAD_CONFIDENCE = 0.3  # the engine's mean confidence in a head's words (an ornament it reads as letters: ~0)


def _number_at_corner(line: Line, zone: LineZone, left: float, right: float) -> None:
    """A top line the page image shows in pieces set far apart, whose first or last piece is a
    number alone at the text block's edge: the page number printed at the corner (the token),
    beside the running head (letters the engine read with some confidence) or an ornament."""
    width = right - left
    if width <= 0 or not zone.start <= line.start < zone.end:
        return
    first, last = zone.pieces[0], zone.pieces[-1]
    for piece, rest, at_edge in ((first, zone.pieces[1:], first[2] <= left + CORNER * width),
                                 (last, zone.pieces[:-1], last[3] >= right - CORNER * width)):
        text = line.text[piece[0] - line.start:piece[1] - line.start]
        if not at_edge or " " in text or not number_shaped(text):
            continue
        line.token, line.at_corner = text, True
        words = [(start, end, confidence) for start, end, confidence in zone.words
                 if any(p[0] <= start < p[1] for p in rest)]
        letters = sum(ch.isalpha() for p in rest for ch in line.text[p[0] - line.start:p[1] - line.start])
        sure = not words or sum(confidence for _, _, confidence in words) / len(words) >= HEAD_CONFIDENCE
        line.with_head = letters >= 3 and sure
        return


ROW_PIECES = 4  # a running head, the page number, the chapter and verse beside them


def _first_row(by_height: list[Line], zones: dict) -> list[Line]:
    """The boxes the engine cut the page's first printed line into (a head's words, the chapter
    and verse, the page number, each a box of its own side by side), where that line stands
    above all the others: each box overlaps the top-most one by half the lower one's height."""
    first = zones[by_height[0].start]

    def beside(box) -> bool:
        overlap = min(box[3], first[3]) - max(box[1], first[1])
        return overlap >= 0.5 * min(box[3] - box[1], first[3] - first[1]) > 0

    row = [line for line in by_height if beside(zones[line.start])]
    rest = [zones[line.start][1] for line in by_height if line not in row]
    if not 2 <= len(row) <= ROW_PIECES or not rest or max(zones[line.start][3] for line in row) > min(rest) + 2:
        return []
    return row


SCAN_BORDER = 0.015  # share of the image's width or height: a line this near its border is on the scan's edge
SIGNATURE_SIGNS = "*†‡§»«"  # a star (or what the OCR reads for it) is a signature mark however alone


def stray_lines(boxed: list[Line], zones: dict, surface: Surface) -> list[Line]:
    """Lines of a page image that are not the book's print: specks and rules the OCR read as
    text (no letter, digit or star), and lines at the scan's very border that stand outside
    the page's text block, across or above or below it (a library's stamp in the margin, the
    digitizer's strip under the page). Printed furniture stands inside the page's margins."""
    # the top-most and foot-most lines stay, however they read: a page number garbled into marks ("?")
    edges = (min(boxed, key=lambda line: zones[line.start][1]), max(boxed, key=lambda line: zones[line.start][3]))
    stray = [line for line in boxed if line not in edges
             and not any(ch.isalnum() or ch in SIGNATURE_SIGNS for ch in line.text)]
    text = [line for line in boxed if line not in stray]
    if not surface.width or not surface.height or len(text) < 3:
        return stray
    width, height = surface.width, surface.height
    if surface.vertical:  # a book of columns prints on every side
        return stray + columnar.stray_at_the_border(text, zones, lambda box: _at_border(box, width, height))
    lefts = sorted(zones[line.start][0] for line in text)
    rights = sorted(zones[line.start][2] for line in text)
    heights = sorted(zones[line.start][3] - zones[line.start][1] for line in text)
    left, right, line_height = lefts[len(lefts) // 2], rights[len(rights) // 2], heights[len(heights) // 2]
    for line in text:
        ulx, uly, lrx, lry = zones[line.start]
        if not _at_border(zones[line.start], width, height):
            continue
        beside = lrx < left or ulx > right  # wholly in a margin, outside the text's column
        others = [zones[other.start] for other in text if other is not line]
        apart = all(box[1] - lry > 3 * line_height or uly - box[3] > 3 * line_height for box in others)
        if beside or apart:
            stray.append(line)
    return stray


def _at_border(box, width: int, height: int) -> bool:
    """A box at the scan's very border (SCAN_BORDER)."""
    ulx, uly, lrx, lry = box
    return ulx <= SCAN_BORDER * width or lrx >= (1 - SCAN_BORDER) * width \
        or uly <= SCAN_BORDER * height or lry >= (1 - SCAN_BORDER) * height


FOOT_PIECE_CHARS = 12  # a short title, a gathering's mark, a catchword (a letter's closing is longer)
WIDE_LINE = 0.5  # of the text's width: a line of text, not a piece of the foot
LEFT_EDGE = 0.05  # of the text's width: a line starting this close to the text's left edge is text


def _mark_foot_pieces(lines: list[Line], zones: dict, left: float, right: float) -> None:
    """The pieces the engine wrote as lines of their own on the line under the page's text
    (``Leviat.``, ``ggg``, ``quis,`` set apart on one printed line): short, none starting at
    the text's left edge (where a paragraph's short last line starts), at least two of them
    (a piece alone is judged by :attr:`Line.foot_aside`). The word at the right is the
    catchword, the others the signature line."""
    width = right - left
    boxed = [line for line in lines if line.start in zones and zones[line.start][3] > zones[line.start][1]]

    def at_left_edge(line: Line) -> bool:
        return zones[line.start][0] <= left + LEFT_EDGE * width

    text = [line for line in boxed if at_left_edge(line)
            or zones[line.start][2] - zones[line.start][0] >= WIDE_LINE * width]
    if width <= 0 or not text:
        return
    last = max(text, key=lambda line: zones[line.start][3])
    _, top, _, bottom = zones[last.start]
    under = [line for line in boxed if line is not last and zones[line.start][1] >= bottom - 0.3 * (bottom - top)]
    if len(under) >= 2 and all(len(line.text) <= FOOT_PIECE_CHARS and not at_left_edge(line) for line in under):
        rightmost = max(under, key=lambda line: zones[line.start][2])
        for line in under:
            word = sum(ch.isalpha() for ch in line.text) >= 3 and not any(ch.isdigit() for ch in line.text) \
                and len(line.text.split()) == 1
            line.foot_piece = "catchword" if line is rightmost and word else "signature"


def pages_by_marks(lines: list[Line]) -> list[Page] | None:
    """Pages cut at the form feeds and byte-order marks (None: fewer than two marks)."""
    if sum(line.page_mark for line in lines) < 2:
        return None
    pages: list[Page] = []
    for line in lines:
        if line.page_mark or not pages:
            pages.append(Page([]))
        pages[-1].lines.append(line)
    return pages


def positions(pages: list[Page]) -> list[int]:
    """Each page's place in the book: its page image's, where the pages are a digitized
    source's (a blank or unread page between two pages with text is counted, as the printed
    numbers count it, and leaves the library's labels show absent: :func:`places_by_labels`),
    else its place among the pages found."""
    return [index if page.surface is None else page.surface if page.place is None else page.place
            for index, page in enumerate(pages)]


def number_by_offset(pages: list[Page], heads: HeadWords | None = None) -> None:
    """Pages known from their marks: the edge (top or bottom) and the offset (printed number
    minus page position, :func:`positions`) that most pages agree on; then each page's edge line that fits (at the
    top, the number may stand under a running head the OCR set on lines of its own).
    ``heads``: the pages' head words (:func:`top_words`), where the caller has them."""
    heads = top_words(pages) if heads is None else heads
    full = heads.full
    pieces: dict[int, Line] = {}  # a number's piece of a foot line (by its id) -> the line
    candidates = {"top": [_top_candidates(page, heads, full) for page in pages],
                  "bottom": [_foot_candidates(page, pieces) for page in pages]}
    votes: Counter[tuple[str, int]] = Counter()
    voters: dict[tuple[str, int], list[int]] = {}  # the pages (positions) that read each (edge, offset)
    at = positions(pages)
    for index in range(len(pages)):
        for edge in ("top", "bottom"):
            lines = candidates[edge][index]
            for read in {read for line in lines for read in readings(line)}:
                if read.isdecimal():
                    votes[edge, int(read) - at[index]] += 1
                    voters.setdefault((edge, int(read) - at[index]), []).append(at[index])
    if not votes:
        return
    if _numbered_apart(pages, votes):
        return
    ranked = votes.most_common(2)
    (edge, offset), count = ranked[0]
    # Page images that show a short line apart above the text on most pages vouch for the
    # numbers there, however few the OCR read: an offset read three times and twice as
    # often as any other decides.
    apart = sum(bool(page.lines) and page.lines[0].head_apart for page in pages)
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    needed = max(3, 2 * runner_up) if edge == "top" and apart >= len(pages) // 2 else max(2, len(pages) // 5)
    if count < needed and not _read_cleanly_on_every_page(pages, edge, offset, at) \
            and not _run_without_rival(voters[edge, offset], runner_up):
        return
    places = _places_of_numbers(candidates[edge], offset, at)
    in_sequence = [index for index in range(len(pages))  # the pages that print their number in the sequence
                   if any(reads_exactly(line, at[index] + offset) for line in candidates[edge][index])]
    span = (in_sequence[0], in_sequence[-1]) if in_sequence else None
    for index, page in enumerate(pages):
        if len(page.lines) < 2:
            continue
        if (own := _read_before_or_after_a_gap(candidates[edge], at, index, offset, span)) is not None:
            page.number = PageNumber(_holding(own[0], pieces), own[1])
            continue
        for line in candidates[edge][index]:
            # where the page image shows a short line apart above the text, that is the number the
            # sequence needs, however the OCR read it ("It", "HH" for 31, 33); a number misread
            # only where the numbers read exactly stand on the pages of its side (a verso's at the left)
            value = at[index] + offset
            in_place = line.place is None or line.with_head or places.get(value % 2, line.place) == line.place
            # (a piece the engine cut from the head's printed line is no line apart: it may be the head's)
            apart = line is page.lines[0] and line.head_apart and not line.top_row \
                and len(line.text) <= NUMBER_MAX_CHARS and len(line.core) <= NUMBER_MAX_CORE and value >= 1
            # under the text the same, but only where the numbers read exactly stand (a signature
            # mark stands alone under the text too, at another place)
            apart_below = line is page.lines[-1] and line.foot_apart and len(line.text) <= NUMBER_MAX_CHARS \
                and len(line.core) <= NUMBER_MAX_CORE and places.get(value % 2) == line.place and value >= 1
            if reads_exactly(line, value) or (fits(line, value) or apart) and in_place or apart_below:
                page.number = PageNumber(_holding(line, pieces), value)
                break
    if edge == "top":
        _numbers_beside_garbled_heads(pages, offset, heads, full, at)
        # a page without the number its sequence gives it, opening with a title
        for index, page in enumerate(pages):
            page.opens_with_title = index > 0 and page.number is None and bool(page.lines) \
                and title_shaped(page.lines[0], full)



def number_in_letters(pages: list[Page], heads: HeadWords) -> LetteredRun | None:
    """The pages numbered in Roman or Greek numerals (:mod:`lettered`), among those the Arabic
    numbers leave (a book's front matter before its Arabic body): the run of numbers read
    exactly at one edge, then each page inside it, and the pages on either side of it while
    they read on, whose line at that edge reads as the number the run needs there, also as
    the OCR confuses its letters."""
    at = positions(pages)
    arabic = [index for index, page in enumerate(pages) if page.number is not None]
    free = [page.number is None and len(page.lines) >= 2 and not (arabic and arabic[0] <= index <= arabic[-1])
            for index, page in enumerate(pages)]
    if not any(free):
        return None
    candidates = {"top": [_top_candidates(page, heads, heads.full) for page in pages],
                  "bottom": [_foot_candidates(page, {}) for page in pages]}
    beside = numbers_beside_heads([page.lines[0] if free[index] else None for index, page in enumerate(pages)])
    for index, piece in beside.items():
        candidates["top"][index] = [piece] + candidates["top"][index]
    run = lettered_run(candidates, at, free)
    if run is None:
        return None

    def number(index: int, inside: bool = False) -> bool:
        lines = candidates[run.edge][index]
        expected = run.expected(index, at)
        for numeral in expected:
            line = next((line for line in lines if lettered(line) == numeral), None) \
                or next((line for line in lines if fits_in_letters(line, numeral)), None)
            if line is not None:
                if index in beside and line is beside[index]:  # the head's line holds the number
                    line = pages[index].lines[0]
                    line.token, line.with_head = beside[index].token, True
                pages[index].number = PageNumber(line, numeral.value, numeral=numeral)
                return True
        # inside the run, a short line the page image shows apart above the text is the number
        # the run needs, however the OCR read it ("ii" for xii), as for digits
        top = pages[index].lines[0]
        if inside and len(expected) == 1 and run.edge == "top" and top.head_apart and not top.top_row \
                and len(top.text) <= NUMBER_MAX_CHARS and 0 < len(top.core) <= len(expected[0].printed) + 1:
            pages[index].number = PageNumber(top, expected[0].value, numeral=expected[0])
            return True
        return False

    for index in range(run.first, run.last + 1):
        if free[index]:
            number(index, inside=True)
    for step, outward in ((-1, range(run.first - 1, -1, -1)), (1, range(run.last + 1, len(pages)))):
        for index in outward:  # beyond the run, while the pages read on in it
            if not free[index] or not number(index):
                break
            run.anchors.insert(0 if step < 0 else len(run.anchors), (index, pages[index].number.value))
    return run


def top_words(pages: list[Page]) -> HeadWords:
    """The words the pages print at their tops (:class:`HeadWords`): found once for the rules
    that read the numbers and the running heads (the pages' lines stay as they are between them)."""
    return HeadWords.of_pages([page.lines for page in pages],
                              typical_line_length([line for page in pages for line in page.lines]))


RUN_MIN_READ = 4  # numbers read in sequence that make a run without rival
RUN_OVER_RIVAL = 3  # as many times as often as any other offset
RUN_SHARE = 0.2  # of the pages from the run's first page to its last


def _run_without_rival(indices: list[int], runner_up: int) -> bool:
    """A sequence read on fewer pages than the book has, where its front matter is numbered
    otherwise (roman numerals at the top, arabic ones at the foot) or the engine lost most of
    its numbers: read four times or more, three times as often as any other offset, and on a
    fifth of the pages from the first that reads it to the last. Numbers that agree on an
    offset so often and so close together are the page numbers; chance (a signature's ``2``
    and ``3`` on two pages running) agrees once or twice."""
    count = len(indices)
    span = max(indices) - min(indices) + 1 if indices else 0
    return count >= max(RUN_MIN_READ, RUN_OVER_RIVAL * runner_up) and count >= RUN_SHARE * span


def _read_before_or_after_a_gap(candidates: list[list[Line]], at: list[int], index: int, offset: int,
                                span: tuple[int, int] | None) -> tuple[Line, int] | None:
    """The number a page's edge reads as printed where it breaks the book's sequence (``offset``)
    as a gap in the pages does: a page missing from the files (or a plate the printer counted
    and the scan left out) before the pages that print their numbers in the sequence (the
    first and last of them: ``span``) makes the pages before it read lower, after them higher. The reading
    stands where the page before or after it reads its own as printed in step with it, and no
    page on its side of the gap prints the sequence's number: the OCR's confusions ("57" for
    37, "5" for 55 where a digit faded) fall between pages that do. None otherwise."""
    for line in candidates[index]:
        for value in (int(read) for read in readings(line) if read.isdecimal()):
            own = value - at[index]
            if own == offset or not reads_exactly(line, value):
                continue
            if span is not None and (span[0] < index if own < offset else span[1] > index):
                continue
            for other in (index - 1, index + 1):
                if 0 <= other < len(candidates) and any(
                        reads_exactly(near, at[other] + own) for near in candidates[other]):
                    return line, value
    return None


def _places_of_numbers(candidates: list[list[Line]], offset: int, at: list[int]) -> dict[int, str]:
    """Where the page images show the numbers read exactly on lines of their own (beside a head
    the line's place is the head's), for even and odd pages apart (a book prints them at the
    outer corners, or centred): the place most of each side's share, where two or more agree."""
    seen: dict[int, Counter[str]] = {0: Counter(), 1: Counter()}
    for index, lines in enumerate(candidates):
        for line in lines:
            if line.place is not None and not line.with_head and reads_exactly(line, at[index] + offset):
                seen[(at[index] + offset) % 2][line.place] += 1
    return {side: counts.most_common(1)[0][0] for side, counts in seen.items()
            if counts and counts.most_common(1)[0][1] >= 2}


def _numbered_apart(pages: list[Page], votes: Counter[tuple[str, int]]) -> bool:
    """Pages that agree on no sequence (a library package's samples of several books, a book's
    single page): a page numbers itself where the page image shows its number standing apart
    above the text in the frame printers give it ("( 190 )", "[12]", "— 38 —"), or alone at the
    text block's top corner, set far apart from the head or ornament on its line ("4
    Arnobii aduersus nationes"), read as digits; no offset is read twice. True when some page
    was numbered so."""
    if max(votes.values()) >= 2:
        return False
    found = False
    for page in pages:
        line = page.lines[0] if len(page.lines) > 2 else None
        if line is not None and line.head_apart and line.token is not None \
                and (inside := framed(line.token)) is not None and inside.isdecimal() and int(inside) > 0:
            page.number = PageNumber(line, int(inside), alone=True)
            found = True
        elif line is not None and line.at_corner and line.token is not None and line.token.isdecimal() \
                and int(line.token) > 0:  # at the corner, apart from the head or ornament beside it
            page.number = PageNumber(line, int(line.token), alone=True)
            found = True
    return found


def _read_cleanly_on_every_page(pages: list[Page], edge: str, offset: int, at: list[int]) -> bool:
    """Every page (a short document has too few for the votes above: two pages of a PDF)
    shows its number in sequence, read exactly as printed, alone at the same edge, and, on
    a page image, standing apart above the text where the number is at the top."""
    return len(pages) >= 2 and all(
        len(page.lines) > 1 and reads_exactly(line := page.lines[0] if edge == "top" else page.lines[-1],
                                              at[index] + offset)
        and (edge != "top" or line.head_apart or page.surface is None)
        for index, page in enumerate(pages))


def _foot_candidates(page: Page, pieces: dict[int, Line]) -> list[Line]:
    """The lines at the page's foot that may hold its number: the last, and the short lines
    just above it (a signature mark, or a margin's siglum, the engine set under the number);
    and the number's piece of such a line that holds the signature mark beside it too (noted
    in ``pieces``)."""
    candidates = page.lines[-1:]
    if len(page.lines) > FOOT_LINES + 1:
        for line in page.lines[-FOOT_LINES:-1][::-1]:
            if line.token is None or line.with_head:
                break
            candidates.append(line)
    for line in list(candidates):
        for piece in number_pieces(line):
            pieces[id(piece)] = line
            candidates.append(piece)
    return candidates


def _holding(line: Line, pieces: dict[int, Line]) -> Line:
    """The line that holds the number: a piece's line, its token now the number beside the mark."""
    holder = pieces.get(id(line))
    if holder is None:
        return line
    holder.token, holder.beside_mark = line.token, True
    return holder


def _top_candidates(page: Page, heads: HeadWords, full: int) -> list[Line]:
    """The lines at the page's top that may hold its number: the first, and, where the first is
    a running head alone (no number beside it), the short lines under it (the rest of a head
    the OCR split, then the number)."""
    tops = top_lines(page.lines, full) or page.lines[:1]
    if len(tops) > 1 and not any(read.isdecimal() for read in readings(tops[0])) \
            and len(tops[0].text) <= TITLE_PIECE and tops[1].token is not None and not tops[1].with_head:
        return tops[:2]  # a piece of a title above the number, set on a line of its own ("D E", "8j", "CIVITATE")
    if not heads or tops[0].with_head or not heads.reads_as_head(tops[0].text):
        return tops[:1]
    candidates = tops[:1]
    for line in tops[1:]:
        if len(line.text) > HEAD_SHARE * full:
            break
        candidates.append(line)
    return candidates


def _chain(candidates: list[tuple[int, int]], per_page: float | None) -> list[int]:
    """The longest run of (line index, value) candidates whose values grow, at a steady
    number of lines a page when ``per_page`` is known; returns positions in ``candidates``
    (which come in the order of their lines)."""
    best: list[int] = [1] * len(candidates)
    back: list[int] = [-1] * len(candidates)
    # A candidate follows the earliest of the longest runs that may precede it: a few values
    # lower and far enough above. The candidates done, by value: their lines (in order), their
    # positions, and for each first k of them the longest run and its earliest position, which
    # answers for all those far enough above at once.
    done: dict[int, tuple[list[int], list[int], list[tuple[int, int]]]] = {}
    for j, (line_j, value_j) in enumerate(candidates):
        longest, first = 0, -1
        for skip in range(1, MAX_PAGE_SKIP + 1):
            if (entry := done.get(value_j - skip)) is None:
                continue
            lines, positions, leading = entry
            above = bisect.bisect_right(lines, line_j - 3 * skip)  # three lines a page at least
            if per_page is None:
                if above and (leading[above - 1][0] > longest
                              or leading[above - 1][0] == longest and leading[above - 1][1] < first):
                    longest, first = leading[above - 1]
                continue
            # (lines farther above than 1.4 pages a value are too far: the test below says so too)
            for k in range(bisect.bisect_left(lines, line_j - 1.4 * per_page * skip - 1), above):
                i = positions[k]
                if 0.7 * per_page <= (line_j - lines[k]) / skip <= 1.4 * per_page \
                        and (best[i] > longest or best[i] == longest and i < first):
                    longest, first = best[i], i
        if first >= 0:
            best[j], back[j] = longest + 1, first
        lines, positions, leading = done.setdefault(value_j, ([], [], []))
        lines.append(line_j)
        positions.append(j)
        leading.append(leading[-1] if leading and leading[-1][0] >= best[j] else (best[j], j))
    return walk_back(best, back)


def walk_back(best: list[int], back: list[int]) -> list[int]:
    """The longest chain (ties to the earliest end), read back from its end along ``back``
    (each candidate's predecessor, -1 at a chain's start); ``best``: each candidate's chain length."""
    if not best:
        return []
    j = max(range(len(best)), key=lambda k: (best[k], -k))
    chain = []
    while j >= 0:
        chain.append(j)
        j = back[j]
    return chain[::-1]


def _numbers_open_sections(lines: list[Line], chain: list[tuple[int, int]]) -> bool:
    """Numbers that each stand after a finished sentence number the text's sections or stanzas
    ("1.", "2." of a poem), not its pages: most page turns fall inside a sentence, or after
    the signature mark at a page's foot."""
    return all(index > 0 and ends_sentence(lines[index - 1].text) for index, _ in chain)


def _turns_inside_sentences(lines: list[Line], chain: list[tuple[int, int]]) -> bool:
    """Numbers in letters are headings as often as page numbers ("XV" over a sonnet): in a
    text without page marks they turn pages only where most of them stand inside a sentence
    that runs on over them, none set apart as a heading (:func:`_set_as_heading`)."""
    inside = [index for index, _ in chain if index > 0]  # (the text's first line stands after no sentence)
    full = typical_line_length(lines)
    cut = [index for index in inside if not ends_sentence(lines[index - 1].text)
           and not _set_as_heading(lines, index, full)]
    return 2 * len(cut) > len(inside)


def _set_as_heading(lines: list[Line], index: int, full: int) -> bool:
    """A number between blank lines after a line that ends its sentence or stops short of a
    full line (the rule of :func:`pipeline.stages.layout._set_as_heading`, on a page's lines)."""
    if not 0 < index < len(lines) - 1 or not lines[index].blank_before or not lines[index + 1].blank_before:
        return False
    before = lines[index - 1].text.strip()
    return ends_sentence(before) or len(before) < SHORT_LAST_LINE * full


def pages_by_numbers(lines: list[Line], system: str | None = None) -> list[Page] | None:
    """No marks: the page numbers make the pages. Exact readings anchor a chain; the garbled
    ones are looked for where the chain says a number must stand. ``system``: the numbers are
    printed in letters (:mod:`lettered`: "roman", "ROMAN", "greek"), not in digits."""
    if system is None:
        candidates = [(i, int(read)) for i, line in enumerate(lines) if line.token is not None  # (else no reading)
                      for read in readings(line) if read.isdecimal() and 0 < int(read) < 10000]
    else:
        candidates = [(i, numeral.value) for i, line in enumerate(lines)
                      if (numeral := lettered(line)) is not None and numeral.system == system]
    chain = [candidates[k] for k in _chain(candidates, None)]
    if len(chain) < 3:
        return None
    steps = [(b[0] - a[0]) / (b[1] - a[1]) for a, b in zip(chain, chain[1:])]
    per_page = sorted(steps)[len(steps) // 2]
    chain = [candidates[k] for k in _chain(candidates, per_page)]
    if len(chain) < 3 or (_numbers_open_sections(lines, chain) if system is None
                          else not _turns_inside_sentences(lines, chain)):
        return None
    def numbered(i: int, value: int) -> PageNumber:
        return PageNumber(lines[i], value, numeral=Numeral(system, value) if system else None)

    found: dict[int, PageNumber] = {i: numbered(i, v) for i, v in chain}
    window = max(2, round(0.2 * per_page))
    heads = _heads_beside(lines, chain) if system is None else None
    fitting = _fitting(heads, typical_line_length(lines)) if system is None \
        else lambda line, value: fits_in_letters(line, Numeral(system, value))
    for (line_a, value_a), (line_b, value_b) in zip(chain, chain[1:]):
        for value in range(value_a + 1, value_b):
            expected = line_a + (value - value_a) * (line_b - line_a) / (value_b - value_a)
            near = [i for i in range(max(line_a + 1, round(expected) - window),
                                     min(line_b, round(expected) + window + 1))
                    if i not in found and fitting(lines[i], value)]
            if near:
                best = min(near, key=lambda i: abs(i - expected))
                found[best] = numbered(best, value)
    _extend_beyond_the_chain(lines, chain, per_page, window, found, fitting, numbered)
    edge = _edge_of_numbers(lines, chain, per_page)
    starts: list[tuple[int, PageNumber | None]] = sorted(found.items())
    if edge == "top":
        starts = sorted(starts + unnumbered_pages(lines, starts, per_page, heads))
    pages: list[Page] = []
    for position, (index, number) in enumerate(starts):
        if edge == "top":
            end = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
            if position == 0 and index > 0:
                pages.append(Page(lines[:index]))
            pages.append(Page(lines[index:end], number, opens_with_title=number is None))
        else:
            start = starts[position - 1][0] + 1 if position else 0
            pages.append(Page(lines[start:index + 1], number))
            if position == len(starts) - 1 and index + 1 < len(lines):
                pages.append(Page(lines[index + 1:]))
    return pages


def pages_by_numbers_in_letters(lines: list[Line]) -> list[Page] | None:
    """No marks and no Arabic numbers that make pages: the pages a sequence of numbers in
    letters makes (a book's front matter alone, a Greek book paged in Greek numerals), of the
    system that numbers the most."""
    systems = Counter(numeral.system for line in lines if (numeral := lettered(line)) is not None)
    found = [pages for system, count in sorted(systems.items())
             if count >= 3 and (pages := pages_by_numbers(lines, system))]  # (a chain needs three)
    return max(found, key=lambda pages: sum(page.number is not None for page in pages)) if found else None


def front_matter_pages(pages: list[Page]) -> list[Page]:
    """Pages made by their Arabic numbers at the top, whose first page (the lines before the
    first number) is the front matter: that page cut into its own pages where a sequence of
    numbers in letters stands at their tops (a preface paged iii, iv …), else as it was."""
    if len(pages) < 2 or pages[0].number is not None or pages[1].number is None:
        return pages
    front = pages_by_numbers_in_letters(pages[0].lines)
    return pages if front is None else front + pages[1:]


def _extend_beyond_the_chain(lines: list[Line], chain: list[tuple[int, int]], per_page: float, window: int,
                             found: dict[int, PageNumber], fitting, numbered) -> None:
    """Numbers before the chain's first and after its last: the first and last pages may be
    short (a chapter's end), so the search reaches from a few lines past the known number.
    ``numbered``: makes the page number of a line and a value."""
    line, value = chain[-1]
    while True:
        value += 1
        low, high = line + 2, round(line + per_page + window)  # the last page may hold a line or two
        near = [i for i in range(low, min(len(lines), high + 1)) if i not in found and fitting(lines[i], value)]
        if not near:
            break
        line = min(near, key=lambda i: abs(i - (line + per_page)))
        found[line] = numbered(line, value)
    line, value = chain[0]
    while value > 1:
        value -= 1
        low, high = round(line - per_page - window), line - max(3, round(0.3 * per_page))
        near = [i for i in range(max(0, low), high + 1) if i not in found and fitting(lines[i], value)]
        if not near:
            break
        line = min(near, key=lambda i: abs(i - (line - per_page)))
        found[line] = numbered(line, value)


def _heads_beside(lines: list[Line], chain: list[tuple[int, int]]) -> HeadWords | None:
    """The words of the running heads, where the chain's numbers stand beside them."""
    if sum(lines[i].with_head for i, _ in chain) < HEADS_BESIDE * len(chain):
        return None
    heads = HeadWords([[lines[i].text] for i, _ in chain], [line.text for line in lines])
    return heads if heads else None


def _fitting(heads: HeadWords | None, full: int):
    """Which lines may be the number a page needs between (or beyond) the chain's: any that
    fits (:func:`fits`), but where the chain's numbers stand beside running heads, only a
    line of a running head, the number at one end (a short line that happens to read near
    the number, in the text or at a page's foot, is no page's number there), also a head the
    OCR garbled (:func:`_number_beside_head`)."""
    if heads is None:
        return fits

    def fitting(line: Line, value: int) -> bool:
        return fits(line, value) if line.with_head else _number_beside_head(line, value, heads, full)

    return fitting


def _number_beside_head(line: Line, value: int, heads: HeadWords, full: int) -> bool:
    """Whether the line is a running head the OCR garbled past the document's keys with the
    number ``value`` at one end, as garbled ("Cap. 6. D: Hombre. z;"): a word of the heads in
    it, and no full line of text (a line of text with a word like a head's and a letter at
    its end that reads like a digit is text). The number beside the head is then marked."""
    if line.token is not None or len(line.text) > min(80, max(40, 0.8 * full)):
        return False
    for token, rest in ends(line.text):
        if heads.has_head_word(rest) and fits(Line(line.start, line.end, line.text, token=token), value):
            line.token, line.with_head = token, True
            return True
    return False


def _numbers_beside_garbled_heads(pages: list[Page], offset: int, heads: HeadWords, full: int,
                                  at: list[int]) -> None:
    """Where the book prints its page numbers beside its running heads (most numbers found
    stand so), a page without its number found has it beside the head on its first line,
    both perhaps garbled."""
    numbered = [page for page in pages if page.number is not None]
    if not heads or not numbered or sum(page.number.line.with_head for page in numbered) < HEADS_BESIDE * len(numbered):
        return
    for index, page in enumerate(pages):
        if page.number is None and len(page.lines) >= 2 and _number_beside_head(page.lines[0], at[index] + offset,
                                                                                  heads, full):
            page.number = PageNumber(page.lines[0], at[index] + offset)


def _edge_of_numbers(lines: list[Line], chain: list[tuple[int, int]], per_page: float) -> str:
    """Top or bottom: a number at the top has a page of lines after the last one, a number
    at the foot has (almost) none; in between, where the first one stands decides."""
    after_last = len(lines) - 1 - chain[-1][0]
    if after_last < 0.25 * per_page:
        return "bottom"
    if after_last > 0.5 * per_page:
        return "top"
    before_first = chain[0][0]  # a document that starts where its numbering starts
    top = abs(before_first - (chain[0][1] - 1) * per_page)
    bottom = abs(before_first - chain[0][1] * per_page)
    return "top" if top <= bottom else "bottom"


def inferred_offset(pages: list[Page]) -> int | None:
    """Printed number minus page position (:func:`positions`), when the numbered pages agree:
    unnumbered pages (a chapter's opening page) get the number they would bear."""
    offsets = Counter(page.number.value - at for at, page in zip(positions(pages), pages)
                      if page.number and page.number.numeral is None)
    if not offsets:
        return None
    offset, count = offsets.most_common(1)[0]
    # one number read is no sequence: the pages around it may be another book's (a package of samples)
    return offset if count >= 2 and count >= 0.8 * sum(offsets.values()) else None
