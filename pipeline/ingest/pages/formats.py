"""What a page file is, from its first bytes: which OCR engine's XML, a page image, a PDF.

An OCR file's format is told by its root element and that element's namespace, never by a
string somewhere in the file: a PAGE file declaring ``xmlns:alto`` or mentioning ``<alto>``
in a comment is PAGE, an hOCR word ``Voci:alto`` is a word."""

from __future__ import annotations

from typing import Protocol

from lxml import etree

from pipeline.ingest.pages import abbyy, alto, hocr, pagexml
from pipeline.ingest.pages.ocrpage import OcrPage


class PageFormat(Protocol):
    """An OCR engine's file format: a module of :mod:`pipeline.ingest.pages` with these two functions."""

    def accepts(self, root: tuple[str, str], head: bytes) -> bool:
        """Whether a file whose first element is ``root`` (namespace, local name) is in this format."""

    def parse(self, data: bytes, name: str) -> list[OcrPage]:
        """The file's pages; a DocumentError naming the file when it cannot be read."""


# (name, format), told apart by their root elements
OCR_FORMATS: tuple[tuple[str, PageFormat], ...] = (
    ("ABBYY FineReader XML", abbyy), ("ALTO", alto), ("PAGE XML", pagexml), ("hOCR", hocr),
)
IMAGE_SIGNATURES = (
    (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000"), (b"\xffO\xffQ", "JPEG 2000"), (b"BM", "BMP"),
    (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
)
# Names a folder walk takes for page files before reading them (the bytes decide after).
IMAGE_SUFFIXES = {".tif", ".tiff", ".png", ".jpg", ".jpeg", ".jp2", ".j2k", ".jpx", ".bmp", ".gif"}
OCR_SUFFIXES = {".hocr", ".xml", ".html", ".htm", ".xhtml"}


def root_element(head: bytes) -> tuple[str, str] | None:
    """(namespace, local name) of the file's first element, read from its first bytes (an
    HTML file that is not XML still shows its first element before the parser gives up)."""
    parser = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True, load_dtd=False)
    try:
        parser.feed(head)
    except etree.XMLSyntaxError:
        pass  # the events before the error still tell the root
    try:
        for _event, element in parser.read_events():
            name = etree.QName(element)
            return name.namespace or "", name.localname
    except etree.XMLSyntaxError:
        pass
    return None


def _starts_with_markup(head: bytes) -> bool:
    """Whether the first thing in the file but white space (and byte-order marks) may be "<",
    in UTF-8 or in UTF-16 with a byte-order mark: XML starts so, or the parser finds no element.
    (Where the first characters say nothing, a NUL of UTF-32 or only white space, it may.)"""
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            start = head[:256].decode(codec, errors="replace").lstrip("\ufeff \t\r\n")
            return not start or start[0] in "<\x00"
    start = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n") or head.lstrip(b"\xef\xbb\xbf \t\r\n")  # without copying it
    return start.startswith(b"<")


def ocr_format(head: bytes, name: str = "") -> tuple[str, PageFormat] | None:
    """The name and reader of the OCR format of a file, from its first bytes, or None."""
    if not _starts_with_markup(head):
        return None  # a text that mentions "ocr_page" is not hOCR
    root = root_element(head)
    if root is None:
        return None
    for label, module in OCR_FORMATS:
        if module.accepts(root, head):
            return label, module
    return None


def image_format(head: bytes) -> str | None:
    """The name of the image format of a file's first bytes, or None."""
    return next((label for signature, label in IMAGE_SIGNATURES if head.startswith(signature)), None)


def is_pdf(head: bytes) -> bool:
    """Whether a file's first bytes are a PDF's."""
    return head[:1024].lstrip().startswith(b"%PDF-")


def page_kind(head: bytes, name: str = "") -> str | None:
    """"ocr", "image", "pdf" or None (a text file, or something no page reader handles)."""
    if is_pdf(head):
        return "pdf"
    if image_format(head):
        return "image"
    if ocr_format(head, name):
        return "ocr"
    return None
