"""Page images: opened with Pillow, a multi-page TIFF frame by frame."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import DocumentError

# A 600 dpi page is ~3,500 x 5,000; a poster scanned at 1,200 dpi stays under this.
MAX_PIXELS = 300_000_000


def open_frames(data: bytes, name: str) -> Iterator[tuple[object, int | None]]:
    """Each page of the image as a Pillow image ready for OCR, with its resolution (dpi)."""
    from PIL import Image, ImageSequence

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            for frame in ImageSequence.Iterator(image):
                dpi = frame.info.get("dpi")
                page = frame.copy()
                if page.mode not in ("1", "L", "RGB"):
                    page = page.convert("RGB")
                yield page, round(float(dpi[0])) if dpi and dpi[0] else None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise DocumentError(name, f"is an image that cannot be read ({error})") from error


def frame_count(source: bytes | Path) -> int:
    """How many pages the image (its bytes, or its file: only its headers are read) holds
    (1 for anything Pillow cannot count)."""
    from PIL import Image

    try:
        with Image.open(source if isinstance(source, Path) else io.BytesIO(source)) as image:
            return getattr(image, "n_frames", 1)
    except (OSError, SyntaxError, ValueError):
        return 1


def size_of(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the image's header, without decoding it."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (OSError, SyntaxError, ValueError):
        return None


BROWSER_FORMATS = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
DISPLAY_WIDTH = 1000  # pixels: a page beside the text on a screen; the master stays the source


def shown_by_browsers(name: str) -> bool:
    return Path(name).suffix.lower() in BROWSER_FORMATS


def display_copy(image) -> bytes:
    """A PNG of a page image (a Pillow image), DISPLAY_WIDTH wide, for the preview: browsers
    show no TIFF, JPEG 2000 or PDF page. Grey levels are kept (1-bit pages are scaled in grey)."""
    from PIL import Image

    if image.mode not in ("L", "RGB"):
        image = image.convert("L")
    if image.width > DISPLAY_WIDTH:
        image = image.resize((DISPLAY_WIDTH, round(image.height * DISPLAY_WIDTH / image.width)), Image.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def frame(data: bytes, index: int):
    """One page (0-based) of an image file, as a Pillow image."""
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.seek(index)
    return image
