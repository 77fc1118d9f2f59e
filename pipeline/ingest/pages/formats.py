"""What a page file is, from its first bytes: which OCR engine's XML, a page image, a PDF."""

from __future__ import annotations

from types import ModuleType

from pipeline.ingest.pages import abbyy, alto, hocr, pagexml

# (name, module with accepts() and parse()); the XML formats are told apart by their markers
OCR_FORMATS: tuple[tuple[str, ModuleType], ...] = (
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


def ocr_format(head: bytes, name: str = "") -> tuple[str, ModuleType] | None:
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return None  # a text that mentions "ocr_page" is not hOCR
    for label, module in OCR_FORMATS:
        if module.accepts(head, name):
            return label, module
    return None


def image_format(head: bytes) -> str | None:
    return next((label for signature, label in IMAGE_SIGNATURES if head.startswith(signature)), None)


def is_pdf(head: bytes) -> bool:
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
