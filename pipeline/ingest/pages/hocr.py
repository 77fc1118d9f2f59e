"""hOCR (Tesseract, OCRopus, kraken, Calamari): pages, paragraphs, lines and words from the
``class`` and ``title`` attributes of an (X)HTML file."""

from __future__ import annotations

import re

from lxml import etree, html

from pipeline.errors import DocumentError
from pipeline.ingest.pages.ocrpage import (OcrLine, OcrPage, OcrWord, Problem, clean_box, confidence, local,
                                          looks_bottom_origin, measure, words_of)
from pipeline.safe_xml import safe_parser

LINE_CLASSES = {"ocr_line", "ocrx_line", "ocr_textfloat", "ocr_header", "ocr_caption"}
PARAGRAPH_CLASSES = {"ocr_par", "ocr_carea", "ocrx_block"}
PROPERTY = re.compile(r"\s*(\w+)\s+((?:\"[^\"]*\")|[^;]*)")


def accepts(root: tuple[str, str], head: bytes) -> bool:
    """An (X)HTML file that declares hOCR or holds a page of it."""
    return root[1].lower() == "html" and (b"ocr_page" in head or b"ocr-capabilities" in head
                                          or b"ocr-system" in head)


def properties(element: etree._Element) -> dict[str, str]:
    """hOCR's title="bbox 1 2 3 4; x_wconf 82; image "p.tif"" as a dict of strings."""
    found = {}
    for part in (element.get("title") or "").split(";"):
        if match := PROPERTY.match(part):
            found[match.group(1)] = match.group(2).strip().strip('"')
    return found


def _box(element: etree._Element, problems: list[Problem]) -> tuple[int, int, int, int] | None:
    written = properties(element).get("bbox")
    if written is None:
        return None
    line, parts = element.sourceline, written.split()
    if len(parts) != 4:
        problems.append((line, f"bbox {written[:60]!r} is not four numbers; box left out"))
        return None
    return clean_box([measure(part, "bbox value", line, problems) for part in parts], written, line, problems)


def _classes(element: etree._Element) -> set[str]:
    return set((element.get("class") or "").split())


def parse(data: bytes, name: str) -> list[OcrPage]:
    """The pages of an hOCR file (one ``ocr_page`` each), with the lines, words, boxes and confidences it gives."""
    root = _root(data, name)
    engine = ""
    for meta in root.iter():
        if local(meta.tag) == "meta" and meta.get("name") == "ocr-system":
            engine = meta.get("content") or ""
    pages = [_page(element, engine) for element in root.iter() if "ocr_page" in _classes(element)]
    if not pages:
        raise DocumentError(name, "is hOCR without an ocr_page element", "check that the OCR engine wrote its output")
    return pages


# libxml2's limit without its "huge" option, for XML and HTML alike; past it the HTML parser
# would drop the rest of the file without an error
MAX_DEPTH = 256


def _root(data: bytes, name: str) -> etree._Element:
    try:
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as error:  # HTML that is not XHTML (entities such as &nbsp;, unclosed tags)
        if "Excessive depth" in str(error):
            raise _too_deep(name) from None
        parser = html.HTMLParser(no_network=True, remove_blank_text=False, encoding="utf-8")
        root = html.fromstring(data, parser=parser)
        if any("Excessive depth" in entry.message for entry in parser.error_log):
            raise _too_deep(name) from None
        if root is None:
            raise DocumentError(name, "is neither XHTML nor HTML that can be read") from None
        return root


def _too_deep(name: str) -> DocumentError:
    return DocumentError(name, f"nests its elements more than {MAX_DEPTH} levels deep; not read, lest the "
                               "pages past that depth be lost", "write it again with the OCR engine")


def _page(element: etree._Element, engine: str) -> OcrPage:
    props = properties(element)
    page = OcrPage(engine=engine, image=props.get("image") or props.get("file") or None)
    box = _box(element, page.problems)
    if box:
        page.width, page.height = box[2] - box[0], box[3] - box[1]
    paragraph: list[OcrLine] = []

    def close() -> None:
        nonlocal paragraph
        if paragraph:
            page.paragraphs.append(paragraph)
            paragraph = []

    def walk(node: etree._Element) -> None:
        classes = _classes(node)
        if classes & LINE_CLASSES:
            line = _line(node, page.problems)
            if line.words:
                paragraph.append(line)
            return
        opens = bool(classes & PARAGRAPH_CLASSES) or (local(node.tag) == "p" and not classes and len(node) == 0)
        if opens:
            close()  # OCRopus marks a paragraph break with an empty <p/> between lines
        for child in node:
            walk(child)
        if opens:
            close()

    walk(element)
    close()
    page.bottom_origin = looks_bottom_origin(page)
    return page


def _line(element: etree._Element, problems: list[Problem]) -> OcrLine:
    words = []
    for node in element.iter():
        if "ocrx_word" in _classes(node):
            text = "".join(node.itertext()).strip()
            if text:
                rated = properties(node).get("x_wconf")
                words.append(OcrWord(text, confidence(rated, 100, node.sourceline, problems), _box(node, problems)))
    if not words:
        words = words_of("".join(element.itertext()))
    return OcrLine(words, _box(element, problems))
