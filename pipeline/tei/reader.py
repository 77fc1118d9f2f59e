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

EDITORIAL_READINGS = {"corr", "reg"}
SOURCE_READINGS = {"sic", "orig"}
LINE_BREAKS = {"lb", "pb"}
BLOCKS = {"p", "head", "byline", "opener", "fw", "item", "div", "note", "list", "front", "body", "back", "titlePage"}


def _characters(root: etree._Element) -> dict[str, str]:
    table = {}
    for char in root.iter(tei("char")):
        mapping = char.find(tei("mapping"))
        if mapping is not None and (mapping.text or "").startswith("U+"):
            table[char.get(XML_ID)] = chr(int(mapping.text[2:], 16))
    return table


class NotOurEdition(ValueError):
    """A TEI file this reader was not written for: its markup may mean what ours does not."""


def rebuild_source(tree: etree._ElementTree | etree._Element) -> str:
    """The source text of one of our editions. Any other TEI is refused: its ``abbr/expan``,
    ``app/lem/rdg``, verse lines… are markup our writer never makes, and a rebuild that
    guessed at them would print a wrong text with a straight face."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    application = root.find(f"{tei('teiHeader')}//{tei('application')}")
    if root.tag != tei("TEI") or application is None or application.get("ident") != PIPELINE_NAME:
        raise NotOurEdition(f"not an edition made by {PIPELINE_NAME} (no appInfo/application "
                            f"ident=\"{PIPELINE_NAME}\" in its header): its source cannot be rebuilt")
    text = root.find(tei("text"))
    if text is None:
        raise NotOurEdition("not a TEI edition: no <text> element")
    characters = _characters(root)
    out: list[str] = []

    def walk(element: etree._Element) -> None:
        name = local_name(element)
        if name == "g":
            out.append(characters.get((element.get("ref") or "").lstrip("#"), ""))
        elif name == "gap":  # an omission keeps the source's own mark in desc
            out.append("".join(element.itertext()))
        elif name in LINE_BREAKS:
            out.append("\n")
        elif name == "choice":
            for child in element:
                if local_name(child) in SOURCE_READINGS:
                    walk_content(child)
        elif name and name not in EDITORIAL_READINGS:
            block = name in BLOCKS
            if block:
                out.append("\n")
            walk_content(element)
            if block:
                out.append("\n")

    def walk_content(element: etree._Element) -> None:
        out.append(element.text or "")
        for child in element:
            walk(child)
            out.append(child.tail or "")

    walk_content(text)
    return "".join(out)


def rebuild_source_from_file(path) -> str:
    return rebuild_source(parse_edition(path.read_bytes(), str(path)))


def without_whitespace(text: str) -> str:
    """The comparison the rebuild guarantees: every character but whitespace, in order."""
    return "".join(text.split())
