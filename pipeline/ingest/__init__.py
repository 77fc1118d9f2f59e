"""Readers of sources: a file's bytes in, a document (its text and the facts of how it was
read) out. A reader is chosen by what the file is, in one place (:func:`reader_for`):
its signature first, its extension second. The page readers (OCR engines' XML, page
images, PDFs: :mod:`pipeline.ingest.pages`) come before the text reader, which would
otherwise take an XML file for text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline.config import PipelineConfig
from pipeline.errors import DocumentError
from pipeline.ingest.encoding import looks_binary
from pipeline.ingest.pages.formats import page_kind
from pipeline.ingest.pages.ocr import LanguageOf
from pipeline.ingest.pages.reader import read_page_file
from pipeline.ingest.text import read_text
from pipeline.ingest.xmlkinds import refused_xml
from pipeline.safe_xml import parse_xml
from pipeline.model import Document


SNIFF_BYTES = 65536  # what a reader may look at to decide


@dataclass(frozen=True)
class Reader:
    """A reader of sources: which files it accepts and how it reads them."""
    name: str
    accepts: Callable[[bytes, str], bool]  # (the file's first bytes, its name) -> can read it
    # (the file's bytes, its name, the run's configuration, the judge of a page's language OCR
    # chooses its models by) -> the document
    read: Callable[[bytes, str, PipelineConfig, LanguageOf | None], Document]


def _read_text(data: bytes, file_name: str, config: PipelineConfig, _language_of: LanguageOf | None) -> Document:
    return read_text(data, file_name, config)


def _refuse_xml(data: bytes, file_name: str, config: PipelineConfig, _language_of: LanguageOf | None) -> Document:
    """Well-formed XML is refused for what it is; what only looks like XML (markup with text
    after it, a fragment) is a text with markup in it, and read as text."""
    try:
        parse_xml(data, file_name)
    except DocumentError:
        return read_text(data, file_name, config)
    raise DocumentError(file_name, refused_xml(data[:SNIFF_BYTES]) or "is XML, not text")


READERS: tuple[Reader, ...] = (
    Reader("pages", lambda head, name: page_kind(head, name) is not None, read_page_file),
    Reader("XML that is not text", lambda head, _name: refused_xml(head) is not None, _refuse_xml),
    Reader("text", lambda head, _name: looks_binary(head) is None, _read_text),
)



def reader_for(data: bytes, file_name: str, readers: tuple[Reader, ...] = READERS) -> Reader:
    """The first reader that accepts the file, or a DocumentError saying what it looks like."""
    head = data[:SNIFF_BYTES]
    for reader in readers:
        if reader.accepts(head, file_name):
            return reader
    reason = looks_binary(head) or "a format no reader handles"
    raise DocumentError(file_name, f"looks like {reason}, not text", "remove it from the input")
