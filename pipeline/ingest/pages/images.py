"""Page images: opened with Pillow, a multi-page TIFF frame by frame.

Every image is measured from its header before a pixel is decoded, against the run's own
limit (``max_page_pixels``), the same whatever was read before: Pillow's process-wide
``MAX_IMAGE_PIXELS`` is never touched. Images are opened by the plugin of the format their
first bytes show (never any other of Pillow's formats), and a header Pillow cannot parse,
whatever it raises, is the file's problem, said in one line.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import DocumentError

# Our signatures' names (formats.IMAGE_SIGNATURES) -> Pillow's plugin for them
PILLOW_FORMATS = {"TIFF": "TIFF", "PNG": "PNG", "JPEG": "JPEG", "JPEG 2000": "JPEG2000", "BMP": "BMP", "GIF": "GIF"}
HEADER_BYTES = 64


class ImageProblem(DocumentError):
    """An image, or one page of it, that is not read: damaged, or over the pixel limit."""


def _open(source: bytes | Path, name: str):
    """The image, its header read and nothing decoded. Pillow's ``Image.open`` would check the
    size against its process-wide limit; the plugin's own class does not, and our limit is
    checked by the caller. Any exception of a damaged header becomes an ImageProblem."""
    from PIL import Image

    from pipeline.ingest.pages.formats import image_format

    handle = open(source, "rb") if isinstance(source, Path) else io.BytesIO(source)
    try:
        label = image_format(handle.read(HEADER_BYTES))
        if label is None:
            raise ImageProblem(name, "is not an image of a format the pipeline reads")
        handle.seek(0)
        Image.init()
        factory, _accept = Image.OPEN[PILLOW_FORMATS[label]]
        return factory(handle, name)
    except ImageProblem:
        handle.close()
        raise
    except Exception as error:  # a damaged header raises anything: TypeError, struct.error, KeyError…
        handle.close()
        raise ImageProblem(name, f"is an image that cannot be read ({type(error).__name__}: {error})",
                           "damaged, or in a format Pillow lacks") from error


@dataclass(frozen=True)
class Header:
    size: tuple[int, int]  # (width, height) of the first page
    frames: int  # pages in the file
    damaged: str | None = None  # why the pages after the first cannot be counted


def header(source: bytes | Path, name: str) -> Header:
    """Size and page count from the file's headers, nothing decoded (ImageProblem if damaged)."""
    image = _open(source, name)
    try:
        try:
            return Header(image.size, getattr(image, "n_frames", 1))
        except Exception as error:  # a damaged later page: the first is still a page
            return Header(image.size, 1, f"the pages after the first cannot be read ({type(error).__name__}: {error})")
    finally:
        image.close()


def frame_count(source: bytes | Path, name: str = "image") -> int:
    """How many pages the image holds (1 for anything that cannot be counted: its reader
    will say what is wrong with it)."""
    try:
        return header(source, name).frames
    except ImageProblem:
        return 1


def size_of(data: bytes, name: str = "image") -> tuple[int, int] | None:
    """(width, height) from the image's header, without decoding it; None if damaged."""
    try:
        return header(data, name).size
    except ImageProblem:
        return None


def check_pixels(size: tuple[int, int], limit: int, name: str, page: int | None = None) -> None:
    """ImageProblem for a page over ``limit`` pixels (from its declared size, before decoding)."""
    width, height = size
    if width * height > limit:
        where = f"page {page}: " if page else ""
        raise ImageProblem(name, f"{where}{width:,} × {height:,} pixels ({width * height / 1e6:,.0f} megapixels), "
                                 f"over the limit of {limit / 1e6:,.0f}", "raise max_page_pixels to read it")


@dataclass
class Frame:
    """One page of an image file: decoded, or the one-line reason it was not."""

    index: int  # 0-based
    image: object | None  # a Pillow image ready for OCR
    dpi: int | None = None
    problem: ImageProblem | None = None


def open_frames(data: bytes, name: str, max_pixels: int) -> Iterator[Frame]:
    """Each page of the image, decoded one at a time; a page over ``max_pixels`` or one that
    cannot be decoded is a Frame with its problem, and the next pages still come."""
    image = _open(data, name)
    try:
        count = header(data, name).frames
        for index in range(count):
            try:
                image.seek(index)
                check_pixels(image.size, max_pixels, name, index + 1 if count > 1 else None)
                dpi = image.info.get("dpi")
                page = image.copy()
                if page.mode not in ("1", "L", "RGB"):
                    page = page.convert("RGB")
                yield Frame(index, page, round(float(dpi[0])) if dpi and dpi[0] else None)
            except ImageProblem as problem:
                yield Frame(index, None, problem=problem)
            except Exception as error:  # damaged image data, in any of Pillow's decoders
                where = f"page {index + 1}: " if count > 1 else ""
                yield Frame(index, None, problem=ImageProblem(
                    name, f"{where}is an image that cannot be read ({type(error).__name__}: {error})"))
    finally:
        image.close()


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


def frame(data: bytes, index: int, name: str, max_pixels: int):
    """One page (0-based) of an image file, as a Pillow image (ImageProblem over the limit)."""
    image = _open(data, name)
    image.seek(index)
    check_pixels(image.size, max_pixels, name, index + 1)
    return image
