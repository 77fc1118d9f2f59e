"""Chinese books set vertically: columns from the page's top to its foot, read from right to
left, as an OCR engine's hOCR or PAGE XML gives them (a line a column, a box much taller than
wide). Books composed here in two patterns: a modern book with its page number under the
columns at the outer corner and its running head as a short column in the outer margin, and a
string-bound book whose fold column at the leaf's edge holds the title high and the leaf's
number low. Paragraphs begin with a column indented by two characters. Every word is our own
composition from period-style newspaper text.
"""

from __future__ import annotations

import random
import re

from pipeline.config import PipelineConfig
from pipeline.ingest.pages.compose import SourceFile
from pipeline.process import build_edition
from pipeline.tei import tei
from pipeline.tei.reader import rebuild_source, without_whitespace
from tests.conftest import parse

CLAUSES = re.split(r"(?<=[，。：])", "本埠消息，昨日午後三時許，南京路一帶忽有大批市民聚集，據聞係因米價飛漲，"
                   "各米店門前排隊購米者絡繹不絕。巡捕房得訊後，即派探捕多名前往彈壓，秩序始告恢復。又訊，"
                   "商會方面對於此事，已於昨晚召集緊急會議，到會者有各業代表四十餘人，議決呈請當局設法平抑米價，"
                   "並勸告各米商勿得囤積居奇，以維民食。某君來函云：近來滬上物價騰貴，小民生計日艱，"
                   "而富商巨賈猶復花天酒地，揮金如土，殊令人慨歎。戲院新聞：大舞臺本星期起排演新編歷史劇，"
                   "劇情曲折，佈景新穎，連日售座極盛，後至者幾無立足之地。")[:-1]
DIGITS = "〇一二三四五六七八九"
HEAD, FOLD = "滬濱舊聞雜記", "滬濱舊聞卷二"
PER_COLUMN, PITCH, STEP, TOP = 20, 44, 56, 200  # characters a column, their spacing, the columns' spacing
WIDTH, HEIGHT = 1100, 1500
COLUMNS = 14  # a page's columns of text


def chinese(n: int) -> str:
    return "".join(DIGITS[int(d)] for d in str(n))


def paragraphs(count: int) -> list[str]:
    rng = random.Random(1)
    return ["".join(rng.choice(CLAUSES) for _ in range(rng.randint(4, 9))).rstrip("，：") + "。" for _ in range(count)]


def columns(texts: list[str]) -> list[tuple[str, bool]]:
    """The paragraphs set in columns: (text, indented by two characters)."""
    out = []
    for text in texts:
        first = True
        while text:
            room = PER_COLUMN - 2 if first else PER_COLUMN
            out.append((text[:room], first))
            text, first = text[room:], False
    return out


def column_box(text: str, x: int, y: int, pitch: int = PITCH, width: int = 36) -> tuple[int, int, int, int]:
    return x, y, x + width, y + (len(text) - 1) * pitch + width


def page_lines(n: int, cols: list[tuple[str, bool]], style: str) -> list[tuple[str, tuple[int, int, int, int]]]:
    """A page's lines as (text, box), in the engine's reading order: the columns from right to
    left (margin columns among them where they stand), then what stands under them."""
    verso = n % 2 == 0
    beside = []
    if style == "foot":  # the head in the outer margin, short and in smaller type
        beside.append((HEAD, column_box(HEAD, 80 if verso else 990, 220, pitch=34, width=26)))
    for c, (text, indented) in enumerate(cols):
        beside.append((text, column_box(text, 900 - c * STEP, TOP + (2 * PITCH if indented else 0))))
    under = []
    if style == "foot":  # the number under the columns at the outer corner, set horizontally
        x = 130 if verso else 880
        under.append((chinese(n), (x, 1462, x + 30 * len(chinese(n)), 1490)))  # at the scan's foot
    else:  # the fold column at the leaf's outer edge, at the scan's border
        x = 8 if verso else 1066
        beside.append((FOLD, column_box(FOLD, x, 200, pitch=34, width=26)))
        beside.append((chinese(n), column_box(chinese(n), x, 1100, pitch=34, width=26)))
    beside.sort(key=lambda line: (-line[1][0], line[1][1]))
    return beside + under


def hocr(lines) -> bytes:
    def span(cls: str, box, inner: str) -> str:
        return f"<span class='{cls}' title='bbox {box[0]} {box[1]} {box[2]} {box[3]}; x_wconf 93'>{inner}</span>"

    def words(text: str, box) -> str:
        if box[3] - box[1] <= box[2] - box[0]:  # set horizontally: one word
            return span("ocrx_word", box, text)
        size = box[2] - box[0]
        pitch = (box[3] - box[1] - size) // max(1, len(text) - 1)
        return "".join(span("ocrx_word", (box[0], box[1] + i * pitch, box[2], box[1] + i * pitch + size), ch)
                       for i, ch in enumerate(text))

    body = "".join(f"<p class='ocr_par'>{span('ocr_line', box, words(text, box))}</p>" for text, box in lines)
    return (f"<html xmlns='http://www.w3.org/1999/xhtml'><head><meta name='ocr-system' content='tesseract 5.3.0'/>"
            f"</head><body><div class='ocr_page' title='bbox 0 0 {WIDTH} {HEIGHT}'>"
            f"<div class='ocr_carea'>{body}</div></div></body></html>").encode()


def page_xml(lines, direction: str | None) -> bytes:
    said = f" readingDirection='{direction}' textLineOrder='right-to-left'" if direction else ""
    regions = "".join(
        f"<TextRegion id='r{i}'{said}><Coords points='{b[0]},{b[1]} {b[2]},{b[1]} {b[2]},{b[3]} {b[0]},{b[3]}'/>"
        f"<TextLine id='l{i}'><Coords points='{b[0]},{b[1]} {b[2]},{b[1]} {b[2]},{b[3]} {b[0]},{b[3]}'/>"
        f"<TextEquiv><Unicode>{text}</Unicode></TextEquiv></TextLine></TextRegion>"
        for i, (text, b) in enumerate(lines))
    return ("<PcGts xmlns='http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15'>"
            "<Metadata><Creator>composed</Creator></Metadata>"
            f"<Page imageFilename='p.png' imageWidth='{WIDTH}' imageHeight='{HEIGHT}'>{regions}</Page></PcGts>").encode()


def alto(lines) -> bytes:
    def box(b) -> str:
        return f"HPOS='{b[0]}' VPOS='{b[1]}' WIDTH='{b[2] - b[0]}' HEIGHT='{b[3] - b[1]}'"

    blocks = "".join(f"<TextBlock ID='b{i}' {box(b)}><TextLine ID='l{i}' {box(b)}><String CONTENT='{text}' {box(b)}/>"
                     f"</TextLine></TextBlock>" for i, (text, b) in enumerate(lines))
    return ("<alto xmlns='http://www.loc.gov/standards/alto/ns-v4#'><Description><MeasurementUnit>pixel"
            "</MeasurementUnit></Description><Layout>"
            f"<Page ID='p' WIDTH='{WIDTH}' HEIGHT='{HEIGHT}'><PrintSpace>{blocks}</PrintSpace></Page></Layout></alto>").encode()


FIRST, PAGES = 11, 6


def book(style: str, kind: str = "hocr", direction: str | None = None) -> tuple[list[SourceFile], list[str]]:
    texts = paragraphs(40)
    cols = columns(texts)
    files = []
    for i in range(PAGES):
        lines = page_lines(FIRST + i, cols[i * COLUMNS:(i + 1) * COLUMNS], style)
        data = hocr(lines) if kind == "hocr" else alto(lines) if kind == "alto" else page_xml(lines, direction)
        files.append(SourceFile(f"{i + 1:03}.{'hocr' if kind == 'hocr' else 'xml'}", data))
    return files, texts


def edition(files):
    built = build_edition(files, "book", PipelineConfig())
    assert built.errors == [], built.errors
    return parse(built.xml)


def body_text(element) -> str:
    """An element's text without the furniture inside it, whitespace dropped."""
    parts = [element.text or ""]
    for child in element:
        if child.tag != tei("fw"):
            parts.append(body_text(child))
        parts.append(child.tail or "")
    return re.sub(r"\s+", "", "".join(parts))


def furniture(tree, kind: str) -> list[str]:
    return [re.sub(r"\s+", "", "".join(fw.itertext())) for fw in tree.iter(tei("fw")) if fw.get("type") == kind]


def test_a_vertical_books_paragraphs_begin_at_its_indented_columns():
    """A paragraph begins at a column set two characters lower and runs on over the page
    turns. (Where a page opens with a paragraph's last column and then begins another, the
    two paragraphs are still joined: layout.known_turn takes the turn before the first block's
    last line for a turn between the blocks, in horizontal books too; left as it is.)"""
    files, texts = book("foot")
    tree = edition(files)
    shown = [text for p in tree.find(tei("text")).iter(tei("p")) if (text := body_text(p))]
    expected: list[str] = []
    for text, indented in columns(texts)[:PAGES * COLUMNS]:
        if indented:
            expected.append(text)
        else:
            expected[-1] += text
    assert expected[13].endswith(columns(texts)[3 * COLUMNS][0])  # the fourth page opens with its last column
    assert shown == expected[:13] + [expected[13] + expected[14]] + expected[15:]
    assert len([head for head in tree.iter(tei("head"))]) <= 1  # the first page's head column at most
    source = "".join(file.content.decode() for file in files)
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(
        "".join(re.findall(r">([^<>]+)</span>", source)))


def test_page_numbers_under_the_columns_and_heads_beside_them_are_furniture():
    """The number at the outer corner under the columns, at the scan's foot (no stray of the
    scan), and the running head in the outer margin: left of the columns on a verso, right of
    them on a recto."""
    tree = edition(book("foot")[0])
    assert furniture(tree, "pageNum") == [chinese(FIRST + i) for i in range(PAGES)]
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == [str(FIRST + i) for i in range(PAGES)]
    assert furniture(tree, "header") == [HEAD] * (PAGES - 1)  # the first page's: no page before it repeats it
    assert all(HEAD not in body_text(p) for p in tree.find(tei("text")).iter(tei("p")))


def test_the_leafs_number_in_the_fold_column_at_the_scans_edge_is_its_page_number():
    tree = edition(book("fold")[0])
    assert furniture(tree, "pageNum") == [chinese(FIRST + i) for i in range(PAGES)]
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == [str(FIRST + i) for i in range(PAGES)]
    assert furniture(tree, "header") == [FOLD] * (PAGES - 1)  # the first page's: no page before it repeats it
    running = "".join(body_text(p) for p in tree.find(tei("text")).iter(tei("p")))
    assert running.count(FOLD) <= 1 and chinese(FIRST + 2) not in running


def test_page_xml_that_says_its_lines_run_top_to_bottom_is_read_in_columns():
    tree = edition(book("foot", kind="page", direction="top-to-bottom")[0])
    assert furniture(tree, "pageNum") == [chinese(FIRST + i) for i in range(PAGES)]
    assert len([head for head in tree.iter(tei("head"))]) <= 1


def test_alto_whose_lines_are_columns_is_read_in_columns():
    """ALTO says nothing of the lines' direction: the boxes' shape does (a String a column)."""
    tree = edition(book("fold", kind="alto")[0])
    assert furniture(tree, "pageNum") == [chinese(FIRST + i) for i in range(PAGES)]
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == [str(FIRST + i) for i in range(PAGES)]


def test_a_horizontal_page_of_short_lines_is_no_page_of_columns():
    """The evidence is the boxes' shape: lines of several characters set horizontally are
    wider than tall, whatever their number."""
    from pipeline.ingest.pages.vertical import vertical
    assert not vertical([((100, 100 + 40 * k, 400, 136 + 40 * k), "本埠消息昨日") for k in range(10)])
    assert not vertical([((100, 100 + 40 * k, 136, 136 + 40 * k), "一") for k in range(10)])  # too short to tell
    assert vertical([((900 - 56 * k, 200, 936 - 56 * k, 1100), "本埠消息昨日午後") for k in range(10)])
    assert not vertical([((900 - 56 * k, 200, 936 - 56 * k, 1100), "Plate IV of") for k in range(10)])  # Latin
    assert not vertical([((900, 200, 936, 1100), "本埠消息昨日午後")])  # one tall box is no page of columns


def segmentation(tree) -> list[str]:
    return ["".join(p.itertext()) for p in tree.iter(tei("segmentation")) for p in p.iter(tei("p"))]


def test_the_pages_read_in_columns_are_named_in_the_header():
    tree = edition(book("foot")[0])
    assert segmentation(tree)[1].startswith(f"{PAGES} pages read as set in vertical columns (surface n 1-{PAGES}),")


def test_a_plate_with_a_caption_and_two_stamps_turned_on_their_side_is_no_page_of_columns():
    """A European book's plate: its caption set horizontally under the picture, and two
    library stamps read on their side, tall boxes both. Box shape alone took it for a page of
    columns; its script is Latin, and two boxes are not several columns."""
    prose = ["The harbour of the town was the busiest on the coast, and its merchants traded far.",
             "Ships came from the north with timber and furs and went back with salt and wine."] * 10
    text_page = [(line, (100, 150 + 40 * k, 1000, 182 + 40 * k)) for k, line in enumerate(prose)]
    plate = [("STAATSBIBLIOTHEK", (40, 300, 70, 1000)),
             ("Plate IV. The harbour seen from the west, after an engraving of 1640.", (150, 1300, 950, 1335)),
             ("BIBLIOTHECA REGIA", (1040, 400, 1070, 1100))]
    tree = edition([SourceFile("001.hocr", hocr(text_page)), SourceFile("002.hocr", hocr(plate)),
                    SourceFile("003.hocr", hocr(text_page))])
    assert len(segmentation(tree)) == 1  # no page said to be read in columns
    assert "Plate IV. The harbour seen from the west" in " ".join("".join(tree.getroot().itertext()).split())
