"""Ingest: decoding, newlines, characters XML cannot carry, and clear errors."""

from __future__ import annotations

import codecs
import re

import pytest

from pipeline.errors import DocumentError
from pipeline.process import build_document, build_edition
from pipeline.tei.reader import rebuild_source, without_whitespace
from tests.conftest import parse

TEXT = "第一章 緒論\n\n外交是內政的延長，「不同的」政治經濟結構。\n\nA paragraph in English, with “curly quotes”.\n"


@pytest.mark.parametrize("bom,encoding", [
    (b"", "utf-8"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
])
def test_decodes_utf_with_and_without_bom_to_the_same_text(config, bom, encoding):
    doc = build_document(bom + TEXT.encode(encoding), "sample.txt", config)
    assert doc.text == TEXT
    assert doc.source.encoding.encoding == encoding
    assert doc.source.encoding.bom is bool(bom)


def test_newlines_are_normalized(config):
    doc = build_document(TEXT.replace("\n", "\r\n").encode(), "crlf.txt", config)
    assert doc.text == TEXT


def test_a_truncated_utf16_file_is_an_error_naming_the_file(config):
    with pytest.raises(DocumentError) as caught:
        build_document(codecs.BOM_UTF16_LE + "蘇聯".encode("utf-16-le") + b"\x41", "cut.txt", config)
    assert "cut.txt" in str(caught.value)
    assert re.search(r"byte \d+", str(caught.value))


@pytest.mark.parametrize("data, problem", [
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is a PDF that cannot be read"),  # cut short: PDFium says why
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is an image that cannot be read"),
    (bytes(range(256)) * 40, "binary"),
])
def test_unreadable_files_are_refused_with_a_clear_error(config, data, problem):
    with pytest.raises(DocumentError, match=problem) as caught:
        build_document(data, "scan.txt", config)
    assert "scan.txt" in str(caught.value)


def test_oversized_document_is_refused(config):
    small = config.model_copy(update={"max_document_bytes": 10})
    with pytest.raises(DocumentError, match="over the limit"):
        build_document(b"x" * 11, "big.txt", small)


def test_control_characters_are_recorded_and_rebuild(config):
    source = "Page one text\x0c\n\nSecond\x00 page \x1b[0m text."
    edition = build_edition(source.encode(), "ctrl.txt", config)
    assert edition.errors == []
    removed = [e.original for e in edition.document.edits if e.kind == "illegal-character"]
    assert removed == ["\x00", "\x1b"]
    # The form feed is a page separator: a page break that keeps the character it stands for.
    assert [e.original for e in edition.document.edits if e.kind == "page-break"] == ["\x0c"]
    tree = parse(edition.xml)
    assert len(tree.findall(".//{*}pb")) == 1
    assert rebuild_source(tree).count("\x00") == 1
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(source)


def test_empty_and_blank_sources_are_said_to_be_empty_and_get_no_edition(config, tmp_path):
    from pipeline.errors import EmptyDocument
    from pipeline.run.document import process_file

    for data, problem in ((b"", "is empty"), (b"  \n\n\t\n", "holds only whitespace"),
                          ("\u3000\n".encode("utf-16"), "holds only whitespace")):
        with pytest.raises(EmptyDocument, match=problem):
            build_edition(data, "empty.txt", config)
        source = tmp_path / "empty.txt"
        source.write_bytes(data)
        report = process_file(source, tmp_path / "out", config)
        assert report.status == "empty" and report.errors == [] and problem in report.notes[0]
        assert report.console_line().startswith("EMPTY   empty.txt: ")
        assert not (tmp_path / "out" / "empty.tei.xml").exists()
