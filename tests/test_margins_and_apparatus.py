"""What a scholarly page prints beside its text (real pages of Swete 1901 and Arnobius 1875,
Tesseract hOCR): sigla, verse numbers, folio references in the margins become notes in the
margin, out of the running text; the critical apparatus under the text is a note of its own,
never inside a paragraph of the main text; the source still rebuilds from the edition."""

from __future__ import annotations

from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.ingest.pages.compose import SourceFile
from pipeline.process import build_edition
from pipeline.tei.reader import rebuild_source, without_whitespace
from pipeline.tei.validate import schema_errors
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"
NS = {"t": "http://www.tei-c.org/ns/1.0"}


def _edition(folder: str, stems: list[str]):
    files = [SourceFile(f"{stem}.hocr", (DATA / folder / "tess-hocr" / f"{stem}.hocr").read_bytes()) for stem in stems]
    edition = build_edition(files, folder, PipelineConfig())
    assert edition.errors == []
    return edition, etree.fromstring(edition.xml)


def _own_text(element) -> str:
    """The element's text without what its notes hold."""
    return "".join(t for t in element.xpath(".//text()[not(ancestor::t:note)]", namespaces=NS))


def _margin_notes(tree) -> list[str]:
    return ["".join(note.itertext()) for note in tree.iterfind(".//t:body//t:note[@place='margin']", NS)]


def test_verse_numbers_and_sigla_in_swetes_margins_are_notes_out_of_the_text():
    edition, tree = _edition("swete-1901", ["0055", "0056"])
    notes = _margin_notes(tree)
    # page 23 (0055) numbers verses 20-24 of chapter 14 and 1-15 of chapter 15 in its left margin
    assert {"20", "21", "22", "23", "24", "2", "3", "4", "5", "10", "15"} <= set(notes)
    assert "XV 1" in notes  # the chapter's number beside its first verse
    assert "Ψ Α" in notes  # the siglum "¶ A" in the right margin, as Tesseract read it
    text = " ".join(_own_text(p) for p in tree.iterfind(".//t:body//t:p", NS))
    assert "ἀπὸ πάντων" in text and "21 ἀπὸ πάντων" not in text
    assert "XV" not in text.split("Μετὰ δὲ τὰ ῥήματα")[0][-12:]
    # each note points to its own zone of the page image, beside the page's lines, not across them
    for surface in tree.iterfind(".//t:surface", NS):
        lines = surface.findall("t:zone[@type='line']", NS)
        left = sorted(int(zone.get("ulx")) for zone in lines)[len(lines) // 2]
        right = sorted(int(zone.get("lrx")) for zone in lines)[len(lines) // 2]
        for zone in surface.findall("t:zone[@type='margin']", NS):
            assert int(zone.get("lrx")) < left or int(zone.get("ulx")) > right
    margin_zones = {zone.get("{http://www.w3.org/XML/1998/namespace}id")
                    for zone in tree.iterfind(".//t:zone[@type='margin']", NS)}
    noted = {note.get("facs").lstrip("#") for note in tree.iterfind(".//t:note[@place='margin']", NS)}
    assert noted <= margin_zones and len(margin_zones - noted) <= 1  # a speck inside the apparatus' note: no nesting
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(edition.document.text)


def test_arnobius_folio_references_in_the_margin_are_notes():
    edition, tree = _edition("arnobius-1875", ["010"])
    notes = _margin_notes(tree)
    assert "f. 5b" in notes
    text = " ".join(_own_text(p) for p in tree.iterfind(".//t:body//t:p", NS))
    assert "natura est" in text and "5b natura" not in text
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(edition.document.text)


def test_the_critical_apparatus_under_the_text_is_a_note_of_its_own_never_text_of_a_paragraph():
    # Arnobius prints its apparatus under the text of every page, keyed to the line numbers
    _, tree = _edition("arnobius-1875", ["010", "011", "012"])
    apparatus = tree.findall(".//t:body//t:note[@place='foot'][@type='apparatus']", NS)
    assert len(apparatus) == 3
    text = " ".join(_own_text(p) for p in tree.iterfind(".//t:body//t:p", NS))
    assert "rationem P" in "".join(apparatus[0].itertext()) and "rationem P" not in text


def _reading_text(element) -> str:
    """The element's reading text, whitespace out: no notes, furniture or original forms
    (a hyphen joined at a line end gone)."""
    return without_whitespace("".join(element.xpath(
        ".//text()[not(ancestor::t:note or ancestor::t:fw or ancestor::t:orig)]", namespaces=NS)))


def test_the_main_text_goes_on_over_the_turn_past_the_apparatus_and_its_broken_words_are_joined():
    # six pages: enough for the running heads to be found, each page with its apparatus
    _, tree = _edition("arnobius-1875", ["007", "008", "009", "010", "011", "012"])
    paragraphs = tree.findall(".//t:body//t:p", NS)
    # page 10 ends "maledicas primordiis rerum," and page 11 goes on "quod tam saeua prodigia":
    # one paragraph, the page break and page 10's apparatus inside it, not in its text
    over_the_turn = [p for p in paragraphs if "primordiisrerum," in _reading_text(p)]
    assert len(over_the_turn) == 1
    paragraph = over_the_turn[0]
    assert "rerum,quodtamsaeuaprodigia" in _reading_text(paragraph)
    assert paragraph.find(".//t:pb[@n='11']", NS) is not None
    apparatus = paragraph.findall(".//t:note[@type='apparatus']", NS)
    assert any("rationem P" in "".join(note.itertext()) for note in apparatus)
    assert "rationemP" not in _reading_text(paragraph)
    # a word broken at a line's end on page 10 ("pen-" / "dere") is read whole
    assert "pendere" in _reading_text(paragraph)
    assert schema_errors(etree.ElementTree(tree)) == []


def test_a_line_number_in_the_margin_is_one_fw_never_a_note_and_nothing_nests():
    # Arnobius numbers every fifth line in the right margin (pages 11 and 12: 5 to 25), the
    # folio references of the manuscript and the chapters in the left; Tesseract read 15 as ιε»
    _, tree = _edition("arnobius-1875", ["010", "011", "012"])
    assert not tree.xpath("//t:fw//t:note | //t:note//t:fw | //t:note//t:note", namespaces=NS)
    assert schema_errors(etree.ElementTree(tree)) == []
    numbers = tree.findall(".//t:body//t:fw[@type='lineNum']", NS)
    pages = {}
    for fw in numbers:
        page = fw.xpath("preceding::t:pb[1]/@facs", namespaces=NS)[0]
        pages.setdefault(page, []).append(int(fw.get("n") or fw.text))
    assert sorted(pages.values())[-2:] == [[5, 10, 15, 20, 25]] * 2
    # each piece of the margin is one element, a note or a line number, pointing to its zone
    pointing = {}
    for element in tree.xpath("//t:body//*[starts-with(@facs, '#facs-p') and contains(@facs, '-m')]",
                              namespaces=NS):
        pointing.setdefault(element.get("facs"), []).append(element)
    assert all(len(elements) == 1 for elements in pointing.values())
    zones = {f"#{zone.get('{http://www.w3.org/XML/1998/namespace}id')}": zone
             for zone in tree.iterfind(".//t:zone[@type='margin']", NS)}
    assert set(pointing) == set(zones)
    in_margin = [fw for fw in numbers if fw.get("facs") in zones]
    assert {"ιε»", "ιε"} & {fw.text for fw in in_margin}
    for fw in in_margin:  # the line it stands beside keeps its own lb and zone
        assert fw.getprevious() is not None and fw.getprevious().tag == f"{{{NS['t']}}}lb"
        assert fw.getprevious().get("facs", "").startswith("#facs-p")
    notes = _margin_notes(tree)
    assert "f. 5b" in notes and not {"5", "10", "15", "20", "25"} & set(notes[len(notes) // 3:])


def test_the_pieces_of_an_early_books_foot_line_are_its_signature_and_catchword():
    """Hobbes 1668 (OCRopus), the foot of page 0049: the short title, the gathering's mark and
    the catchword printed on one line (``Leviat. ggg quis,``), read as three pieces garbled past
    reading (``Let iit.``, ``naa``): a book that prints a catchword on its pages prints them
    there, so the pieces are its signature line, out of the text; the text's short last
    lines, at the left edge, stay text."""
    paths = sorted((DATA / "hobbes-1668" / "ocropus-hocr-0048").glob("*.hocr"))
    edition = build_edition([SourceFile(p.name, p.read_bytes()) for p in paths], "leviathan", PipelineConfig())
    assert edition.errors == []
    tree = etree.fromstring(edition.xml)
    fws = {(fw.get("type"), "".join(fw.itertext())) for fw in tree.iterfind(".//t:body//t:fw", NS)}
    assert {("sig", "Let iit."), ("sig", "naa"), ("catch", "quis,")} <= fws
    # (the text goes on over the turn, "verba ali-" / "quis, quæ": the foot's fw may stand inside a paragraph)
    paragraphs = [_reading_text(p) for p in tree.iterfind(".//t:body//t:p", NS)]
    assert not [p for p in paragraphs if "Letiit." in p or "naa" in p]
    assert not [words for kind, words in fws if kind in ("sig", "catch") and len(words) > 12]  # no line of text
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(edition.document.text)


def test_an_article_signed_with_a_letter_and_a_dash_at_the_foot_is_no_signature_mark():
    """Grenzboten 1841 (Tesseract 3), scans 179489-179490: the article ends at the page's foot, signed
    ``C—.`` at the right under its last line, where a sheet's signature mark would stand: it
    is who wrote the article, text of the page (the ground truth keeps it)."""
    paths = sorted((DATA / "grenzboten-1841" / "tess-hocr-179490").glob("*.hocr"))
    edition = build_edition([SourceFile(p.name, p.read_bytes()) for p in paths], "grenzboten", PipelineConfig())
    assert edition.errors == []
    doc = edition.document
    assert not [doc.text[e.start:e.end] for e in doc.edits if e.kind in ("signature", "catchword")]
    tree = etree.fromstring(edition.xml)
    assert "C—." in " ".join(_own_text(p) for p in tree.iterfind(".//t:body//t:p", NS))


def test_the_testimonia_above_the_apparatus_open_it_and_leave_the_text():
    # page 7 prints its testimonia ("13 Tim. p. 25": a line number and a reference) apart above
    # the apparatus, in the apparatus's type: both are the page's apparatus, neither is text
    _, tree = _edition("arnobius-1875", ["007", "008", "009", "010", "011", "012"])
    apparatus = ["".join(note.itertext()) for note in tree.iterfind(".//t:body//t:note[@type='apparatus']", NS)]
    assert apparatus[0].startswith("13 Tim. p. 25") and "diluuiis" in apparatus[0]
    assert any(note.startswith("16 Tim.") for note in apparatus)  # page 9's
    text = " ".join(_own_text(p) for p in tree.iterfind(".//t:body//t:p", NS))
    assert "Tim." not in text


def test_a_siglum_standing_short_of_the_text_block_beside_another_is_in_the_margin_too():
    # page 0056 prints "(A) (D)" in its left margin beside the chapter's first line; Tesseract boxed
    # "(D)" within a line's height of the text's edge, and it stayed in the text once "(A)" was set apart
    edition, tree = _edition("swete-1901", ["0056"])
    assert "(A) (D)" in _margin_notes(tree)
    text = " ".join(_own_text(p) for p in tree.iterfind(".//t:body//t:p", NS))
    assert "(D)" not in text.split("πρὸς τοὺς πατέρας")[0]
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(edition.document.text)
