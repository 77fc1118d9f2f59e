"""What every OCR format says of a page, in one shape: paragraphs of lines of words, with
boxes and the engine's confidence. Each format's reader fills it; :mod:`compose` reads it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

Box = tuple[int, int, int, int]  # ulx, uly, lrx, lry
Problem = tuple[int | None, str]  # (the file's line, what was repaired or left out there)


@dataclass
class OcrWord:
    """A word as an OCR engine read it."""
    text: str
    confidence: float | None = None  # 0-1, as the engine rated it
    box: Box | None = None  # where the word stands, where the file says (margins and columns need it)


@dataclass
class OcrLine:
    """A line as an OCR engine read it: its words, box and what the file says it is."""
    words: list[OcrWord]
    box: Box | None = None
    role: str | None = None  # what the file says the line is: "page-number", "running-head", "signature", "catchword"
    region: str | None = None  # its region's type (PAGE) or tag's label (ALTO) as the file writes it, for evaluation
    # what the page prints in its margins beside this line (sigla, notes, numbers: see asides)
    asides: list[OcrLine] = field(default_factory=list)
    # on a page set in columns: (band, n), the band of the page's columns the line stands in and
    # its column's place from the left (see columns); None across the columns or without them
    column: tuple[int, int] | None = None
    source_id: str | None = None  # the line's ID in its OCR file (ALTO TextLine/@ID): an ALTO export keeps it

    @property
    def text(self) -> str:
        """The line's words joined with single spaces."""
        return " ".join(word.text for word in self.words)


@dataclass
class OcrPage:
    """A page as an OCR file gives it: its paragraphs of lines, size, image and engine."""
    paragraphs: list[list[OcrLine]] = field(default_factory=list)
    width: int | None = None
    height: int | None = None
    image: str | None = None  # the image the engine says it read, as written in the file
    engine: str = ""
    bottom_origin: bool = False  # boxes measured from the foot of the page (OCRopus 0.4)
    unit: str = "pixel"  # what the boxes and the page's size are measured in (ALTO: also mm10, inch1200)
    problems: list[Problem] = field(default_factory=list)  # what was repaired or left out, by the file's line
    laid_out: bool = False  # its margins' words set apart and its columns read in order (compose.lay_out)
    # the file says its lines run from top to bottom (PAGE's readingDirection), or from left to right
    # (None: it says neither, and the boxes tell: pipeline.ingest.pages.vertical)
    declared_vertical: bool | None = None

    @property
    def lines(self) -> list[OcrLine]:
        """The page's lines, paragraph after paragraph."""
        return [line for paragraph in self.paragraphs for line in paragraph]


def words_of(text: str, confidence: float | None = None) -> list[OcrWord]:
    """A line the engine gave as one string: its words, all with the line's confidence."""
    return [OcrWord(word, confidence) for word in text.split()]


# Coordinates as OCR files write them are the input's word, not ours: a value that is no
# number, not finite or beyond any page (1e300) drops its box, a negative one is clamped to
# the page's edge, a fraction is rounded; each said, with the file's line, in the page's
# problems. One bad box never refuses a book.
MAX_COORDINATE = 1_000_000  # pixels or tenths of a millimetre: no scanned page comes near


def measure(value: str | None, what: str, line: int | None, problems: list[Problem]) -> int | None:
    """A whole number from a size or position the file writes; None (said) if it is none."""
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or abs(number) > MAX_COORDINATE:
        problems.append((line, f"{what} {value.strip()[:40]!r} is not a usable number; left out"))
        return None
    return round(number)


def clean_box(corners: list[int | None], written: str, line: int | None, problems: list[Problem]) -> Box | None:
    """(left, top, right, bottom) from numbers already read by :func:`measure`: None if one is
    missing; negative ones clamped to 0 and corners put in order, said."""
    if None in corners or len(corners) != 4:
        return None
    left, top, right, bottom = corners  # type: ignore[misc]
    if min(corners) < 0:  # type: ignore[type-var]
        problems.append((line, f"box {written[:60]!r} has a negative coordinate; clamped to 0"))
    box = (max(0, min(left, right)), max(0, min(top, bottom)), max(0, left, right), max(0, top, bottom))
    return box


def confidence(value: str | None, scale: float, line: int | None, problems: list[Problem]) -> float | None:
    """A word's confidence on the engine's scale (100 for hOCR's x_wconf) as 0-1; a value
    that is no number in the scale's range is left out, said."""
    if value is None or not value.strip():
        return None
    try:
        number = float(value) / scale
    except ValueError:
        number = math.nan
    if not 0 <= number <= 1:
        problems.append((line, f"confidence {value.strip()[:40]!r} is not a number from 0 to {scale:g}; left out"))
        return None
    return number


def box_of(points: str, line: int | None = None, problems: list[Problem] | None = None) -> Box | None:
    """The bounding box of a polygon written as ``x,y x,y …`` (PAGE) or ``x y x y`` pairs."""
    problems = [] if problems is None else problems
    tokens = [token for token in re.split(r"[\s,]+", points.strip()) if token]
    numbers = [measure(token, "point", line, problems) for token in tokens]
    if len(numbers) < 4 or len(numbers) % 2 or None in numbers:
        return None
    xs, ys = numbers[0::2], numbers[1::2]
    return clean_box([min(xs), min(ys), max(xs), max(ys)], points.strip(), line, problems)


def looks_bottom_origin(page: OcrPage) -> bool:
    """Lines that follow each other in reading order climb the page: the engine measured
    from the foot (OCRopus 0.4 writes hOCR so)."""
    climbs = falls = 0
    for paragraph in page.paragraphs:
        for before, after in zip(paragraph, paragraph[1:]):
            if before.box and after.box:
                climbs += after.box[1] < before.box[1]
                falls += after.box[1] > before.box[1]
    return climbs > 2 * falls and climbs >= 2


def local(tag: object) -> str:
    """An element's name without its namespace (every version of a format has its own)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
