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
