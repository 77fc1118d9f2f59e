"""Read our own editions back: rebuild the source text from the TEI alone.

The inverse of :mod:`pipeline.tei.writer`: source readings (``sic``, ``orig``) are taken,
editorial ones (``corr``, ``reg``) skipped, ``<g>`` resolved through ``charDecl``, running
heads and other ``fw`` kept where they stood, ``lb``/``pb`` and blocks become line breaks.
"""

from __future__ import annotations

from lxml import etree

from pipeline import PIPELINE_NAME
from pipeline.safe_xml import parse_edition
from pipeline.tei import XML_ID, local_name, tei

EDITORIAL_READINGS = {"corr", "reg", "supplied"}  # supplied: a division's title from the library's METS
SOURCE_READINGS = {"sic", "orig"}
LINE_BREAKS = {"lb", "pb"}
EDITED_READINGS = ("corr", "reg", "expan")  # what a reading text takes of a choice, in this order
BLOCKS = {"p", "head", "byline", "opener", "fw", "item", "div", "note", "list", "front", "body", "back", "titlePage"}


def edition_characters(root: etree._Element) -> dict[str, str]:
    """The characters an edition's ``charDecl`` declares (``U+XXXX`` mappings), by ``xml:id``."""
    table = {}
    for char in root.iter(tei("char")):
        mapping = char.find(tei("mapping"))
        if mapping is not None and (mapping.text or "").startswith("U+"):
            table[char.get(XML_ID)] = chr(int(mapping.text[2:], 16))
    return table


def first_reading(choice: etree._Element, names: tuple[str, ...]) -> list[etree._Element]:
    """The first of ``names`` a ``choice`` holds, else its first child (a choice of ``seg``s or
    ``unclear``s), as the list of children :meth:`TextWalker.reading` returns."""
    children = {local_name(child): child for child in choice}
    chosen = next((children[name] for name in names if name in children), None)
    if chosen is None:
        chosen = next(iter(choice), None)
    return [chosen] if chosen is not None else []


class NotOurEdition(ValueError):
    """A TEI file this reader was not written for: its markup may mean what ours does not."""


class TextWalker:
    """A TEI ``<text>`` in document order, told to the hooks below: one reading of each
    ``choice`` (the source's, ``sic``/``orig``, unless a subclass chooses otherwise),
    ``<g>`` resolved through ``charDecl``, line and page breaks, the bounds of blocks.
    The source rebuild is one use; the evaluation's page texts (:mod:`pipeline.evaluation`)
    another, which takes the editorial readings and keeps page furniture apart."""

    def __init__(self, characters: dict[str, str]):
        self.characters = characters

    # What to read
    def reading(self, choice: etree._Element) -> list[etree._Element]:
        """The children of a ``choice`` whose content is read."""
        return [child for child in choice if local_name(child) in SOURCE_READINGS]

    def skipped(self, name: str) -> bool:
        """An element read neither inside nor outside a ``choice``."""
        return name in EDITORIAL_READINGS

    def character(self, g: etree._Element) -> str:
        """What a ``g`` stands for, from the charDecl."""
        return self.characters.get((g.get("ref") or "").lstrip("#"), "")

    # What is told
    def text(self, text: str) -> None:
        """Told each piece of text in document order."""
        raise NotImplementedError

    def line_break(self, element: etree._Element) -> None:  # lb, pb
        """Told each ``lb`` and ``pb``: a line break by default."""
        self.text("\n")

    def block(self, element: etree._Element, opening: bool) -> None:
        """Told where a block element opens and closes: a line break by default."""
        self.text("\n")

    def enter(self, element: etree._Element) -> None:
        """Before an element's content (after ``block``'s opening)."""

    def leave(self, element: etree._Element) -> None:
        """After an element's content (before ``block``'s closing)."""

    def walk(self, element: etree._Element) -> None:
        """Walk an element, its content and its tail."""
        name = local_name(element)
        if name == "g":
            self.text(self.character(element))
        elif name == "gap":  # an omission keeps the source's own mark in desc
            self.text("".join(element.itertext()))
        elif name in LINE_BREAKS:
            self.line_break(element)
        elif name == "choice":
            for child in self.reading(element):
                self.walk_content(child)
        elif name and not self.skipped(name):
            block = name in BLOCKS
            if block:
                self.block(element, True)
            self.enter(element)
            self.walk_content(element)
            self.leave(element)
            if block:
                self.block(element, False)

    def walk_content(self, element: etree._Element) -> None:
        """Walk an element's text and children (not its tail)."""
        if element.text:
            self.text(element.text)
        for child in element:
            self.walk(child)
            if child.tail:
                self.text(child.tail)


class _SourceText(TextWalker):
    def __init__(self, characters: dict[str, str]):
        super().__init__(characters)
        self.out: list[str] = []
        self.text = self.out.append


def rebuild_source(tree: etree._ElementTree | etree._Element) -> str:
    """The source text of one of our editions. Any other TEI is refused: its ``abbr/expan``,
    ``app/lem/rdg``, verse lines… are markup our writer never makes, and a rebuild that
    guessed at them would print a wrong text with a straight face."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    if not is_our_edition(root):
        raise NotOurEdition(f"not an edition made by {PIPELINE_NAME} (no appInfo/application "
                            f"ident=\"{PIPELINE_NAME}\" in its header): its source cannot be rebuilt")
    text = root.find(tei("text"))
    if text is None:
        raise NotOurEdition("not a TEI edition: no <text> element")
    walker = _SourceText(edition_characters(root))
    walker.walk_content(text)
    return "".join(walker.out)


def is_our_edition(root: etree._Element) -> bool:
    """Whether the root is a TEI edition this pipeline wrote (its appInfo names it)."""
    application = root.find(f"{tei('teiHeader')}//{tei('application')}")
    return root.tag == tei("TEI") and application is not None and application.get("ident") == PIPELINE_NAME


def rebuild_source_from_file(path) -> str:
    """The source text rebuilt from the edition at ``path``."""
    return rebuild_source(parse_edition(path.read_bytes(), str(path)))


def without_whitespace(text: str) -> str:
    """The comparison the rebuild guarantees: every character but whitespace, in order."""
    return "".join(text.split())


class ReadingTextWalker(TextWalker):
    """The edition's reading text: the edited reading of each ``choice`` (``corr``, ``reg``,
    ``expan``), an apparatus's other witnesses (``rdg``) left out, a ``<g>`` read as written."""

    def reading(self, choice: etree._Element) -> list[etree._Element]:
        """The editorial reading of a ``choice`` (corr, reg, expan)."""
        return first_reading(choice, EDITED_READINGS)

    def skipped(self, name: str) -> bool:
        """Apparatus readings are not the reading text."""
        return name == "rdg"

    def character(self, g: etree._Element) -> str:
        """What a ``g`` shows (its content), else what the charDecl maps it to."""
        return "".join(g.itertext()) or super().character(g)
