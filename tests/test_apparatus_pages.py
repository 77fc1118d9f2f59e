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
