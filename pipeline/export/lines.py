"""An edition's pages as line transcriptions: each surface of its facsimile with the reading
text of every line that points to one of its zones, for the formats that put text on page
images (IIIF annotations, ALTO).

Read from the TEI, not from the document model, so that any edition of ours can be exported
again from its file. The reading is the one a reader sees (``corr``, ``reg``, ``expan``),
except that an end-of-line hyphen the edition joins is kept apart as the line's printed
hyphen: a line transcription shows the line as printed, and ALTO has its own element for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from pipeline.evaluation.pages import furniture_class
from pipeline.tei import XML_ID, local_name, tei
from pipeline.tei.reader import BLOCKS, ReadingTextWalker, edition_characters

HYPHENATION = "#kind-hyphenation"
MARGINS = {"margin", "left", "right", "inner", "outer"}
FOOTNOTE = "footnote"  # the class of a note's lines: not furniture, but not the running text either
WHITESPACE = re.compile(r"\s+")


@dataclass
class Line:
    """One line of a page as the edition reads it."""

    zone: str  # the zone's xml:id
    box: tuple[int, int, int, int]  # ulx, uly, lrx, lry in the surface's unit
    kind: str = "line"  # the zone's type: line, or margin (a note printed in the margin)
    furniture: str | None = None  # its class (running-head, page-number, …), FOOTNOTE, or None: running text
    pieces: list[str] = field(default_factory=list)
    hyphen: str = ""  # the end-of-line hyphen printed, which the reading text joins over
    source_id: str | None = None  # the line's ID in the OCR file the edition read it from (zone/@n)

    @property
    def text(self) -> str:
        """The line's text, its whitespace collapsed to single spaces."""
        return WHITESPACE.sub(" ", "".join(self.pieces)).strip()


@dataclass
class PageImage:
    """A page's image as the edition names it."""
    url: str  # as the edition gives it: relative to the edition's folder, or the library's URL
    format: str | None = None  # a MIME type when the edition or the file name says it


@dataclass
class PageLines:
    """One surface: its size, its images and its lines in reading order."""

    surface: str  # xml:id
    order: int  # 1-based, in the edition's order
    label: str  # the number printed on the page (pb/@n), else its order
    width: int | None
    height: int | None
    unit: str  # px, mm or in: what the graphic's size says (lines are measured in the same)
    images: list[PageImage]  # the source's image(s) first, the display copy last
    display: PageImage | None  # the PNG copy the preview shows
    lines: list[Line]


FORMATS = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
           ".tif": "image/tiff", ".tiff": "image/tiff", ".jp2": "image/jp2", ".webp": "image/webp"}


def _format(graphic: etree._Element) -> str | None:
    if graphic.get("mimeType"):
        return graphic.get("mimeType")
    path = graphic.get("url", "").split("#")[0].split("?")[0].lower()
    return next((kind for suffix, kind in FORMATS.items() if path.endswith(suffix)), None)


def _unit(graphic: etree._Element | None) -> str:
    width = graphic.get("width", "") if graphic is not None else ""
    return next((unit for unit in ("px", "mm", "in") if width.endswith(unit)), "px")


def _number(value: str | None) -> int | None:
    try:
        return round(float(value)) if value is not None else None
    except ValueError:
        return None


def _surfaces(root: etree._Element) -> tuple[list[PageLines], dict[str, Line]]:
    pages, zones = [], {}
    for order, surface in enumerate(root.iter(tei("surface")), start=1):
        graphics = [g for g in surface.findall(tei("graphic")) if g.get("url")]
        source = [g for g in graphics if g.get("n") != "display"]
        display = next((PageImage(g.get("url"), _format(g)) for g in graphics if g.get("n") == "display"), None)
        lines = []
        for zone in surface.findall(tei("zone")):
            box = tuple(_number(zone.get(name)) for name in ("ulx", "uly", "lrx", "lry"))
            if None in box or not zone.get(XML_ID):
                continue
            line = Line(zone.get(XML_ID), box, zone.get("type") or "line",  # type: ignore[arg-type]
                        source_id=zone.get("n"))
            zones[line.zone] = line
            lines.append(line)
        pages.append(PageLines(surface.get(XML_ID) or f"surface-{order}", order, str(order),
                               _number(surface.get("lrx")), _number(surface.get("lry")),
                               _unit(source[0] if source else None),
                               [PageImage(g.get("url"), _format(g)) for g in source], display, []))
    return pages, zones


class _LineWalker(ReadingTextWalker):
    """Sends each piece of reading text to the line it stands on: the zone of the last ``lb``,
    or of an element (``fw``, a marginal note) that points to a zone itself. A block opens
    with no line until its first ``lb``: text no zone holds (a heading the library supplied)
    belongs to no line."""

    def __init__(self, root: etree._Element, zones: dict[str, Line], labels: dict[str, str]):
        super().__init__(edition_characters(root))
        self.zones, self.labels = zones, labels
        self.line: Line | None = None
        self.saved: list[tuple[bool, Line | None]] = []
        self.classes: list[str | None] = [None]
        self.order: list[Line] = []

    def reading(self, choice: etree._Element) -> list[etree._Element]:
        if HYPHENATION in (choice.get("ana") or "").split():  # the line's own hyphen, not its text
            orig = choice.find(tei("orig"))
            if self.line is not None and orig is not None:
                self.line.hyphen += "".join(orig.itertext())
            return []
        return super().reading(choice)

    def text(self, text: str) -> None:
        if self.line is not None:
            self.line.pieces.append(text)

    def line_break(self, element: etree._Element) -> None:
        if local_name(element) == "pb":
            self.line = None
            facs = (element.get("facs") or "").lstrip("#")
            if facs and element.get("n"):
                self.labels.setdefault(facs, element.get("n"))
            return
        self._start((element.get("facs") or "").lstrip("#"))

    def block(self, element: etree._Element, opening: bool) -> None:
        pass  # lines, not blocks, are what is told

    def enter(self, element: etree._Element) -> None:
        own = _class_of(element)
        self.classes.append(own if own is not None else self.classes[-1])
        # A block, furniture and a note begin on no line of the text around them; after
        # them, that text goes on where it was.
        own_lines = local_name(element) in BLOCKS or bool(element.get("facs"))
        self.saved.append((own_lines, self.line))
        if own_lines and self.line is not None and not element.get("facs") and not self.line.text:
            if own is not None:  # the line just begun is this note's first: it takes the note's class
                self.line.furniture = own
        elif own_lines:
            self.line = None
        if element.get("facs"):
            self._start(element.get("facs").lstrip("#"))

    def leave(self, element: etree._Element) -> None:
        self.classes.pop()
        own_lines, line = self.saved.pop()
        if own_lines:
            self.line = line

    def _start(self, zone: str) -> None:
        self.line = self.zones.get(zone)
        if self.line is not None:
            if self.line.furniture is None:
                self.line.furniture = self.classes[-1]
            if all(line is not self.line for line in self.order[-3:]):
                self.order.append(self.line)


def _class_of(element: etree._Element) -> str | None:
    name = local_name(element)
    if name == "fw":
        kind = element.get("type") or "fw"
        return furniture_class(kind) or kind
    if name == "note":
        return "marginalia" if set((element.get("place") or "").split()) & MARGINS else FOOTNOTE
    return None


def page_lines(tree: etree._ElementTree | etree._Element) -> list[PageLines]:
    """The edition's surfaces with their lines' reading text, in the text's order (zones no
    text points to, in the facsimile's). Empty for an edition without a facsimile."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    pages, zones = _surfaces(root)
    if not pages:
        return []
    labels: dict[str, str] = {}
    walker = _LineWalker(root, zones, labels)
    for text in root.iter(tei("text")):
        if not any(ancestor.tag == tei("text") for ancestor in text.iterancestors()):
            walker.walk_content(text)
    rank = {id(line): position for position, line in enumerate(walker.order)}
    for page in pages:
        page.label = labels.get(page.surface, page.label)
    by_surface = {page.surface: page for page in pages}
    for surface in root.iter(tei("surface")):
        page = by_surface.get(surface.get(XML_ID))
        if page is None:
            continue
        lines = [zones[z.get(XML_ID)] for z in surface.findall(tei("zone")) if z.get(XML_ID) in zones]
        page.lines = sorted(lines, key=lambda line: rank.get(id(line), len(rank)))
    return pages
