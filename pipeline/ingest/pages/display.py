"""Page images a browser can show, for the HTML preview: a PNG copy of each page whose
image is a TIFF, a JPEG 2000, a BMP or a PDF page. The edition names them beside its master
image (``<graphic n="display">``); the run writes them beside the edition."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from pipeline.ingest.pages import images, pdf
from pipeline.ingest.pages.compose import SourceFile
from pipeline.ingest.pages.formats import is_pdf
from pipeline.model import Document, Surface

DISPLAY_DPI = 72  # PDF pages rendered for display: about DISPLAY_WIDTH wide for A4
DISPLAY_PIXELS = 4 * images.DISPLAY_WIDTH ** 2  # a PDF page declared huge is rendered smaller still


def display_images(doc: Document, files: list[SourceFile], folder: str, threads: int = 1,
                   max_pixels: int = 300_000_000) -> dict[str, bytes]:
    """{path under the edition's folder: PNG} for each page that needs one; the surfaces are
    given their ``display_image``. ``folder``: where the copies go (``<edition>.pages``).
    Image pages are decoded, scaled and encoded on ``threads`` threads (Pillow lets go of the
    interpreter while it works); a PDF's pages are rendered in order, the PDF opened once.
    An image over ``max_pixels`` (the run's limit) gets no copy: it is never decoded."""
    data = {file.name: file.data for file in files}
    wanted = [(number, surface) for number, surface in enumerate(doc.facsimile, start=1)
              if surface.image is not None and surface.image in data and not images.shown_by_browsers(surface.image)]
    rendered: dict[str, object] = {}

    def copy(job: tuple[int, Surface]) -> bytes | None:
        _, surface = job
        page = (surface.image_page or 1) - 1
        try:
            if is_pdf(data[surface.image]):
                pages = rendered.setdefault(surface.image, pdf.rendered_pages(
                    data[surface.image], surface.image, DISPLAY_DPI, DISPLAY_PIXELS, min_dpi=1))
                picture = next(r.image for r in pages if r.number == page + 1)
            else:
                picture = images.frame(data[surface.image], page, surface.image, max_pixels)
            return images.display_copy(picture)
        except Exception:  # damaged, over the limit: the reader said so when it read the page
            return None  # no copy: the preview shows the text alone for this page

    on_threads = threads > 1 and not any(is_pdf(data[surface.image]) for _, surface in wanted)
    with ThreadPoolExecutor(threads if on_threads else 1) as pool:
        copies = list(pool.map(copy, wanted))
    made: dict[str, bytes] = {}
    for (number, surface), png in zip(wanted, copies):
        if png is not None:
            name = f"{folder}/{number:04d}.png"
            made[name] = png
            surface.display_image = name
    return made
