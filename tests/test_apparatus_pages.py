"""A critical edition's apparatus on page images, composed here: the block under the text
set in smaller type on a smaller body (its lines closer together than the text's), opening
with line or verse numbers and sigla, on page after page; sometimes flush under the text,
sometimes under a space, sometimes with the testimonia (a line number and a reference:
``13 Tim. p. 25``) standing apart above it. It is a note of its own (type="apparatus"),
never text of the paragraph, which goes on over the turn past it, its broken words joined.
The boxes carry no smaller height (accents and specks make OCR's boxes of small type as tall
as the text's): the distance from line to line is the evidence."""

from __future__ import annotations

from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.ingest.pages.compose import SourceFile
from pipeline.process import build_edition
from pipeline.tei.reader import rebuild_source, without_whitespace
from pipeline.tei.validate import schema_errors
from tests.conftest import parse

NS = {"t": "http://www.tei-c.org/ns/1.0"}
CONFIG = PipelineConfig()
TEXT = ("quando urbes amplissimae marinis coopertae sunt fluctibus non ante nos quando cum feris bella et "
        "proelia cum leonibus gesta sunt non ante nos quando pernicies populis uenenatis ab anguibus data est "
        "nam quod nobis obiectare consuestis bellorum frequentium causas uastationes urbium Germanorum et "
        "Scythicas inruptiones cum pace hoc uestra et cum bona uenia dixerim quale sit istud quod dicitur").split()
APPARATUS = ["1 ab Sab, r: ad P 2 diluuiis Sab, r: diluuis P 3 Sodoma et Gomorrha sup. uers. r",
             "4 coopertae P 9 scythicas P 13 erumperet Gel: earum perit P 14 ut Sab, r",
             "15 bactrianos Sab, r: bactianos P 16 zoroastraeque P corr r 17 magichis P",
             "18 ex om Gel 19 esset Sab in err: esse P 21 criminibus Zinkius: criminis P"]


def _line(words: list[str]) -> str:
    return " ".join(words)


def _page(number: int, text_lines: list[str], space: int, apparatus: list[str], testimonia: str | None = None,
          pitch: int = 100, apparatus_pitch: int = 80) -> bytes:
    """A page image's hOCR: its number at the top, the text's lines every ``pitch`` pixels, then
    the first line under them ``space`` pixels below the last (``pitch``: flush under the text), the testimonia and
    the apparatus every ``apparatus_pitch`` pixels; every box 70 pixels tall."""
    lines = [(str(number), (1100, 60, 1160, 130))]
    top = 200
    for text in text_lines:
        lines.append((text, (200, top, 2200, top + 70)))
        top += pitch
    top += space - pitch  # the first line under the text's last, ``space`` from its top
    if testimonia is not None:
        lines.append((testimonia, (400, top, 900, top + 70)))
        top += 2 * apparatus_pitch
    for text in apparatus:
        lines.append((text, (200, top, 2200, top + 70)))
        top += apparatus_pitch
    spans = "".join(f"<span class='ocr_line' title='bbox {x0} {y0} {x1} {y1}'>{text}</span>"
                    for text, (x0, y0, x1, y1) in lines)
    return (f"<html xmlns='http://www.w3.org/1999/xhtml'><body><div class='ocr_page' title='bbox 0 0 2400 3400'>"
            f"<p class='ocr_par'>{spans}</p></div></body></html>").encode()


def _text_lines(first: int, count: int, last_broken: str | None = None) -> list[str]:
    words = [TEXT[(first * 7 + n) % len(TEXT)] for n in range(count * 9)]
    lines = [_line(words[n * 9:(n + 1) * 9]) for n in range(count)]
    if last_broken:
        lines[-1] += f" {last_broken}"
    return lines


def _book(spaces: list[int], testimonia_on: int | None = None, apparatus_pitch: int = 80) -> list[SourceFile]:
    pages = []
    for index, space in enumerate(spaces):
        lines = _text_lines(index, 22, last_broken="inrupti-" if index == 1 else None)
        if index == 2:
            lines[0] = "ones " + lines[0]  # the word broken over the turn from page 2
        apparatus = APPARATUS[index % 2:index % 2 + 3]
        testimonia = "13 Tim. p. 25" if index == testimonia_on else None
        pages.append(SourceFile(f"{index + 1:03}.hocr", _page(index + 1, lines, space, apparatus, testimonia,
                                                              apparatus_pitch=apparatus_pitch)))
    return pages


def _apparatus(tree) -> list[str]:
    return ["".join(note.itertext()) for note in tree.iterfind(".//t:body//t:note[@type='apparatus']", NS)]


def _paragraph_text(tree) -> str:
    return " ".join("".join(p.xpath(".//text()[not(ancestor::t:note or ancestor::t:fw or ancestor::t:orig)]",
                                    namespaces=NS)) for p in tree.iterfind(".//t:body//t:p", NS))


def test_an_apparatus_set_closer_than_the_text_is_a_note_flush_under_it_or_under_a_space():
    # pages 1-3 set their apparatus under a space, pages 4-6 flush under the text (no wider space)
    edition = build_edition(_book([160, 180, 160, 100, 100, 100], testimonia_on=1), "edition", CONFIG)
    assert edition.errors == []
    tree = parse(edition.xml)
    notes = _apparatus(tree)
    assert len(notes) == 6
    # the testimonia standing apart above page 2's apparatus open it
    assert notes[1].startswith("13 Tim. p. 25")
    text = _paragraph_text(tree)
    assert "Sab, r" not in text and "Tim. p." not in text and "Gel" not in text
    # the paragraph goes on over the turn past the apparatus and the page's number: one paragraph,
    # the word broken at page 2's foot read whole
    assert len(tree.findall(".//t:body//t:p", NS)) == 1
    assert "inruptiones" in text.replace(" ", "")
    assert schema_errors(etree.ElementTree(tree.getroot())) == []
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(edition.document.text)


def test_lines_at_the_texts_own_distance_under_it_are_text_and_closer_lines_flush_need_the_books_apparatus():
    # the same lines at the text's own distance: the text's last lines, no note
    edition = build_edition(_book([100] * 6, apparatus_pitch=100), "edition", CONFIG)
    assert _apparatus(parse(edition.xml)) == []
    assert not parse(edition.xml).findall(".//t:note[@place='foot']", NS)
    # closer lines flush under the text, on every page of a book that never sets them apart by a
    # space: no evidence enough (a passage set small, a quotation), they stay text
    edition = build_edition(_book([100] * 6), "edition", CONFIG)
    assert not parse(edition.xml).findall(".//t:note[@place='foot']", NS)


def _numbered_page(number: int, marks: dict[int, str], glued: set[int] = frozenset(), specks: bool = False) -> bytes:
    """A page image's hOCR as OCRopus writes it: lines and their boxes, no words. Every fifth
    line of the text carries the margin's number as the OCR read it (``marks``: line -> the
    reading), a space after it or (``glued``) none, the line's box reaching out into the left
    margin by the number's width; ``specks``: a speck read at the right end of every line."""
    width = 30  # of a character
    lines = [(f"Liber I. {number}", (900, 60, 1300, 120))]
    for n in range(1, 28):
        text = _line([TEXT[(number * 11 + n * 9 + k) % len(TEXT)] for k in range(9)])[:60].ljust(60, "e")
        left, right = 200, 200 + width * len(text)
        if n in marks:
            mark = marks[n] if n in glued else marks[n] + " "
            text, left = mark + text, left - width * len(mark)
        if specks:
            text, right = text + " ]", right + 2 * width
        lines.append((text, (left, 100 + 90 * n, right, 170 + 90 * n)))
    spans = "".join(f"<span class='ocr_line' title='bbox {x0} {y0} {x1} {y1}'>{text}</span>"
                    for text, (x0, y0, x1, y1) in lines)
    return (f"<html xmlns='http://www.w3.org/1999/xhtml'><body><div class='ocr_page' title='bbox 0 0 2400 2800'>"
            f"{spans}</div></body></html>").encode()


def test_line_numbers_standing_out_of_line_boxes_every_fifth_line_are_line_numbers():
    # OCRopus gives lines without words: the margin's numbers read into the lines, garbled
    # (s, x, >s), glued to a word (">uenturis"), read cleanly now and then (10)
    readings = [{5: "s", 10: "10", 15: "x", 20: ">", 25: ">s"}, {5: "s", 10: "ao", 15: "1s", 20: "so", 25: "ss"},
                {5: "s", 10: "10", 15: "x", 20: "so", 25: "as"}] * 2
    files = [SourceFile(f"{n + 1:03}.hocr", _numbered_page(n + 1, marks, glued={20} if marks[20] == ">" else set()))
             for n, marks in enumerate(readings)]
    edition = build_edition(files, "edition", CONFIG)
    assert edition.errors == []
    tree = parse(edition.xml)
    numbers = {}
    for fw in tree.iterfind(".//t:body//t:fw[@type='lineNum']", NS):
        page = fw.xpath("preceding::t:pb[1]/@n", namespaces=NS)[0]
        numbers.setdefault(page, []).append((int(fw.get("n") or fw.text), fw.text))
    assert len(numbers) == 6
    assert all([value for value, _text in found] == [5, 10, 15, 20, 25] for found in numbers.values()), numbers
    assert (20, ">") in numbers["1"]  # glued to the line's first word: the mark only, not a letter of it
    text = _paragraph_text(tree)
    assert " ss " not in f" {text} " and ">" not in text
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(edition.document.text)


def test_lines_that_all_stand_out_or_numbers_never_read_are_no_line_numbers():
    # a speck at the end of every line: every line stands out on the right, no run of its own
    files = [SourceFile(f"{n + 1:03}.hocr", _numbered_page(n + 1, {}, specks=True)) for n in range(6)]
    assert not parse(build_edition(files, "edition", CONFIG).xml).findall(".//t:fw[@type='lineNum']", NS)
    # every fifth line stands out, but no piece there reads as the number its place gives: the
    # boxes alone never make numbers
    files = [SourceFile(f"{n + 1:03}.hocr", _numbered_page(n + 1, {5: "a", 10: "w", 15: "x", 20: "m", 25: "v"}))
             for n in range(6)]
    assert not parse(build_edition(files, "edition", CONFIG).xml).findall(".//t:fw[@type='lineNum']", NS)
