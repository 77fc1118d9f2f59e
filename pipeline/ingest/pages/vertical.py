"""Pages set in vertical lines: Chinese (and Japanese) books whose columns run from the top of
the page to the foot, one after another from right to left.

The engine's own boxes say so: a line of several characters set vertically is a box many
times taller than wide, which no horizontal line of several characters is (PAGE XML may also
say it in its regions' ``readingDirection``). Box shape alone is not enough: a plate with a
horizontal caption and two library stamps turned on their side, or one tall box, would pass.
So the page must also be written in Chinese or Japanese script (the convention of vertical
setting in this pipeline's scope) and show several columns. The layout rules measure a line's start and end,
its indent and the space between lines along the axes of horizontal text; on such a page
they measure in the page's reading frame instead: the page turned a quarter so that each
column reads as a line from left to right and the columns follow one another downwards.
"""

from __future__ import annotations

import unicodedata

from pipeline.ingest.pages.ocrpage import OcrPage

Box = tuple[int, int, int, int]  # ulx, uly, lrx, lry

TALL = 2.0  # a box this many times taller than wide holds a column, not a line
MIN_CHARACTERS = 3  # the lines that may tell: a line of one or two characters is square either way
VERTICAL_SHARE = 0.6  # of those lines, the share that must be columns
MIN_COLUMNS = 3  # fewer tall boxes are stamps, a spine label, a caption turned on its side
CJK_SHARE = 0.5  # of the page's letters, the share in Han, kana or Bopomofo script


def vertical(lines: list[tuple[Box | None, str]]) -> bool:
    """Whether a page's lines, as (box, text), are columns: most of those with a few
    characters stand in boxes TALL times taller than wide."""
    return _cjk("".join(text for _, text in lines)) and _columns_among(
        [box for box, text in lines if sum(not ch.isspace() for ch in text) >= MIN_CHARACTERS])


def _columns_among(boxes: list[Box | None]) -> bool:
    """Whether most of the boxes (of lines of a few characters), and several, are columns."""
    telling = [box for box in boxes if box is not None]
    columns = sum(column_shaped(box) for box in telling)
    return columns >= MIN_COLUMNS and columns >= VERTICAL_SHARE * len(telling)


def column_shaped(box: Box) -> bool:
    """A box TALL times taller than wide: a column, not a line."""
    return box[3] - box[1] >= TALL * max(1, box[2] - box[0])


def _cjk(text: str) -> bool:
    """Whether most of the text's letters are Han, kana or Bopomofo: the scripts set vertically."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(_cjk_letter(ch) for ch in letters) >= CJK_SHARE * len(letters)


def _cjk_letter(ch: str) -> bool:
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "BOPOMOFO"))


def vertical_page(page: OcrPage) -> bool:
    """Whether an OCR file's page is set in columns: as the file says, else as its boxes show."""
    if page.declared_vertical is not None:
        return page.declared_vertical
    return vertical([(line.box, "".join(word.text for word in line.words)) for line in page.lines])


def to_reading_frame(box: Box, width: int) -> Box:
    """A box of a page of columns (read right to left) as it stands once the page is turned
    so that its columns read as lines: the column's top is the line's left end, the page's
    right edge its top. ``width``: the page's (any bound right of every box)."""
    ulx, uly, lrx, lry = box
    return uly, width - lrx, lry, width - ulx
