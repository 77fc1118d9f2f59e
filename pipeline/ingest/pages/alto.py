"""ALTO (v2 to v4, any namespace): Page, TextBlock, TextLine and String elements with their
positions (HPOS, VPOS, WIDTH, HEIGHT, in the file's MeasurementUnit: pixel, mm10 or inch1200)
and word confidence (WC)."""

from __future__ import annotations

from lxml import etree

from pipeline.errors import DocumentError
from pipeline.ingest.pages.ocrpage import OcrLine, OcrPage, OcrWord, Problem, clean_box, confidence, local, measure
from pipeline.safe_xml import parse_xml

TAGS = ("LayoutTag", "StructureTag", "OtherTag")  # ALTO's tags that may say what a block or line is


def accepts(root: tuple[str, str], _head: bytes) -> bool:
    """An ALTO file: its root is ``alto`` (any version's namespace)."""
    return root[1] == "alto"


def _number(element: etree._Element, name: str, problems: list[Problem]) -> int | None:
    return measure(element.get(name), name, element.sourceline, problems)


def _box(element: etree._Element, problems: list[Problem]) -> tuple[int, int, int, int] | None:
    x, y, w, h = (_number(element, n, problems) for n in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
    if None in (x, y, w, h):
        return None
    written = " ".join(f"{n}={element.get(n)}" for n in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
    return clean_box([x, y, x + w, y + h], written, element.sourceline, problems)  # type: ignore[operator]


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element.iter() if local(child.tag) == name]


def parse(data: bytes, name: str) -> list[OcrPage]:
    """The pages of an ALTO file, their boxes converted to pixels, the roles its tags give lines."""
    root = parse_xml(data, name).getroot()
    image = next((el.text.strip() for el in root.iter() if local(el.tag) == "fileName" and el.text), None)
    engine = " ".join(el.text.strip() for el in root.iter()
                      if local(el.tag) in ("softwareName", "softwareVersion") and el.text)
    unit = next(((el.text or "").strip().lower() for el in root.iter() if local(el.tag) == "MeasurementUnit"),
                "pixel")
    tags = {tag.get("ID"): tag.get("LABEL") or tag.get("TYPE") for tag in root.iter()
            if local(tag.tag) in TAGS and tag.get("ID")}
    pages = []
    for element in _children(root, "Page"):
        page = OcrPage(image=image, engine=engine, unit=unit)
        page.width, page.height = (_size(element, n, page.problems) for n in ("WIDTH", "HEIGHT"))
        for block in _children(element, "TextBlock"):
            block_label = _label(block.get("TAGREFS"), tags)
            paragraph = []
            for text_line in _children(block, "TextLine"):
                line = _line(text_line, page.problems)
                if line.words:  # what its or its block's tags call it (for evaluation; editions do not read it)
                    line.region = _label(text_line.get("TAGREFS"), tags) or block_label
                    paragraph.append(line)
            if paragraph:
                page.paragraphs.append(paragraph)
        pages.append(page)
    if not pages:
        raise DocumentError(name, "is ALTO without a Page element")
    return pages


def _label(references: str | None, tags: dict[str, str | None]) -> str | None:
    return next((tags[ref] for ref in (references or "").split() if tags.get(ref)), None)


def _size(element: etree._Element, name: str, problems: list[Problem]) -> int | None:
    """The page's width or height: a positive number, else unknown (said)."""
    size = _number(element, name, problems)
    if size is not None and size < 0:
        problems.append((element.sourceline, f"page {name} {element.get(name)!r} is no size; left out"))
        return None
    return size


def _line(element: etree._Element, problems: list[Problem]) -> OcrLine:
    words = []
    for string in element:
        if local(string.tag) == "String" and (content := (string.get("CONTENT") or "").strip()):
            words.append(OcrWord(content, confidence(string.get("WC"), 1, string.sourceline, problems),
                                 _box(string, problems)))
        elif local(string.tag) == "HYP" and words:  # the hyphen printed at the line's end
            words[-1].text += string.get("CONTENT") or "-"
    return OcrLine(words, _box(element, problems), source_id=element.get("ID"))
