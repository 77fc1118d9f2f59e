"""ALTO (v2 to v4, any namespace): Page, TextBlock, TextLine and String elements with their
positions (HPOS, VPOS, WIDTH, HEIGHT, in the file's MeasurementUnit: pixel, mm10 or inch1200)
and word confidence (WC)."""

from __future__ import annotations

from lxml import etree

from pipeline.errors import DocumentError
from pipeline.ingest.pages.ocrpage import OcrLine, OcrPage, OcrWord, local
from pipeline.safe_xml import parse_xml

TAGS = ("LayoutTag", "StructureTag", "OtherTag")  # ALTO's tags that may say what a block or line is


def accepts(head: bytes, _name: str) -> bool:
    return b"<alto" in head or b":alto" in head


def _number(element: etree._Element, name: str) -> int | None:
    value = element.get(name)
    try:
        return round(float(value)) if value is not None else None
    except ValueError:
        return None


def _box(element: etree._Element) -> tuple[int, int, int, int] | None:
    x, y, w, h = (_number(element, n) for n in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
    return (x, y, x + w, y + h) if None not in (x, y, w, h) else None  # type: ignore[operator]


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element.iter() if local(child.tag) == name]


def parse(data: bytes, name: str) -> list[OcrPage]:
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
        page = OcrPage(width=_number(element, "WIDTH"), height=_number(element, "HEIGHT"), image=image,
                       engine=engine, unit=unit)
        for block in _children(element, "TextBlock"):
            block_label = _label(block.get("TAGREFS"), tags)
            paragraph = []
            for text_line in _children(block, "TextLine"):
                line = _line(text_line)
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


def _line(element: etree._Element) -> OcrLine:
    words = []
    for string in element:
        if local(string.tag) == "String" and (content := (string.get("CONTENT") or "").strip()):
            confidence = string.get("WC")
            words.append(OcrWord(content, float(confidence) if confidence else None, _box(string)))
        elif local(string.tag) == "HYP" and words:  # the hyphen printed at the line's end
            words[-1].text += string.get("CONTENT") or "-"
    return OcrLine(words, _box(element))
