"""ABBYY FineReader XML (the FineReader 6 to 10 schemas, as FineReader Engine 11 writes
them): blocks, paragraphs and lines with their boxes; the characters of a line
(``charParams``), or the line's text where the export left them out.

ABBYY's ``charConfidence`` is no probability: on correct Fraktur text of the Grenzboten its
median is 28 of 100, and 86 % of words have a character under 50. Its own verdict of doubt is
the ``suspicious`` flag (2.5 % of characters there). Measured on 60 of its pages against the
ground truth (a word is wrong when the page's transcription lacks it): words with one
suspicious character or more are wrong in 19 % of cases (65 % of wrong words), with two or
more in 41 % (39 % of wrong words). So a word with two suspicious characters is rated
SUSPICIOUS (below the default threshold), one DOUBTFUL (above it), none TRUSTED."""

from __future__ import annotations

from lxml import etree

from pipeline.errors import DocumentError
from pipeline.ingest.pages.ocrpage import OcrLine, OcrPage, OcrWord, Problem, clean_box, local, measure
from pipeline.safe_xml import parse_xml

SUSPICIOUS = 0.25
DOUBTFUL = 0.6
TRUSTED = 0.9


def accepts(root: tuple[str, str], _head: bytes) -> bool:
    """An ABBYY FineReader XML file: its root is ``document`` in ABBYY's namespace."""
    return root[1] == "document" and "abbyy.com/FineReader_xml" in root[0]


def parse(data: bytes, name: str) -> list[OcrPage]:
    """The pages of an ABBYY FineReader XML file, with their lines, words, boxes and confidences."""
    root = parse_xml(data, name).getroot()
    engine = root.get("producer") or "ABBYY FineReader"
    pages = []
    for element in (el for el in root.iter() if local(el.tag) == "page"):
        page = OcrPage(width=_int(element.get("width")), height=_int(element.get("height")), engine=engine)
        for paragraph in (el for el in element.iter() if local(el.tag) == "par"):
            lines = [line for line in (_line(el, page.problems) for el in paragraph if local(el.tag) == "line")
                     if line.words]
            if lines:
                page.paragraphs.append(lines)
        pages.append(page)
    if not pages:
        raise DocumentError(name, "is ABBYY FineReader XML without a page element")
    return pages


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _line(element: etree._Element, problems: list[Problem]) -> OcrLine:
    words: list[OcrWord] = []
    text: list[str] = []
    doubts: list[bool] = []
    boxes: list[tuple[int, int, int, int]] = []

    def close() -> None:
        if text:
            doubted = sum(doubts)
            box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                   max(b[3] for b in boxes)) if boxes else None
            words.append(OcrWord("".join(text), SUSPICIOUS if doubted >= 2 else DOUBTFUL if doubted else TRUSTED,
                                 box))
            text.clear()
            doubts.clear()
            boxes.clear()

    characters = [el for el in element.iter() if local(el.tag) == "charParams"]
    if not characters:  # an export without character details: the formatting elements' text
        return OcrLine([OcrWord(w) for w in "".join(element.itertext()).split()], _line_box(element, problems))
    for character in characters:
        value = character.text or ""
        if not value.strip():
            close()
            continue
        text.append(value)
        doubts.append(character.get("suspicious") in ("1", "true"))
        if (box := _line_box(character, problems)) is not None:
            boxes.append(box)
    close()
    return OcrLine(words, _line_box(element, problems))


def _line_box(element: etree._Element, problems: list[Problem]) -> tuple[int, int, int, int] | None:
    line = element.sourceline
    values = [measure(element.get(k), k, line, problems) for k in ("l", "t", "r", "b")]
    written = " ".join(f"{k}={element.get(k)}" for k in ("l", "t", "r", "b"))
    return clean_box(values, written, line, problems)
