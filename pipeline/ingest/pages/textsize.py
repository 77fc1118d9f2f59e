"""The size of a page's text as Tesseract is handed it: a page whose lines are far taller than
the engine reads best is read at a reduced size, its boxes measured back in the page's pixels.

Tesseract's LSTM models were trained on lines rendered at about 300 dpi; its documentation puts
the x-height of 10-point type there at about 20 pixels, a line (ascenders to descenders) some
45-50. The models read each line scaled to their input height, but the page's layout and its
lines' grey levels come from the image as given, and text much larger reads worse. Measured
(the library's reading, as bench.engines scores it): the Grenzboten's 20 TIFFs (1841, Fraktur,
1-bit 600 dpi, lines 94 px tall) read at 1.48 % CER as given, 1.39 % at two thirds of their size
(lines 63 px), 1.30 % at half (47 px), better on 15 of the 20 pages; Hobbes' 8 pages (1668,
1-bit 600 dpi, lines 65 px) 9.74 % as given, 9.85 % at half (33 px). A page is reduced by a
whole factor (half, a third, …: each pixel of the reduced page the mean of a square of the
page's, no resampling phase: read at 0.51 of its size, the Grenzboten's page 179393 came out
of the pipeline with 57 errors, at 0.5 with 47) that brings its median line nearest
TARGET_LINE; never enlarged. The page's first reading, as given, tells its lines' height.
"""

from __future__ import annotations

from pipeline.ingest.pages.ocrpage import OcrPage

TARGET_LINE = 48  # pixels from ascender to descender, the median text line of a page Tesseract reads best


def line_height(page: OcrPage) -> int | None:
    """The median height of the page's lines of text (None: no line with a box and a letter)."""
    heights = sorted(line.box[3] - line.box[1] for line in page.lines
                     if line.box and any(ch.isalnum() for ch in line.text))
    return heights[len(heights) // 2] if heights else None


def reduction(page: OcrPage) -> int | None:
    """The whole factor to reduce the page by, from its first reading's lines (2: to half its
    size), the one that brings them nearest TARGET_LINE: None to read it as it is (lines under
    1.5 times TARGET_LINE: Hobbes' 65 px are read as they are, the Grenzboten's 94 px at half)."""
    height = line_height(page)
    factor = int(height / TARGET_LINE + 0.5) if height else 1
    return factor if factor >= 2 else None


def reduced(image, factor: int):
    """The page image at 1/``factor`` of its size, each pixel the mean of the square of pixels
    it stands for: a 1-bit page becomes grey (its edges anti-aliased), grey and colour keep their mode."""
    from PIL import Image

    source = image.convert("L") if image.mode == "1" else image
    return source.resize((max(1, image.width // factor), max(1, image.height // factor)), Image.BOX,
                         box=(0, 0, image.width // factor * factor, image.height // factor * factor))


def scaled_back(page: OcrPage, factor: int) -> OcrPage:
    """The page read from the reduced image, every box measured again in the page's own pixels."""
    def back(box):
        return tuple(value * factor for value in box) if box else box

    for line in page.lines:
        line.box = back(line.box)
        for word in line.words:
            word.box = back(word.box)
    if page.width and page.height:
        page.width, page.height = page.width * factor, page.height * factor
    return page
