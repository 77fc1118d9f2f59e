"""Scholarly editions as text exports give them: line numbers printed in the margin (every
fifth line, glued to the line or on lines of their own, garbled by the OCR), running heads
with book and chapter numbers beside the page's, the bibliographic line at a sheet's foot.
Pages composed here in the books' patterns, with words of our own."""

from __future__ import annotations

import random

from pipeline.config import PipelineConfig
from pipeline.ingest.pages.compose import SourceFile
from pipeline.process import build_document, build_edition
from pipeline.stages.pageedges.margins import EDGE_PUNCTUATION
from pipeline.tei.reader import rebuild_source, without_whitespace
from tests.conftest import ROOT, parse

CONFIG = PipelineConfig()
GREEK = ("καὶ ὁ βασιλεὺς τῶν πόλεων ἐπὶ τὴν θάλασσαν ἀπέστειλε τοὺς στρατηγοὺς μετὰ πολλῶν νεῶν ὅπως τὰ "
         "χωρία φυλάσσωσι πρὸς τοὺς πολεμίους ἐν τῷ χειμῶνι οἱ δὲ πολῖται τὴν ἀγορὰν ἐπλήρουν λέγοντες "
         "ὅτι οὐδεὶς αὐτῶν τὸν νόμον ἔλυσεν ἀλλὰ πάντες ἐπείθοντο τοῖς ἄρχουσιν").split()
LATIN = ("et cum legati ad urbem uenissent senatus eos in curiam uocauit ubi de pace ac bello diu "
         "disputatum est neque tamen quisquam ausus est sententiam dicere quae regi displiceret "
         "itaque res in alium diem dilata est dum nuntii ex prouinciis redirent").split()
GERMAN = ("die Gesellschaft hat in ihrer letzten Versammlung über die Verbesserung der Landstraßen "
          "beraten und beschlossen dass jeder Bürger nach seinem Vermögen zu den Kosten beitragen "
          "solle wobei die Armen der Stadt von dieser Last befreit bleiben").split()
GARBLED_TENS = {10: "ιο", 20: "2o", 15: "l5"}  # as OCR reads a margin's 10, 20, 15


def _lines(rng: random.Random, words: list[str], count: int) -> list[str]:
    return [" ".join(rng.choice(words) for _ in range(rng.randint(8, 11))) for _ in range(count)]


def _numbered(number: int) -> str:
    return GARBLED_TENS.get(number, str(number))


def _greek_edition(first_page: int, pages: int, joiner: str, column: bool) -> str:
    """A Greek critical edition's pages as Tesseract's text export writes them: the running
    head with the page's number before it (verso) or after it (recto), 28 lines of text with
    the margin's number every fifth line on a line of its own (beside its line, or the whole
    margin as one column after the text), a chapter number that changes."""
    rng = random.Random(first_page)
    texts = []
    for index in range(pages):
        page = first_page + index
        chapter = "III." if index < 2 else "IV."
        head = f"{page} LIB. XI. CAP. {chapter}" if page % 2 == 0 else f"LIB. XI. CAP. {chapter} {page}"
        body = _lines(rng, GREEK, 28)
        out = [head, ""]
        if column:
            out += body + [""] + [_numbered(n) for n in range(5, 29, 5)]
        else:
            for number, line in enumerate(body, start=1):
                out.append(line)
                if number % 5 == 0:
                    out += ["", _numbered(number), ""]
        texts.append("\n".join(out))
    return joiner.join(texts) + "\n"


def _kinds(doc, kind: str) -> list:
    return [e for e in doc.edits if e.kind == kind]


def _check_greek(data: str, first_page: int, pages: int) -> None:
    doc = build_document(data.encode("utf-8"), "edition.txt", CONFIG)
    assert [e.attrs.get("n") for e in _kinds(doc, "page-break")] == [str(n) for n in
                                                                    range(first_page + 1, first_page + pages)]
    heads = _kinds(doc, "running-head")
    assert [e.attrs.get("n") for e in heads] == [str(n) for n in range(first_page, first_page + pages)]
    assert not _kinds(doc, "page-number")  # a line number is never a page number
    numbers = _kinds(doc, "line-number")
    assert [e.original for e in numbers] == [_numbered(n) for n in range(5, 29, 5)] * pages
    assert [e.attrs.get("n") for e in numbers if e.original in GARBLED_TENS.values()] == ["10", "15", "20"] * pages


def test_line_numbers_on_lines_of_their_own_are_no_page_numbers():
    for joiner in ("\f", "\n\n"):  # Tesseract's form feeds, or pages joined by a blank line
        _check_greek(_greek_edition(12, 4, joiner, column=False), 12, 4)


def test_line_numbers_written_as_the_margins_column_are_no_page_numbers():
    for joiner in ("\f", "\n\n"):
        _check_greek(_greek_edition(131, 5, joiner, column=True), 131, 5)


def _latin_edition(first_page: int, pages: int) -> str:
    """A Latin edition read line by line: the margin's number glued to the line's start on a
    verso, to its end on a recto; numbering restarts on each page; the head 'Liber I.' with the
    page number at its outer end, the verso's head naming the author."""
    rng = random.Random(first_page)
    texts = []
    for index in range(pages):
        page = first_page + index
        head = f"{page} Arnulfi de rebus gestis" if page % 2 == 0 else f"Liber {'I' * (1 + index // 3)}. {page}"
        lines = _lines(rng, LATIN, 27)
        for number in range(5, 28, 5):
            printed = _numbered(number)
            lines[number - 1] = f"{printed} {lines[number - 1]}" if page % 2 == 0 else f"{lines[number - 1]} {printed}"
        texts.append("\n".join([head] + lines))
    return "\n".join(texts) + "\n"


def test_line_numbers_glued_to_the_lines_are_encoded_and_the_source_rebuilds():
    data = _latin_edition(40, 6)
    edition = build_edition(data.encode("utf-8"), "latin.txt", CONFIG)
    assert not edition.errors
    doc = edition.document
    assert [e.attrs.get("n") for e in _kinds(doc, "page-break")] == [str(n) for n in range(41, 46)]
    assert len(_kinds(doc, "running-head")) == 6
    numbers = _kinds(doc, "line-number")
    assert [e.original for e in numbers] == [_numbered(n) for n in range(5, 28, 5)] * 6
    tree = parse(edition.xml)
    fws = tree.findall(".//{http://www.tei-c.org/ns/1.0}fw[@type='lineNum']")
    assert [fw.get("n") for fw in fws[:5]] == [None, "10", "15", "20", None]
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(data)


def test_numbers_at_the_start_of_lines_that_grow_one_by_one_are_left_as_text():
    """A numbered list, or the references of an apparatus, grow by one at each line: no margin."""
    rng = random.Random(3)
    lines = [f"{n} {line}" for n, line in enumerate(_lines(rng, LATIN, 12), start=1)]
    doc = build_document("\n".join(lines).encode("utf-8"), "list.txt", CONFIG)
    assert not _kinds(doc, "line-number")
    assert not _kinds(doc, "page-break")


def test_the_bibliographic_line_at_a_sheets_foot_is_a_signature_line():
    """A journal prints its short title, volume and issue at the foot of a sheet's first page,
    with the sheet's signature beside it or under it: furniture, not the article's prose."""
    rng = random.Random(7)
    feet = {403: ["Hamb. Wochenbl. II. B. 3. St.", "C c"], 419: ["Hamb. Wochenbl. II. B. 3. St. D d"]}
    pages = []
    for page in range(401, 421):
        lines = [str(page)] + _lines(rng, GERMAN, 24)
        lines[-1] += "."
        pages.append("\n".join(lines + feet.get(page, [])))
    data = "\f".join(pages) + "\n"
    doc = build_document(data.encode("utf-8"), "journal.txt", CONFIG)
    assert [e.original for e in _kinds(doc, "signature")] == ["Hamb. Wochenbl. II. B. 3. St.", "C c",
                                                              "Hamb. Wochenbl. II. B. 3. St. D d"]
    assert [e.attrs.get("n") for e in _kinds(doc, "page-break")] == [str(n) for n in range(402, 421)]
    prose = [line for line in data.splitlines() if line.endswith(".") and len(line) > 40]
    assert not any(e.original in prose for e in _kinds(doc, "signature"))


# --- a real book: Arnobius, CSEL 4 (1875), Tesseract 3 hOCR of printed pages 4-12 ---

ARNOBIUS = ROOT / "tests" / "data" / "arnobius-1875" / "tess-hocr"
# Read on the page images: every page numbers its own lines 5 to 25, in the right margin of a
# verso, the left of a recto; folio references and chapter numbers stand in the other margin.
# Page 6's 25 the OCR read as "aa" inside its line (not set apart in the margin): not found.
ARNOBIUS_FOUND = {4: [5, 10, 15, 20, 25], 5: [5, 10, 15, 20, 25], 6: [5, 10, 15, 20], 7: [5, 10, 15, 20, 25],
                  8: [5, 10, 15, 20, 25], 9: [5, 10, 15, 20, 25], 10: [5, 10, 15, 20, 25],
                  11: [5, 10, 15, 20, 25], 12: [5, 10, 15, 20, 25]}


def test_a_real_editions_line_numbers_are_found_page_by_page_also_garbled():
    files = [SourceFile(path.name, path.read_bytes()) for path in sorted(ARNOBIUS.glob("*.hocr"))]
    edition = build_edition(files, "arnobius", CONFIG)
    assert not edition.errors
    tree = parse(edition.xml)
    found: dict[int, list[int]] = {}
    for fw in tree.iterfind(".//{http://www.tei-c.org/ns/1.0}fw[@type='lineNum']"):
        page = int(fw.xpath("preceding::t:pb[1]/@n", namespaces={"t": "http://www.tei-c.org/ns/1.0"})[0])
        found.setdefault(page, []).append(int(fw.get("n") or fw.text.strip(EDGE_PUNCTUATION + " ")))
    assert found == ARNOBIUS_FOUND
    numbers = {e.original.strip(EDGE_PUNCTUATION + " "): e.attrs.get("n") for e in _kinds(edition.document, "line-number")
               if e.original.strip(EDGE_PUNCTUATION + " ") in ("ιο", "ιε", "w", "ao")}
    assert numbers == {"ιο": "10", "ιε": "15", "w": "20", "ao": "20"}  # garbled: the count's number in @n
    assert not _kinds(edition.document, "page-number") or all(
        e.original.strip() in {str(n) for n in range(4, 13)} for e in _kinds(edition.document, "page-number"))


GARBLED_PAGE = {5: "s", 10: "ιο", 15: "ιε»", 20: "ao", 25: "25·"}  # a page whose numbers the OCR read no digit of cleanly


def _latin_pages(pages: int, garbled: set[int]) -> str:
    """A Latin edition as Tesseract's text export writes it (pages apart by form feeds): each page
    numbers its own lines 5 to 25, at the line's end on a recto, its start on a verso; on the
    pages ``garbled`` every number is misread, the 25 glued to its line's first word."""
    rng = random.Random(11)
    texts = []
    for index in range(pages):
        page = 20 + index
        lines = _lines(rng, LATIN, 27)
        for number in range(5, 28, 5):
            printed = GARBLED_PAGE[number] if index in garbled else _numbered(number)
            line = lines[number - 1]
            if printed.endswith("·"):  # glued to the word beside it
                lines[number - 1] = f"{line}·{printed[:-1]}" if page % 2 else printed + line
            elif page % 2:
                lines[number - 1] = f"{line} {printed}"
            else:
                lines[number - 1] = f"{printed} {line}"
        head = f"{page} Arnulfi de rebus gestis" if page % 2 == 0 else f"Liber II. {page}"
        texts.append("\n".join([head] + lines))
    return "\f".join(texts) + "\n"


def test_a_page_whose_numbers_are_all_garbled_is_counted_as_the_book_counts_its_pages():
    data = _latin_pages(6, garbled={2, 5})
    edition = build_edition(data.encode("utf-8"), "latin.txt", CONFIG)
    assert not edition.errors
    numbers = _kinds(edition.document, "line-number")
    assert [e.attrs.get("n") or e.original for e in numbers] == ["5", "10", "15", "20", "25"] * 6
    for page in (2, 5):  # read as misread, @n from the page's count; "25" glued to its word is the fw alone
        assert [(e.original, e.attrs.get("n")) for e in numbers[5 * page:5 * page + 5]] == [
            ("s", "5"), ("ιο", "10"), ("ιε", "15"), ("ao", "20"), ("25", None)]
    assert "derata" not in " ".join(e.original for e in numbers)
    assert without_whitespace(rebuild_source(parse(edition.xml))) == without_whitespace(data)


def test_short_words_at_line_starts_are_no_line_numbers_without_a_count_the_book_shows():
    """Without runs read on other pages, a page's short words where a count would put numbers stay text."""
    data = _latin_pages(6, garbled={0, 1, 2, 3, 4, 5})
    doc = build_document(data.encode("utf-8"), "latin.txt", CONFIG)
    assert not _kinds(doc, "line-number")


def test_a_word_broken_before_the_margins_number_at_the_lines_end_is_joined_over_it():
    """Tesseract writes a right margin's number after the line's last word: "rela- ιο" / "xata"."""
    data = _latin_pages(6, garbled=set())
    pages = data.split("\f")
    lines = pages[1].split("\n")  # page 21, a recto: numbers at the lines' ends
    assert lines[10].endswith(" ιο") and lines[15].endswith(" l5")
    lines[10] = lines[10][:-3] + " rela- ιο"
    lines[11] = "xata " + lines[11]
    lines[15] = lines[15][:-3] + " intel- l5"
    lines[16] = "legunt " + lines[16]
    pages[1] = "\n".join(lines)
    data = "\f".join(pages)
    edition = build_edition(data.encode("utf-8"), "latin.txt", CONFIG)
    doc = edition.document
    joined = [e.reason.split(": ")[1] for e in _kinds(doc, "hyphenation")]
    assert joined == ["rela-/xata read as relaxata", "intel-/legunt read as intellegunt"]
    assert [e.original for e in _kinds(doc, "line-number")][5:10] == ["5", "ιο", "l5", "2o", "25"]
    assert without_whitespace(rebuild_source(parse(edition.xml))) == without_whitespace(data)
