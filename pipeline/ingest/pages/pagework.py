"""A book's pages as units of work: reading one page file, recognising one page image, making
one page's display copy, each a function of picklable data (a file's path, the settings) that
any process can run, and a map that runs them.

The library runs them itself (:func:`in_threads`); an orchestrator may hand the reader its own
map (``map_pages``) that spreads them over other processes or machines, say a Dask cluster's
workers: only paths and the pages as read travel, never an open image. A map gives the results
in the order of the jobs, so the book is assembled in page order whoever read each page, and
the edition is the same byte for byte.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from pipeline.errors import DocumentError
from pipeline.ingest.pages import images, ocr
from pipeline.ingest.pages.compose import PageSource, SourceFile, lay_out_early
from pipeline.ingest.pages.formats import ocr_format
from pipeline.ingest.pages.ocrpage import OcrPage

SNIFF_BYTES = 65536

# (function, jobs) -> the function's results, in the order of the jobs. The function is a
# module-level function and the jobs picklable, so that another process may run them.
PageMap = Callable[[Callable[[Any], Any], list], Iterable]


def in_threads(threads: int) -> PageMap:
    """A map on ``threads`` threads of this process (Pillow and Tesseract let go of Python's
    lock while they work), at most two jobs a thread waiting: each may hold a decoded image."""
    def run(function: Callable, jobs: list) -> Iterator:
        if threads <= 1:
            yield from map(function, jobs)
            return
        with ThreadPoolExecutor(threads) as executor:
            waiting: deque = deque()
            for job in jobs:
                waiting.append(executor.submit(function, job))
                if len(waiting) >= 2 * threads:
                    yield waiting.popleft().result()
            while waiting:
                yield waiting.popleft().result()
    return run


def parse_page_file(file: SourceFile) -> tuple[str, list[OcrPage]] | DocumentError:
    """An OCR file's pages as its format's reader gives them, laid out (margins, columns), with
    the format's name; or the problem that keeps it from being read."""
    try:
        data = file.data
        label, module = ocr_format(data[:SNIFF_BYTES], file.name)
        return label, [lay_out_early(page) for page in module.parse(data, file.name)]
    except DocumentError as error:
        return error


@dataclass(frozen=True)
class FrameJob:
    """One page of an image file to recognise, with what the reader needs to know."""
    file: SourceFile
    index: int  # the page inside the file, 0-based
    count: int  # pages in the file
    document: str  # the document's name, for the engine's messages
    languages: str | None
    max_pixels: int
    choices: tuple[tuple[tuple[str, tuple[str, str]], ...], bool]  # LanguageChoices.snapshot()
    language_of: ocr.LanguageOf | None = None


@dataclass
class FrameRead:
    """What a FrameJob gives: the page as read (with its place in the book), or why the frame
    was not read; and the models chosen so far for the document's later pages."""
    source: PageSource | None
    problem: images.ImageProblem | None
    size: tuple[int, int] | None  # of a page not read, when its header told it
    choices: tuple


def recognise_frame(job: FrameJob) -> FrameRead:
    """Decode one page of an image file and recognise it, with this process's recogniser for
    the document's models (Tesseract's models are loaded once per process and thread)."""
    frame = images.decode_frame(job.file.opened, job.file.name, job.index, job.max_pixels)
    if frame.problem is not None:
        return FrameRead(None, frame.problem, frame.size, job.choices)
    recogniser = _recogniser(job.languages, job.document)
    recogniser.choices = ocr.LanguageChoices.restored(job.choices)
    recogniser.language_of = job.language_of
    page = lay_out_early(recogniser.read(frame.image, frame.dpi))
    source = PageSource(page, text_from=f"{job.file.name} (OCR)", image=job.file.name,
                        image_page=job.index + 1 if job.count > 1 else None, image_size=frame.image.size)
    return FrameRead(source, None, None, recogniser.choices.snapshot())


_RECOGNISERS = threading.local()  # per thread: {(languages, document): Recogniser}


def _recogniser(languages: str | None, document: str) -> ocr.Recogniser:
    """This thread's recogniser for the models; the last document's is let go when another comes."""
    held = getattr(_RECOGNISERS, "held", None)
    if held is None or held[0] != (languages, document):
        if held is not None:
            held[1].__exit__()
        held = _RECOGNISERS.held = ((languages, document), ocr.Recogniser(languages, document))
    return held[1]


def recognise(jobs: list[FrameJob], map_pages: PageMap) -> Iterator[FrameRead]:
    """Each frame recognised through ``map_pages``, in order. The first pages are read one at
    a time until one has chosen the models of the document's later pages (as
    :meth:`ocr.RecogniserPool.map` does), then the others all at once with that choice."""
    choices = jobs[0].choices if jobs else ((), False)
    position = 0
    while position < min(len(jobs), ocr.PAGES_TO_CHOOSE) and choices[1]:
        read = next(iter(map_pages(recognise_frame, [_with_choices(jobs[position], choices)])))
        choices = read.choices
        position += 1
        yield read
    closed = (choices[0], False)
    yield from map_pages(recognise_frame, [_with_choices(job, closed) for job in jobs[position:]])


def _with_choices(job: FrameJob, choices: tuple) -> FrameJob:
    return FrameJob(job.file, job.index, job.count, job.document, job.languages, job.max_pixels, choices,
                    job.language_of)
