"""Page images a browser can show, for the HTML preview: a PNG copy of each page whose
image is a TIFF, a JPEG 2000, a BMP or a PDF page. The edition names them beside its master
image (``<graphic n="display">``); they are written beside the edition as they are made."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest.pages import images, pdf
from pipeline.ingest.pages.compose import SourceFile
from pipeline.ingest.pages.formats import is_pdf
from pipeline.ingest.pages.pagework import PageMap, in_threads
from pipeline.model import Document, Surface

DISPLAY_DPI = 72  # PDF pages rendered for display: about DISPLAY_WIDTH wide for A4
DISPLAY_PIXELS = 4 * images.DISPLAY_WIDTH ** 2  # a PDF page declared huge is rendered smaller still


def display_images(doc: Document, files: list[SourceFile], folder: str, threads: int = 1,
                   max_pixels: int = 300_000_000, write_to: Path | None = None,
                   map_pages: PageMap | None = None) -> dict[str, bytes]:
    """{path under the edition's folder: PNG} for each page that needs one; the surfaces are
    given their ``display_image``. ``folder``: where the copies go (``<edition>.pages``).
    ``write_to``: the edition's folder, where each copy is written as soon as it is made
    (nothing is returned): a big book's copies are never all in memory.
    Image pages are decoded, scaled and encoded on ``threads`` threads (Pillow lets go of the
    interpreter while it works), or as units of work through ``map_pages``; a PDF's pages are
    rendered in order, the PDF opened once. An image over ``max_pixels`` (the run's limit) gets
    no copy: it is never decoded."""
    by_name = {file.name: file for file in files}
    wanted = [(number, surface) for number, surface in enumerate(doc.facsimile, start=1)
              if surface.image is not None and surface.image in by_name
              and not images.shown_by_browsers(surface.image)]
    pdfs = {name for name in {surface.image for _, surface in wanted} if is_pdf(by_name[name].head(1024))}
    jobs = [CopyJob(by_name[surface.image], (surface.image_page or 1) - 1, f"{folder}/{number:04d}.png",
                    str(write_to) if write_to is not None else None, max_pixels)
            for number, surface in wanted if surface.image not in pdfs]
    rendered: dict[str, object] = {}

    def pdf_copy(surface: Surface) -> bytes | None:
        try:
            pages = rendered.setdefault(surface.image, pdf.rendered_pages(
                by_name[surface.image].data, surface.image, DISPLAY_DPI, DISPLAY_PIXELS, min_dpi=1))
            return images.display_copy(next(r.image for r in pages if r.number == (surface.image_page or 1)))
        except Exception:  # damaged: the reader said so when it read the page
            return None

    made: dict[str, bytes] = {}
    copies = iter((map_pages or in_threads(threads if not pdfs else 1))(make_copy, jobs))
    for number, surface in wanted:
        name = f"{folder}/{number:04d}.png"
        if surface.image in pdfs:
            png = pdf_copy(surface)
            if png is not None and write_to is not None:
                write_copy(write_to / name, png)
            done = png is not None
        else:
            png = next(copies)
            done = png is not None and png is not False
        if done:
            surface.display_image = name
            if isinstance(png, bytes) and write_to is None:
                made[name] = png
    return made


@dataclass(frozen=True)
class CopyJob:
    """One page's display copy to make: from which file and page, under which name, and where
    to write it (None: returned)."""
    file: SourceFile
    page: int  # 0-based, inside the file
    name: str  # under the edition's folder
    folder: str | None  # the edition's folder
    max_pixels: int


def make_copy(job: CopyJob) -> bytes | bool | None:
    """The page's PNG copy, or True once written into ``job.folder``; None when the image cannot
    be read (the reader said why when it read the page: the preview shows the text alone)."""
    try:
        png = images.display_copy(images.frame(job.file.opened, job.page, job.file.name, job.max_pixels))
    except Exception:  # damaged, over the limit
        return None
    if job.folder is None:
        return png
    write_copy(Path(job.folder) / job.name, png)
    return True


def write_copy(path: Path, png: bytes) -> None:
    """Written whole or not at all (a temporary file renamed over it). Not flushed to disk
    file by file as editions are: a copy is made again from its page image by the next run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        temporary.write_bytes(png)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
