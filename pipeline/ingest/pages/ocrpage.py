"""What every OCR format says of a page, in one shape: paragraphs of lines of words, with
boxes and the engine's confidence. Each format's reader fills it; :mod:`compose` reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Box = tuple[int, int, int, int]  # ulx, uly, lrx, lry


@dataclass
class OcrWord:
    text: str
    confidence: float | None = None  # 0-1, as the engine rated it
    box: Box | None = None  # where the word stands, where the file says (margins and columns need it)


@dataclass
class OcrLine:
    words: list[OcrWord]
    box: Box | None = None
    role: str | None = None  # what the file says the line is: "page-number", "running-head", "signature", "catchword"
    region: str | None = None  # its region's type (PAGE) or tag's label (ALTO) as the file writes it, for evaluation
    # what the page prints in its margins beside this line (sigla, notes, numbers: see asides)
    asides: list[OcrLine] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


@dataclass
class OcrPage:
    paragraphs: list[list[OcrLine]] = field(default_factory=list)
    width: int | None = None
    height: int | None = None
    image: str | None = None  # the image the engine says it read, as written in the file
    engine: str = ""
    bottom_origin: bool = False  # boxes measured from the foot of the page (OCRopus 0.4)
    unit: str = "pixel"  # what the boxes and the page's size are measured in (ALTO: also mm10, inch1200)

    @property
    def lines(self) -> list[OcrLine]:
        return [line for paragraph in self.paragraphs for line in paragraph]


def words_of(text: str, confidence: float | None = None) -> list[OcrWord]:
    """A line the engine gave as one string: its words, all with the line's confidence."""
    return [OcrWord(word, confidence) for word in text.split()]


def box_of(points: str) -> Box | None:
    """The bounding box of a polygon written as ``x,y x,y …`` (PAGE) or ``x y x y`` pairs."""
    numbers = [int(float(n)) for n in re.findall(r"-?\d+(?:\.\d+)?", points)]
    if len(numbers) < 4 or len(numbers) % 2:
        return None
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


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
