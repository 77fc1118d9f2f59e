"""PAGE XML (PRImA's 2010, 2013 and 2019 schemas; Transkribus, eScriptorium, OCR-D): text
regions in their reading order, lines with their polygons, and the text of each line
(``TextEquiv/Unicode``; its words' when the line has none)."""

from __future__ import annotations

import re

from lxml import etree

from pipeline.errors import DocumentError
from pipeline.ingest.pages.ocrpage import OcrLine, OcrPage, OcrWord, Problem, box_of, confidence, local, words_of
from pipeline.safe_xml import parse_xml


# Region types (and Transkribus's custom="structure {type:…;}") that name page furniture
ROLES = {"page-number": "page-number", "signature-mark": "signature", "catch-word": "catchword",
         "header": "running-head"}
CUSTOM_TYPE = re.compile(r"structure\s*\{[^}]*type:\s*([\w-]+)")


def accepts(root: tuple[str, str], _head: bytes) -> bool:
    """A PAGE XML file: its root is ``PcGts``."""
    return root[1] == "PcGts"


def _find(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local(child.tag) == name]


def _box(element: etree._Element, problems: list[Problem]) -> tuple[int, int, int, int] | None:
    for coords in _find(element, "Coords"):
        if coords.get("points"):
            return box_of(coords.get("points"), coords.sourceline, problems)
        points = [f"{p.get('x')},{p.get('y')}" for p in coords if local(p.tag) == "Point"]  # 2010 schema
        return box_of(" ".join(points), coords.sourceline, problems)
    return None


def _text(element: etree._Element, problems: list[Problem]) -> tuple[str, float | None]:
    """The first TextEquiv's Unicode (the engine's best reading, all of its text, also what
    stands after a child element) and its confidence."""
    for equiv in _find(element, "TextEquiv"):
        for unicode in _find(equiv, "Unicode"):
            return "".join(unicode.itertext()), confidence(equiv.get("conf"), 1, equiv.sourceline, problems)
    return "", None


def parse(data: bytes, name: str) -> list[OcrPage]:
    """The pages of a PAGE XML file, its regions in reading order, the roles their types give lines."""
    root = parse_xml(data, name).getroot()
    engine = next((el.get("creator") or "" for el in root.iter() if local(el.tag) == "Metadata"), "")
    engine = engine or next(((el.text or "").strip() for el in root.iter() if local(el.tag) == "Creator"), "")
    pages = []
    for element in (el for el in root.iter() if local(el.tag) == "Page"):
        page = OcrPage(width=_int(element.get("imageWidth")), height=_int(element.get("imageHeight")),
                       image=element.get("imageFilename"), engine=engine)
        page.declared_vertical = _declared_vertical(element)
        for region in _regions_in_order(element):
            paragraph = [line for line in (_line(el, page.problems) for el in _find(region, "TextLine"))
                         if line.words]
            region_type = _region_type(region)
            for line in paragraph:
                line.role, line.region = ROLES.get(region_type), region_type
            if paragraph:
                page.paragraphs.append(paragraph)
        pages.append(page)
    if not pages:
        raise DocumentError(name, "is PAGE XML without a Page element")
    return pages


# PAGE's readingDirection (of a region, or the page's default): the way a line's text runs
DIRECTIONS = {"top-to-bottom": True, "bottom-to-top": True, "left-to-right": False, "right-to-left": False}


def _declared_vertical(page: etree._Element) -> bool | None:
    """Whether the page's text regions say their lines run vertically (the direction most
    of those that say one give), or the page's own default does; None where none says."""
    said = [DIRECTIONS[direction] for el in page.iter() if local(el.tag) in ("Page", "TextRegion")
            and (direction := el.get("readingDirection")) in DIRECTIONS]
    return None if not said else 2 * sum(said) > len(said)


def _region_type(region: etree._Element) -> str | None:
    custom = CUSTOM_TYPE.search(region.get("custom") or "")
    return region.get("type") or (custom.group(1) if custom else None)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _regions_in_order(page: etree._Element) -> list[etree._Element]:
    """Text regions (nested ones too) in the file's ReadingOrder where it gives one, else in
    the order they are written."""
    regions = [el for el in page.iter() if local(el.tag) == "TextRegion"]
    order = {}
    for ref in page.iter():
        if local(ref.tag) in ("RegionRefIndexed", "RegionRef") and ref.get("regionRef"):
            order.setdefault(ref.get("regionRef"), len(order) if ref.get("index") is None else int(ref.get("index")))
    if order:
        written = {id(region): n for n, region in enumerate(regions)}
        regions.sort(key=lambda r: (order.get(r.get("id"), len(order) + written[id(r)]), written[id(r)]))
    return regions


def _line(element: etree._Element, problems: list[Problem]) -> OcrLine:
    text, rated = _text(element, problems)
    words = []
    for word in _find(element, "Word"):
        word_text, word_confidence = _text(word, problems)
        if word_text.strip():
            words.append(OcrWord(word_text.strip(), word_confidence, _box(word, problems)))
    if text.strip() and " ".join(w.text for w in words) != " ".join(text.split()):
        words = words_of(text, rated)  # the line's own reading wins over its words'
    return OcrLine(words, _box(element, problems))
