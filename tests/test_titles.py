"""Titles from evidence: the document's heading or title lines, a PDF's own metadata, and
only as the last resort the file's or folder's name, said as such; never a page number the
OCR misread, never furniture. A short PDF whose page numbers read cleanly is paginated."""

from __future__ import annotations

import shutil

from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.process import build_edition
from tests.conftest import ROOT

TEI = "{http://www.tei-c.org/ns/1.0}"
PROSE = ["The history of the province is long, and it begins with the water that comes down",
         "from the mountains in spring, when the snow melts and the rivers rise over their banks.",
         "The towns along the river were built by merchants who traded salt and grain and wool,",
         "and their councils kept the records from which this account is drawn in the main part.",
         "Of the earliest settlements little is known beyond the names that the charters give us,"]


def pdf(pages: list[tuple[str | None, str | None]], title: str | None = None) -> bytes:
    """A PDF with a text layer: each page (a short line printed apart at its top, a heading),
    then twelve lines of prose."""
    from fpdf import FPDF

    document = FPDF(format="A4")
    if title:
        document.set_title(title)
    document.set_font("Helvetica", size=11)
    for number, (top, heading) in enumerate(pages):
        document.add_page()
        if top:
            document.set_xy(100, 15)
            document.cell(10, 6, top, align="C")
        document.set_xy(20, 35)
        if heading:
            document.set_font("Helvetica", size=16)
            document.cell(170, 10, heading, align="C")
            document.ln(14)
            document.set_font("Helvetica", size=11)
        for i in range(12):
            document.set_x(20)
            document.cell(170, 6, PROSE[(i + number) % len(PROSE)])
            document.ln(6)
    return bytes(document.output())


def titles(xml: bytes) -> list[tuple[str | None, str]]:
    """The header's titles (titleStmt), each with its @type."""
    title_stmt = etree.fromstring(xml).find(f".//{TEI}titleStmt")
    return [(title.get("type"), title.text) for title in title_stmt.findall(f"{TEI}title")]


def test_a_misread_page_number_is_no_title_and_the_file_name_is_said_to_be_one():
    for misread in ("4]", "O", "xii"):
        edition = build_edition(pdf([(misread, None)]), "scan.pdf", PipelineConfig())
        assert titles(edition.xml) == [("desc", "scan.pdf: the file's name (it shows no title)")], misread


def test_the_first_heading_names_the_document_not_the_number_above_it():
    prose = " ".join(PROSE)
    for misread in ("4]", "O", "- 12 -"):
        text = f"{misread}\n\nON THE RIVER TOWNS\n\n{prose}\n\n{prose}\n"
        edition = build_edition(text.encode(), "export.txt", PipelineConfig())
        assert titles(edition.xml) == [(None, "ON THE RIVER TOWNS")], misread
    edition = build_edition(f"4]\n\n{prose}\n".encode(), "export.txt", PipelineConfig())
    assert titles(edition.xml) == [("desc", "export.txt: the file's name (it shows no title)")]


def test_the_pdfs_own_metadata_names_it_when_the_text_does_not():
    edition = build_edition(pdf([("4]", None)], title="A History of the Province"), "scan.pdf", PipelineConfig())
    assert titles(edition.xml) == [(None, "A History of the Province")]
    # metadata that only repeats the file's name says nothing
    edition = build_edition(pdf([("4]", None)], title="scan"), "scan.pdf", PipelineConfig())
    assert titles(edition.xml) == [("desc", "scan.pdf: the file's name (it shows no title)")]


def test_a_folder_of_pages_without_a_title_is_named_after_its_folder_and_says_so(tmp_path):
    from pipeline.run.document import process_file
    from pipeline.run.inputs import discover_sources

    book = tmp_path / "adversus-nationes"  # Arnobius, two pages of hOCR from the middle of the book
    shutil.copytree(ROOT / "tests" / "data" / "arnobius-1875" / "tess-hocr", book)
    source = discover_sources([book])[0][0]
    report = process_file(source.path, tmp_path / "out", PipelineConfig(), "an", "an", source.pages)
    assert report.status == "ok", report.errors
    xml = (tmp_path / "out" / "an.tei.xml").read_bytes()
    assert titles(xml) == [("desc", "adversus-nationes: the folder's name (its pages show no title)")]


def test_two_pdf_pages_whose_numbers_read_cleanly_are_numbered():
    edition = build_edition(pdf([("4", None), ("5", None)]), "two.pdf", PipelineConfig())
    tree = etree.fromstring(edition.xml)
    assert [pb.get("n") for pb in tree.iter(f"{TEI}pb")] == ["4", "5"]
    assert [fw.text for fw in tree.iter(f"{TEI}fw") if fw.get("type") == "pageNum"] == ["4", "5"]
    # a number that does not continue the other is no evidence: no numbers
    edition = build_edition(pdf([("4", None), ("9", None)]), "two.pdf", PipelineConfig())
    assert [pb.get("n") for pb in etree.fromstring(edition.xml).iter(f"{TEI}pb")] == [None, None]


# Titles from headings the OCR garbled or split: never shown as the title, said to be the
# heading as the OCR read it, with the evidence that doubts it.
GERMAN = ("Die Nachrichten aus Deutschland lauten günstig, und in Deutschland wie in Belgien erwartet man "
          "den Frieden. Der Handel der Städte ist lebhaft, der Verkehr auf den Straßen und Flüssen wächst, "
          "und die Kaufleute der Messen rühmen den Fleiß der Arbeiter, der nirgends größer ist als hier. ") * 12
AS_READ = "(the first heading as the OCR read it; "
AS_WRITTEN = "(the first heading as the text writes it; "  # a text file: no OCR is known to have read it


def bibl_titles(xml: bytes) -> list[tuple[str | None, str]]:
    bibl = etree.fromstring(xml).find(f".//{TEI}sourceDesc/{TEI}bibl")
    return [(title.get("type"), title.text) for title in bibl.findall(f"{TEI}title")]


def test_a_heading_whose_words_the_engine_doubted_is_said_to_be_as_the_ocr_read_it():
    """Die Grenzboten 1841, the first page (scan 179392): ABBYY read the article's title
    "Deutschland und Belgien." as "Dmlschland md Belgien.", rating every word low; Tesseract
    read it right, and rated it so."""
    from pipeline.ingest.pages.compose import SourceFile

    page = ROOT / "tests" / "data" / "grenzboten-1841" / "title-179392"
    abbyy = build_edition([SourceFile("179392.abbyy.xml", (page / "179392.abbyy.xml").read_bytes())], "grenzboten",
                          PipelineConfig())
    shown = ("desc", f"Dmlschland md Belgien. {AS_READ}the OCR engine doubted its words)")
    assert titles(abbyy.xml) == [shown] and bibl_titles(abbyy.xml) == [shown]
    tesseract = build_edition([SourceFile("179392.hocr", (page / "179392.hocr").read_bytes())], "grenzboten",
                              PipelineConfig())
    assert titles(tesseract.xml) == [(None, "Deutschland und Belgien.")]


def test_a_heading_word_the_text_spells_otherwise_everywhere_else_is_doubted():
    edition = build_edition(f"Dmlschland und Belgien\n\n{GERMAN}\n".encode(), "export.txt", PipelineConfig())
    assert titles(edition.xml) == [("desc", f"Dmlschland und Belgien {AS_WRITTEN}the text writes \"Dmlschland\" "
                                            "nowhere else and \"Deutschland\" 24 times)")]
    edition = build_edition(f"Deutschland und Belgien\n\n{GERMAN}\n".encode(), "export.txt", PipelineConfig())
    assert titles(edition.xml) == [(None, "Deutschland und Belgien")]


def test_a_heading_of_one_common_word_is_a_piece_of_a_split_title():
    """The OCR set "Der" and "Herold" apart: "Der" is no title, and none is made up."""
    edition = build_edition(f"Der\n\nHerold\n\n{GERMAN}\n".encode(), "export.txt", PipelineConfig())
    assert titles(edition.xml) == [("desc", f"Der {AS_WRITTEN}a single word the text uses everywhere in lower "
                                            "case: a piece of a title the OCR split)")]


def test_a_heading_whose_words_mix_alphabets_is_doubted():
    prose = " ".join(PROSE)
    edition = build_edition(f"THE \u039fLD TESTAMENT\n\n{prose}\n\n{prose}\n".encode(), "export.txt",
                            PipelineConfig())  # a Greek capital omicron read for the Latin O
    assert titles(edition.xml) == [("desc", f"THE \u039fLD TESTAMENT {AS_WRITTEN}its words mix alphabets, as misread "
                                            "letters do)")]
    edition = build_edition(f"THE OLD TESTAMENT\n\n{prose}\n\n{prose}\n".encode(), "export.txt", PipelineConfig())
    assert titles(edition.xml) == [(None, "THE OLD TESTAMENT")]




# Correct titles the rules above must leave alone: an inflected form, a name beside a common
# word a letter away, a one-word title naming the play whose speeches it heads.
HISTORY = ("Die Geschichte von Preußen beginnt in der Mark, und Preußen wuchs durch Erbe und Krieg. Keine "
           "Provinz blieb, wie sie war, und keine Stadt in Preußen ohne Garnison. In Athen und Sparta las man "
           "die Dichter, und in Athen spielte man die Tragödien, die Athen berühmt machten. ") * 8


def test_a_title_in_an_inflected_form_of_a_word_the_text_writes_is_not_doubted():
    for heading in ("Die Könige Preußens", "Sophokles und Athens Bühne", "Über Heine"):
        edition = build_edition(f"{heading}\n\n{HISTORY}\n".encode(), "export.txt", PipelineConfig())
        assert titles(edition.xml) == [(None, heading)], heading
    # a letter changed inside the word is a misreading still
    edition = build_edition(f"Die Könige Prcußens\n\n{HISTORY}\n".encode(), "export.txt", PipelineConfig())
    assert titles(edition.xml) == [("desc", f"Die Könige Prcußens {AS_WRITTEN}the text writes \"Prcußens\" "
                                            "nowhere else and \"Preußen\" 24 times)")]


def test_a_one_word_title_naming_the_play_it_heads_is_not_doubted():
    speeches = "\n\n".join(f"HAMLET. {line}\n\nHORATIO. {line} Hamlet, my lord." for line in PROSE * 8)
    edition = build_edition(f"Hamlet\n\n{speeches}\n".encode(), "export.txt", PipelineConfig())
    assert titles(edition.xml) == [(None, "Hamlet")]
