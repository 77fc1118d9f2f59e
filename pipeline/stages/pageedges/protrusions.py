"""What stands out of the text block into the margin, seen in line boxes alone.

Some engines (OCRopus) give a page image's lines with their boxes but no word boxes: a line
number printed in the margin beside a line is read into the line, and the line's box reaches
into the margin by the number's width (``s tae sunt``, ``100nes, cum pace``, ``inae- >``).
The page's own evidence tells it: the text block's edges (where most full lines begin and
end), the line's width of a character (its box over its characters), and the characters at
the line's edge that the part of the box out in the margin holds: a short word standing
apart, or the digits and marks glued to the line's first word (never letters cut off a
word). These are candidates only: a run of them, every fifth line page after page, decides
(:mod:`pipeline.stages.pageedges.margins`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from pipeline.ingest.pages.vertical import to_reading_frame
from pipeline.model import Document, Surface

FULL_LINE = 20  # characters of a line that sets the text block's edges
MIN_OUT = 0.9  # characters' widths out in the margin, at least
MAX_OUT = 4.5  # ... at most (a margin's number: three digits and a space)
MAX_TOKEN = 3  # characters of the edge's piece
SLACK = 1.6  # characters the piece's width may differ from the part out in the margin
EDGE_WORD = {"left": re.compile(r"^\s*(\S{1,3})\s+\S"), "right": re.compile(r"\S\s+(\S{1,3})\s*$")}
# digits and marks opening the line's first word (a letter for a digit first: "o8pera" is 10 and "pera")
GLUED = re.compile(r"^\s*([^\W_]?[\W\d_]*)")


@dataclass(frozen=True)
class Protrusion:
    """A piece at a line's edge whose part of the line's box stands out into the margin."""
    start: int  # the piece's characters in the document's text
    end: int
    side: str  # "left" or "right"


def protrusions(doc: Document) -> list[Protrusion]:
    """The pieces at the edges of lines that stand out into the margin, on the page images
    whose OCR set no margin's words apart (no word boxes)."""
    found = []
    for surface in doc.facsimile:
        if not surface.margins:
            found += _of_surface(doc.text, surface)
    return found


def _of_surface(text: str, surface: Surface) -> list[Protrusion]:
    full = [zone for zone in surface.lines if zone.end - zone.start >= FULL_LINE and zone.box[2] > zone.box[0]]
    if len(full) < 5:
        return []
    boxes = [zone.box for zone in full]
    if surface.vertical:  # columns: their tops and feet, measured in the page's reading frame
        width = max(surface.width or 0, max(box[2] for box in boxes))
        boxes = [to_reading_frame(box, width) for box in boxes]
    left, right = median(box[0] for box in boxes), median(box[2] for box in boxes)
    found = []
    for zone, box in zip(full, boxes):
        line = text[zone.start:zone.end]
        width = (box[2] - box[0]) / len(line)
        for side, out in (("left", left - box[0]), ("right", box[2] - right)):
            if MIN_OUT * width <= out <= MAX_OUT * width and (piece := _piece(line, side, out / width)):
                found.append(Protrusion(zone.start + piece[0], zone.start + piece[1], side))
    return found


def _piece(line: str, side: str, out: float) -> tuple[int, int] | None:
    """The characters of ``line`` at ``side`` the part of its box out in the margin holds
    (``out`` characters' widths): a short word standing apart, its width and a space's about
    that; or on the left the digits and marks glued to the first word, as many as fit."""
    if (match := EDGE_WORD[side].search(line)) and abs(len(match.group(1)) + 1 - out) <= SLACK:
        return match.span(1)
    if side == "left" and (match := GLUED.match(line)):
        start = match.start(1)
        end = min(match.end(1), start + round(out))
        if end > start and not line[start:end].isalpha():
            return start, end
    return None
