"""What a page prints beside its text block: marginal notes, manuscript sigla, verse and line
numbers, folio references. Engines read them into the lines they stand beside (``20 τὸν
οὐρανὸν … (A) (D)``) or as lines of their own, wherever their layout analysis put them; the
page's geometry tells them apart, never their characters:

- the text block is a column: at every x inside it most lines have a word, while beside it
  runs a gutter, an x-range that (almost) no line's word covers. The block is the densest run
  of covered x, with the runs of comparable weight beside it (a page of two columns);
- a word that stands wholly beyond the block, past the gutter, is in the margin, and so is a
  line whose words all are;
- only where the block's edge on that side is straight: justified text (or text set flush
  against the margin) ends its lines at one x, while the numbers of a table of contents stand
  apart from titles of every length, which are no margin;
- the lines at the page's head and foot, set apart by a wide gap (a running head; notes or
  a critical apparatus, whose measure may be wider than the text's), are left as they are.

Each piece found is kept in ``OcrLine.asides`` of the line it stands beside (a line of its
own goes to the text line it overlaps most), in the order left margin, right margin; the
composer writes them at the start of that line, each with its own zone.
"""

from __future__ import annotations

from statistics import median

from pipeline.ingest.pages.ocrpage import Box, OcrLine, OcrPage

MIN_LINES = 6  # lines of text a page needs for its columns to show
COVERED = 0.15  # of the page's lines: an x that fewer lines' words cover is no part of a column
COLUMN_WEIGHT = 0.25  # of the heaviest run: a run at least this heavy is a column of the block
GUTTER = 0.15  # of the line height: a margin's word stands at least this far beyond the block
STRAIGHT = 0.5  # of the lines: how many must end at the block's edge for it to be straight
WIDE_GAP = 2.5  # to the median gap between lines: the gap that sets a page's head or foot apart
MARGIN = "margin"


def union(boxes: list[Box]) -> Box:
    """The smallest box that holds all ``boxes``."""
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


def set_asides_apart(page: OcrPage) -> None:
    """Moves the words printed in the page's margins out of its lines into the ``asides`` of
    the lines they stand beside (in place); a page whose geometry does not show a text block
    with margins is left as it is."""
    lines = [line for line in page.lines if line.box and line.words]
    if len(lines) < MIN_LINES or len(lines) != len(page.lines):
        return
    depth = (lambda box: (-box[3], -box[1])) if page.bottom_origin else (lambda box: (box[1], box[3]))
    inner = _between_head_and_foot(sorted(lines, key=lambda line: depth(line.box)), depth)
    if len(inner) < MIN_LINES:
        return
    height = median(line.box[3] - line.box[1] for line in inner)
    block = _text_block(inner)
    if block is None:
        return
    low, high = block
    gutter = max(1, round(GUTTER * height))
    sides = {side for side in ("left", "right") if _straight_edge(inner, low, high, side, height)}
    if not sides:
        return
    hosts: list[OcrLine] = []
    loose: list[OcrLine] = []
    for line in inner:
        left, body, right = _split(line, low - gutter, high + gutter, sides, block)
        if not body:
            loose.append(line)
            continue
        hosts.append(line)
        if left or right:
            line.asides = [_piece(words) for words in (left, right) if words]
            line.words = body
            line.box = union([word.box for word in body]) if all(word.box for word in body) else line.box
    if not hosts:
        return
    for line in loose:  # a line all in the margin: beside the text line it overlaps most
        host = max(hosts, key=lambda other: (_overlap(line.box, other.box),
                                             -abs(_middle(line.box) - _middle(other.box))))
        line.role = MARGIN
        host.asides = sorted(host.asides + [line], key=lambda aside: (aside.box[0] > high, depth(aside.box)))
    moved = {id(line) for line in loose}
    page.paragraphs = [kept for kept in ([line for line in paragraph if id(line) not in moved]
                                         for paragraph in page.paragraphs) if kept]


def _between_head_and_foot(lines: list[OcrLine], depth) -> list[OcrLine]:
    """The lines under the page's head and above its foot, where a wide gap sets either apart
    (the first wide gap in the page's upper third, the first in its lower half)."""
    gaps = [depth(b.box)[0] - depth(a.box)[1] for a, b in zip(lines, lines[1:])]
    if not gaps:
        return lines
    heights = median(line.box[3] - line.box[1] for line in lines)
    wide = max(WIDE_GAP * median(gaps), heights / 2)
    first, last = 0, len(lines)
    for index, gap in enumerate(gaps):
        if gap > wide and index + 1 <= len(lines) // 3 and first == 0:
            first = index + 1
        if gap > wide and index + 1 >= len(lines) // 2:
            last = index + 1
            break
    return lines[first:last]


def _text_block(lines: list[OcrLine]) -> tuple[int, int] | None:
    """The x-range of the page's text block: the heaviest run of x that enough lines' words
    cover, with the runs of comparable weight (columns) beside it."""
    columns = text_columns(lines)
    return (columns[0][0], columns[-1][1]) if columns else None


def text_columns(lines: list[OcrLine], slant: float = 0.0,
                 boxes: list[list[Box]] | None = None) -> list[tuple[int, int]]:
    """The x-ranges of the text block's columns, left to right: the heaviest run of x that
    enough lines' words cover, and the runs of comparable weight beside it; between two of
    them runs a gutter that few lines' words cross (:mod:`columns` reads the page by them).
    With a ``slant``, x is measured along lines that lean by it (``x - slant * y``): the edges
    of columns on a page photographed askew. ``boxes``: each line's boxes (``line_boxes``), when
    the caller measures the same lines at many slants."""
    changes: dict[int, int] = {}  # x -> how many more lines cover it than x - 1
    for line in boxes or map(line_boxes, lines):
        for start, end in _merged([slanted(box, slant) for box in line] if slant else [(b[0], b[2]) for b in line]):
            changes[start] = changes.get(start, 0) + 1
            changes[end + 1] = changes.get(end + 1, 0) - 1
    least = max(2, COVERED * len(lines))
    runs: list[tuple[int, int, int]] = []  # start, end, weight: the lines covering each x, summed
    covered, start, weight = 0, None, 0
    steps = sorted(changes)
    for x, following in zip(steps, steps[1:] + steps[-1:]):  # the coverage holds from x to the next step
        covered += changes[x]
        if covered >= least:
            if start is None:
                start, weight = x, 0
            weight += covered * (following - x)
        elif start is not None:
            runs.append((start, x - 1, weight))
            start = None
    if not runs:
        return []
    heaviest = max(weight for _, _, weight in runs)
    return [(start, end) for start, end, weight in runs if weight >= COLUMN_WEIGHT * heaviest]


def slanted(box: Box, slant: float) -> tuple[int, int]:
    """A box's left and right edges measured along lines leaning by ``slant``."""
    shift = round(slant * (box[1] + box[3]) / 2)
    return box[0] - shift, box[2] - shift


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _straight_edge(lines: list[OcrLine], low: int, high: int, side: str, height: float) -> bool:
    """Whether most lines' words inside the block reach its edge on ``side`` (within half a
    line's height): a column's edge, not the ragged ends of titles before their numbers."""
    edges = []
    for line in lines:
        inside = [box for box in line_boxes(line) if box[2] > low and box[0] < high]
        if inside:
            edges.append(min(b[0] for b in inside) - low if side == "left" else high - max(b[2] for b in inside))
    return bool(edges) and sum(edge <= height / 2 for edge in edges) >= STRAIGHT * len(edges)


def _split(line: OcrLine, left_of: int, right_of: int, sides: set[str], block: tuple[int, int]):
    """The line's words beyond the block on the left, inside it, beyond it on the right (the
    margins' words at the line's ends only; a line whose words past its margin's ones stop
    short of the ``block`` as well, all in that margin)."""
    words = line.words
    if not all(word.box for word in words):  # the engine gave the line's box only: all or nothing
        beyond = has_text(words) and (("left" in sides and line.box[2] <= left_of)
                                       or ("right" in sides and line.box[0] >= right_of))
        return (words, [], []) if beyond else ([], words, [])
    start, end = 0, len(words)
    if "left" in sides:
        while start < end and words[start].box[2] <= left_of:
            start += 1
    if "right" in sides:
        while end > start and words[end - 1].box[0] >= right_of:
            end -= 1
    if not has_text(words[:start]):  # a stray speck, or punctuation hung in the margin: the line's
        start = 0
    if not has_text(words[end:]):
        end = len(words)
    body = words[start:end]
    if body and start and all(word.box[2] <= block[0] for word in body):
        return words, [], []  # what is left of a margin's line stops short of the block: margin too
    if body and end < len(words) and all(word.box[0] >= block[1] for word in body):
        return [], [], words
    return words[:start], body, words[end:]


def has_text(words) -> bool:
    """Whether any of the words holds a letter or a digit."""
    return any(ch.isalnum() for word in words for ch in word.text)


def line_boxes(line: OcrLine) -> list[Box]:
    """The boxes of the line's words, or its own box where the engine gave no word's."""
    return [word.box for word in line.words] if all(word.box for word in line.words) else [line.box]


def _piece(words) -> OcrLine:
    return OcrLine(list(words), union([word.box for word in words]), role=MARGIN)  # a word of its own: boxed


def _overlap(a: Box, b: Box) -> int:
    return max(0, min(a[3], b[3]) - max(a[1], b[1]))


def _middle(box: Box) -> float:
    return (box[1] + box[3]) / 2
