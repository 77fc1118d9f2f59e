"""Pages from what a user gives: an edition (ours or another TEI), OCR engines' XML (PAGE,
ALTO, hOCR, ABBYY, read by the pipeline's own page readers), or plain text, one file per
page (``<stem>.gt.txt``) or pages parted by form feeds; a folder of any of them. The same
readers serve both sides: an engine's own output is read as an "edition" to be measured
the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import DocumentError
from pipeline.evaluation.pages import Page, furniture_class
from pipeline.evaluation.tei_pages import is_tei, tei_pages
from pipeline.ingest.encoding import decode, looks_binary
from pipeline.ingest.pages.formats import image_format, is_pdf, ocr_format
from pipeline.ingest.pages.reader import natural_key, stems
from pipeline.safe_xml import parse_edition

SNIFF_BYTES = 65536


class UnreadableInput(ValueError):
    """A file or folder that gives no pages; its message is one line naming it."""


@dataclass
class Source:
    """What was read from the paths given: pages in order, and the files that could not be."""

    pages: list[Page] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)  # one per file read, e.g. "179399.gt.txt: plain text"
    unreadable: list[str] = field(default_factory=list)  # one line each: file and problem
    skipped: list[str] = field(default_factory=list)  # files of a folder that hold no text: images, previews


def read_source(paths: list[Path], diplomatic: bool = False) -> Source:
    """Every page of the files and folders given (folders: their files in natural order,
    hidden ones and subfolders left out). A file that cannot be read is listed, and the
    others are read."""
    source = Source()
    for path in paths:
        if path.is_dir():
            files = sorted((p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")),
                           key=lambda p: natural_key(p.name))
            if not files:
                source.unreadable.append(f"{path}: an empty folder")
        elif path.exists():
            files = [path]
        else:
            source.unreadable.append(f"{path}: no such file or folder")
            continue
        for file in files:
            if path.is_dir() and (reason := _not_text(file)):
                source.skipped.append(f"{file.name}: {reason}")
                continue
            try:
                pages, kind = read_file(file, diplomatic)
            except (UnreadableInput, DocumentError, OSError) as error:
                source.unreadable.append(_one_line(file, error))
                continue
            source.pages.extend(pages)
            source.formats.append(f"{file.name}: {kind}")
    return source


def _not_text(file: Path) -> str | None:
    """Why a file in a folder is no page of text: a book's images beside its OCR files, an
    output folder's previews and manifest."""
    try:
        with open(file, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return None  # said when it is read
    if is_pdf(head) or image_format(head):
        return "a page image or PDF"
    if file.suffix.lower() == ".json":
        return "JSON (a manifest)"
    if file.suffix.lower() in (".html", ".htm") and not ocr_format(head, file.name):
        return "HTML that is not hOCR (a preview)"
    return None


def _one_line(file: Path, error: Exception) -> str:
    message = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    message = " ".join(message.split())
    return message if message.startswith(str(file)) or message.startswith(file.name) else f"{file}: {message}"


def read_file(file: Path, diplomatic: bool = False) -> tuple[list[Page], str]:
    """The pages of one file and what kind of file it was."""
    data = file.read_bytes()
    head = data[:SNIFF_BYTES]
    if is_pdf(head) or image_format(head):
        raise UnreadableInput(f"{file}: is a page image or PDF, not text: give its OCR output or an edition")
    if found := ocr_format(head, file.name):
        label, module = found
        return _ocr_pages(module.parse(data, file.name), file.name), label
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and b"tei-c.org/ns/1.0" in head:
        root = parse_edition(data, file.name).getroot()
        if not is_tei(root):
            raise UnreadableInput(f"{file}: is XML but neither TEI nor an OCR format (PAGE, ALTO, hOCR, ABBYY)")
        return tei_pages(root, diplomatic), "TEI"
    if looks_binary(head) is not None:
        raise UnreadableInput(f"{file}: is a binary file, not text")
    text, _guess = decode(data, file.name)
    return _text_pages(text, file.name), "plain text"


def _text_pages(text: str, name: str) -> list[Page]:
    """A text file is a page, or several parted by form feeds (no furniture marked)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    parts = text.split("\f")
    if parts and len(parts) > 1 and not parts[-1].strip():
        parts.pop()  # a form feed closing the last page
    pages = []
    for number, part in enumerate(parts, start=1):
        page = Page(name if len(parts) == 1 else f"{name} p. {number}",
                    stems(name) if len(parts) == 1 else ())
        page.add(part)
        pages.append(page)
    return pages


def _ocr_pages(ocr_pages: list, name: str) -> list[Page]:
    """PAGE, ALTO, hOCR or ABBYY pages: lines in the file's reading order, furniture where
    the file says what its regions are (PAGE region types, ALTO tags, roles)."""
    marked = any(line.region for ocr_page in ocr_pages for line in ocr_page.lines)
    pages = []
    for number, ocr_page in enumerate(ocr_pages, start=1):
        keys = list(stems(name)) if len(ocr_pages) == 1 else []
        keys += [key for key in stems(ocr_page.image) if key not in keys] if ocr_page.image else []
        page = Page(name if len(ocr_pages) == 1 else f"{name} p. {number}", tuple(keys), marks_furniture=marked)
        for line in ocr_page.lines:
            furniture = furniture_class(line.region) or furniture_class(line.role)
            if furniture is not None or (page.segments and page.segments[-1].furniture is not None):
                page.start(furniture)  # each line of furniture an item of its own
            elif page.segments:
                page.add("\n")
            page.add(line.text, furniture)
        pages.append(page)
    return pages
