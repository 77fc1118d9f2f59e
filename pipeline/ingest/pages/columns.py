"""Pages set in two (or more) columns, read column by column.

Engines read such a page by blocks, and often right, but their lines may run across the
gutter (``Leg. Connub. XI. sie wird von etli- ſeyn.``: a line of each column read as one) and
their blocks may come in any order. The page's geometry says where its columns stand, never
its words:

- the columns are the text block's runs of x that most lines' words cover, with a gutter
  between them that (almost) no line's word crosses (:func:`asides.text_columns`, the same
  evidence the margins are found by), measured along the page's lean where it was
  photographed askew; the columns of about one width, each holding lines of its own, the
  one left of a gutter ending its lines at the gutter (justified text: the halves of a
  table, ragged beside each other, are no columns);
- a line one of whose words crosses a gutter spans the columns (a title over both, a
  running head, a note across the foot) and stays where it stands, and so does what stands
  level with it (the page number beside a running head); a line the engine ran across a
  gutter is cut there into the lines of each column;
- such lines, and a gap wider than the lines' spacing in every column at once, divide the
  page into bands; a band with lines in more than one column is read column by column,
  each column's lines from the top down. The first line of each column opens it (the
  writer's ``<cb n>``, ``n`` its place from the left).

The engine's paragraphs are kept inside each column; whether a paragraph runs on from one
column's foot to the next one's top is the layout's to say, as within a column
(:func:`compose.paragraphs_by_layout`). A page without columns is left as it is.
"""

from __future__ import annotations

from statistics import median

from pipeline.hyphens import LINE_END_HYPHENS
from pipeline.ingest.pages.asides import MIN_LINES, WIDE_GAP, has_text, line_boxes, slanted, text_columns, union
from pipeline.ingest.pages.ocrpage import OcrLine, OcrPage

# x drift per pixel down the page: a page photographed askew leans by up to about 2 degrees
SLANTS = tuple(step / 400 for step in range(-14, 15))
MIN_COLUMN_LINES = 4  # lines a column holds at least
SAME_WIDTH = 0.6  # of the widest column: a gloss, a run of numbers, a chance alignment are narrower
STRAIGHT = 0.5  # of a column's lines: how many end at the gutter (within a line's height) beside it
OUTER_EDGE = 2  # line heights: a column's line starts at its left edge (an indent aside) or ends at its right
SHORT = 0.5  # of its column's width: a piece this short may stand beside a running head
NEIGHBOURS = 3  # lines of a column beside a line, for the column's edges where the line stands
FLOW = 2.5  # line pitches: the most between the middles of a row's lines above and below, in its flow
LEVEL = 0.5  # of a line's height: a line that overlaps a spanning line this much stands level with it


def read_by_columns(page: OcrPage) -> None:
    """Orders the page's lines column by column where its geometry shows columns (in place:
    lines cut at the gutters, paragraphs and ``OcrLine.column`` set); else leaves it."""
    lines = page.lines
    if len(lines) < MIN_LINES or not all(line.box and line.words and all(w.box for w in line.words)
                                         for line in lines):
        return
    height = median(line.box[3] - line.box[1] for line in lines)
    found = _columns(lines)
    if found is None:
        return
    slant, columns = found
    top = (lambda box: -box[3]) if page.bottom_origin else (lambda box: box[1])
    bottom = (lambda box: -box[1]) if page.bottom_origin else (lambda box: box[3])
    read = [(index, line, _cut(line, columns, slant, height))
            for index, paragraph in enumerate(page.paragraphs) for line in paragraph]
    flow = _Flow([piece for _, _, cut in read if cut for piece in cut], top, bottom)
    paragraph_of: dict[int, int] = {}
    spanning: list[OcrLine] = []
    pieces: list[tuple[int, OcrLine]] = []  # (column, line) for the lines inside one column
    for index, line, cut in read:
        if cut is None and flow.runs_through(line, len(columns)):  # a row of the columns with specks across
            cut = _cut(line, columns, slant, height, forced=True)
        if cut is None:
            spanning.append(line)
            paragraph_of[id(line)] = index
            continue
        for column, piece in cut:
            pieces.append((column, piece))
            paragraph_of[id(piece)] = index
    if not _columns_hold(pieces, _between(columns), slant, height):
        return
    # a short piece level with a line across the columns belongs to its row (a running head's number)
    level = {id(piece) for column, piece in pieces if any(_level(piece, line) for line in spanning)
             and piece.box[2] - piece.box[0] < SHORT * (columns[column][1] - columns[column][0])}
    spanning += [piece for _, piece in pieces if id(piece) in level]
    pieces = [(column, piece) for column, piece in pieces if id(piece) not in level]
    bands = _bands(pieces, spanning, top, bottom, height)
    order: list[tuple[OcrLine, tuple[int, int] | None]] = []
    for number, band in enumerate(bands):
        if isinstance(band, OcrLine):
            order.append((band, None))
            continue
        occupied = sorted({column for column, _ in band})
        if len(occupied) < 2:  # text beside a figure, a column's last lines alone: no columns to tell
            order += [(piece, None) for _, piece in sorted(band, key=lambda item: top(item[1].box))]
            continue
        for column in occupied:
            order += [(piece, (number, column + 1)) for c, piece in
                      sorted(band, key=lambda item: top(item[1].box)) if c == column]
    cut = {id(piece) for _, piece in pieces} - {id(line) for line in lines}  # pieces of lines run across
    page.paragraphs = _paragraphs(order, paragraph_of, cut, height)


def _columns(lines: list[OcrLine]) -> tuple[float, list[tuple[int, int]]] | None:
    """The lean and the x-ranges of the page's columns, where a lean shows columns: the one
    whose gutters are widest, the least lean among equals."""
    best: tuple[int, float, list[tuple[int, int]]] | None = None
    boxes = [line_boxes(line) for line in lines]
    for slant in sorted(SLANTS, key=abs):
        columns = text_columns(lines, slant, boxes)
        if len(columns) < 2:
            continue
        widths = [end - start for start, end in columns]
        if min(widths) < SAME_WIDTH * max(widths):  # a page's columns are set to one measure
            continue
        width = sum(end - start + 1 for start, end in _between(columns))
        if best is None or width > best[0]:
            best = (width, slant, columns)
    return (best[1], best[2]) if best else None


def _cut(line: OcrLine, columns: list[tuple[int, int]], slant: float, height: float,
         forced: bool = False) -> list[tuple[int, OcrLine]] | None:
    """The line's pieces in each column it has words in, or None where it spans the columns:
    a word crosses a gutter, or neither of its outer pieces reaches its column's outer edge
    (a title whose word space falls on the gutter, not two columns' lines read as one).
    ``forced``: cut by where its words' middles stand, whatever crosses."""
    gutters = _between(columns)
    numbers = []
    for word in line.words:
        left, right = slanted(word.box, slant)
        if not forced and any(left < start and right > end for start, end in gutters):
            return None
        middle = (left + right) / 2
        numbers.append(sum(middle > (start + end) / 2 for start, end in gutters))
    if numbers != sorted(numbers):  # words out of order across a gutter: not a line cut by it
        return None
    order = sorted(set(numbers))
    groups = [[word for word, n in zip(line.words, numbers) if n == column] for column in order]
    for index in range(len(groups) - 1, -1, -1):  # a rule or speck in the gutter goes with its neighbour
        if len(groups) > 1 and not has_text(groups[index]):
            neighbour = index - 1 if index else 1
            groups[neighbour] = sorted(groups[neighbour] + groups[index], key=line.words.index)
            del groups[index], order[index]
    if len(groups) == 1:
        return [(order[0], line)]
    first, last = (slanted(union([word.box for word in words]), slant) for words in (groups[0], groups[-1]))
    reach = OUTER_EDGE * height
    inside = first[0] - columns[order[0]][0] > reach and columns[order[-1]][1] - last[1] > reach
    if inside and not forced:
        return None
    pieces = [(column, OcrLine(words, union([word.box for word in words]), role=line.role, region=line.region))
              for column, words in zip(order, groups)]
    for aside in line.asides:  # the margin's words beside the outer column they stand by
        pieces[0 if aside.box[0] < pieces[0][1].box[0] else -1][1].asides.append(aside)
    return pieces


class _Flow:
    """The columns' lines, for whether a line the engine read across them stands in their
    flow: in every column, the lines above and below it stand no farther apart than the
    pitch of three lines (a title over the columns has room of its own; a row of both columns
    read as one line with specks in the gutter does not)."""

    def __init__(self, pieces: list[tuple[int, OcrLine]], top, bottom):
        self.top, self.bottom = top, bottom
        self.columns: dict[int, list[OcrLine]] = {}
        for column, piece in pieces:
            self.columns.setdefault(column, []).append(piece)
        steps = []
        for lines in self.columns.values():
            lines.sort(key=lambda line: top(line.box))
            steps += [top(b.box) - top(a.box) for a, b in zip(lines, lines[1:])]
        self.pitch = median(steps) if steps else None

    def runs_through(self, line: OcrLine, columns: int) -> bool:
        if self.pitch is None or len(self.columns) < columns:
            return False
        middle = self._middle(line)
        for lines in self.columns.values():
            above = [self._middle(other) for other in lines if self._middle(other) < middle]
            below = [self._middle(other) for other in lines if self._middle(other) > middle]
            if not above or not below or min(below) - max(above) > FLOW * self.pitch:
                return False
        return True

    def _middle(self, line: OcrLine) -> float:
        return (self.top(line.box) + self.bottom(line.box)) / 2


def _between(columns: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The gutters between the columns."""
    return [(left[1] + 1, right[0] - 1) for left, right in zip(columns, columns[1:])]


def _columns_hold(pieces: list[tuple[int, OcrLine]], gutters: list[tuple[int, int]], slant: float,
                  height: float) -> bool:
    """Each column holds lines enough, and the lines of each column left of a gutter end at it."""
    for column in range(len(gutters) + 1):
        lines = [piece for c, piece in pieces if c == column]
        if len(lines) < MIN_COLUMN_LINES:
            return False
        if column < len(gutters):
            edge = gutters[column][0]
            ends = [slanted(line.box, slant)[1] for line in lines]
            if sum(edge - end <= height for end in ends) < STRAIGHT * len(lines):
                return False
    return True


def _level(piece: OcrLine, line: OcrLine) -> bool:
    overlap = min(piece.box[3], line.box[3]) - max(piece.box[1], line.box[1])
    return overlap > LEVEL * (piece.box[3] - piece.box[1])


def _bands(pieces: list[tuple[int, OcrLine]], spanning: list[OcrLine], top, bottom,
           height: float) -> list[OcrLine | list[tuple[int, OcrLine]]]:
    """The page from the top down: each line across the columns by itself, and between them
    bands of the columns' lines, a band ending where a gap wider than the lines' spacing runs
    across every column."""
    gaps = []
    for column in {c for c, _ in pieces}:
        lines = sorted((piece for c, piece in pieces if c == column), key=lambda line: top(line.box))
        gaps += [top(b.box) - bottom(a.box) for a, b in zip(lines, lines[1:])]
    wide = max(WIDE_GAP * median(gaps), height / 2) if gaps else height
    items = sorted([(top(line.box), 0, index, line) for index, line in enumerate(spanning)]
                   + [(top(piece.box), 1, index, (column, piece)) for index, (column, piece) in enumerate(pieces)],
                   key=lambda item: item[:3])
    bands: list[OcrLine | list[tuple[int, OcrLine]]] = []
    band: list[tuple[int, OcrLine]] = []
    reach = None  # the lowest bottom of the band's lines so far
    for position, spans, _, item in items:
        if not spans:
            if band:
                bands.append(band)
                band, reach = [], None
            bands.append(item)
            continue
        if band and position - reach > wide:
            bands.append(band)
            band, reach = [], None
        band.append(item)
        reach = bottom(item[1].box) if reach is None else max(reach, bottom(item[1].box))
    if band:
        bands.append(band)
    return bands


def _paragraphs(order: list[tuple[OcrLine, tuple[int, int] | None]], paragraph_of: dict[int, int],
                cut: set[int], height: float) -> list[list[OcrLine]]:
    """The lines in their new order, a paragraph ending where the engine's did or a column
    does, and, among the lines the engine ran across the columns (its paragraphs were both
    columns' at once), where the column's layout ends one."""
    paragraphs: list[list[OcrLine]] = []
    previous = None
    for index, (line, column) in enumerate(order):
        line.column = column
        key = (column, paragraph_of[id(line)])
        ends = id(line) in cut and id(paragraphs[-1][-1]) in cut and not _runs_on_in_column(order, index, height) \
            if paragraphs and key == previous else True
        if not ends:
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
        previous = key
    return paragraphs


def _runs_on_in_column(order: list[tuple[OcrLine, tuple[int, int] | None]], index: int, height: float) -> bool:
    """Whether the text runs on from the line before ``index`` to it, in the same column."""
    column = order[index][1]
    same = [line for line, c in order if c == column]
    at = next(n for n, line in enumerate(same) if line is order[index][0])
    before, after = same[at - 1], same[at]
    return runs_on(before, after, same[max(0, at - 1 - NEIGHBOURS):at - 1], same[at + 1:at + 1 + NEIGHBOURS], height)


def runs_on(before: OcrLine, after: OcrLine, above: list[OcrLine], below: list[OcrLine], height: float) -> bool:
    """The text runs on from ``before`` to ``after`` as from line to line: ``before`` reaching
    the right edge of the lines ``above`` it, ``after`` not indented from the lines ``below``
    it (each measured beside its own lines: the edges of a page photographed askew lean), or a
    word hyphenated at the line's end going on."""
    if word_goes_on(before, after):
        return True
    if not above or not below:
        return False
    left, right = min(line.box[0] for line in below), max(line.box[2] for line in above)
    width = right - min(line.box[0] for line in above)
    return after.box[0] <= left + height / 2 and before.box[2] >= right - width / 3


def word_goes_on(before: OcrLine, after: OcrLine) -> bool:
    """A line that ends in a hyphen after a letter, and the next begins in lower case."""
    end, start = before.text.rstrip(), after.text.lstrip()
    return len(end) > 1 and end[-1] in LINE_END_HYPHENS and end[-2].isalpha() and start[:1].islower()
