"""Pages set in two columns, as an engine reads them (hOCR with word boxes, composed here):
the edition reads column by column, with a ``<cb n>`` where each column begins, a title over
both columns before them, and a paragraph that runs from the foot of the left column to the
top of the right one kept one paragraph; a page of one column gets no ``cb``. The engine's
lines may run across the gutter (Tesseract reads a row of both columns as one line): the
text still comes out column by column."""

from __future__ import annotations

import random
import re

from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.ingest.pages.compose import SourceFile
from pipeline.process import build_edition
from pipeline.tei.reader import rebuild_source, without_whitespace
from pipeline.tei.validate import schema_errors

NS = {"t": "http://www.tei-c.org/ns/1.0"}
VOCABULARY = ("holz wald baum erde saame wurzel stamm rinde zweig blatt frucht regen winter sommer förster "
              "garten wiese acker hügel quelle und der die im so an gewächse viehhüthen forstbedienten "
              "erdboden ungehindert verschonet knorricht abgebissen nahrungssafft eigenschafft").split()
CHAR, SPACE, HEIGHT, PITCH, INDENT = 11, 12, 36, 50, 36


def _paragraphs(seed: int) -> list[list[str]]:
    """Three paragraphs of sentences, as words (capitals after a full stop)."""
    rng = random.Random(seed)
    paragraphs = []
    for sentences in (5, 14, 8):
        words = []
        for _ in range(sentences):
            sentence = [rng.choice(VOCABULARY) for _ in range(rng.randint(6, 11))]
            words += [sentence[0].capitalize(), *sentence[1:-1], sentence[-1] + "."]
        paragraphs.append(words)
    return paragraphs


def _set(words: list[str], width: int) -> list[list[tuple[str, int, int]]]:
    """A paragraph's words set in lines of ``width`` (justified, the first indented, the last
    short): (word, left, right) relative to the column's left edge."""
    lines, line, used = [], [], INDENT
    for word in words:
        size = CHAR * len(word)
        if line and used + size > width:
            lines.append(line)
            line, used = [], 0
        line.append(word)
        used += size + SPACE
    lines.append(line)
    placed = []
    for number, line in enumerate(lines):
        start = INDENT if number == 0 else 0
        letters = sum(CHAR * len(word) for word in line)
        last = number == len(lines) - 1
        gap = SPACE if last or len(line) == 1 else (width - start - letters) / (len(line) - 1)
        x, boxes = float(start), []
        for word in line:
            boxes.append((word, round(x), round(x) + CHAR * len(word)))
            x += CHAR * len(word) + gap
        placed.append(boxes)
    return placed


def _hocr(rows: list[list[tuple[str, int, int]]], tops: list[int], width: int, height: int) -> bytes:
    lines = []
    for row, top in zip(rows, tops):
        words = " ".join(f"<span class='ocrx_word' title='bbox {left} {top} {right} {top + HEIGHT}; x_wconf 95'>"
                         f"{word}</span>" for word, left, right in row)
        lines.append(f"<span class='ocr_line' title='bbox {row[0][1]} {top} {row[-1][2]} {top + HEIGHT}'>{words}</span>")
    return (f"<html xmlns='http://www.w3.org/1999/xhtml'><head><meta name='ocr-system' content='tesseract'/></head>"
            f"<body><div class='ocr_page' title='bbox 0 0 {width} {height}'><p class='ocr_par'>{''.join(lines)}</p>"
            f"</div></body></html>").encode()


TITLE = ["Von", "den", "Bäumen", "des", "Waldes"]


def _two_column_page(seed: int) -> bytes:
    """A title over both columns, then the paragraphs in a left column (x 100-700) and a right
    one (x 760-1360); each row of the two columns read as one line, as Tesseract reads it."""
    lines = [line for paragraph in _paragraphs(seed) for line in _set(paragraph, 600)]
    half = (len(lines) + 1) // 2
    left, right = lines[:half], lines[half:]
    title = [(word, 450 + 130 * n, 450 + 130 * n + CHAR * len(word)) for n, word in enumerate(TITLE)]
    rows, tops = [title], [100]
    for number in range(half):
        row = [(w, 100 + a, 100 + b) for w, a, b in left[number]]
        if number < len(right):
            row += [(w, 760 + a, 760 + b) for w, a, b in right[number]]
        rows.append(row)
        tops.append(250 + PITCH * number)
    return _hocr(rows, tops, 1500, 250 + PITCH * half + 200)


def _one_column_page(seed: int) -> bytes:
    lines = [line for paragraph in _paragraphs(seed) for line in _set(paragraph, 600)]
    title = [(word, 150 + 90 * n, 150 + 90 * n + CHAR * len(word)) for n, word in enumerate(TITLE)]
    rows = [title] + [[(w, 100 + a, 100 + b) for w, a, b in line] for line in lines]
    tops = [100] + [250 + PITCH * n for n in range(len(lines))]
    return _hocr(rows, tops, 900, 250 + PITCH * len(lines) + 200)


def _edition(hocr: bytes):
    edition = build_edition([SourceFile("page.hocr", hocr)], "page", PipelineConfig())
    assert edition.errors == []
    return edition, etree.fromstring(edition.xml)


def _words(element) -> list[str]:
    """The element's words as the source has them (a line break parts words)."""
    text = " ".join(t for t in element.xpath(".//text()[not(ancestor::t:reg) and not(ancestor::t:corr)]",
                                             namespaces=NS))
    return text.split()


def test_two_columns_are_read_column_by_column_with_a_cb_where_each_begins():
    for seed in (1, 2, 3):
        paragraphs = _paragraphs(seed)
        edition, tree = _edition(_two_column_page(seed))
        body = tree.find(".//t:body", NS)
        # the title first, then every word in the order of the text: the left column, then the right
        assert _words(body) == TITLE + [word for paragraph in paragraphs for word in paragraph]
        breaks = body.findall(".//t:cb", NS)
        assert [cb.get("n") for cb in breaks] == ["1", "2"]
        lines = [line for paragraph in paragraphs for line in _set(paragraph, 600)]
        half = (len(lines) + 1) // 2
        # each cb stands right before its column's first line, none before the title
        for cb, line in zip(breaks, (lines[0], lines[half])):
            following = " ".join(cb.xpath("following::text()", namespaces=NS)).split()
            assert following[:len(line)] == [word for word, _, _ in line]
        preceding = " ".join(breaks[0].xpath("preceding::text()", namespaces=NS))
        assert "Waldes" in preceding
        # the paragraph at the left column's foot goes on at the right column's top: one p
        assert breaks[1].getparent().tag == "{%s}p" % NS["t"]
        assert len(tree.findall(".//t:body//t:p", NS)) == len(paragraphs)
        assert not schema_errors(etree.ElementTree(tree))
        assert without_whitespace(rebuild_source(tree)) == without_whitespace(edition.document.text)


def test_the_paragraph_running_over_the_columns_holds_the_cb():
    paragraphs = _paragraphs(2)
    _, tree = _edition(_two_column_page(2))
    cb = tree.find(".//t:cb[@n='2']", NS)
    paragraph = cb.getparent()
    words = _words(paragraph)
    assert words in paragraphs  # one of the text's paragraphs, whole, with the column break inside it
    assert re.sub(r"\s+", " ", "".join(paragraph.itertext())).strip().split()[0] == words[0]


def test_a_page_of_one_column_gets_no_cb_and_reads_as_the_two_column_page_does():
    for seed in (1, 2, 3):
        _, single = _edition(_one_column_page(seed))
        _, double = _edition(_two_column_page(seed))
        assert single.find(".//t:cb", NS) is None
        assert _words(single.find(".//t:body", NS)) == _words(double.find(".//t:body", NS))
