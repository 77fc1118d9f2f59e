"""Pages in, one document out: the text of every line as the engine read it (lines joined
by a newline, paragraphs and pages by a blank line) and, beside it, the facsimile: each
page's image and size, each line's box and the engine's confidence in each word."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.errors import DocumentError, EmptyDocument
from pipeline.ingest.pages.asides import set_asides_apart
from pipeline.ingest.pages.columns import NEIGHBOURS, read_by_columns, runs_on, word_goes_on
from pipeline.ingest.pages.ocrpage import Box, OcrLine, OcrPage
from pipeline.ingest.pages.vertical import to_reading_frame, vertical_page
from pipeline.model import Document, EncodingGuess, LineZone, SourceInfo, Surface, text_block_margins


@dataclass
class PageSource:
    """One page as read, and where it came from."""

    page: OcrPage
    text_from: str  # the file its text was read from, and how (for the report)
    # that file, relative to the source's folder (or its URL), when it is not the page's image
    text_file: str | None = None
    image: str | None = None  # its image, relative to the source's folder
    image_page: int | None = None  # the page inside a multi-page image or PDF
    image_size: tuple[int, int] | None = None  # (width, height) of the image, when it was opened
    # why the page has no text (gap/@reason, what was wrong): an image not read, over the
    # pixel limit or damaged; the edition keeps the page, its break and a gap
    missing: tuple[str, str] | None = None

    @property
    def recognised(self) -> bool:
        """Whether the page's text is the OCR's reading of its image (its ``text_from`` says so)."""
        return self.text_from.endswith("(OCR)")

    @property
    def without_text(self) -> tuple[str, str] | None:
        """Why the page has no text, where it has none: its ``missing`` reason, or a blank page
        (read, nothing on it: a verso left blank, a plate), which keeps its page break too."""
        if self.missing or self.page.lines:
            return self.missing
        return "blank", "its image, recognised, shows none" if self.recognised \
            else "its text file holds none"


@dataclass(frozen=True)
class SourceFile:
    """One file of a source: its name and its bytes, held (``content``) or read from ``path``
    each time they are needed: a big book's page files are never all in memory at once, and
    only their paths travel to the processes that read its pages."""
    name: str  # relative to the source's folder
    content: bytes = b""
    unread_size: int = 0  # a page file over max_page_file_bytes, not read (``data`` empty): its size
    path: str | None = None  # where the bytes are, when they are not held
    file_size: int = 0  # the size of the file at ``path``, when it was listed

    @classmethod
    def at(cls, name: str, path: Path, size: int) -> SourceFile:
        """The file at ``path`` (of ``size`` bytes when listed), read when needed."""
        return cls(name, path=str(path), file_size=size)

    @property
    def data(self) -> bytes:
        """The file's bytes (read from disk, for a file not held)."""
        if self.path is None:
            return self.content
        try:
            return Path(self.path).read_bytes()
        except PermissionError as error:
            raise DocumentError(self.name, "cannot be read: permission denied",
                                "give the pipeline's user read access to it") from error
        except FileNotFoundError as error:
            raise DocumentError(self.name, "disappeared before it could be read", "run again") from error

    @property
    def opened(self) -> bytes | Path:
        """What an image reader opens: the bytes held, or the file (read as far as needed)."""
        return self.content if self.path is None else Path(self.path)

    @property
    def size(self) -> int:
        """Its size in bytes, without reading it."""
        return self.file_size if self.path is not None else len(self.content)

    def head(self, count: int) -> bytes:
        """The first ``count`` bytes, without reading the rest from disk."""
        if self.path is None:
            return self.content[:count]
        try:
            with open(self.path, "rb") as handle:
                return handle.read(count)
        except OSError:
            return self.data[:count]  # says what is wrong with the file, as a DocumentError

    def digest(self) -> bytes:
        """Its SHA-256, read from disk in pieces for a file not held."""
        if self.path is None:
            return hashlib.sha256(self.content).digest()
        with open(self.path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").digest()


def fingerprint(files: list[SourceFile], book: bool) -> tuple[int, str]:
    """(size, SHA-256) of a source: a file's own digest; a book's, the digest of its page
    files' names and digests in order (so that a run can check a book's files one by one,
    never holding them all)."""
    size = sum(file.size for file in files)
    if not book:
        return size, files[0].digest().hex()
    return size, combined_digest([(file.name, file.digest()) for file in files])


def combined_digest(digests: list[tuple[str, bytes]]) -> str:
    """One SHA-256 over a book's files: each name and its digest, in order."""
    digest = hashlib.sha256()
    for name, file_digest in digests:
        digest.update(name.encode() + b"\0" + file_digest)
    return digest.hexdigest()


def compose(pages: list[PageSource], name: str, files: list[SourceFile], encoding: str, book: bool) -> Document:
    """The document of a source's pages in order: their text, one page after another, and a facsimile surface for
    each page with an image."""
    parts: list[str] = []
    position = 0
    surfaces: list[Surface] = []
    book_height = _book_height(pages) if any(source.page.bottom_origin for source in pages) else None

    def add(text: str) -> int:
        nonlocal position
        start = position
        parts.append(text)
        position += len(text)
        return start

    for source in pages:
        if position:
            add("\n\n")
        scale = _scale_to_image(source)
        surface = _surface(source, position, scale)
        flip = _flip_height(source, book_height)
        lay_out(source.page)
        surface.vertical = vertical_page(source.page)
        column = None
        for p, paragraph in enumerate(paragraphs_by_layout(source.page, surface.vertical)):
            if p:
                add("\n\n")
            for n, line in enumerate(paragraph):
                if n:
                    add("\n")
                start, asides = add(""), []
                if line.column is not None and line.column != column:
                    surface.columns.append((start, line.column[1]))
                column = line.column
                for aside in line.asides:  # the margin's words first, then the line's own
                    asides.append(_zone(aside, add, flip, scale))
                    add(" ")
                zone = _zone(line, add, flip, scale)
                zone.start, zone.words = start, [span for aside in asides for span in aside.words] + zone.words
                surface.lines.append(zone)
                surface.margins += asides
        surface.end = position
        surfaces.append(surface)
    text = "".join(parts)
    if not text.strip():
        raise EmptyDocument(name, "has no recognised text on any page")
    size, sha256 = fingerprint(files, book)
    return Document(source=SourceInfo(file_name=name, size=size, sha256=sha256, folder=book,
                                       encoding=EncodingGuess(encoding=encoding, confidence=1.0)),
                    text=text, facsimile=surfaces)


def lay_out(page: OcrPage) -> OcrPage:
    """The page with the words in its margins set apart and its columns read in order (in
    place; once). A page's own geometry decides both: a book's pages may be laid out where
    they are read, by the processes that read them (:mod:`pagework`)."""
    if not page.laid_out:
        set_asides_apart(page)
        read_by_columns(page)
        page.laid_out = True
    return page


def lay_out_early(page: OcrPage) -> OcrPage:
    """The page laid out where it is read, unless it measures from its foot (OCRopus 0.4):
    a page of unknown size is then placed by the extent of the book's text before layout."""
    return page if page.bottom_origin else lay_out(page)


def paragraphs_by_layout(page: OcrPage, columns: bool | None = None) -> list[list[OcrLine]]:
    """The engine's paragraphs, where the page's layout bears them out: a paragraph ends
    before an indented line, at a gap wider than the lines' spacing, or after a line that
    stops well short of the right margin (a third of the text's width: ragged-right text
    ends lines short all the time), and never inside a word hyphenated at the line's end.
    Engines split where none of these holds (Tesseract cuts a page's text into "paragraphs"
    at random); where one holds, the engine's break stays. A page of columns (:mod:`vertical`)
    is measured in its reading frame: a column's indent is at its top (``columns``: whether the
    page is one, where the caller knows)."""
    if vertical_page(page) if columns is None else columns:
        return _in_reading_frame(page, _paragraphs_by_layout)
    return _paragraphs_by_layout(page)


def _in_reading_frame(page: OcrPage, rule) -> list[list[OcrLine]]:
    """``rule``'s paragraphs of a page of columns, measured on the page turned into its
    reading frame (each column a line), given back as the page's own lines."""
    width = max((line.box[2] for line in page.lines if line.box), default=0)
    own: dict[int, OcrLine] = {}
    turned = OcrPage(paragraphs=[], width=page.height, height=width)
    for paragraph in page.paragraphs:
        copies = [replace(line, box=to_reading_frame(line.box, width) if line.box else None)
                  for line in paragraph]
        own |= {id(copy): line for copy, line in zip(copies, paragraph)}
        turned.paragraphs.append(copies)
    return [[own[id(copy)] for copy in paragraph] for paragraph in rule(turned)]


def _paragraphs_by_layout(page: OcrPage) -> list[list[OcrLine]]:
    lines = [line for line in page.lines if line.box]
    if len(lines) < 4 or len(lines) != len(page.lines):
        return page.paragraphs
    heights = sorted(line.box[3] - line.box[1] for line in lines)
    height = max(1, heights[len(heights) // 2])
    margins = {column: text_block_margins([line.box for line in lines if line.column == column])
               for column in {line.column for line in lines}}  # the text block's, or each column's
    gaps = sorted(b.box[1] - a.box[3] for a, b in zip(lines, lines[1:]) if b.box[1] > a.box[1])
    gap = gaps[len(gaps) // 2] if gaps else height // 2
    merged: list[list[OcrLine]] = []
    for paragraph in page.paragraphs:
        if merged:
            before, after = merged[-1][-1], paragraph[0]
            if after.column != before.column and None not in (after.column, before.column):
                # from one column's foot to the next one's top, measured in each column
                above = [line for line in lines if line.column == before.column and line is not before]
                below = [line for line in lines if line.column == after.column and line is not after]
                goes_on = runs_on(before, after, above[-NEIGHBOURS:], below[:NEIGHBOURS], height)
            else:
                (left, _), (before_left, right) = margins[after.column], margins[before.column]
                goes_on = (after.box[0] <= left + height // 2 and before.box[2] >= right - (right - before_left) // 3
                           and after.box[1] - before.box[3] <= gap + height // 2) or word_goes_on(before, after)
            if goes_on:
                merged[-1] = merged[-1] + paragraph
                continue
        merged.append(list(paragraph))
    return merged


SAME_SHAPE = 0.02  # page and image whose width-to-height ratios differ by less are one page's


def _scale_to_image(source: PageSource) -> tuple[float, float] | None:
    """Factors from the OCR file's measures to its image's pixels, where they differ: ALTO may
    measure in tenths of a millimetre or 1/1200 inch, and an engine may have read a copy of the
    image at another resolution. None where they agree, or where the page and the image are not
    the same shape (then nothing says how one maps onto the other)."""
    page = source.page
    if not (source.image_size and page.width and page.height):
        return None
    x, y = source.image_size[0] / page.width, source.image_size[1] / page.height
    if (x, y) == (1.0, 1.0) or abs(x / y - 1) > SAME_SHAPE:
        return None
    return x, y


def _surface(source: PageSource, start: int, scale: tuple[float, float] | None) -> Surface:
    page = source.page
    if page.unit != "pixel" and scale is None:  # no image told the pixels: the file's own unit
        (width, height), unit = (page.width, page.height), page.unit
    else:
        (width, height), unit = source.image_size or (page.width, page.height), "pixel"
    return Surface(start=start, end=start, image=source.image, image_page=source.image_page, width=width,
                   height=height, unit=unit, text_from=source.text_from, text_file=source.text_file, engine=page.engine,
                   missing=source.without_text)


def _flip_height(source: PageSource, book_height: int | None) -> int | None:
    """The height to measure boxes from when the engine measured them from the page's foot, in
    the file's own measure: the page's, the image's, or (neither known) the book's estimate."""
    if not source.page.bottom_origin:
        return None
    if source.page.height or source.image_size:
        return source.page.height or source.image_size[1]
    return book_height


def _book_height(pages: list[PageSource]) -> int | None:
    """For pages of unknown size: the extent of the text with equal margins above and below,
    the largest over the book's pages (its pages are one size; a page whose text stops
    half-way down would give too small a page)."""
    extents = []
    for source in pages:
        boxes = [line.box for line in source.page.lines if line.box]
        if boxes:
            extents.append(max(b[3] for b in boxes) + min(b[1] for b in boxes))
    return max(extents) if extents else None


def _zone(line: OcrLine, add, flip: int | None, scale: tuple[float, float] | None) -> LineZone:
    """Writes the line's words and returns where they went, with the line's box (in the
    image's pixels where the scale to them is known)."""
    words, placed = [], []
    start = add("")
    for index, word in enumerate(line.words):
        if index:
            add(" ")
        at = add(word.text)
        placed.append((at, at + len(word.text), word.box))
        if word.confidence is not None:
            words.append((at, at + len(word.text), round(word.confidence, 3)))
    box: Box = line.box or (0, 0, 0, 0)
    if flip is not None and line.box:
        box = (box[0], flip - box[3], box[2], flip - box[1])
    if scale is not None:
        box = (round(box[0] * scale[0]), round(box[1] * scale[1]), round(box[2] * scale[0]), round(box[3] * scale[1]))
    return LineZone(start=start, end=add(""), box=box, words=words, role=line.role, source_id=line.source_id,
                    pieces=_pieces(placed, line.box, scale[0] if scale else 1.0))


PIECE_GAP = 2.5  # line heights: words set farther apart than this are pieces of their own
PIECE_WORDS = 8  # a head's or a foot's line holds a few words


def _pieces(words: list[tuple[int, int, Box | None]], box: Box | None, scale: float) -> list[tuple[int, int, int, int]]:
    """A short line's runs of words set far apart, as printers set a page number at the corner
    and the head in the middle: (start, end, left, right) of each run, left to right; empty
    for a line of one run, a long line, or words without boxes."""
    if box is None or not 2 <= len(words) <= PIECE_WORDS:
        return []
    spans = sorted((start, end, word_box[0], word_box[2]) for start, end, word_box in words if word_box is not None)
    if len(spans) < len(words):
        return []
    gap = PIECE_GAP * (box[3] - box[1])
    runs: list[list[tuple[int, int, int, int]]] = []
    for span in sorted(spans, key=lambda span: span[2]):
        if runs and span[2] - runs[-1][-1][3] <= gap:
            runs[-1].append(span)
        else:
            runs.append([span])
    if len(runs) < 2:
        return []
    return [(min(span[0] for span in run), max(span[1] for span in run), round(run[0][2] * scale),
             round(max(span[3] for span in run) * scale)) for run in runs]


def engines(pages: list[PageSource]) -> str:
    """What read the text, most pages first: "ABBYY FineReader Engine 11 (93 pages)"."""
    counts = Counter(source.page.engine or "an unnamed engine" for source in pages)
    return "; ".join(f"{engine} ({n} page{'s' * (n != 1)})" for engine, n in counts.most_common())
