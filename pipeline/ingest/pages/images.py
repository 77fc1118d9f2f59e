"""Page images: opened with Pillow, a multi-page TIFF frame by frame.

Every image is measured from its header before a pixel is decoded, against the run's own
limit (``max_page_pixels``), the same whatever was read before: the one limit, said once.
Pillow's own process-wide ceiling (``MAX_IMAGE_PIXELS``: a warning past 89 M pixels, an error
past 179 M) is lifted only while Pillow works on an image of ours (see :func:`_pillow`) and
put back after. Images are opened by the plugin of the format their first bytes show (never
any other of Pillow's formats), and a header Pillow cannot parse, whatever it raises, is the
file's problem, said in one line.
"""

from __future__ import annotations

import contextlib
import io
import logging
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import DocumentError

LOG = logging.getLogger(__name__)

# Our signatures' names (formats.IMAGE_SIGNATURES) -> Pillow's plugin for them
PILLOW_FORMATS = {"TIFF": "TIFF", "PNG": "PNG", "JPEG": "JPEG", "JPEG 2000": "JPEG2000", "BMP": "BMP", "GIF": "GIF"}
HEADER_BYTES = 64


class ImageProblem(DocumentError):
    """An image, or one page of it, that is not read: damaged, or over the pixel limit."""

    gap_reason = "unreadable"  # the edition's gap/@reason for the page's text


class OverTheLimit(ImageProblem):
    """A page image larger than the run's ``max_page_pixels``: never decoded."""

    gap_reason = "not-recognised"


_PILLOW_AT_WORK = threading.Lock()


@contextlib.contextmanager
def _pillow(name: str) -> Iterator[None]:
    """Pillow opening, seeking or decoding an image of ours, one image at a time.

    Its ceiling is lifted meanwhile: our limit was checked from the header before anything is
    decoded, and Pillow checks its own again inside the TIFF and GIF decoders, refusing pages
    of 179-300 M pixels that our limit admits. Its warnings (a TIFF's corrupt EXIF or
    truncated tags: metadata, not the page) go to the log, not the console. Both are
    process-wide settings, so they are set under a lock and put back at once."""
    from PIL import Image

    with _PILLOW_AT_WORK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ceiling, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
        try:
            yield
        finally:
            Image.MAX_IMAGE_PIXELS = ceiling
    for warning in caught:
        LOG.info("%s: %s", name, warning.message)


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
        with _pillow(name):
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
    """What an image file's header says: the first page's size and the number of pages."""
    size: tuple[int, int]  # (width, height) of the first page
    frames: int  # pages in the file
    damaged: str | None = None  # why the pages after the first cannot be counted


def header(source: bytes | Path, name: str) -> Header:
    """Size and page count from the file's headers, nothing decoded (ImageProblem if damaged)."""
    image = _open(source, name)
    try:
        try:
            with _pillow(name):
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


def size_of(data: bytes | Path, name: str = "image") -> tuple[int, int] | None:
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
        raise OverTheLimit(name, f"{where}{width:,} × {height:,} pixels ({width * height / 1e6:,.0f} megapixels), "
                                 f"over the limit of {limit / 1e6:,.0f}", "raise max_page_pixels to read it")


@dataclass
class Frame:
    """One page of an image file: decoded, or the one-line reason it was not."""

    index: int  # 0-based
    image: object | None  # a Pillow image ready for OCR
    dpi: int | None = None
    problem: ImageProblem | None = None
    size: tuple[int, int] | None = None  # of a page not decoded, when its header told it


def open_frames(data: bytes | Path, name: str, max_pixels: int) -> Iterator[Frame]:
    """Each page of the image, decoded one at a time; a page over ``max_pixels`` or one that
    cannot be decoded is a Frame with its problem, and the next pages still come."""
    image = _open(data, name)
    try:
        count = header(data, name).frames
        for index in range(count):
            yield _frame(image, index, count, name, max_pixels)
    finally:
        image.close()


def decode_frame(data: bytes | Path, name: str, index: int, max_pixels: int) -> Frame:
    """One page of the image (0-based), decoded as :func:`open_frames` decodes it: a page read
    by itself, in whatever process reads it."""
    image = _open(data, name)
    try:
        return _frame(image, index, header(data, name).frames, name, max_pixels)
    finally:
        image.close()


def _frame(image, index: int, count: int, name: str, max_pixels: int) -> Frame:
    try:
        page = _decoded(image, index, name, max_pixels, index + 1 if count > 1 else None)
        if page.mode not in ("1", "L", "RGB"):
            page = page.convert("RGB")
        return Frame(index, page, _dpi(image.info.get("dpi")))
    except ImageProblem as problem:
        return Frame(index, None, problem=problem, size=image.size)
    except Exception as error:  # damaged image data, in any of Pillow's decoders
        where = f"page {index + 1}: " if count > 1 else ""
        return Frame(index, None, problem=ImageProblem(
            name, f"{where}is an image that cannot be read ({type(error).__name__}: {error})"),
            size=_size_or_none(image))


BROWSER_FORMATS = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
DISPLAY_WIDTH = 1000  # pixels: a page beside the text on a screen; the master stays the source


def shown_by_browsers(name: str) -> bool:
    """Whether browsers show an image of this file name's format (else the preview gets a PNG copy)."""
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


def frame(data: bytes | Path, index: int, name: str, max_pixels: int):
    """One page (0-based) of an image file, decoded, as a Pillow image (ImageProblem over the limit)."""
    image = _open(data, name)
    try:
        return _decoded(image, index, name, max_pixels, index + 1)
    finally:
        image.close()


def _decoded(image, index: int, name: str, max_pixels: int, page: int | None):
    """Page ``index`` of an open image, decoded into memory, once its size is within ``max_pixels``."""
    with _pillow(name):
        image.seek(index)
    check_pixels(image.size, max_pixels, name, page)
    with _pillow(name):
        return image.copy()  # decodes the page (load) into an image of its own


def _size_or_none(image) -> tuple[int, int] | None:
    try:
        return image.size
    except Exception:  # a damaged frame may not know its own size
        return None


PLAUSIBLE_DPI = (50, 4800)  # a resolution outside is no resolution (TIFFs say 1 when they know none)


def _dpi(declared) -> int | None:
    """The image's resolution as its header states it, when it is one a scan can have."""
    try:
        dpi = round(float(declared[0]))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return dpi if PLAUSIBLE_DPI[0] <= dpi <= PLAUSIBLE_DPI[1] else None
