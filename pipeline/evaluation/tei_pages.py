"""A TEI edition's text page by page: ours, or another project's (a DTA or Transkribus
edition given as ground truth). Walked by the same :class:`~pipeline.tei.reader.TextWalker`
that rebuilds our sources, taking the reading a reader sees (``corr``, ``reg``, ``expan``;
``lem`` of an apparatus) or the diplomatic one (``sic``, ``orig``, ``abbr``), with page
furniture (``fw``, marginal notes) kept apart by class. A page begins at each ``pb``; its
file is known from ``pb/@facs`` (the surface's graphic, or an image URL)."""

from __future__ import annotations

from urllib.parse import unquote

from lxml import etree

from pipeline.evaluation.pages import Page, furniture_class
from pipeline.ingest.pages.reader import stems
from pipeline.tei import XML_ID, local_name, tei
from pipeline.tei.reader import EDITED_READINGS, TextWalker, edition_characters, first_reading

DIPLOMATIC = ("sic", "orig", "abbr")
MARGINS = {"margin", "left", "right", "inner", "outer"}
HYPHENATION = "#kind-hyphenation"


def is_tei(root: etree._Element) -> bool:
    """Whether the root element is a TEI document (or a teiCorpus)."""
    return root.tag == tei("TEI") or root.tag == tei("teiCorpus")


class _PageWalker(TextWalker):
    def __init__(self, characters: dict[str, str], diplomatic: bool, surfaces: dict[str, tuple[str, ...]]):
        super().__init__(characters)
        self.diplomatic = diplomatic
        self.surfaces = surfaces
        self.pages = [Page("(before the first page break)", marks_furniture=True)]
        self.classes: list[str | None] = [None]

    def reading(self, choice: etree._Element) -> list[etree._Element]:
        # An end-of-line hyphen is compared as printed: the comparison joins such words on
        # both sides alike (Options.hyphens), whatever sign the engine printed.
        hyphen = HYPHENATION in (choice.get("ana") or "").split()
        return first_reading(choice, DIPLOMATIC if self.diplomatic or hyphen else EDITED_READINGS)

    def skipped(self, name: str) -> bool:
        if name == "rdg":  # an apparatus's other witnesses; lem is the text
            return True
        return super().skipped(name) if self.diplomatic else False

    def character(self, g: etree._Element) -> str:
        own = "".join(g.itertext())
        return own if own and not self.diplomatic else super().character(g) or own

    def text(self, text: str) -> None:
        self.pages[-1].add(text, self.classes[-1])

    def line_break(self, element: etree._Element) -> None:
        if local_name(element) == "pb":
            self._new_page(element)
        else:
            self.text("\n")

    def enter(self, element: etree._Element) -> None:
        furniture = _furniture_of(element)
        if furniture is None:
            self.classes.append(self.classes[-1])
        else:
            self.classes.append(furniture)
            self.pages[-1].start(furniture)

    def leave(self, element: etree._Element) -> None:
        was = self.classes.pop()
        if was != self.classes[-1]:
            self.pages[-1].start(self.classes[-1])

    def _new_page(self, pb: etree._Element) -> None:
        number = len(self.pages)
        keys = self.surfaces.get((pb.get("facs") or "").lstrip("#"), ())
        facs = pb.get("facs") or ""
        if facs and not facs.startswith("#"):  # an image's URL
            keys = stems(unquote(facs.split("#")[0].split("?")[0]))
        label = keys[-1] if keys else f"p. {number}"
        if pb.get("n"):
            label += f" (n={pb.get('n')})"
        page = Page(label, keys, marks_furniture=True, number=pb.get("n"))
        page.start(self.classes[-1])
        self.pages.append(page)


def _furniture_of(element: etree._Element) -> str | None:
    name = local_name(element)
    if name == "fw":
        kind = element.get("type") or "fw"
        return furniture_class(kind) or kind  # an fw is furniture whatever its type
    if name == "note" and set((element.get("place") or "").split()) & MARGINS:
        return "marginalia"
    return None


def _surfaces(root: etree._Element) -> dict[str, tuple[str, ...]]:
    """Each surface's file names: its image, and the file its text was read from where said."""
    found = {}
    for surface in root.iter(tei("surface")):
        keys: list[str] = []
        for url in [surface.get("source") or ""] + [g.get("url") or "" for g in surface.iter(tei("graphic"))
                                                     if g.get("n") != "display"]:
            if url:
                keys.extend(k for k in stems(unquote(url.split("#")[0])) if k not in keys)
        if surface.get(XML_ID):
            found[surface.get(XML_ID)] = tuple(keys)
    return found


def tei_pages(root: etree._Element, diplomatic: bool = False) -> list[Page]:
    """The pages of a TEI document's text, in order. Text before the first page break is a
    page of its own only if there is any."""
    walker = _PageWalker(edition_characters(root), diplomatic, _surfaces(root))
    for text in root.iter(tei("text")):
        if not any(ancestor.tag == tei("text") for ancestor in text.iterancestors()):
            walker.walk_content(text)
    pages = walker.pages
    if len(pages) == 1:
        pages[0].label = "(whole text: no page breaks)"
        return pages
    return pages[1:] if pages[0].is_empty() else pages
