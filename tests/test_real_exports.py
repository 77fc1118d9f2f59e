"""Page furniture as real text exports give it, on pages composed here (other words, other
numbers, other engines' habits than the Grenzboten corpus the benchmark reads)."""

from __future__ import annotations

import random

import pytest

from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.process import build_document, build_edition
from pipeline.tei import XML_ID
from pipeline.tei.reader import rebuild_source, without_whitespace
from tests.conftest import block_of, parse

CONFIG = PipelineConfig()
WORDS = ("the council met again in the spring and the delegates of the northern provinces argued "
         "at length about the tariffs on grain timber salt and wool which the merchants of the coast "
         "had long opposed while the farmers inland asked for protection against foreign competition").split()


def _body_lines(rng: random.Random, count: int) -> list[str]:
    lines = []
    for _ in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(9, 12))]
        lines.append(" ".join(words))
    return lines


def _pages(n: int, seed: int, number=lambda page: str(page), foot=lambda page: None, first: int = 1):
    """(page texts, the number line of each page) for ``n`` pages whose paragraphs run on."""
    rng = random.Random(seed)
    pages = []
    for index in range(n):
        page = first + index
        lines = _body_lines(rng, 30)
        if index % 3 == 0:
            lines[-1] += "."  # some pages end a sentence
        body = "\n".join(lines)
        top = number(page)
        text = (f"{top}\n" if top is not None else "") + body
        if (bottom := foot(page)) is not None:
            text += f"\n{bottom}"
        pages.append(text)
    return pages


def _furniture(doc, kind: str) -> list[str]:
    return [e.original for e in doc.edits if e.kind == kind]


def test_pages_concatenated_with_cat_each_behind_a_byte_order_mark():
    pages = _pages(12, seed=1, first=41)
    data = b"".join(b"\xef\xbb\xbf" + page.encode("utf-8") for page in pages)  # no newline at the file ends
    doc = build_document(data, "cat.txt", CONFIG)
    assert _furniture(doc, "page-number") == [str(n) for n in range(41, 53)]
    breaks = [e for e in doc.edits if e.kind == "page-break"]
    assert [b.attrs.get("n") for b in breaks] == [str(n) for n in range(42, 53)]
    # every mid-text byte-order mark is recorded and regularized, none left in the reading text
    boms = [e for e in doc.edits if e.original == "\ufeff"]
    assert len(boms) == doc.text.count("\ufeff") == 11 and all(e.replacement == "" for e in boms)
    edition = build_edition(data, "cat.txt", CONFIG)
    assert without_whitespace(rebuild_source(parse(edition.xml))) == without_whitespace(doc.text)


@pytest.mark.parametrize("joiner", [b"\n\f\n", b"\f", b"\n"])
def test_page_files_behind_byte_order_marks_joined_by_form_feeds_turn_once_and_leave_no_empty_paragraph(joiner):
    """Each page file begins with a byte-order mark; joined by form feeds too, a page turn is one
    pb (the form feed's), and a mark cut off where the turn ends a paragraph is no paragraph."""
    pages = _pages(9, seed=4, first=7, number=lambda page: None if page == 10 else str(page))
    pages[2] += "."  # page 9 ends its piece; page 10 opens the next, its number not printed
    pages[3] = "The Second Report.\n" + pages[3]
    data = joiner.join(b"\xef\xbb\xbf" + page.encode("utf-8") for page in pages)
    edition = build_edition(data, "joined.txt", CONFIG)
    tree = parse(edition.xml)
    assert [pb.get("n") for pb in tree.iter("{*}pb")] == [str(n) for n in range(8, 16)]
    assert all("".join(p.itertext()).strip("\ufeff \n") for p in tree.iter("{*}p"))
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(edition.document.text)


def test_garbled_page_numbers_keep_their_ocr_form_and_get_the_inferred_number():
    garbled = {5: "s", 8: "B", 11: "Il", 14: "-4", 16: "l6»"}
    pages = _pages(16, seed=2, number=lambda page: garbled.get(page, str(page)))
    doc = build_document("\n\n".join(pages).encode(), "garbled.txt", CONFIG)
    numbers = {e.original: e for e in doc.edits if e.kind == "page-number"}
    for page, form in garbled.items():
        assert form in numbers, (form, sorted(numbers))
        assert numbers[form].attrs.get("n") == str(page)
    breaks = {e.attrs.get("n") for e in doc.edits if e.kind == "page-break"}
    assert {str(n) for n in range(2, 17)} <= breaks


def test_a_number_printed_at_the_foot_labels_its_own_page():
    pages = _pages(10, seed=3, number=lambda page: None, foot=lambda page: f"— {page} —", first=7)
    doc = build_document("\n".join(pages).encode(), "foot.txt", CONFIG)
    assert len(_furniture(doc, "page-number")) == 10
    breaks = [e.attrs.get("n") for e in doc.edits if e.kind == "page-break"]
    assert breaks == [str(n) for n in range(8, 17)]  # the page that begins, by the number at its own foot
    tree = parse(build_edition("\n".join(pages).encode(), "foot.txt", CONFIG).xml)
    assert [pb.get("n") for pb in tree.iter("{*}pb")] == [str(n) for n in range(8, 17)]


def test_signature_marks_and_catchwords_at_the_foot_of_pages():
    rng = random.Random(4)
    texts = []
    for index in range(9):
        lines = _body_lines(rng, 28)
        page = 17 + index
        foot = {1: "B 2", 3: "3*", 5: "C"}.get(index)
        texts.append((str(page), lines, foot))
    pages = []
    for index, (number, lines, foot) in enumerate(texts):
        body = "\n".join(lines)
        if index == 6:  # a catchword: the next page's first word, under the last line
            body += "\n" + texts[7][1][0].split()[0]
        pages.append(f"{number}\n{body}" + (f"\n{foot}" if foot and any(c.isdigit() for c in foot) else ""))
    doc = build_document("\f".join(pages).encode(), "sig.txt", CONFIG)
    assert sorted(_furniture(doc, "signature")) == ["3*", "B 2"]
    assert _furniture(doc, "catchword") == [texts[7][1][0].split()[0]]
    tree = parse(build_edition("\f".join(pages).encode(), "sig.txt", CONFIG).xml)
    assert sorted(fw.text for fw in tree.iter("{*}fw") if fw.get("type") == "sig") == ["3*", "B 2"]


def test_a_paragraph_cut_by_the_page_turn_stays_one_paragraph_with_the_furniture_inside():
    pages = _pages(6, seed=5, first=3)
    for joiner in ("\n", "\n\n", "\n\f\n"):
        xml = build_edition(joiner.join(pages).encode(), "cut.txt", CONFIG).xml
        tree = parse(xml)
        inside = [pb for pb in tree.iter("{*}pb") if etree.QName(pb.getparent()).localname == "p"]
        assert len(inside) >= 3, joiner  # pages 1, 2, 4, 5 end mid-sentence (every third ends one)
        for pb in inside:
            following = pb.getnext()
            assert following is not None and following.get("type") == "pageNum"


def test_running_heads_repeated_at_the_tops_of_pages():
    pages = _pages(8, seed=6, number=lambda page: f"{page}  ON TARIFFS AND TRADE" if page % 2 == 0
                   else f"THE COUNCIL OF {1840 + page % 2}  {page}")
    doc = build_document("\n".join(pages).encode(), "heads.txt", CONFIG)
    # Number and head on one line: the page numbers are found in the line, the line stays whole
    assert len([e for e in doc.edits if e.kind in ("page-number", "running-head")]) >= 6


def test_invisible_characters_are_regularized_and_soft_hyphens_join_words():
    text = "The dele\u00adgates argued about the tari\u00ad\nffs on grain\u200b and salt.\n"
    doc = build_document(text.encode("utf-8"), "invisible.txt", CONFIG)
    kinds = {(e.original, e.kind) for e in doc.edits}
    assert ("\u00ad", "regularization") in kinds and ("\u200b", "regularization") in kinds
    assert ("\u00ad", "hyphenation") in kinds  # at the line end: a hyphenation point
    xml = build_edition(text.encode("utf-8"), "invisible.txt", CONFIG).xml
    reading = "".join(parse(xml).find(".//{*}body").itertext())
    assert "\u200b" in reading  # kept in the diplomatic reading (orig) …
    regularized = [c for c in parse(xml).iter("{*}choice") if c.findtext("{*}orig") in ("\u00ad", "\u200b")]
    assert len(regularized) == 3 and all(not (c.findtext("{*}reg") or "") for c in regularized)


CHINESE = ("國際貿易的發展，與各國的經濟政策息息相關。戰後的局勢使各國重新考慮關稅的問題，"
           "而條約的談判往往需要數年之久。")


def _garbled(text: str) -> list[str]:
    doc = build_document(text.encode("utf-8"), "zh.txt", CONFIG)
    return [e.original for e in doc.edits if e.kind == "garbled"]


def test_chinese_ocr_noise_of_rare_characters_is_flagged_and_rare_names_are_not():
    for noise in ("丨丶丿亅冂凵", "ㄅㄆㄇㄈ", "〡〢〣〤", "┃╋━┗┛", "冂丶ㄅ〢"):
        text = CHINESE + noise + CHINESE + "\n"
        assert any(noise in flagged for flagged in _garbled(text)), noise
    # real text with a rare character or two in a row (a name, a classical word) is left alone
    clean = CHINESE + "龔自珍與魏源，皆以經世致用為學。" + CHINESE + "\n"
    assert _garbled(clean) == []


def test_a_repetition_loop_with_a_stray_inside_is_still_a_loop():
    loop = "，關稅同盟，關稅同盟，关税同盟，關稅同盟，"
    flagged = _garbled(CHINESE + loop + CHINESE + "\n")
    assert any("關稅同盟，關稅同盟，关税同盟" in span for span in flagged), flagged
    # an enumeration and a three-fold exact repetition stay text (four exact copies are a loop)
    assert _garbled("Article 1, Article 2, Article 3, Article 4 apply to the council.\n") == []
    assert _garbled(CHINESE + "，萬歲，萬歲，萬歲！" + CHINESE + "\n") == []


def test_a_stray_inside_a_flagged_span_is_not_corrected():
    loop = "，關稅同盟，關稅同盟，关税同盟，關稅同盟，"
    doc = build_document((CHINESE + loop + CHINESE + "\n").encode("utf-8"), "zh.txt", CONFIG)
    span = next(e for e in doc.edits if e.kind == "garbled")
    assert not [e for e in doc.edits if e.kind == "correction" and span.start <= e.start < span.end]


def test_mojibake_whose_misreading_gave_private_use_characters_is_repaired():
    """UTF-8 read as GB18030 can give private-use code points; the line is still repaired."""
    pool = "國際貿易發展經濟政策戰後局勢關稅問題條約談判數年蘇聯外交史論革命時期之"
    rng = random.Random(8)
    for _ in range(400):
        line = "".join(rng.choice(pool) for _ in range(24))
        misread = line.encode("utf-8").decode("gb18030", errors="replace")
        if "\ufffd" not in misread and any(0xE000 <= ord(ch) <= 0xF8FF for ch in misread):
            break
    else:
        raise AssertionError("no private-use misreading found in the pool")
    text = CHINESE + "\n" + misread + "\n" + CHINESE + "\n"
    doc = build_document(text.encode("utf-8"), "pua.txt", CONFIG)
    repaired = doc.text
    for edit in sorted(doc.edits, key=lambda e: -e.start):
        if edit.kind == "correction":
            repaired = repaired[:edit.start] + (edit.replacement or "") + repaired[edit.end:]
    assert line in repaired


def test_signature_marks_recur_with_the_gatherings_even_where_the_ocr_garbled_them():
    rng = random.Random(9)
    pages = []
    for page in range(1, 33):
        lines = _body_lines(rng, 26)
        foot = {1: "1", 3: "1*", 9: "2", 11: "2*", 17: "3", 19: "ZIIS", 25: "4", 27: "4*"}.get(page)
        pages.append(f"{page}\n" + "\n".join(lines) + (f"\n{foot}" if foot else ""))
    doc = build_document("\n".join(pages).encode(), "gatherings.txt", CONFIG)
    assert sorted(_furniture(doc, "signature")) == sorted(["1", "1*", "2", "2*", "3", "ZIIS", "4", "4*"])
    # a short last line elsewhere is text
    assert not any(e.kind == "signature" and e.original not in ("1", "1*", "2", "2*", "3", "ZIIS", "4", "4*")
                   for e in doc.edits)


def test_a_paragraph_whose_full_stop_the_ocr_garbled_ends_where_its_short_last_line_does():
    """OCR reads a paragraph's closing full stop as « or ·: the short last line and the capital
    on the next page still end it; a full last line going on before a capital that proves
    nothing (a name) joins."""
    rng = random.Random(7)
    first = _body_lines(rng, 30)
    first[-1] = "the treaty was signed at last«"  # a garbled full stop, on a short line
    second = ["Council records of the following year show"] + _body_lines(rng, 29)
    second[-1] = " ".join(WORDS[:11])  # a full line that stops mid-sentence …
    third = ["Hanseatic merchants protested at once"] + _body_lines(rng, 29)  # … before a name
    pages = [f"{n}\n" + "\n".join(lines) for n, lines in zip((17, 18, 19), (first, second, third))]
    doc = build_document("\f".join(pages).encode(), "garbled-stop.txt", CONFIG)

    assert block_of(doc, "signed at last«") != block_of(doc, "Council records")
    assert block_of(doc, " ".join(WORDS[:11])) == block_of(doc, "Hanseatic merchants protested")


def test_a_piece_closed_by_a_rule_at_the_foot_of_a_page_is_not_joined_to_the_next_title():
    rng = random.Random(11)
    first = _body_lines(rng, 30)
    first[-1] = "the merchants of the coast had long opposed the tariffs. ——————————"  # a full line
    second = ["Letters from Vienna"] + _body_lines(rng, 29)
    third = _body_lines(rng, 30)
    pages = [f"{n}\n" + "\n".join(lines) for n, lines in zip((31, 32, 33), (first, second, third))]
    doc = build_document("\ufeff".join(pages).encode(), "rule.txt", CONFIG)

    assert block_of(doc, "opposed the tariffs") != block_of(doc, "Letters from Vienna")


def _article_pages(closing: list[str], joiner: str) -> tuple[str, str]:
    """Seven numbered pages and, fifth, an unnumbered one that opens an article with its title,
    byline and section number; the article before ends at the foot of the fourth with
    ``closing`` (its signature, or a rule). Returns (text, the new article's title)."""
    rng = random.Random(23)
    title = "Notes from the Harbour Towns"
    pages = []
    for page in range(61, 69):
        lines = _body_lines(rng, 30)
        if page == 64:
            lines = lines[:24] + ["and so the matter rests for this year."] + closing
        if page == 65:
            lines = [title, "By", "E. Fairweather.", "", "I.", ""] + lines[:24]
            pages.append("\n".join(lines) + "\n")
            continue
        pages.append(f"{page}\n" + "\n".join(lines) + "\n")
    return joiner.join(pages), title


@pytest.mark.parametrize("joiner", ["\n", "\n\n"], ids=["newline", "blank line"])
@pytest.mark.parametrize("closing", [["R. T. Hallam."], ["—"], ["Dr. B. K.", "ix-"]],
                         ids=["signed", "rule", "initials and a signature mark"])
def test_an_unnumbered_page_that_opens_an_article_begins_at_its_title(joiner, closing):
    """Magazines open an article on a new page without printing its number: the page break
    goes before the title (not after the byline or section number, which stand nearer where
    the numbers say the page begins), and the paragraph before it is not joined to it."""
    text, title = _article_pages(closing, joiner)
    doc = build_document(text.encode(), "magazine.txt", CONFIG)
    breaks = {e.start: e.attrs.get("n") for e in doc.edits if e.kind == "page-break"}
    title_at = doc.text.index(title)
    assert breaks.get(title_at) == "65", sorted(breaks.items())
    assert len(breaks) == 7
    block = next(b for b in doc.blocks if b.start <= title_at < b.end)
    assert block.start == title_at  # nothing of the page before joined to the title


def test_a_two_line_paragraph_ending_short_on_a_garbled_full_stop_ends_at_the_page_turn():
    """The OCR split a paragraph with a blank line and garbled its full stop: its last two lines
    (one full, one short) still end the paragraph before the capital on the next page."""
    rng = random.Random(5)
    first = _body_lines(rng, 26) + ["", " ".join(WORDS[:11]), "the harbour towns«"]
    second = ["Grain prices rose again that winter"] + _body_lines(rng, 29)
    third = _body_lines(rng, 30)
    pages = [f"{n}\n" + "\n".join(lines) for n, lines in zip((8, 9, 10), (first, second, third))]
    doc = build_document("\f".join(pages).encode(), "split.txt", CONFIG)
    at, following = doc.text.index("the harbour towns«"), doc.text.index("Grain prices rose")
    assert next(b for b in doc.blocks if b.start <= at < b.end).end < following


def _turns(last_lines: list[str], first_lines: list[str], extra: str = "") -> tuple:
    """Pages whose last and first lines are given (form feeds between them, numbers on top),
    and a function telling whether two passages ended up in one block."""
    rng = random.Random(31)
    pages = []
    for index in range(len(last_lines) + 1):
        lines = _body_lines(rng, 28)
        if index:
            lines = [first_lines[index - 1]] + lines
        if index < len(last_lines):
            lines.append(last_lines[index])
        if index == 0 and extra:
            lines.insert(5, extra)
        pages.append(f"{40 + index}\n" + "\n".join(lines))
    doc = build_document("\f".join(pages).encode(), "turns.txt", CONFIG)

    def together(a: str, b: str) -> bool:
        at, other = doc.text.index(a), doc.text.index(b)
        return next(i for i, x in enumerate(doc.blocks) if x.start <= at < x.end) == next(
            i for i, x in enumerate(doc.blocks) if x.start <= other < x.end)
    return doc, together


def test_a_word_capitalized_only_where_a_sentence_begins_ends_the_paragraph_before_it():
    """The OCR lost the full stop at the foot of a full page; the next page opens with "The",
    which this document writes in lower case inside its sentences: a sentence, and here a
    paragraph, begins. A name, capitalized everywhere, proves nothing: the text goes on."""
    full = " ".join(WORDS[:12])
    _, together = _turns([full + " harbour", full + " quay", full + " wharf"],
                         ["The merchants of the coast protested", "Hamburg merchants of the coast protested",
                          "Coast guards of the provinces argued"])
    assert not together("harbour", "The merchants of the coast protested")
    assert together("quay", "Hamburg merchants")
    assert not together("wharf", "Coast guards")  # "coast" is written in lower case inside sentences


def test_a_word_the_document_also_capitalizes_inside_sentences_proves_nothing():
    """German capitalizes nouns made of adjectives ("zum Nachtheile Anderer"): a page that opens
    with such a word, after a full line without a full stop, goes on the paragraph; so does a
    page whose last word the OCR broke with a hyphen."""
    full = " ".join(WORDS[:12])
    _, together = _turns([full + " of", full + " mer-"], ["Inland farmers asked again", "Coast had long opposed"],
                         extra="the delegates of the Inland provinces and the inland farmers of the inland towns")
    assert together(full + " of", "Inland farmers asked again")
    assert together(full + " mer-", "Coast had long opposed")


def test_specks_of_a_rule_under_the_page_number_are_page_layout_and_the_paragraph_runs_on():
    """The OCR read a rule (or dirt) under the page number as dashes: it belongs to the page
    turn, so the paragraph cut by the turn still runs on past it."""
    pages = _pages(8, seed=5, first=21)
    pages[3] = pages[3].replace("\n", "\n—-·\n", 1)  # under page 24's number
    doc = build_document("\n\n".join(pages).encode(), "specks.txt", CONFIG)
    layout = [e for e in doc.edits if e.kind == "layout"]
    assert [doc.text[e.start:e.end] for e in layout] == ["—-·"]
    last_before, first_after = pages[2].split("\n")[-1], pages[3].split("\n")[2]
    block = next(b for b in doc.blocks if b.start <= layout[0].start < b.end)
    assert block.kind == "p" and last_before in doc.text[block.start:block.end] \
        and first_after in doc.text[block.start:block.end]  # the paragraph runs on over the turn


LATIN_WORDS = ("et in est non ad cum quod ut sed qui quae urbs populus senatus consul bellum pax lex rex "
               "terra aqua caelum deus homo tempus annus dies nox verbum liber templum forum via porta").split()


def test_early_modern_signatures_with_roman_leaf_numbers_are_furniture():
    """A quarto in Latin: gatherings of four leaves, signed on the rectos of the first half
    (the first leaf by its letter alone, which says too little to be told from a word), the
    leaf number in lower-case roman numerals ("B iij"), the page number on top."""
    rng = random.Random(11)
    pages, signed = [], []
    for page in range(1, 17):
        lines = [" ".join(rng.choice(LATIN_WORDS) for _ in range(rng.randint(9, 12))) for _ in range(30)]
        leaf = (page + 1) // 2
        gathering, within = "ABCD"[(leaf - 1) // 4], (leaf - 1) % 4 + 1
        if page % 2 and within in (2, 3):
            signature = f"{gathering} {'i' * (within - 1)}j"
            lines.append(signature)
            signed.append(signature)
        pages.append(f"{page}\n" + "\n".join(lines))
    doc = build_document("\n\n".join(pages).encode(), "quarto.txt", CONFIG)
    assert _furniture(doc, "signature") == signed == ["A ij", "A iij", "B ij", "B iij"]
    assert _furniture(doc, "page-number") == [str(n) for n in range(1, 17)]


def test_verse_lines_as_long_as_the_printed_lines_are_no_headings_and_a_title_still_is():
    """Tesseract exports a poem's lines with blank lines between them: each stands alone, and
    has no full stop; as long as the prose lines, none of them is a heading."""
    rng = random.Random(7)
    prose = "\n".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 12))) for _ in range(24)) + "."
    verse = ["When evening falls upon the quiet harbour and the fishing boats come home",
             "The old men gather by the wall to talk of storms and of the summers gone",
             "And all the children of the town run down the narrow lanes to meet them"]
    text = "\n\n".join([prose, "The Harbour at Evening", *verse, prose]) + "\n"
    doc = build_document(text.encode(), "poem.txt", CONFIG)
    heads = [doc.text[b.start:b.end] for b in doc.blocks if b.kind == "head"]
    assert heads == ["The Harbour at Evening"]


def test_a_short_line_standing_apart_at_a_page_foot_whose_sentence_runs_on_is_a_paragraph():
    pages = _pages(6, seed=8, first=31)
    lines = pages[2].split("\n")
    lines[-1] = "\nand the merchants of the"  # the OCR set the page's last line apart
    pages[2] = "\n".join(lines)
    pages[3] = pages[3].replace("\n", "\ncoast asked for a hearing and ", 1)
    doc = build_document("\n\n".join(pages).encode(), "foot.txt", CONFIG)
    block = next(b for b in doc.blocks if b.start <= doc.text.index("merchants of the") < b.end)
    assert block.kind == "p" and "coast asked for a hearing" in doc.text[block.start:block.end]


GREEK_WORDS = ("η βουλή συνήλθε πάλιν την άνοιξιν και οι αντιπρόσωποι των βορείων επαρχιών συνεζήτησαν επί μακρόν "
               "περί των δασμών του σίτου της ξυλείας και του άλατος").split()


def test_greek_numerals_number_the_front_matter_of_a_greek_book():
    rng = random.Random(13)
    numerals = ["αʹ", "βʹ", "γʹ", "δʹ", "εʹ", "στʹ"]
    pages = []
    for numeral in numerals:  # (the sentence runs on over each page's number: numbers set between
        # blank lines after a finished sentence would head sections, not number pages)
        lines = [" ".join(rng.choice(GREEK_WORDS) for _ in range(rng.randint(9, 12))) for _ in range(25)]
        pages.append(f"{numeral}\n\n" + "\n".join(lines) + ("." if numeral == numerals[-1] else ""))
    doc = build_document("\n\n".join(pages).encode(), "prolegomena.txt", CONFIG)
    assert _furniture(doc, "page-number") == numerals
    # each page break numbered as printed (a Greek 6 as "στ" where the book prints it so); the
    # text's first page opens the text, no break before it
    assert [e.attrs.get("n") for e in doc.edits if e.kind == "page-break" and e.attrs.get("n")] == numerals[1:]


def _pages_with_a_note(note_first: str, anchor: str = "", blank: str = "\n") -> str:
    """Four pages whose paragraphs run on; page 2 closes with a note under its text."""
    pages = _pages(4, seed=8, first=11)
    lines = pages[1].split("\n")
    lines[8] += anchor
    note = [note_first, "the merchants of the coast, and the farmers inland asked for protection."]
    pages[1] = "\n".join(lines) + "\n" + blank + "\n".join(note)
    return "\n\f\n".join(pages)


def _foot_notes(xml: bytes) -> list:
    return [note for note in parse(xml).iter("{*}note") if note.get("place") == "foot"]


@pytest.mark.parametrize("mark", ["*)", "†", "¹"])
def test_a_note_at_a_page_foot_of_a_text_export_stays_inside_the_paragraph_that_goes_on(mark):
    source = _pages_with_a_note(f"{mark} The accounts of that year were lost, as the letters of", blank="",
                                anchor=f" {mark}" if mark == "*)" else mark)
    edition = build_edition(source.encode(), "council.txt", CONFIG)
    assert edition.errors == []
    notes = _foot_notes(edition.xml)
    assert len(notes) == 1 and notes[0].get("n") == mark
    # the mark in the text points to the note, and the note back to it
    anchors = [ref for ref in parse(edition.xml).iter("{*}ref") if ref.get("type") == "noteAnchor"]
    assert [ref.text for ref in anchors] == [mark]
    assert anchors[0].get("target") == "#" + notes[0].get(XML_ID)
    assert notes[0].get("target") == "#" + anchors[0].get(XML_ID)
    assert "".join(notes[0].itertext()).startswith(f"{mark} The accounts of that year")
    paragraph = notes[0].getparent()
    assert etree.QName(paragraph).localname == "p"
    # the page's main text goes on over the note and the turn, up to page 3's text
    page_three_start = " ".join(source.split("\f")[2].split("\n")[2].split()[:4])
    assert page_three_start in " ".join("".join(paragraph.itertext()).split())
    assert without_whitespace(rebuild_source(parse(edition.xml))) == without_whitespace(edition.document.text)


def test_a_numbered_line_at_a_page_foot_is_a_note_only_with_its_anchor_in_the_text_above():
    without = build_edition(_pages_with_a_note("1) The accounts of that year were lost, as the").encode(),
                            "council.txt", CONFIG)
    assert _foot_notes(without.xml) == []  # a list's first item, as likely
    anchored = build_edition(_pages_with_a_note("1) The accounts of that year were lost, as the", anchor="1)").encode(),
                             "council.txt", CONFIG)
    assert [note.get("n") for note in _foot_notes(anchored.xml)] == ["1)"]


def test_a_circled_note_mark_opens_a_note_at_the_foot_of_a_chinese_page():
    """Chinese books mark notes ①, ②, set against the note's text, with no blank line above."""
    rng = random.Random(3)
    clauses = [c + "，" for c in CHINESE.replace("。", "，").split("，") if c]

    def page_lines(count: int) -> list[str]:
        return ["".join(rng.choice(clauses) for _ in range(3)) for _ in range(count)]

    pages = []
    for number in (21, 22, 23):
        lines = page_lines(12)
        if number == 22:
            lines[4] += "①"
            lines += ["①參見當年的會議紀錄，其中關稅一節語焉不詳。"]
        pages.append(f"{number}\n" + "\n".join(lines))
    edition = build_edition("\n\f\n".join(pages).encode(), "貿易.txt", CONFIG)
    assert edition.errors == []
    notes = _foot_notes(edition.xml)
    assert [note.get("n") for note in notes] == ["①"]
    assert "".join(notes[0].itertext()) == "①參見當年的會議紀錄，其中關稅一節語焉不詳。"
    # the page's text ends mid-sentence (a comma): the paragraph goes on over the note and the turn
    paragraph = notes[0].getparent()
    assert etree.QName(paragraph).localname == "p"
    assert pages[2].split("\n")[1][:6] in "".join(paragraph.itertext())
