"""A book's pages as page files, where the sequence of pages is not the sequence of pages with
text: a blank page (a verso left blank, a plate) between numbered pages, and a page number
the page edges leave to the layout (set at the scan's very border, or beside vertical Chinese
text). Pages composed here as hOCR, as Tesseract writes it; every page keeps its one page
break, linked to its image, and the printed numbers stay the pages' numbers."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from pipeline.config import PipelineConfig
from pipeline.process import build_edition
from pipeline.run.document import process_file
from pipeline.run.inputs import discover_sources
from pipeline.run.naming import assign_names
from pipeline.tei import tei
from pipeline.tei.reader import rebuild_source, without_whitespace
from tests.conftest import parse

GERMAN = ("Die Reise ging am andern Morgen weiter, und wir erreichten gegen Abend die kleine Stadt am Flusse, "
          "deren alte Mauern noch von den Zeiten erzählen, da die Bürger sich selbst gegen ihre Feinde wehren "
          "mußten. Der Wirth des Gasthauses empfing uns freundlich und wies uns die besten Zimmer an, die er "
          "hatte; von den Fenstern sah man über die Dächer hinweg auf die Berge, deren Gipfel noch Schnee trugen.")
CHINESE = ("本埠消息昨日午後三時許南京路一帶忽有大批市民聚集據聞係因米價飛漲各米店門前排隊購米者絡繹不絕"
           "巡捕房得訊後即派探捕多名前往彈壓秩序始告恢復又訊商會方面對於此事已於昨晚召集緊急會議")
HEAD = ("<?xml version='1.0' encoding='UTF-8'?>\n<html xmlns='http://www.w3.org/1999/xhtml'><head>"
        "<meta name='ocr-system' content='tesseract 5.3.0'/></head><body>\n")


def _line(ident: str, box: tuple[int, int, int, int], words: list[tuple[str, tuple[int, int, int, int]]]) -> str:
    spans = " ".join(f"<span class='ocrx_word' id='{ident}w{k}' title='bbox {' '.join(map(str, b))}; x_wconf 91'>"
                     f"{word}</span>" for k, (word, b) in enumerate(words))
    return f"<span class='ocr_line' id='{ident}' title='bbox {' '.join(map(str, box))}'>{spans}</span>"


def _page(name: str, blocks: list[list[str]], size=(1600, 2400)) -> str:
    """A page of hOCR, each block of lines an area of its own (as Tesseract sets a page's number apart)."""
    areas = "".join("<div class='ocr_carea'><p class='ocr_par'>" + "\n".join(lines) + "</p></div>\n"
                    for lines in blocks)
    return (HEAD + f"<div class='ocr_page' id='page_1' title='image \"{name}.png\"; bbox 0 0 {size[0]} {size[1]}'>"
            + areas + "</div></body></html>\n")


def _german_page(n: int, number: int | None) -> str:
    """A page of German prose, its number centred above the text."""
    words = (GERMAN.split() * 3)[n * 7:]
    lines, y = [], 300
    head = [[_line(f"n{n}", (770, 180, 830, 230), [(str(number), (770, 180, 830, 230))])]] if number else []
    for k in range(14):
        row, x = [], 200
        while words and x + 20 * len(words[0]) < 1400:
            word = words.pop(0)
            row.append((word, (x, y, x + 20 * len(word), y + 50)))
            x += 20 * len(word) + 20
        lines.append(_line(f"l{n}_{k}", (200, y, row[-1][1][2], y + 50), row))
        y += 70
    return _page(f"p{n}", head + [lines])


def _run(book: Path, out: Path):
    sources, problems = discover_sources([book])
    assert problems == [] and len(sources) == 1
    bases, _ = assign_names(sources, out, {})
    source = sources[0]
    report = process_file(source.path, out, PipelineConfig(), bases[source.key], source.display_name, source.pages)
    assert report.status == "ok", report.errors
    return parse((out / f"{book.name}.tei.xml").read_bytes())


def test_a_blank_page_between_numbered_pages_keeps_its_page_and_the_numbers_stay_printed(tmp_path):
    """Printed pages 11, 12, (13 blank), 14, 15, 16: the blank page's image is a page of the book,
    its page break there, numbered as the pages around it count; the pages after it keep the
    numbers they print (counting only pages with text, 14 seemed the 3rd page: no sequence)."""
    book = tmp_path / "Reise"
    book.mkdir()
    for n in range(1, 7):
        number = 10 + n
        text = _german_page(n, number) if number != 13 else _page(f"p{n}", [])
        (book / f"p{n}.hocr").write_text(text, encoding="utf-8")
    tree = _run(book, tmp_path / "out")
    breaks = list(tree.iter(tei("pb")))
    assert [(pb.get("facs"), pb.get("n")) for pb in breaks] == [(f"#facs-p{n}", str(10 + n)) for n in range(1, 7)]
    blank = breaks[2]
    assert blank.getnext() is None or blank.getnext().tag != tei("gap")  # blank as printed: nothing is missing
    numbers = [fw.text for fw in tree.iter(tei("fw")) if fw.get("type") == "pageNum"]
    assert numbers == ["11", "12", "14", "15", "16"]
    rebuilt = without_whitespace(rebuild_source(tree))
    assert all(without_whitespace(word) in rebuilt for word in GERMAN.split()[:20])


def _vertical_page(n: int, offset: int) -> tuple[str, int]:
    """A page of vertical Chinese as Tesseract's vertical models write it: columns from right to
    left, each a line of characters from top to bottom; the leaf's number alone at the foot's left,
    at the image's very border (a scan cropped tight), where a library's stamp would stand."""
    lines, k = [], offset
    for column in range(8):
        x1 = 1400 - column * 120
        x0, chars = x1 - 80, [CHINESE[(k + i) % len(CHINESE)] for i in range(18)]
        k += 18
        lines.append(_line(f"c{n}_{column}", (x0, 200, x1, 200 + 18 * 100),
                           [(ch, (x0, 200 + i * 100, x1, 300 + i * 100)) for i, ch in enumerate(chars)]))
    number = "〇一二三四五六七八九"[n]
    return _page(f"v{n}", [lines, [_line(f"n{n}", (250, 2340, 310, 2395), [(number, (250, 2340, 310, 2395))])]]), k


def test_each_page_image_of_vertical_text_is_one_page_break_however_its_number_is_read(tmp_path):
    """A line of furniture the page edges did not take (a number at the scan's border, under
    vertical columns) turns no page of its own: the page's image already gave the page its break
    (it made a second one, numbered, before the foot's number, inside the page)."""
    book = tmp_path / "滬濱舊聞"
    book.mkdir()
    k = 0
    for n in (1, 2, 3):
        page, k = _vertical_page(n, k)
        (book / f"v{n}.hocr").write_text(page, encoding="utf-8")
    tree = _run(book, tmp_path / "out")
    assert [pb.get("facs") for pb in tree.iter(tei("pb"))] == ["#facs-p1", "#facs-p2", "#facs-p3"]
    rebuilt = without_whitespace(rebuild_source(tree))
    assert CHINESE[:60] in rebuilt  # the columns in their order, right to left



def _german_paragraphs(texts: list[str]) -> list[list[str]]:
    """Each text a block of full lines of German prose, a gap between the blocks."""
    blocks, y = [], 150
    for i, text in enumerate(texts):
        rows, row, x = [], [], 200
        for word in text.split():
            if x + 20 * len(word) >= 1400:
                rows.append(row)
                row, x = [], 200
            row.append((word, (x, y + 70 * len(rows), x + 20 * len(word), y + 70 * len(rows) + 50)))
            x += 20 * len(word) + 20
        rows.append(row)
        blocks.append([_line(f"b{i}_{k}", (200, r[0][1][1], r[-1][1][2], r[0][1][3]), r) for k, r in enumerate(rows)])
        y += 70 * len(rows) + 60
    return blocks


def test_a_sentence_going_on_over_a_gap_inside_the_one_page_with_text_turns_no_page(tmp_path):
    """A book (or a library's package) whose only page with text shows a gap inside a sentence
    (between two areas the engine read: a column's foot and the next one's top): the page's image
    is the page, and the sentence goes on in it; no page break is made there (one was, before the
    blank page's, where no other page with text told the pages)."""
    first, second = [s.strip() for s in GERMAN.replace(";", ".").split(".") if s.strip()][:2]
    cut = "Von den Fenstern sah man über die Dächer hinweg auf die Berge, und wir gingen am andern Morgen".split()
    texts = [first + ".", second + ".", " ".join(cut[:9]), " ".join(cut[9:]) + " weiter.", second + ".", first + "."]
    book = tmp_path / "Reise"
    book.mkdir()
    (book / "p1.hocr").write_text(_page("p1", []), encoding="utf-8")  # a blank page before it
    (book / "p2.hocr").write_text(_page("p2", _german_paragraphs(texts), size=(1600, 3000)), encoding="utf-8")
    tree = _run(book, tmp_path / "out")
    assert [pb.get("facs") for pb in tree.iter(tei("pb"))] == ["#facs-p1", "#facs-p2"]
    assert any("Dächer" in text and "Berge" in text for text in ("".join(p.itertext()) for p in tree.iter(tei("p"))))


def test_a_page_missing_from_the_files_leaves_the_printed_numbers_as_printed(tmp_path):
    """Printed pages 11, 12, 14, 15, 16, 17: page 13's file was not delivered. The numbers read
    exactly before the gap are the print (they were made 12 and 13, 'misread' by one, to fit
    the sequence after it); nothing is inferred over the gap."""
    book = tmp_path / "Reise"
    book.mkdir()
    for n, number in enumerate((11, 12, 14, 15, 16, 17), start=1):
        (book / f"p{n}.hocr").write_text(_german_page(n, number), encoding="utf-8")
    tree = _run(book, tmp_path / "out")
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == ["11", "12", "14", "15", "16", "17"]
    numbers = [fw for fw in tree.iter(tei("fw")) if fw.get("type") == "pageNum"]
    assert [(fw.text, fw.get("n")) for fw in numbers] == [(str(n), None) for n in (11, 12, 14, 15, 16, 17)]


def test_a_page_missing_from_a_text_export_leaves_the_printed_numbers_as_printed():
    """The same in a text export, its pages joined by form feeds, each number the page's first line."""
    words = (GERMAN.split() * 8)
    pages = []
    for number in (11, 12, 14, 15, 16, 17, 18):
        lines = [" ".join(words[k:k + 8]) for k in range(0, 96, 8)]
        words = words[96:] + words[:96]
        pages.append(f"{number}\n" + "\n".join(lines))
    edition = build_edition("\n\f".join(pages).encode(), "reise.txt", PipelineConfig())
    tree = parse(edition.xml)
    numbers = [fw for fw in tree.iter(tei("fw")) if fw.get("type") == "pageNum"]
    assert [(fw.text, fw.get("n")) for fw in numbers] == [(str(n), None) for n in (11, 12, 14, 15, 16, 17, 18)]
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == ["12", "14", "15", "16", "17", "18"]


def test_page_files_named_by_chinese_numerals_follow_the_numbers(tmp_path):
    """A Chinese book's files named by its 卷 (卷一 … 卷十): their order is the numerals' (卷二
    before 卷三 before 卷十), not the characters' code points (一 三 九 二 十), which scrambled
    the text."""
    book = tmp_path / "滬濱舊聞"
    book.mkdir()
    names = ["卷一", "卷二", "卷三", "卷九", "卷十"]
    k = 0
    for n, name in enumerate(names, start=1):
        page, k = _vertical_page(n, k)
        (book / f"{name}.hocr").write_text(page, encoding="utf-8")
    tree = _run(book, tmp_path / "out")
    assert [unquote(surface.get("source")).rsplit("/", 1)[-1] for surface in tree.iter(tei("surface"))] == \
        [f"{name}.hocr" for name in names]
    rebuilt = without_whitespace(rebuild_source(tree))
    assert rebuilt.startswith(CHINESE[:60]), rebuilt[:60]


def test_the_same_misreading_on_two_pages_between_numbered_ones_is_still_read_as_the_sequence():
    """Two pages running whose numbers the OCR misread alike (34, 35 read "54", "55", as Hobbes's
    1668 heads read 57, 58 for 37, 38) between pages printing the sequence: no gap (the pages
    after them go on from the ones before), so the sequence's numbers stand, the readings kept."""
    words = (GERMAN.split() * 8)
    pages = []
    for read in ("31", "32", "33", "54", "55", "36", "37", "38"):
        lines = [" ".join(words[k:k + 8]) for k in range(0, 96, 8)]
        words = words[96:] + words[:96]
        pages.append(f"{read}\n" + "\n".join(lines))
    tree = parse(build_edition("\n\f".join(pages).encode(), "reise.txt", PipelineConfig()).xml)
    numbers = [fw for fw in tree.iter(tei("fw")) if fw.get("type") == "pageNum"]
    assert [(fw.text, fw.get("n")) for fw in numbers][3:5] == [("54", "34"), ("55", "35")]
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == [str(n) for n in range(32, 39)]


def test_a_paragraph_runs_on_over_a_blank_page_as_over_any_page_turn(tmp_path):
    """A plate (a blank page to the OCR) between two pages of one paragraph: nothing of it is
    missing, so the paragraph goes on over it as it does where the pages follow each other."""
    editions = {}
    for blank in (False, True):
        book = tmp_path / f"Reise {blank}"
        book.mkdir()
        files = [_german_page(1, 11), _page("p2", [])] if blank else [_german_page(1, 11)]
        files += [_german_page(2, 13 if blank else 12), _german_page(3, 14 if blank else 13)]
        for n, text in enumerate(files, start=1):
            (book / f"p{n}.hocr").write_text(text, encoding="utf-8")
        editions[blank] = _run(book, tmp_path / f"out {blank}")
    paragraphs = {blank: len(list(tree.find(".//" + tei("body")).iter(tei("p")))) for blank, tree in editions.items()}
    assert paragraphs == {False: 1, True: 1}  # the composed pages are one paragraph, with the plate too
    assert [pb.get("n") for pb in editions[True].iter(tei("pb"))] == ["11", "12", "13", "14"]
