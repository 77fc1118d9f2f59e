"""Readers are chosen by what a file is, in one place."""

from __future__ import annotations

import pytest

from pipeline.config import PipelineConfig
from pipeline.errors import DocumentError
from pipeline.ingest import READERS, Reader, reader_for
from pipeline.model import Document, EncodingGuess, SourceInfo


def test_text_of_any_encoding_goes_to_the_text_reader():
    for data in ("第一章 緒論".encode("big5"), "Über die Grenzboten".encode("cp1252"), b"plain"):
        assert reader_for(data, "scan.txt").name == "text"


def test_a_file_no_reader_handles_is_refused_by_name_with_what_it_looks_like():
    with pytest.raises(DocumentError, match=r"letter\.docx: looks like a binary file \(a ZIP archive, or a Word"):
        reader_for(b"PK\x03\x04" + bytes(range(256)), "letter.docx")


def test_a_new_reader_is_one_row():
    def read_fake(data: bytes, file_name: str, config: PipelineConfig) -> Document:
        return Document(source=SourceInfo(file_name=file_name, size=len(data), sha256="0" * 64,
                                          encoding=EncodingGuess(encoding="fake", confidence=1.0)),
                        text=data[6:].decode())

    fake = Reader("fake", lambda head, name: head.startswith(b"%FAKE\n"), read_fake)
    readers = (fake, *READERS)
    assert reader_for(b"%FAKE\nhello", "x.fake", readers) is fake
    assert reader_for(b"hello", "x.txt", readers).name == "text"
    assert fake.read(b"%FAKE\nhello", "x.fake", PipelineConfig()).text == "hello"


def test_utf16_that_does_not_start_with_markup_is_not_given_to_the_xml_parser():
    """A UTF-16 file (with a byte-order mark) is given to the XML parser, to find its first
    element, only if it starts with "<": where it does not, the parser finds none either."""
    from pathlib import Path

    from pipeline.ingest.pages.formats import _starts_with_markup, root_element

    hocr = (Path(__file__).parent / "data" / "hobbes-1668" / "ocropus-hocr" / "0009.hocr").read_text(encoding="utf-8")
    body = hocr[hocr.index("<html"):]
    texts = [body, "\n \t" + body, "Leviathan, sive de materia <i>civitatis</i>.", "\u3000<p>蘇聯</p>",
             " " * 200 + "<p>x</p>", "\ufeff<p>x</p>", "x<p>y</p>", "", "\n"]
    for text in texts:
        for data in (text.encode("utf-16"), b"\xfe\xff" + text.encode("utf-16-be")):
            assert _starts_with_markup(data) or root_element(data) is None, text[:20]
        assert reader_for(text.encode("utf-16") + b"\n\x00", "scan.txt").name in ("text", "XML that is not text")
    assert root_element(body.encode("utf-16")) == ("http://www.w3.org/1999/xhtml", "html")
