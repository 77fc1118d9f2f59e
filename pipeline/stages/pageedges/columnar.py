"""The edges of a page set in columns (:mod:`pipeline.ingest.pages.vertical`): Chinese books
whose lines run from the page's top to its foot, one after another from right to left.

Such a book prints its furniture on every side of the text block. A page number stands under
the columns (at the outer corner, or centred), a running head above them or in the outer
margin beside them, set as a short column; a string-bound book's fold column (版心) stands at
the leaf's edge with the book's title high in it and the leaf's number lower down. The rules
of the page's edges read a page's furniture at the start (top) and end (foot) of its lines:
here the lines that stand apart above the columns or beside them are put at the start, those
under them at the end, and what a line's place and size are is measured across the text
block of columns (its width, the type's size a column's width), not along one line.
"""

from __future__ import annotations

from pipeline.ingest.pages.vertical import column_shaped
from pipeline.stages.pageedges.lines import NUMBER_MAX_CHARS, Line

FULL_COLUMN = 0.5  # of the page's typical column length: a column of the text block, not a short piece
SIDE_GAP = 2.0  # times the gap between the block's columns: a column beside the block stands apart
SHORT_COLUMN = 0.5  # of the block's height: a head or folio number set beside the block is short
# as the rules for horizontal lines have it (numbering._edges_by_position): a number apart is
# short against the block's width; centred, or at one of its margins
NUMBER_WIDTH, CENTRED, AT_MARGIN = 0.2, 0.15, 0.1
TYPE_HEIGHT, TYPE_WIDTH = 0.5, 0.4  # a mark printed in the text's type, against the type's size


def _median(values: list[int]) -> int:
    values = sorted(values)
    return values[len(values) // 2]


def stray_at_the_border(text: list[Line], zones: dict, at_border) -> list[Line]:
    """The lines of a page of columns that are the scan's, not the book's: at the scan's border
    (``at_border``: of a box), neither a column (the fold column at the leaf's edge, a head in the
    margin) nor a short piece (a page number at the foot): the digitizer's strip, a library's note."""
    return [line for line in text if at_border(zones[line.start]) and not column_shaped(zones[line.start])
            and len(line.text.strip()) > NUMBER_MAX_CHARS]


def order_by_edges(lines: list[Line], zones: dict) -> list[Line] | None:
    """The page's lines with those that stand apart above the columns or beside them first
    (the right side's, read first, before the left side's) and those under them last, each
    marked as the edge rules read it; None where the page has too few columns to measure."""
    boxed = [line for line in lines if line.start in zones]
    columns = [line for line in boxed if column_shaped(zones[line.start])]
    if len(columns) < 3:
        return None
    typical = _median([zones[line.start][3] - zones[line.start][1] for line in columns])
    block = sorted((line for line in columns if zones[line.start][3] - zones[line.start][1] >= FULL_COLUMN * typical),
                   key=lambda line: zones[line.start][0])
    if len(block) < 3:
        return None
    boxes = [zones[line.start] for line in block]
    left, right = boxes[0][0], max(box[2] for box in boxes)
    top, foot = min(box[1] for box in boxes), max(box[3] for box in boxes)
    type_size = _median([box[2] - box[0] for box in boxes])
    gap = max(SIDE_GAP * _median([max(0, b[0] - a[2]) for a, b in zip(boxes, boxes[1:])]), type_size / 2)
    in_block = {id(line) for line in block}
    above, right_side, left_side, under = [], [], [], []
    for line in boxed:
        ulx, uly, lrx, lry = zones[line.start]
        if id(line) in in_block:
            continue
        if lry <= top + 2:
            above.append(line)
        elif uly >= foot - 2:
            under.append(line)
        elif ulx >= right + gap:
            right_side.append(line)
        elif lrx <= left - gap:
            left_side.append(line)
    width = right - left
    up, down = {id(line) for line in above}, {id(line) for line in under}
    for line in above + under:  # where a short line stands across the block: in the middle or at a margin
        ulx, uly, lrx, lry = zones[line.start]
        centred = abs((ulx + lrx) / 2 - (left + right) / 2) < CENTRED * width
        at_left, at_right = ulx < left + AT_MARGIN * width, lrx > right - AT_MARGIN * width
        line.place = "centre" if centred else "left" if at_left else "right" if at_right else None
        short = lrx - ulx < NUMBER_WIDTH * width and line.place is not None
        line.head_apart = id(line) in up and short
        line.foot_apart = id(line) in down and short
        line.foot_aside = id(line) in down and ulx > left + 0.5 * width
        line.type_sized = lry - uly >= TYPE_HEIGHT * type_size and lrx - ulx >= TYPE_WIDTH * type_size
    beside = sorted(right_side, key=lambda line: zones[line.start][1]) \
        + sorted(left_side, key=lambda line: zones[line.start][1])
    for line in beside:  # a short column in the margin: a head, or the fold column's title or number
        ulx, uly, lrx, lry = zones[line.start]
        line.place = "right" if ulx >= right else "left"
        line.head_apart = lry - uly < SHORT_COLUMN * (foot - top)
    aside = {id(line) for line in above + beside + under}
    middle = [line for line in lines if id(line) not in aside]
    return sorted(above, key=lambda line: zones[line.start][1]) + beside + middle \
        + sorted(under, key=lambda line: zones[line.start][3])
