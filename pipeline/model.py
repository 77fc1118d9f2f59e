"""The one document model that travels through every stage.

The decoded source text is never modified. Stages add *blocks* (spans of the
source that become headings, paragraphs, …) and *edits* (spans of the source
with an interpretation: a correction, a running head, a page break, …). The TEI
writer renders the source through them, so every source character ends up in
the edition exactly once and the source can be rebuilt from the edition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field, PrivateAttr

EditKind = Literal[
    "illegal-character",  # a character XML 1.0 forbids: <choice><sic><g/></sic><corr/></choice>
    "correction",  # a source error corrected: <choice><sic/><corr/></choice>
    "regularization",  # a variant regularized: <choice><orig/><reg/></choice>
    "running-head",  # <fw type="header">
    "page-number",  # <fw type="pageNum">
    "catalogue-number",  # <fw type="catalogue">
    "signature",  # <fw type="sig">: a signature mark at the foot of the page (3*, B 2)
    "catchword",  # <fw type="catch">: the next page's first word, at the foot of this one
    "line-number",  # <fw type="lineNum">: a line number printed in the margin
    "page-break",  # <pb/> (zero-length)
    "missing-page",  # <pb/><gap reason="missing"/> (zero-length): a page whose text is not in the source
    "column-break",  # <cb n="…"/> (zero-length): a column of the page begins
    "garbled",  # <unclear reason="garbled">
    "truncation",  # <gap reason="truncated"/> (zero-length): the source breaks off here
    "omission",  # an editorial omission the source marks: <gap reason="omitted"><desc>[…]</desc></gap>
    "note-anchor",  # a footnote reference: <ref type="noteAnchor">
    "footnote",  # a word processor's note or one printed at a page's foot, where it stands: <note place="foot">
    "margin-note",  # printed in the page's margin, beside its line: <note place="margin">
    "flag",  # an artefact flagged, not changed: <unclear reason="…">
    "low-confidence",  # a word the OCR engine doubted: <unclear reason="low-confidence">, may hold regularizations
    "hyphenation",  # an end-of-line hyphen removed: <choice><orig>-</orig><reg/></choice><lb break="no"/>
    "layout",  # source characters that are layout, not text (kept in the edition as such)
    "paragraph-join",  # a blank line inside a sentence, read as one paragraph: <lb ana="…"/>
]


# Edits and blocks are plain slotted dataclasses, not pydantic models: a big book has
# hundreds of thousands of them, and a pydantic instance costs about 1 KB (see BENCHMARKS.md).
@dataclass(slots=True, kw_only=True)
class Edit:
    """One intervention on a span ``[start, end)`` of the decoded source text."""

    start: int
    end: int
    kind: EditKind
    original: str
    replacement: str | None = None
    reason: str
    confidence: float = 1.0
    stage: str
    attrs: dict[str, str] = field(default_factory=dict)
    group: str = ""  # the header's group of regularizations it is counted in (kinds.REGULARIZATION_GROUPS)


BlockKind = Literal[
    "head", "p", "meta",
    "milestone",  # page furniture between paragraphs: only edits (pb, fw), no element of its own
    "doc-title", "doc-author",  # the title page
    "toc-head", "toc-item",  # the table of contents
    "item",  # a list item (bulleted line)
    "salute",  # the salutation that opens a letter
    "byline",  # the author's name under a title
    "note",  # notes at a page's foot between paragraphs: the note element itself, straight into the div
]


@dataclass(slots=True, kw_only=True)
class Block:
    """A span of the source that becomes one TEI block element."""

    start: int
    end: int
    kind: BlockKind
    lang: str | None = None
    level: int = 1  # heading depth: 1 opens a top-level div, 2 a div inside it, …
    part: Literal["front", "body", "back"] = "body"  # back: the host site's boilerplate
    attrs: dict[str, str] = field(default_factory=dict)  # e.g. a contents entry's page number


def text_block_margins(boxes: list[tuple[int, int, int, int]]) -> tuple[int, int]:
    """The left and right edges of the text block that line boxes (``ulx, uly, lrx, lry``) make:
    the first quartile of their left edges and the third of their right ones, so that indents,
    short lines and a stray mark in the margin do not move them."""
    lefts, rights = sorted(box[0] for box in boxes), sorted(box[2] for box in boxes)
    return lefts[len(lefts) // 4], rights[3 * len(rights) // 4]


@dataclass(slots=True, kw_only=True)
class LineZone:
    """Where one line of the text stands on its page image: ``[start, end)`` of the text,
    its box (``ulx, uly, lrx, lry`` in the surface's unit, image pixels unless it says
    otherwise), and the engine's confidence (0-1) in each word it rated, as
    ``(start, end, confidence)`` spans of the text."""

    start: int
    end: int
    box: tuple[int, int, int, int]
    words: list[tuple[int, int, float]] = field(default_factory=list)
    role: str | None = None  # page furniture the OCR file itself names ("page-number", "signature", "catchword")
    source_id: str | None = None  # the line's ID in the OCR file it was read from (ALTO), as it wrote it
    # a short line whose words stand in runs set far apart (a page number at the corner, the head
    # in the middle): each run as (start, end) of the text and (left, right) on the page
    pieces: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Surface:
    """One page of a digitized source: its span of the text, its image and its lines."""

    start: int
    end: int
    image: str | None = None  # the page image, relative to the source's folder (None: not known)
    image_page: int | None = None  # the page inside a multi-page image file or a PDF (1-based)
    width: int | None = None  # of the image, in pixels
    height: int | None = None
    # What width, height and the line boxes are measured in: pixels, or (no image told how many
    # pixels) the OCR file's own unit, tenths of a millimetre (mm10) or 1/1200 inch (inch1200).
    unit: str = "pixel"
    display_image: str | None = None  # a copy browsers can show, relative to the edition (the preview's)
    text_from: str = ""  # the file the page's text was read from
    # that file, relative to the source's folder (or its URL), when it is not the page's image:
    # the edition names it (surface/@source), so that a page is known by its file without images
    text_file: str | None = None
    engine: str = ""  # what recognised the text ("ABBYY FineReader Engine 11", "Tesseract 5.5.0 (deu)", …)
    lines: list[LineZone] = field(default_factory=list)
    # what the page prints in its margins (sigla, notes, numbers), each written at the start of
    # the line it stands beside, inside that line's span, with a box of its own
    margins: list[LineZone] = field(default_factory=list)
    # where each of the page's columns begins, a page set in columns (the start of its first
    # line, margins included) and the column's place from the left
    columns: list[tuple[int, int]] = field(default_factory=list)
    label: str | None = None  # the page's label as a library package names it (METS ORDERLABEL)
    # its lines are columns, top to bottom, read right to left (pipeline.ingest.pages.vertical):
    # the layout rules measure a line's place and its type's size across them
    vertical: bool = False
    # why the page has no text although the source names it (gap/@reason, what was wrong): a
    # library package's file absent, remote and not fetched, an image not recognised; "blank": a page
    # shown without text (a pb, no gap)
    missing: tuple[str, str] | None = None


class EncodingGuess(BaseModel):
    """The encoding a source was decoded with, how sure the judgement was, and the runner-up."""
    encoding: str
    confidence: float
    runner_up: str | None = None
    runner_up_confidence: float | None = None
    bom: bool = False


class SourceInfo(BaseModel):
    """The source file (or book folder): its name, size, SHA-256 and encoding."""
    file_name: str  # a book's: its folder's name
    folder: bool = False  # a folder of page files (a book), not one file
    size: int
    sha256: str
    encoding: EncodingGuess


class StatedMetadata(BaseModel):
    """What the document says about itself (never invented)."""

    title: str | None = None
    author: str | None = None
    date: str | None = None  # ISO 8601 when the source gives one
    page: str | None = None
    fields: dict[str, str] = Field(default_factory=dict)  # every "Key: value" line, as stated
    # the title the file's own metadata gives (a PDF's document information): the title when
    # the text shows none
    file_title: str | None = None
    # where the text shows the title (the heading it was taken from, as the OCR read it); None
    # where a "Title:" line states it or the text shows none
    title_span: tuple[int, int] | None = None


class Agent(BaseModel):
    """A person or body a library record names, with its role (a MARC relator code such as
    ``aut``, ``edt``, ``fnd``, or the record's own term) and its authority link (GND, VIAF)."""

    name: str
    role: str = ""
    ref: str | None = None
    corporate: bool = False


class Division(BaseModel):
    """A division of the book's logical structure (METS): its type (``chapter``, ``preface``,
    ``title_page``…), its title (MODS title or LABEL), the page it begins on (an index into
    the document's pages) and the divisions inside it."""

    type: str
    head: str | None = None
    page: int | None = None
    children: list[Division] = Field(default_factory=list)


class LibraryRecord(BaseModel):
    """What a library package says of the book: its MODS record (never invented, only read)
    and how the package was read (which file groups gave the text and the images)."""

    title: str | None = None
    subtitle: str | None = None
    names: list[Agent] = Field(default_factory=list)
    date: str | None = None  # as the record gives it
    places: list[str] = Field(default_factory=list)
    publisher: str | None = None
    edition: str | None = None
    extent: list[str] = Field(default_factory=list)
    series: list[str] = Field(default_factory=list)
    repository: str | None = None  # the holding institution (its name, else its code)
    shelfmark: str | None = None
    identifiers: list[tuple[str, str]] = Field(default_factory=list)  # (type, value): purl, urn, vd18, PPN…
    languages: list[str] = Field(default_factory=list)  # BCP 47, with the script where the record gives one
    licences: list[tuple[str, str | None]] = Field(default_factory=list)  # (statement, URL)
    text_group: str | None = None  # the file group the pages' text was read from
    image_group: str | None = None  # ... and the one their images are
    divisions: list[Division] = Field(default_factory=list)

    def division_pages(self) -> set[int]:
        """The pages a division of the logical map begins on."""
        found, todo = set(), list(self.divisions)
        while todo:
            division = todo.pop()
            found.add(division.page)
            todo.extend(division.children)
        return found - {None}


class LanguageShare(BaseModel):
    """A language of the text and its share of the letters, in percent."""
    tag: str
    percent: int


@dataclass(slots=True)
class Findings:
    """What one stage finds for later stages to read, in declared fields: the stage that writes
    a field names it in its ``finds``, the stages that read it in their ``needs``, and
    :func:`pipeline.stages.check_order` checks that the writer runs first. A field is written
    by one stage only; its default is what the readers see when that stage found nothing.
    Slotted: a misspelt field is an AttributeError, never a silent new key."""

    # page-edges: where each page after the first starts
    page_starts: list[int] = field(default_factory=list)
    # page-edges: (offset of a page break, the sentence goes on over it, that verdict is final), sorted
    page_turns: list[tuple[int, bool, bool]] = field(default_factory=list)
    # page-edges: (start of the page's furniture, start of the next page's text) where a page ends a paragraph
    paragraph_ends_at_page_turns: list[tuple[int, int]] = field(default_factory=list)
    # page-edges: the spans of the notes printed at the pages' feet
    footnotes: list[tuple[int, int]] = field(default_factory=list)
    # page-edges: two pages or more carry a page number found at their edges
    page_numbers_found: bool = False
    # segment: the median length of the text's lines (textshape's typical_line_length of its
    # split_lines), measured where segment splits the text anyway; None until measured
    full_line_length: int | None = None


FINDINGS = frozenset(Findings.__dataclass_fields__)  # the names stages may find and need


class Scratch:
    """Per-document measurements a stage keeps so as not to compute them twice, never in
    module-level caches, and never read by another module (what a stage hands on to others
    goes in :class:`Findings`). ``document`` lives as long as the document (facts of the text, which
    never changes); ``stage`` is emptied by the runner after every stage (facts of the
    blocks, which the next stage may change in place)."""

    __slots__ = ("document", "stage")

    def __init__(self) -> None:
        self.document: dict[str, object] = {}
        self.stage: dict[object, object] = {}


class Document(BaseModel):
    """One source, read: its decoded text (never changed), its pages, and the blocks, edits and labels
    the stages add."""
    source: SourceInfo
    text: str
    metadata: StatedMetadata = Field(default_factory=StatedMetadata)
    blocks: list[Block] = Field(default_factory=list)
    edits: list[Edit] = Field(default_factory=list)
    lang: str | None = None
    languages: list[LanguageShare] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # document-level findings for the report
    # parts of the input not read or repaired (a package's absent page, a damaged image, a clamped box), a line each
    problems: list[str] = Field(default_factory=list)
    facsimile: list[Surface] = Field(default_factory=list)  # the pages of a digitized source, in order
    provenance: str = ""  # how a digitized source's text was obtained (files, engines, models)
    library: LibraryRecord | None = None  # a library package's record and structure (METS/MODS)
    # What stages measure once and read again; owned by the runner (see Scratch).
    _scratch: Scratch = PrivateAttr(default_factory=lambda: Scratch())
    # What stages hand on to later ones (see Findings).
    _findings: Findings = PrivateAttr(default_factory=lambda: Findings())

    @property
    def scratch(self) -> Scratch:
        """The runner's per-document caches (see Scratch): never data handed between stages."""
        # pydantic keeps private attributes in __pydantic_private__; reading it directly skips
        # the model's __getattr__, which stages asking for their measures would call by the
        # hundred thousand
        return self.__pydantic_private__["_scratch"]

    @property
    def findings(self) -> Findings:
        """What earlier stages found for later ones (see Findings)."""
        return self.__pydantic_private__["_findings"]

    def edit_counts(self) -> dict[str, int]:
        """The number of edits of each kind, by kind's name."""
        counts: dict[str, int] = {}
        for edit in self.edits:
            counts[edit.kind] = counts.get(edit.kind, 0) + 1
        return dict(sorted(counts.items()))
